// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "registry_flags.hpp"
#include "value_names.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/registries_d.hpp>
#include <airlock/pack/pack.hpp>

#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>

namespace airlock::cli {

namespace {

struct PackCommandOptions
{
    std::vector<std::string> sources;
    std::vector<std::string> lists;
    std::string output;
    std::vector<std::string> sign_keys;
    std::string compression = "zstd";
    unsigned threads = 0;
    std::string channel;
    std::optional<std::uint64_t> sequence;
    std::string expires;
    std::string since;
    std::string split;
    std::vector<std::string> platforms;
    bool all_platforms = false;
    RegistryFlags access;
    std::string cache;
    unsigned stall_seconds = 60;
    airlock::registry::RegistryOptions registry;
    bool no_signatures = false;
    std::string registries_d;
    std::vector<std::string> require_source_signature;
};

Result<archive::Compression> parse_compression(std::string_view text, unsigned threads)
{
    archive::Compression c;
    c.threads = threads;
    if (text == "none") {
        c.codec = archive::Codec::none;
        return c;
    }
    if (text == "zstd") {
        return c;
    }
    if (text.starts_with("zstd:")) {
        const std::string_view level = text.substr(5);
        int value = 0;
        const auto [end, ec] = std::from_chars(level.data(), level.data() + level.size(), value);
        if (ec == std::errc() && end == level.data() + level.size() && value >= 1 && value <= 22) {
            c.level = value;
            return c;
        }
    }
    return fail(Errc::usage,
                str_cat("invalid --compression '", text, "': use zstd, zstd:LEVEL (1-22) or none"));
}

// The images named on the command line, then those of each -f list, in order.
// A local path given where an image is expected ("/images/base:1.0", "./base", Windows'
// "C:\images\base", ".\base") is almost certainly an OCI layout without its oci: prefix.
Result<> check_not_a_bare_path(const std::string& reference)
{
    const bool drive = reference.size() >= 3
                       && std::isalpha(static_cast<unsigned char>(reference[0])) != 0
                       && reference[1] == ':' && (reference[2] == '\\' || reference[2] == '/');
    if (reference.starts_with('/') || reference.starts_with('\\') || reference.starts_with("./")
        || reference.starts_with("../") || reference.starts_with(".\\")
        || reference.starts_with("..\\") || drive) {
        return fail(Errc::usage,
                    str_cat("'",
                            reference,
                            "' is a path, not an image reference; did you mean oci:",
                            reference,
                            "?"));
    }
    return {};
}

Result<std::vector<pack::ImageRequest>> image_requests(const PackCommandOptions& o)
{
    std::vector<pack::ImageRequest> requests;
    for (const auto& reference : o.sources) {
        requests.push_back(pack::ImageRequest{reference, {}, false, {}, {}});
    }
    for (const auto& list : o.lists) {
        AIRLOCK_TRY_ASSIGN(const std::string text, read_file(list, 16U << 20U));
        AIRLOCK_TRY_ASSIGN(std::vector<pack::ImageRequest> listed,
                           pack::parse_image_list(text, list));
        for (auto& request : listed) {
            for (auto& key : request.require_signature) {
                key = std::filesystem::path(list).parent_path() / key; // absolute stays
            }
        }
        requests.insert(requests.end(), listed.begin(), listed.end());
    }
    for (const auto& request : requests) {
        AIRLOCK_TRY(check_not_a_bare_path(request.reference));
    }
    return requests;
}

// -o names a file in a directory that exists: checked before anything is downloaded.
Result<std::filesystem::path> output_path(const std::string& text)
{
    namespace fs = std::filesystem;
    const fs::path path(text);
    std::error_code ec;
    if (text.ends_with('/') || fs::is_directory(path, ec)) {
        return fail(Errc::usage,
                    str_cat("-o ",
                            text,
                            " is a directory: give the bundle's file name (e.g. ",
                            (path / "base.bundle").lexically_normal().string(),
                            ")"));
    }
    // A device or pipe would be replaced by the bundle's rename, not written into.
    if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) {
        return fail(Errc::usage,
                    str_cat("-o ", text, " is not a regular file: give the bundle's file name"));
    }
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec)) {
        return fail(Errc::not_found,
                    str_cat("cannot write -o ", text, ": there is no directory ", dir.string()));
    }
    return path;
}

// --expires: nothing when not given.
Result<std::optional<std::int64_t>> parse_expiry(const std::string& text)
{
    if (text.empty()) {
        return std::optional<std::int64_t>{};
    }
    // A bare number is refused: "45" meant as days would expire the bundle in 45 seconds.
    const bool has_unit = text.find_first_of("dhms") == text.size() - 1;
    const auto seconds = has_unit ? parse_duration(text) : std::nullopt;
    if (!seconds) {
        return fail(Errc::usage,
                    str_cat("invalid --expires '",
                            text,
                            "': give a number and a unit, d, h, m or s (e.g. 45d, 12h)"));
    }
    return seconds;
}

