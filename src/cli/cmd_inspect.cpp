// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/bundle_reader.hpp>

#include <filesystem>
#include <iostream>

namespace airlock::cli {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : std::string(separator)) + item;
    }
    return out;
}

nlohmann::json
inspect_json(const unpack::BundleHeader& header, const std::string& path, std::uint64_t file_size)
{
    const auto& m = header.manifest;
    nlohmann::json images = nlohmann::json::array();
    for (const auto& image : m.images) {
        images.push_back({{"name", image.name},
                          {"source", image.source},
                          {"tags", image.tags},
                          {"version", image.version},
                          {"digest", image.digest.str()},
                          {"mediaType", image.media_type},
                          {"platforms", image.platforms},
                          {"created", image.created},
                          {"size", image.total_size}});
    }
    nlohmann::json signers = nlohmann::json::array();
    for (const auto& s : header.signatures) {
        signers.push_back({{"keyId", s.key_id}, {"algorithm", s.algorithm}});
    }
    std::uint64_t content = 0;
    for (const auto& b : m.blobs) {
        content += b.size;
    }
    nlohmann::json out = {{"bundle", path},
                          {"fileSize", file_size},
                          {"formatVersion", m.format_version},
                          {"created", m.created},
                          {"tool", m.tool},
                          {"images", images},
                          {"blobs", m.blobs.size()},
                          {"contentBytes", content},
                          {"signers", signers},
                          {"verified", false}};
    if (!m.channel.empty()) {
        out["channel"] = m.channel;
    }
    if (m.sequence) {
        out["sequence"] = *m.sequence;
    }
    if (!m.expires.empty()) {
        out["expires"] = m.expires;
    }
    return out;
}

int run_inspect(const std::string& path, Context& ctx)
{
    auto reader = unpack::BundleReader::open(path);
    if (!reader) {
        return report_error(reader.error(), ctx.global);
    }
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(path, ec);
    nlohmann::json doc = inspect_json(reader->header(), path, file_size);
    // The whole file's digest, so that two release engineers can compare their bundles.
    auto digest = crypto::sha256_file(path);
    if (!digest) {
        return report_error(digest.error(), ctx.global);
    }
    doc["sha256"] = *digest;
    if (ctx.global.json) {
        print_json(doc);
        return k_exit_ok;
    }
    const auto& m = reader->header().manifest;
    std::cout << "Bundle:    " << path << " (" << human_size(file_size) << ")\n"
              << "SHA-256:   " << *digest << '\n'
              << "Created:   " << m.created << " by " << m.tool << '\n';
    if (!m.channel.empty()) {
        std::cout << "Channel:   " << m.channel << (m.sequence ? str_cat(" #", *m.sequence) : "")
                  << '\n';
    }
    if (!m.expires.empty()) {
        std::cout << "Expires:   " << m.expires << '\n';
    }
    const auto& signatures = reader->header().signatures;
    const std::size_t embedded = signatures.size() - reader->header().cosignatures;
    for (std::size_t i = 0; i < signatures.size(); ++i) {
        std::cout << "Signed by: " << signatures[i].key_id << " (" << signatures[i].algorithm
                  << (i >= embedded ? ", co-signature" : "") << ")\n";
    }
    std::cout << "Content:   " << m.blobs.size() << " blobs, "
              << human_size(doc["contentBytes"].get<std::uint64_t>())
              << " (not verified here: run 'airlock verify')\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& image : m.images) {
        rows.push_back({image.name,
                        join(image.tags, ","),
                        image.version.empty() ? "-" : image.version,
                        join(image.platforms, ","),
                        short_digest(image.digest.str()),
                        human_size(image.total_size),
                        image.created.empty() ? "-" : image.created});
    }
    print_table({"IMAGE", "TAGS", "VERSION", "PLATFORMS", "DIGEST", "SIZE", "CREATED"}, rows);
    return k_exit_ok;
}

} // namespace

void register_inspect(CLI::App& app, Context& ctx)
{
    auto path = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("inspect", "Show what a bundle holds and who signed it");
    cmd->add_option("bundle", *path, "Bundle file")->required();
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([path, &ctx] { ctx.exit_code = run_inspect(*path, ctx); });
}

} // namespace airlock::cli
