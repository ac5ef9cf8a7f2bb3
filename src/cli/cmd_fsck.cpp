// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "registry_flags.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_fsck.hpp>
#include <airlock/unpack/store_lifecycle.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct FsckOptions
{
    std::string store;
    bool repair = false;
    RegistryFlags access;
};

struct FsckOutcome
{
    std::string store;
    unpack::FsckReport report;
};

Result<FsckOutcome>
run_fsck(const FsckOptions& o, const Settings& settings, const GlobalOptions& global)
{
    FsckOutcome outcome;
    ConsoleReporter reporter(global);
    if (const std::string spec = settings.value(o.store, Setting::store);
        spec.starts_with("docker://")) {
        if (o.repair) {
            return fail(Errc::usage,
                        "--repair applies to OCI stores: a registry mends its blobs with its "
                        "own tools (remove the broken tags, run its garbage collector, import "
                        "the bundles again)");
        }
        registry::RegistryOptions access;
        AIRLOCK_TRY(apply_registry_flags(o.access, settings, access));
        outcome.store = spec;
        AIRLOCK_TRY_ASSIGN(outcome.report, unpack::fsck_registry(spec, access, reporter));
        return outcome;
    } else if (unpack::is_tag_store_spec(spec)) {
        return fail(Errc::usage,
                    str_cat("fsck checks OCI stores and registries; ",
                            spec,
                            " verifies its content itself"));
    }
    AIRLOCK_TRY_ASSIGN(const std::filesystem::path root, settings.oci_store(o.store));
    outcome.store = "oci:" + root.string();
    unpack::OciStore store(root);
    AIRLOCK_TRY_ASSIGN(outcome.report, unpack::fsck_store(store, o.repair, reporter));
    return outcome;
}

// Exit 4 while any tag is broken (after --repair too: a re-import restores what was removed).
int exit_code_of(const FsckOutcome& outcome)
{
    return outcome.report.broken.empty() ? k_exit_ok : k_exit_verification;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + printable(n);
    }
    return out;
}

void print_text(const FsckOutcome& outcome)
{
    const auto& r = outcome.report;
    const std::string store = printable(outcome.store);
    for (const auto& b : r.broken) {
        std::cerr << "airlock: error: " << unpack::broken_kind_name(b.kind) << " blob "
                  << b.digest.str() << " (" << printable(b.detail) << ")"
                  << (b.removed ? ", removed" : "") << "; breaks " << joined(b.tags) << '\n';
    }
    for (const auto& o : r.orphans) {
        std::cout << (r.repaired && !r.orphans_kept ? "removed" : "orphan") << " blob "
                  << o.digest.str() << " (" << human_size(o.size) << ", no tag uses it)\n";
    }
    if (r.orphans_kept) {
        std::cout << "orphans kept: a manifest or index that cannot be read may use them\n";
    }
    for (const auto& s : r.strays) {
        std::cout << "stray blobs/sha256/" << printable(s) << " (not a blob; left alone)\n";
    }
    std::cout << "checked " << r.checked << " blob(s), " << human_size(r.bytes_checked) << " in "
              << store << ": ";
    if (r.broken.empty()) {
        std::cout << "every tag is whole\n";
    } else {
        std::cout << r.broken.size() << " broken"
                  << (r.repaired ? "; import the bundles of the broken tags again to restore them"
                                 : "; --repair removes the corrupt ones, then import the bundles "
                                   "of the broken tags again")
                  << '\n';
    }
}

void print_json(const FsckOutcome& outcome)
{
    const auto& r = outcome.report;
    nlohmann::json broken = nlohmann::json::array();
    for (const auto& b : r.broken) {
        broken.push_back({{"digest", b.digest.str()},
                          {"problem", unpack::broken_kind_name(b.kind)},
                          {"detail", b.detail},
                          {"tags", b.tags},
                          {"removed", b.removed}});
    }
    nlohmann::json orphans = nlohmann::json::array();
    for (const auto& o : r.orphans) {
        orphans.push_back({{"digest", o.digest.str()}, {"size", o.size}});
    }
    cli::print_json({{"ok", r.broken.empty()},
                     {"store", outcome.store},
                     {"checked", r.checked},
                     {"bytesChecked", r.bytes_checked},
                     {"broken", broken},
                     {"orphans", orphans},
                     {"strays", r.strays},
                     {"repaired", r.repaired},
                     {"orphansKept", r.orphans_kept},
                     {"exitCode", exit_code_of(outcome)}});
}

} // namespace

void register_fsck(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<FsckOptions>();
    auto* cmd = app.add_subcommand(
        "fsck", "Re-hash every blob of a store; report what is missing, corrupt or orphaned");
    cmd->add_flag("--repair",
                  options->repair,
                  "Remove corrupt blobs (a re-import restores them) and orphaned ones");
    cmd->add_option("--store",
                    options->store,
                    "Store: oci:DIR (default: the embedded store) or docker://HOST[:PORT][/PREFIX]")
        ->type_name(value_name::store);
    add_registry_flags(*cmd, options->access);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] {
        ctx.exit_code = finish(run_fsck(*options, ctx.settings, ctx.global), ctx.global);
    });
}

} // namespace airlock::cli
