// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "registry_flags.hpp"
#include "trust_options.hpp"
#include "value_names.hpp"

#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/registries_d.hpp>
#include <airlock/unpack/import.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct ImportCommandOptions
{
    std::string bundle;
    std::string store;
    TrustOptions trust;
    bool no_latest = false;
    bool skip_signature = false;
    bool allow_downgrade = false;
    bool allow_expired = false;
    std::string channel_state;
    std::string host_os_version;
    bool require_compatible = false;
    std::vector<std::string> tags;
    RegistryFlags access;
    bool keep_registry_host = false;
    std::string chunk_size = "32M";
    std::optional<unsigned> jobs; // registries: 4 when not given; podman: 1
    std::string signatures_dir;
    std::string registries_d;
    bool dry_run = false;
};

nlohmann::json summary_json(const std::string& bundle, const unpack::ImportSummary& s)
{
    nlohmann::json images = nlohmann::json::array();
    for (const auto& image : s.images) {
        nlohmann::json tags = nlohmann::json::array();
        nlohmann::json actions = nlohmann::json::array();
        for (const auto& t : image.tags) {
            tags.push_back(t.tag);
            actions.push_back(
                {{"tag", t.tag}, {"action", unpack::tag_action_name(t.action)}, {"note", t.note}});
        }
        images.push_back({{"name", image.name},
                          {"digest", image.digest.str()},
                          {"version", image.version},
                          {"tags", tags},
                          {"tagActions", actions}});
    }
    nlohmann::json doc = {{"ok", true},
                          {"bundle", bundle},
                          {"store", s.store},
                          {"signers", signers_json(s.signers)},
                          {"images", images},
                          {"blobsWritten", s.blobs_written},
                          {"blobsPresent", s.blobs_present},
                          {"blobsMounted", s.blobs_mounted},
                          {"bytesWritten", s.bytes_written},
                          {"signatures", s.signatures},
                          {"attachments", s.attachments},
                          {"signaturesKept", s.signatures_kept},
                          {"attachmentsKept", s.attachments_kept},
                          {"changed", s.index_changed || s.blobs_written > 0},
                          {"dryRun", s.dry_run}};
    if (s.dry_run) {
        doc["bytesPresent"] = s.bytes_present; // dry runs count them; imports do not hash twice
    }
    return doc;
}

// --channel-state: where a docker:// store keeps its channel marks (other stores refuse it).
Result<unpack::ChannelStatePlace> parse_channel_state(const std::string& text)
{
    if (text != "registry" && text != "local") {
        return fail(Errc::usage,
                    str_cat("invalid --channel-state '", text, "': use registry or local"));
    }
    return text == "local" ? unpack::ChannelStatePlace::local : unpack::ChannelStatePlace::registry;
}

// The library's options from the command line's; the first invalid one is the error.
Result<unpack::ImportOptions> import_options(const ImportCommandOptions& o,
                                             const Settings& settings)
{
    unpack::ImportOptions options;
    options.bundle = o.bundle;
    options.store = settings.value(o.store, Setting::store);
    AIRLOCK_TRY(apply_registry_flags(o.access, settings, options.store_options.registry_access));
    options.store_options.keep_registry_host = o.keep_registry_host;
    options.store_options.registry_access.jobs = o.jobs.value_or(4);
    options.store_options.podman_jobs = o.jobs.value_or(1);
    options.store_options.signatures_dir = o.signatures_dir;
    AIRLOCK_TRY(manifest::check_registries_d_option(o.registries_d));
    options.store_options.registries_d = o.registries_d;
    const auto chunk = parse_size(o.chunk_size);
    if (!chunk) {
        return std::unexpected(
            Error{Errc::usage,
                  str_cat("invalid --chunk-size '", o.chunk_size, "': use e.g. 512K, 32M"),
                  {}});
    }
    options.store_options.chunk_size = *chunk;
    options.signature =
        o.skip_signature ? unpack::SignaturePolicy::skip : unpack::SignaturePolicy::require;
    options.latest = o.no_latest ? unpack::LatestPolicy::skip : unpack::LatestPolicy::apply;
    options.extra_tags = o.tags;
    options.required_signatures = o.trust.required;
    options.parts_dirs = parts_directories(o.trust);
    options.host_os_version = o.host_os_version;
    options.require_compatible = o.require_compatible;
    options.allow_downgrade = o.allow_downgrade;
    options.allow_expired = o.allow_expired;
    options.dry_run = o.dry_run;
    if (!o.channel_state.empty()) {
        AIRLOCK_TRY_ASSIGN(options.store_options.channel_state,
                           parse_channel_state(o.channel_state));
    }
    if (auto checked = unpack::check_store_spec(options.store, options.store_options); !checked) {
        return std::unexpected(settings.blame(std::move(checked.error()), o.store, Setting::store));
    }
    return options;
}