constexpr std::uint64_t k_min_split = 1U << 20U;

// --split: a size or a media preset; nothing when not given.
Result<std::optional<std::uint64_t>> parse_split(const std::string& text)
{
    if (text.empty()) {
        return std::optional<std::uint64_t>{};
    }
    // Media presets: FAT32's largest file is 2^32 - 1 bytes ("4G" would be one too many);
    // a single-layer DVD holds 4,700,000,000 bytes.
    const std::optional<unsigned long long> size =
        ascii_lower(text) == "fat32" ? std::optional<unsigned long long>((1ULL << 32U) - 1)
        : ascii_lower(text) == "dvd" ? std::optional<unsigned long long>(4700000000ULL)
                                     : parse_size(text);
    if (!size) {
        return fail(Errc::usage,
                    str_cat("invalid --split '", text, "': use e.g. 4G, 700M, fat32 or dvd"));
    }
    // Smaller parts are a mistake ("--split 100" meant as MiB), not a medium.
    if (*size < k_min_split) {
        return fail(Errc::usage,
                    str_cat("--split '", text, "' is under 1M: parts must be at least 1M"));
    }
    return std::optional<std::uint64_t>(*size);
}

Result<std::vector<manifest::Platform>> parse_platforms(const std::vector<std::string>& texts)
{
    std::vector<manifest::Platform> platforms;
    for (const auto& text : texts) {
        AIRLOCK_TRY_ASSIGN(manifest::Platform platform, manifest::Platform::parse(text));
        platforms.push_back(std::move(platform));
    }
    return platforms;
}

// The library's options from the command line's; the first invalid one is the error.
Result<pack::PackOptions> pack_options(const PackCommandOptions& o, const Settings& settings)
{
    if (o.sources.empty() && o.lists.empty()) {
        return fail(Errc::usage, "nothing to pack: name images or give -f LIST");
    }
    pack::PackOptions options;
    AIRLOCK_TRY_ASSIGN(options.compression, parse_compression(o.compression, o.threads));
    AIRLOCK_TRY_ASSIGN(options.sources, image_requests(o));
    AIRLOCK_TRY_ASSIGN(options.output, output_path(o.output));
    options.sign_keys.assign(o.sign_keys.begin(), o.sign_keys.end());
    options.channel = o.channel;
    options.sequence = o.sequence;
    AIRLOCK_TRY_ASSIGN(options.expires_after, parse_expiry(o.expires));
    options.since = o.since;
    AIRLOCK_TRY_ASSIGN(options.split_size, parse_split(o.split));
    options.registry = o.registry;
    AIRLOCK_TRY(apply_registry_flags(o.access, settings, options.registry));
    options.registry.cache_dir = o.cache;
    options.registry.stall_time = std::chrono::seconds(o.stall_seconds);
    options.all_platforms = o.all_platforms;
    AIRLOCK_TRY_ASSIGN(options.platforms, parse_platforms(o.platforms));
    options.signatures = !o.no_signatures;
    AIRLOCK_TRY(manifest::check_registries_d_option(o.registries_d));
    options.registries_d = o.registries_d;
    options.require_source_signature.assign(o.require_source_signature.begin(),
                                            o.require_source_signature.end());
    return options;
}

// The bundle written and what went into it.
struct PackOutcome
{
    std::string output;
    pack::PackSummary summary;
};

Result<PackOutcome> run_pack(const PackCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    AIRLOCK_TRY_ASSIGN(const pack::PackOptions options, pack_options(o, ctx.settings));
    AIRLOCK_TRY_ASSIGN(pack::PackSummary summary, pack::pack(options, reporter));
    return PackOutcome{o.output, std::move(summary)};
}

// The blobs a differential bundle leaves out, and their bytes.
std::uint64_t required_bytes(const manifest::BundleManifest& m)
{
    std::uint64_t bytes = 0;
    for (const auto& blob : m.required) {
        bytes += blob.size;
    }
    return bytes;
}

void print_text(const PackOutcome& outcome)
{
    const pack::PackSummary& summary = outcome.summary;
    const manifest::BundleManifest& m = summary.manifest;
    std::cout << "wrote " << outcome.output << ": " << m.images.size() << " image(s), "
              << m.blobs.size() << " blobs, " << human_size(summary.content_bytes)
              << " of content in " << human_size(summary.bundle_bytes) << '\n';
    if (!m.required.empty()) {
        std::cout << "left out " << m.required.size() << " blobs (" << human_size(required_bytes(m))
                  << ") that the site holds (" << printable(m.since)
                  << "); the site needs them to import\n";
    }
    if (!summary.parts.empty()) {
        std::cout << (summary.parts.size() == 1 ? str_cat("in 1 part: ", summary.parts.front())
                                                : str_cat("in ",
                                                          summary.parts.size(),
                                                          " parts: ",
                                                          summary.parts.front(),
                                                          " ... ",
                                                          summary.parts.back()))
                  << ", listed in " << outcome.output << ".parts.json\n";
    }
    for (const auto& id : summary.signer_key_ids) {
        std::cout << "signed by " << id << '\n';
    }
}

