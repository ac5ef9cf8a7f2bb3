// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "registry_flags.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_lifecycle.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct RmOptions
{
    std::string store;
    unpack::RemoveRequest request;
    RegistryFlags access;
};

struct RmOutcome
{
    std::string store;
    bool oci = true; // its blobs wait for airlock prune; other stores reclaim their own way
    std::vector<unpack::RemovedTag> removed;
};

Result<RmOutcome> run_rm(const RmOptions& o, const Settings& settings, const GlobalOptions& global)
{
    RmOutcome outcome;
    ConsoleReporter reporter(global);
    if (const std::string spec = settings.value(o.store, Setting::store);
        unpack::is_tag_store_spec(spec)) {
        unpack::StoreOptions options;
        AIRLOCK_TRY(apply_registry_flags(o.access, settings, options.registry_access));
        AIRLOCK_TRY_ASSIGN(const unpack::LifecycleReport report,
                           unpack::remove_from_store(spec, options, o.request, reporter));
        return RmOutcome{report.store, false, report.untagged};
    }
    AIRLOCK_TRY_ASSIGN(const std::filesystem::path root, settings.oci_store(o.store));
    outcome.store = "oci:" + root.string();
    unpack::OciStore store(root);
    AIRLOCK_TRY_ASSIGN(outcome.removed, unpack::remove_tags(store, o.request, reporter));
    return outcome;
}

void print_text(const RmOutcome& outcome)
{
    for (const auto& r : outcome.removed) {
        std::cout << "untagged " << printable(r.repository) << ':' << printable(r.tag) << " ("
                  << short_digest(r.digest.str()) << ")\n";
    }
    if (outcome.oci) {
        std::cout << "its blobs stay in " << printable(outcome.store) << " until 'airlock prune'\n";
    }
}

void print_json(const RmOutcome& outcome)
{
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& r : outcome.removed) {
        removed.push_back({{"name", r.repository}, {"tag", r.tag}, {"digest", r.digest.str()}});
    }
    cli::print_json({{"ok", true}, {"store", outcome.store}, {"removed", removed}});
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
    add_any_store_option(*cmd, options->store);
    add_registry_flags(*cmd, options->access);
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
