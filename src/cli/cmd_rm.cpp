// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct RmOptions
{
    std::string store;
    unpack::RemoveRequest request;
};

struct RmOutcome
{
    std::filesystem::path store;
    std::vector<unpack::RemovedTag> removed;
};

Result<RmOutcome> run_rm(const RmOptions& o, const Settings& settings, const GlobalOptions& global)
{
    RmOutcome outcome;
    AIRLOCK_TRY_ASSIGN(outcome.store, settings.oci_store(o.store));
    unpack::OciStore store(outcome.store);
    ConsoleReporter reporter(global);
    AIRLOCK_TRY_ASSIGN(outcome.removed, unpack::remove_tags(store, o.request, reporter));
    return outcome;
}

void print_text(const RmOutcome& outcome)
{
    for (const auto& r : outcome.removed) {
        std::cout << "untagged " << printable(r.repository) << ':' << printable(r.tag) << " ("
                  << short_digest(r.digest.str()) << ")\n";
    }
    std::cout << "its blobs stay in oci:" << printable(outcome.store.string())
              << " until 'airlock prune'\n";
}

void print_json(const RmOutcome& outcome)
{
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& r : outcome.removed) {
        removed.push_back({{"name", r.repository}, {"tag", r.tag}, {"digest", r.digest.str()}});
    }
    cli::print_json(
        {{"ok", true}, {"store", "oci:" + outcome.store.string()}, {"removed", removed}});
}

} // namespace

void register_rm(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<RmOptions>();
    auto* cmd = app.add_subcommand("rm", "Untag images of a store (their blobs stay until prune)");
    cmd->add_option("refs",
                    options->request.refs,
                    "REPOSITORY:TAG, REPOSITORY@DIGEST, or with --all-tags REPOSITORY")
        ->required();
    cmd->add_flag("--all-tags", options->request.all_tags, "Remove every tag of each repository");
    add_oci_store_option(*cmd, options->store);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] {
        const auto outcome = run_rm(*options, ctx.settings, ctx.global);
        if (outcome && ctx.global.quiet && !ctx.global.json) {
            return;
        }
        ctx.exit_code = finish(outcome, ctx.global);
    });
}

} // namespace airlock::cli