// What the import did, for both printers.
struct ImportOutcome
{
    std::string bundle;
    unpack::ImportSummary summary;
};

// A user's own default store is not the one root's imports fill: said, so that nobody wonders
// where the images went.
void announce_personal_store(const unpack::ImportOptions& options, Reporter& reporter)
{
    const auto store = unpack::default_store_path();
    if (options.store.empty() && !options.dry_run && store.parent_path() != system_data_dir()) {
        reporter.info(str_cat("importing into your own store oci:",
                              store.string(),
                              " (the system's store is oci:",
                              (system_data_dir() / "store").string(),
                              ": run as root for it, or give --to)"));
    }
}

// An error writing where this user may not: the two ways out.
Error with_permission_hint(Error error)
{
    if (error.code == Errc::io && error.message.find("Permission denied") != std::string::npos) {
        error.context.emplace_back(
            "hint: run as a user who may write the store (root for the system's store), or "
            "import into one you can write with --to oci:DIR");
    }
    return error;
}

Result<ImportOutcome> run_import(const ImportCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    AIRLOCK_TRY_ASSIGN(const unpack::ImportOptions options, import_options(o, ctx.settings));
    AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys, load_trusted_keys(o.trust, ctx.settings));
    announce_personal_store(options, reporter);
    auto summary = unpack::import_bundle(options, keys, reporter);
    if (!summary) {
        return std::unexpected(with_permission_hint(std::move(summary.error())));
    }
    return ImportOutcome{o.bundle, std::move(*summary)};
}

// What a dry run found: what the import would do, and that it did nothing.
void print_preview(const unpack::ImportSummary& summary)
{
    for (const auto& image : summary.images) {
        for (const auto& t : image.tags) {
            const bool changes = t.action == unpack::TagChange::Action::added
                                 || t.action == unpack::TagChange::Action::moved;
            std::cout << printable(image.name + ":" + t.tag) << "  " << (changes ? "would be " : "")
                      << unpack::tag_action_name(t.action)
                      << (t.note.empty() ? "" : "  (" + printable(t.note) + ")") << '\n';
        }
    }
    std::cout << "dry run: the bundle verified and would import into " << printable(summary.store)
              << ": " << summary.blobs_written << " new blobs ("
              << human_size(summary.bytes_written) << "), " << summary.blobs_present
              << " already present"
              << (summary.blobs_mounted > 0
                      ? str_cat(", ", summary.blobs_mounted, " to mount from other repositories")
                      : "")
              << " (" << human_size(summary.bytes_present) << "); nothing was written\n";
    if (summary.signatures + summary.attachments > 0) {
        std::cout << "the images carry " << summary.signatures << " vendor signature(s) and "
                  << summary.attachments
                  << " attached manifest(s) (sigstore attachments, referrers); a registry "
                     "keeps the signatures in --signatures-dir or registries.d's "
                     "lookaside-staging, an OCI store in its signatures/, Docker Engine, "
                     "containerd and podman keep none\n";
    }
}

