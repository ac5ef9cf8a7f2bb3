// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "trust_options.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/crypto/sha256.hpp>

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

// The bytes of the bundle's blobs.
std::uint64_t content_bytes(const manifest::BundleManifest& m)
{
    std::uint64_t content = 0;
    for (const auto& b : m.blobs) {
        content += b.size;
    }
    return content;
}

nlohmann::json
inspect_json(const bundle::BundleHeader& header, const std::string& path, std::uint64_t file_size)
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
    nlohmann::json out = {{"bundle", path},
                          {"fileSize", file_size},
                          {"formatVersion", m.format_version},
                          {"created", m.created},
                          {"tool", m.tool},
                          {"images", images},
                          {"blobs", m.blobs.size()},
                          {"contentBytes", content_bytes(m)},
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

// What inspect read of a bundle, for both printers.
struct InspectOutcome
{
    std::string path;
    std::uint64_t file_size = 0;
    bundle::BundleHeader header;
    std::optional<bundle::SignatureCheck> checked; // only when trusted keys were given
    std::string sha256;                            // of the whole file
};

Result<InspectOutcome> run_inspect(const InspectOptions& o)
{
    InspectOutcome outcome;
    outcome.path = o.bundle;
    AIRLOCK_TRY_ASSIGN(bundle::BundleReader reader,
                       bundle::BundleReader::open(o.bundle, parts_directories(o.trust)));
    // Without keys, what bundle.json claims is shown but vouched for by nobody; with keys it is
    // shown only once its signature checks out.
    if (!o.trust.keys.empty() || !o.trust.dir.empty()) {
        AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys, load_trusted_keys(o.trust));
        AIRLOCK_TRY_ASSIGN(outcome.checked, reader.authenticate(keys, o.trust.required));
    } else {
        AIRLOCK_TRY(reader.parse_unauthenticated());
    }
    std::error_code ec;
    outcome.file_size = std::filesystem::file_size(o.bundle, ec);
    outcome.header = reader.header();
    // The whole file's digest, so that two release engineers can compare their bundles.
    AIRLOCK_TRY_ASSIGN(outcome.sha256, crypto::sha256_file(o.bundle));
    return outcome;
}

void print_json(const InspectOutcome& outcome)
{
    nlohmann::json doc = inspect_json(outcome.header, outcome.path, outcome.file_size);
    doc["signaturesChecked"] = outcome.checked.has_value();
    if (outcome.checked) {
        doc["trustedSigners"] = outcome.checked->trusted_signers;
    }
    doc["sha256"] = outcome.sha256;
    cli::print_json(doc);
}

// One line per signature, embedded then co-signatures, each with what is known of its key.
void print_signatures(const InspectOutcome& outcome)
{
    const auto& signatures = outcome.header.signatures;
    const std::size_t embedded = signatures.size() - outcome.header.cosignatures;
    const auto& checked = outcome.checked;
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
}

void print_text(const InspectOutcome& outcome)
{
    const auto& m = outcome.header.manifest;
    std::cout << "Bundle:    " << printable(outcome.path) << " (" << human_size(outcome.file_size)
              << ")\n"
              << "SHA-256:   " << outcome.sha256 << '\n'
              << "Created:   " << printable(m.created) << " by " << printable(m.tool) << '\n';
    if (!m.channel.empty()) {
        std::cout << "Channel:   " << printable(m.channel)
                  << (m.sequence ? str_cat(" #", *m.sequence) : "") << '\n';
    }
    if (!m.expires.empty()) {
        std::cout << "Expires:   " << printable(m.expires) << '\n';
    }
    print_signatures(outcome);
    std::cout << "Content:   " << m.blobs.size() << " blobs, " << human_size(content_bytes(m))
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
}

} // namespace

void register_inspect(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<InspectOptions>();
    auto* cmd = app.add_subcommand("inspect", "Show what a bundle holds and who signed it");
    cmd->add_option("bundle", options->bundle, "Bundle file")->required();
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = finish(run_inspect(*options), ctx.global); });
}

} // namespace airlock::cli
