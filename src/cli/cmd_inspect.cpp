// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "trust_options.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/bundle_reader.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

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

struct InspectOptions
{
    std::string bundle;
    TrustOptions trust;
};

int run_inspect(const InspectOptions& o, Context& ctx)
{
    const std::string& path = o.bundle;
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    auto reader = unpack::BundleReader::open(path, dirs);
    if (!reader) {
        return report_error(reader.error(), ctx.global);
    }
    // Without keys, what bundle.json claims is shown but vouched for by nobody; with keys it is
    // shown only once its signature checks out.
    const bool check = !o.trust.keys.empty() || !o.trust.dir.empty();
    std::optional<unpack::SignatureCheck> checked;
    if (check) {
        auto keys = load_trusted_keys(o.trust);
        if (!keys) {
            return report_error(keys.error(), ctx.global);
        }
        auto signers = reader->authenticate(*keys, o.trust.required);
        if (!signers) {
            return report_error(signers.error(), ctx.global);
        }
        checked = std::move(*signers);
    } else if (auto parsed = reader->parse_unauthenticated(); !parsed) {
        return report_error(parsed.error(), ctx.global);
    }
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(path, ec);
    nlohmann::json doc = inspect_json(reader->header(), path, file_size);
    doc["signaturesChecked"] = checked.has_value();
    if (checked) {
        doc["trustedSigners"] = checked->trusted_signers;
    }
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
    std::cout << "Bundle:    " << printable(path) << " (" << human_size(file_size) << ")\n"
              << "SHA-256:   " << *digest << '\n'
              << "Created:   " << printable(m.created) << " by " << printable(m.tool) << '\n';
    if (!m.channel.empty()) {
        std::cout << "Channel:   " << printable(m.channel)
                  << (m.sequence ? str_cat(" #", *m.sequence) : "") << '\n';
    }
    if (!m.expires.empty()) {
        std::cout << "Expires:   " << printable(m.expires) << '\n';
    }
    const auto& signatures = reader->header().signatures;
    const std::size_t embedded = signatures.size() - reader->header().cosignatures;
    for (std::size_t i = 0; i < signatures.size(); ++i) {
        const auto& id = signatures[i].key_id;
        const bool valid =
            checked
            && std::find(checked->trusted_signers.begin(), checked->trusted_signers.end(), id)
                   != checked->trusted_signers.end();
        const char* verdict = !checked ? "signature not checked"
                              : valid  ? "valid, trusted key"
                                       : "not a trusted key";
        std::cout << "Signature: " << printable(id) << " (" << printable(signatures[i].algorithm)
                  << (i >= embedded ? ", co-signature" : "") << "): " << verdict << '\n';
    }
    if (!checked) {
        std::cout << "           (nothing here is vouched for: give --trusted-key to check the "
                     "signatures, or run 'airlock verify')\n";
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
    auto options = std::make_shared<InspectOptions>();
    auto* cmd = app.add_subcommand("inspect", "Show what a bundle holds and who signed it");
    cmd->add_option("bundle", options->bundle, "Bundle file")->required();
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = run_inspect(*options, ctx); });
}

} // namespace airlock::cli