void print_text(const ImportOutcome& outcome)
{
    const unpack::ImportSummary& summary = outcome.summary;
    if (summary.dry_run) {
        print_preview(summary);
        return;
    }
    for (const auto& image : summary.images) {
        for (const auto& t : image.tags) {
            std::cout << printable(image.name + ":" + t.tag) << "  "
                      << unpack::tag_action_name(t.action)
                      << (t.note.empty() ? "" : "  (" + printable(t.note) + ")") << '\n';
        }
    }
    std::cout << "imported into " << printable(summary.store) << ": " << summary.blobs_written
              << " new blobs (" << human_size(summary.bytes_written) << "), "
              << summary.blobs_present << " already present"
              << (summary.blobs_mounted > 0
                      ? str_cat(", ", summary.blobs_mounted, " mounted from other repositories")
                      : "")
              << (summary.index_changed || summary.blobs_written > 0 ? "" : "; nothing changed")
              << '\n';
    if (summary.signatures + summary.attachments > 0) {
        std::cout << "kept " << summary.signatures_kept << " of " << summary.signatures
                  << " vendor signature(s) and " << summary.attachments_kept << " of "
                  << summary.attachments << " attached manifest(s)\n";
    }
}

void print_json(const ImportOutcome& outcome)
{
    cli::print_json(summary_json(outcome.bundle, outcome.summary));
}

} // namespace

void register_import(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<ImportCommandOptions>();
    auto* cmd = app.add_subcommand("import", "Verify a bundle and load its images into a store");
    cmd->add_option("bundle", options->bundle, "Bundle file")
        ->required()
        ->type_name(value_name::file);
    cmd->add_option("--to",
                    options->store,
                    "Target store: oci:DIR (default: the embedded store), "
                    "docker://HOST[:PORT][/PREFIX] (a registry), docker-engine[:unix:///PATH or "
                    "npipe:////./pipe/NAME], "
                    "containerd[:SOCKET][?namespace=NS] or podman")
        ->type_name(value_name::store);
    add_registry_flags(*cmd, options->access);
    cmd->add_flag("--keep-registry-host",
                  options->keep_registry_host,
                  "docker:// stores: keep the source registry host as a path segment");
    cmd->add_option("--chunk-size",
                    options->chunk_size,
                    "docker:// stores: push larger blobs in chunks of this size (default 32M)");
    cmd->add_option("--jobs",
                    options->jobs,
                    "docker:// stores: requests to the registry at once (small blobs, "
                    "manifests; default 4); podman: images loaded at once (default 1)")
        ->check(CLI::Range(1, 64));
    cmd->add_option("--signatures-dir",
                    options->signatures_dir,
                    "docker:// stores: write the vendors' signatures here (REPO@sha256=HEX/"
                    "signature-N; default: registries.d's lookaside-staging for the registry)")
        ->type_name(value_name::directory);
    cmd->add_option("--registries.d",
                    options->registries_d,
                    "docker:// stores: registries.d directory (default "
                    "~/.config/containers/registries.d, else /etc/containers/registries.d)")
        ->type_name(value_name::directory);
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--no-latest", options->no_latest, "Do not move the latest tag");
    cmd->add_option("--tag", options->tags, "Extra tag to apply to every image; repeatable");
    cmd->add_flag("--insecure-skip-signature",
                  options->skip_signature,
                  "Import without a trusted signature (digests are still checked)");
    cmd->add_flag("--allow-downgrade",
                  options->allow_downgrade,
                  "Import a bundle older than (or replacing) the last one of its channel");
    cmd->add_flag("--allow-expired", options->allow_expired, "Import a bundle past its expiry");
    cmd->add_option("--channel-state",
                    options->channel_state,
                    "docker:// stores: keep channel marks in the registry (default) or only "
                    "locally (local)")
        ->check(one_of({"registry", "local"}));
    cmd->add_option("--host-os-version",
                    options->host_os_version,
                    "Windows build of the hosts that will run the images (10.0.20348.2849): warn "
                    "about images they cannot run (default on Windows: this host's build)");
    cmd->add_flag("--require-compatible",
                  options->require_compatible,
                  "Refuse Windows images newer than the host build (--host-os-version, or on "
                  "Windows this host's)");
    cmd->add_flag("--dry-run",
                  options->dry_run,
                  "Check everything an import checks and say what it would change; change "
                  "nothing in the store");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback(
        [options, &ctx] { ctx.exit_code = finish(run_import(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
