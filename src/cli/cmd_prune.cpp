// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "registry_flags.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/unpack/store_lifecycle.hpp>
#include <airlock/unpack/store_prune.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct PruneCommandOptions
{
    std::string store;
    std::optional<std::size_t> keep;
    std::string older_than;
    unpack::PruneOptions prune;
    RegistryFlags access;
};

struct PruneOutcome
{
    std::string store;
    bool dry_run = false;
    unpack::PruneReport report;
    std::string reclaimed; // stores that reclaim their own way: what they did
};

Result<PruneOutcome>
run_prune(PruneCommandOptions o, const Settings& settings, const GlobalOptions& global)
{
    PruneOutcome outcome;
    if (!o.older_than.empty()) {
        const auto seconds = parse_duration(o.older_than);
        if (!seconds || *seconds <= 0) {
            return fail(Errc::usage,
                        str_cat("--older-than ",
                                o.older_than,
                                ": expected a duration such as 90d, 12h, 30m"));
        }
        o.prune.older_than = *seconds;
    }
    o.prune.keep = o.keep;
    o.prune.now = now_seconds();
    outcome.dry_run = o.prune.dry_run;
    ConsoleReporter reporter(global);
    if (const std::string spec = settings.value(o.store, Setting::store);
        unpack::is_tag_store_spec(spec)) {
        unpack::StoreOptions options;
        AIRLOCK_TRY(apply_registry_flags(o.access, settings, options.registry_access));
        AIRLOCK_TRY_ASSIGN(unpack::LifecycleReport report,
                           unpack::prune_tag_store(spec, options, o.prune, reporter));
        outcome.store = std::move(report.store);
        outcome.report.untagged = std::move(report.untagged);
        outcome.reclaimed = std::move(report.reclaimed);
        return outcome;
    }
    AIRLOCK_TRY_ASSIGN(const std::filesystem::path root, settings.oci_store(o.store));
    outcome.store = "oci:" + root.string();
    unpack::OciStore store(root);
    AIRLOCK_TRY_ASSIGN(outcome.report, unpack::prune_store(store, o.prune, reporter));
    return outcome;
}

void print_text(const PruneOutcome& outcome)
{
    const char* verb = outcome.dry_run ? "would untag " : "untagged ";
    for (const auto& r : outcome.report.untagged) {
        std::cout << verb << printable(r.repository) << ':' << printable(r.tag) << " ("
                  << short_digest(r.digest.str()) << ")\n";
    }
    for (const auto& r : outcome.report.detached) {
        std::cout << (outcome.dry_run ? "would remove " : "removed ")
                  << (r.tag.empty()
                          ? str_cat("referrer ", r.digest.str())
                          : str_cat("attachment ", printable(r.repository), ':', printable(r.tag)))
                  << ", whose image is gone\n";
    }
    if (!outcome.reclaimed.empty()) {
        std::cout << printable(outcome.store) << ": " << outcome.reclaimed << '\n';
        return;
    }
    std::cout << (outcome.dry_run ? "would remove " : "removed ") << outcome.report.blobs.size()
              << " blob(s) no tag uses, " << human_size(outcome.report.bytes)
              << (outcome.dry_run ? " to reclaim" : " reclaimed") << " in "
              << printable(outcome.store) << '\n';
}

void print_json(const PruneOutcome& outcome)
{
    nlohmann::json untagged = nlohmann::json::array();
    for (const auto& r : outcome.report.untagged) {
        untagged.push_back({{"name", r.repository}, {"tag", r.tag}, {"digest", r.digest.str()}});
    }
    nlohmann::json detached = nlohmann::json::array();
    for (const auto& r : outcome.report.detached) {
        detached.push_back({{"name", r.repository}, {"tag", r.tag}, {"digest", r.digest.str()}});
    }
    nlohmann::json blobs = nlohmann::json::array();
    for (const auto& b : outcome.report.blobs) {
        blobs.push_back({{"digest", b.digest.str()}, {"size", b.size}});
    }
    nlohmann::json out = {{"ok", true},
                          {"store", outcome.store},
                          {"dryRun", outcome.dry_run},
                          {"untagged", untagged},
                          {"detached", detached},
                          {"blobs", blobs},
                          {"bytesReclaimed", outcome.report.bytes},
                          {"debrisReclaimed", outcome.report.debris.bytes}};
    if (!outcome.reclaimed.empty()) {
        out["reclaimed"] = outcome.reclaimed;
    }
    cli::print_json(out);
}

} // namespace

void register_prune(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<PruneCommandOptions>();
    auto* cmd = app.add_subcommand(
        "prune", "Remove old versions of each repository and the blobs no tag uses");
    cmd->add_option("--keep", options->keep, "Keep the N newest versions of each repository")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--older-than",
                    options->older_than,
                    "Remove only versions created longer ago than this (90d, 12h)")
        ->type_name("DURATION");
    cmd->add_option("--protect",
                    options->prune.protect,
                    "Never remove this tag's version (REPOSITORY:TAG; repeatable)")
        ->type_name("REF");
    cmd->add_flag("--dry-run", options->prune.dry_run, "Say what would go; change nothing");
    add_any_store_option(*cmd, options->store);
    add_registry_flags(*cmd, options->access);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] {
        const auto outcome = run_prune(*options, ctx.settings, ctx.global);
        if (outcome && ctx.global.quiet && !ctx.global.json) {
            return;
        }
        ctx.exit_code = finish(outcome, ctx.global);
    });
}

} // namespace airlock::cli