void print_json(const PackOutcome& outcome)
{
    const pack::PackSummary& summary = outcome.summary;
    const manifest::BundleManifest& m = summary.manifest;
    nlohmann::json doc = {{"ok", true},
                          {"bundle", outcome.output},
                          {"created", m.created},
                          {"images", images_json(m.images)},
                          {"blobs", m.blobs.size()},
                          {"contentBytes", summary.content_bytes},
                          {"bundleBytes", summary.bundle_bytes},
                          {"signers", signers_json(summary.signer_key_ids)}};
    if (!summary.parts.empty()) {
        doc["partsFile"] = outcome.output + ".parts.json";
        nlohmann::json parts = nlohmann::json::array();
        for (const auto& name : summary.parts) {
            parts.push_back({{"name", name}});
        }
        doc["parts"] = parts;
    }
    if (!m.required.empty()) {
        doc["required"] = {
            {"blobs", m.required.size()}, {"bytes", required_bytes(m)}, {"since", m.since}};
    }
    cli::print_json(doc);
}

} // namespace

void register_pack(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<PackCommandOptions>();
    auto* cmd = app.add_subcommand("pack", "Pack images into one signed bundle file");
    cmd->add_option(
        "images",
        options->sources,
        "Images: registry references (alpine:3.19, mcr.microsoft.com/...), oci:DIR[:REF], "
        "docker-archive:FILE[:REF] or oci-archive:FILE[:REF]");
    cmd->add_option(
           "-f,--file",
           options->lists,
           "Image list: one reference per line, optional platform=... tags=... (see docs/usage.md)")
        ->type_name(value_name::file);
    cmd->add_option("-o,--output", options->output, "Bundle file to write")
        ->required()
        ->type_name(value_name::file);
    cmd->add_option("--sign-key", options->sign_keys, "Private key (PEM) to sign with; repeatable")
        ->required()
        ->type_name(value_name::file);
    cmd->add_option(
        "--compression", options->compression, "zstd (default), zstd:LEVEL (1-22) or none");
    cmd->add_option("--threads",
                    options->threads,
                    "zstd worker threads (default: one per CPU; output is the same)");
    CLI::Option* channel =
        cmd->add_option("--channel", options->channel, "Release channel recorded in the bundle");
    cmd->add_option("--sequence",
                    options->sequence,
                    "Sequence number within the channel (importers refuse going back)")
        ->needs(channel)
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 53U));
    cmd->add_option("--since",
                    options->since,
                    "Differential: leave out layers that this inventory (airlock inventory) or "
                    "previous bundle holds")
        ->type_name(value_name::file);
    cmd->add_option("--expires",
                    options->expires,
                    "Importers refuse the bundle this long after packing (45d, 12h)");
    CLI::Option* platform = cmd->add_option(
        "--platform",
        options->platforms,
        "os/arch[/variant][:os.version] to keep from multi-platform images; repeatable "
        "(default: this host's)");
    cmd->add_flag("--all-platforms",
                  options->all_platforms,
                  "Keep every platform (the index as published)")
        ->excludes(platform);
    add_registry_flags(*cmd, options->access);
    cmd->add_option("--jobs", options->registry.jobs, "Parallel blob downloads (default 4)")
        ->check(CLI::Range(1, 64));
    cmd->add_option(
           "--cache", options->cache, "Blob cache directory (default $XDG_CACHE_HOME/airlock)")
        ->type_name(value_name::directory);
    cmd->add_option(
        "--split",
        options->split,
        "Write OUT.001, OUT.002, ... of at most SIZE (4G, 700M, fat32, dvd) and OUT.parts.json");
    cmd->add_flag("--no-signatures",
                  options->no_signatures,
                  "Leave out the vendors' image signatures (lookaside stores of registries.d) "
                  "and the manifests attached to the images (sigstore tags, OCI referrers)");
    cmd->add_option("--require-source-signature",
                    options->require_source_signature,
                    "Refuse an image without a vendor signature by this key over its digest "
                    "(OpenPGP public key, binary, for simple signing; or a PEM public key, "
                    "P-256 or Ed25519, for a cosign .sig; repeatable)")
        ->type_name(value_name::file);
    cmd->add_option("--registries.d",
                    options->registries_d,
                    "registries.d directory naming the lookaside stores (default "
                    "~/.config/containers/registries.d, else /etc/containers/registries.d)")
        ->type_name(value_name::directory);
    cmd->add_option("--stall-timeout",
                    options->stall_seconds,
                    "Seconds without progress before a transfer is retried (default 60)")
        ->check(CLI::Range(1, 3600));
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = finish(run_pack(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
