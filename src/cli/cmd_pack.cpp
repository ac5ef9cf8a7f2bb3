// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "registry_flags.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/pack/pack.hpp>

#include <charconv>
#include <chrono>
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

nlohmann::json summary_json(const pack::PackSummary& summary, const std::string& output)
{
    nlohmann::json images = nlohmann::json::array();
    for (const auto& image : summary.manifest.images) {
        images.push_back({{"name", image.name},
                          {"tags", image.tags},
                          {"digest", image.digest.str()},
                          {"platforms", image.platforms},
                          {"version", image.version},
                          {"size", image.total_size}});
    }
    return {{"ok", true},
            {"bundle", output},
            {"created", summary.manifest.created},
            {"images", images},
            {"blobs", summary.manifest.blobs.size()},
            {"contentBytes", summary.content_bytes},
            {"bundleBytes", summary.bundle_bytes},
            {"signers", summary.signer_key_ids}};
}

int run_pack(const PackCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    if (o.sources.empty() && o.lists.empty()) {
        return report_error(Error{Errc::usage, "nothing to pack: name images or give -f LIST", {}},
                            ctx.global);
    }
    auto compression = parse_compression(o.compression, o.threads);
    if (!compression) {
        return report_error(compression.error(), ctx.global);
    }
    pack::PackOptions options;
    for (const auto& reference : o.sources) {
        options.sources.push_back(pack::ImageRequest{reference, {}, false, {}});
    }
    for (const auto& list : o.lists) {
        auto text = read_file(list, 16U << 20U);
        if (!text) {
            return report_error(text.error(), ctx.global);
        }
        auto requests = pack::parse_image_list(*text, list);
        if (!requests) {
            return report_error(requests.error(), ctx.global);
        }
        options.sources.insert(options.sources.end(), requests->begin(), requests->end());
    }
    options.output = o.output;
    options.sign_keys.assign(o.sign_keys.begin(), o.sign_keys.end());
    options.compression = *compression;
    options.channel = o.channel;
    options.sequence = o.sequence;
    if (!o.expires.empty()) {
        options.expires_after = parse_duration(o.expires);
        if (!options.expires_after) {
            return report_error(
                Error{Errc::usage,
                      str_cat("invalid --expires '", o.expires, "': use e.g. 45d, 12h"),
                      {}},
                ctx.global);
        }
    }
    options.since = o.since;
    if (!o.split.empty()) {
        // Media presets: FAT32's largest file is 2^32 - 1 bytes ("4G" would be one too many);
        // a single-layer DVD holds 4,700,000,000 bytes.
        options.split_size = o.split == "fat32"
                                 ? std::optional<unsigned long long>((1ULL << 32U) - 1)
                             : o.split == "dvd" ? std::optional<unsigned long long>(4700000000ULL)
                                                : parse_size(o.split);
        if (!options.split_size) {
            return report_error(
                Error{Errc::usage,
                      str_cat("invalid --split '", o.split, "': use e.g. 4G, 700M, fat32 or dvd"),
                      {}},
                ctx.global);
        }
    }
    options.registry = o.registry;
    apply_registry_flags(o.access, options.registry);
    options.registry.cache_dir = o.cache;
    options.registry.stall_time = std::chrono::seconds(o.stall_seconds);
    options.all_platforms = o.all_platforms;
    for (const auto& text : o.platforms) {
        auto platform = manifest::Platform::parse(text);
        if (!platform) {
            return report_error(platform.error(), ctx.global);
        }
        options.platforms.push_back(*platform);
    }
    auto summary = pack::pack(options, reporter);
    if (!summary) {
        return report_error(summary.error(), ctx.global);
    }
    if (ctx.global.json) {
        print_json(summary_json(*summary, o.output));
        return k_exit_ok;
    }
    std::cout << "wrote " << o.output << ": " << summary->manifest.images.size() << " image(s), "
              << summary->manifest.blobs.size() << " blobs, " << human_size(summary->content_bytes)
              << " of content in " << human_size(summary->bundle_bytes) << '\n';
    if (!summary->parts.empty()) {
        std::cout << "in " << summary->parts.size() << " parts: " << summary->parts.front()
                  << " ... " << summary->parts.back() << ", listed in " << o.output
                  << ".parts.json\n";
    }
    for (const auto& id : summary->signer_key_ids) {
        std::cout << "signed by " << id << '\n';
    }
    return k_exit_ok;
}

} // namespace

void register_pack(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<PackCommandOptions>();
    auto* cmd = app.add_subcommand("pack", "Pack images into one signed bundle file");
    cmd->add_option(
        "images",
        options->sources,
        "Images: registry references (alpine:3.19, mcr.microsoft.com/...) or oci:DIR[:REF]");
    cmd->add_option(
        "-f,--file",
        options->lists,
        "Image list: one reference per line, optional platform=... tags=... (see docs/usage.md)");
    cmd->add_option("-o,--output", options->output, "Bundle file to write")->required();
    cmd->add_option("--sign-key", options->sign_keys, "Private key (PEM) to sign with; repeatable")
        ->required();
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
        ->needs(channel);
    cmd->add_option("--since",
                    options->since,
                    "Differential: leave out layers that this inventory (airlock inventory) or "
                    "previous bundle holds");
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
        "--cache", options->cache, "Blob cache directory (default $XDG_CACHE_HOME/airlock)");
    cmd->add_option(
        "--split",
        options->split,
        "Write OUT.001, OUT.002, ... of at most SIZE (4G, 700M, fat32, dvd) and OUT.parts.json");
    cmd->add_option("--stall-timeout",
                    options->stall_seconds,
                    "Seconds without progress before a transfer is retried (default 60)")
        ->check(CLI::Range(1, 3600));
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = run_pack(*options, ctx); });
}

} // namespace airlock::cli
