// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "trust_options.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/image_layers.hpp>

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

// The bytes of `blobs`.
std::uint64_t bytes_of(const std::vector<manifest::BundleBlob>& blobs)
{
    std::uint64_t bytes = 0;
    for (const auto& b : blobs) {
        bytes += b.size;
    }
    return bytes;
}

struct InspectOptions
{
    std::string bundle;
    TrustOptions trust;
    bool layers = false;
};

// Whether the bundle is past its expiry, and how far from it.
struct Expiry
{
    bool expired = false;
    std::int64_t seconds_left = 0; // negative once expired
};

// What inspect read of a bundle, for both printers.
struct InspectOutcome
{
    std::string path;
    std::uint64_t bundle_bytes = 0; // the whole stream: one file, or all parts together
    bundle::BundleHeader header;
    std::optional<bundle::SignatureCheck> checked;          // only when trusted keys were given
    std::string sha256;                                     // of the whole stream
    std::optional<bundle::PartsSet> parts;                  // a split bundle
    std::optional<Expiry> expiry;                           // a bundle with an expiry
    std::optional<std::vector<unpack::ImageLayers>> layers; // --layers
};

Result<std::optional<Expiry>> expiry_of(const manifest::BundleManifest& m)
{
    if (m.expires.empty()) {
        return std::optional<Expiry>{};
    }
    const auto expires = parse_rfc3339(m.expires);
    if (!expires) {
        return fail(Errc::format, str_cat("bundle.json: invalid expiry '", m.expires, "'"));
    }
    const std::int64_t left = *expires - now_seconds();
    return std::optional<Expiry>(Expiry{left < 0, left});
}

Result<InspectOutcome> run_inspect(const InspectOptions& o, const Context& ctx)
{
    InspectOutcome outcome;
    outcome.path = o.bundle;
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    // The header leads the stream: without --layers the first parts are enough.
    AIRLOCK_TRY_ASSIGN(
        bundle::BundleReader reader,
        bundle::BundleReader::open(
            o.bundle, dirs, o.layers ? bundle::PartsNeeded::all : bundle::PartsNeeded::leading));
    // Without keys, what bundle.json claims is shown but vouched for by nobody; with keys it is
    // shown only once its signature checks out.
    if (!o.trust.keys.empty() || !o.trust.dir.empty()) {
        AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys,
                           load_trusted_keys(o.trust, ctx.settings));
        AIRLOCK_TRY_ASSIGN(outcome.checked, reader.authenticate(keys, o.trust.required));
        // The size and SHA-256 shown for a split bundle come from its parts file.
        if (reader.parts()) {
            AIRLOCK_TRY(bundle::authenticate_parts_file(*reader.parts(), keys, o.trust.required));
        }
    } else {
        AIRLOCK_TRY(reader.parse_unauthenticated());
    }
    outcome.header = reader.header();
    AIRLOCK_TRY_ASSIGN(outcome.expiry, expiry_of(outcome.header.manifest));
    if (o.layers) {
        ConsoleReporter reporter(ctx.global);
        AIRLOCK_TRY_ASSIGN(outcome.layers, unpack::read_image_layers(reader, reporter));
    }
    outcome.parts = reader.parts();
    if (outcome.parts
        && outcome.parts->file.manifest.bundle_json_sha256
               != crypto::sha256_hex(outcome.header.manifest_bytes)) {
        return fail(Errc::format,
                    str_cat(outcome.parts->parts_file.string(),
                            " describes another bundle.json than the one its parts hold"));
    }
    if (outcome.parts) {
        // The parts file lists the whole stream's size and digest; verify checks them.
        outcome.bundle_bytes = outcome.parts->file.manifest.size;
        outcome.sha256 = outcome.parts->file.manifest.sha256;
        return outcome;
    }
    std::error_code ec;
    outcome.bundle_bytes = std::filesystem::file_size(o.bundle, ec);
    // The whole file's digest, so that two release engineers can compare their bundles.
    AIRLOCK_TRY_ASSIGN(outcome.sha256, crypto::sha256_file(o.bundle));
    return outcome;
}

nlohmann::json signers_json(const InspectOutcome& outcome)
{
    const auto& signatures = outcome.header.signatures;
    const std::size_t embedded = signatures.size() - outcome.header.cosignatures;
    nlohmann::json signers = nlohmann::json::array();
    for (std::size_t i = 0; i < signatures.size(); ++i) {
        nlohmann::json signer = {{"keyId", signatures[i].key_id},
                                 {"algorithm", signatures[i].algorithm},
                                 {"cosignature", i >= embedded}};
        if (outcome.checked) {
            const auto& trusted = outcome.checked->trusted_signers;
            signer["trusted"] =
                std::find(trusted.begin(), trusted.end(), signatures[i].key_id) != trusted.end();
        }
        signers.push_back(signer);
    }
    return signers;
}

// The images, each with its layers under --layers.
nlohmann::json images_with_layers(const InspectOutcome& outcome)
{
    nlohmann::json images = images_json(outcome.header.manifest.images);
    if (!outcome.layers) {
        return images;
    }
    for (std::size_t i = 0; i < images.size() && i < outcome.layers->size(); ++i) {
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& layer : (*outcome.layers)[i].layers) {
            layers.push_back({{"platform", layer.platform},
                              {"digest", layer.digest},
                              {"size", layer.size},
                              {"mediaType", layer.media_type},
                              {"foreign", layer.foreign},
                              {"in", unpack::layer_place_name(layer.where)}});
        }
        images[i]["layers"] = layers;
    }
    return images;
}

// --layers: one table per image.
void print_layers(const std::vector<unpack::ImageLayers>& images)
{
    for (const auto& image : images) {
        std::cout << "\nLayers of " << printable(image.name) << ":\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto& layer : image.layers) {
            rows.push_back({layer.platform.empty() ? "-" : layer.platform,
                            short_digest(layer.digest),
                            human_size(layer.size),
                            layer.media_type,
                            layer.foreign ? "yes" : "no",
                            unpack::layer_place_name(layer.where)});
        }
        print_table({"PLATFORM", "DIGEST", "SIZE", "MEDIA TYPE", "FOREIGN", "IN"}, rows);
    }
}

void print_json(const InspectOutcome& outcome)
{
    const auto& m = outcome.header.manifest;
    nlohmann::json doc = {{"ok", true},
                          {"bundle", outcome.path},
                          {"bundleBytes", outcome.bundle_bytes},
                          {"sha256", outcome.sha256},
                          {"formatVersion", m.format_version},
                          {"created", m.created},
                          {"tool", m.tool},
                          {"images", images_with_layers(outcome)},
                          {"blobs", m.blobs.size()},
                          {"contentBytes", bytes_of(m.blobs)},
                          {"signers", signers_json(outcome)},
                          {"signaturesChecked", outcome.checked.has_value()},
                          {"verified", false}};
    if (!m.channel.empty()) {
        doc["channel"] = m.channel;
    }
    if (m.sequence) {
        doc["sequence"] = *m.sequence;
    }
    if (outcome.expiry) {
        doc["expires"] = m.expires;
        doc["expired"] = outcome.expiry->expired;
    }
    if (outcome.parts) {
        doc["partsFile"] = outcome.parts->parts_file.string();
        nlohmann::json parts = nlohmann::json::array();
        for (std::size_t i = 0; i < outcome.parts->paths.size(); ++i) {
            const auto& part = outcome.parts->file.manifest.parts[i];
            nlohmann::json entry = {{"name", part.name}, {"size", part.size}};
            if (!outcome.parts->paths[i]) {
                entry["state"] = "missing";
            }
            parts.push_back(std::move(entry));
        }
        doc["parts"] = parts;
    }
    if (!m.required.empty()) {
        doc["required"] = {
            {"blobs", m.required.size()}, {"bytes", bytes_of(m.required)}, {"since", m.since}};
    }
    cli::print_json(doc);
}

// One line per signature, embedded then co-signatures, each with what is known of its key.
void print_signatures(const InspectOutcome& outcome)
{
    const nlohmann::json signers = signers_json(outcome);
    for (const auto& signer : signers) {
        const char* verdict = !signer.contains("trusted")     ? "signature not checked"
                              : signer["trusted"].get<bool>() ? "valid, trusted key"
                                                              : "not a trusted key";
        std::cout << "Signature: " << printable(signer["keyId"].get<std::string>()) << " ("
                  << printable(signer["algorithm"].get<std::string>())
                  << (signer["cosignature"].get<bool>() ? ", co-signature" : "") << "): " << verdict
                  << '\n';
    }
    if (!outcome.checked) {
        std::cout << "           (nothing here is vouched for: give --trusted-key to check the "
                     "signatures, or run 'airlock verify')\n";
    }
}

// "in 12 days", "3 days ago".
std::string relative_days(std::int64_t seconds)
{
    const std::int64_t days = (seconds < 0 ? -seconds : seconds) / 86400;
    const std::string amount =
        days > 0 ? str_cat(days, days == 1 ? " day" : " days") : std::string("less than a day");
    return seconds < 0 ? amount + " ago" : "in " + amount;
}

// The lines about the bundle as a whole, before its signatures.
void print_bundle_lines(const InspectOutcome& outcome)
{
    const auto& m = outcome.header.manifest;
    std::cout << "Bundle:    " << printable(outcome.path) << " ("
              << human_size(outcome.bundle_bytes) << ")\n";
    if (outcome.parts) {
        std::string missing;
        for (std::size_t i = 0; i < outcome.parts->paths.size(); ++i) {
            if (!outcome.parts->paths[i]) {
                missing +=
                    (missing.empty() ? "" : ", ") + outcome.parts->file.manifest.parts[i].name;
            }
        }
        std::cout << "Parts:     split into " << outcome.parts->file.manifest.parts.size()
                  << " parts, listed in " << printable(outcome.parts->parts_file.string())
                  << (missing.empty() ? ""
                                      : "; not here: " + printable(missing)
                                            + " (verify and import need every part)")
                  << '\n';
    }
    std::cout << "SHA-256:   " << outcome.sha256 << (outcome.parts ? " (of the parts joined)" : "")
              << '\n'
              << "Dated:     " << printable(m.created)
              << " (content time: the newest image's creation, not when it was packed) by "
              << printable(m.tool) << '\n';
    if (!m.channel.empty()) {
        std::cout << "Channel:   " << printable(m.channel)
                  << (m.sequence ? str_cat(" #", *m.sequence) : "") << '\n';
    }
    if (outcome.expiry) {
        std::cout << "Expires:   " << printable(m.expires) << " ("
                  << (outcome.expiry->expired ? "EXPIRED " : "")
                  << relative_days(outcome.expiry->seconds_left) << ")\n";
    }
    if (!m.required.empty()) {
        std::cout << "Requires:  differential: needs " << m.required.size() << " blobs ("
                  << human_size(bytes_of(m.required)) << ") already at the site ("
                  << printable(m.since) << ")\n";
    }
}

// "-", "1", "2 attached", "1, 2 attached (verified)": the vendors' lookaside signatures and
// the manifests attached to the image (sigstore tags, referrers) that travel with it.
std::string signatures_cell(const manifest::BundleImage& image)
{
    std::vector<std::string> parts;
    if (!image.signatures.empty()) {
        parts.push_back(str_cat(image.signatures.size()));
    }
    if (!image.attachments.empty()) {
        parts.push_back(str_cat(image.attachments.size(), " attached"));
    }
    if (parts.empty()) {
        return "-";
    }
    return str_cat(join(parts, ", "), image.verified_by.empty() ? "" : " (verified)");
}

void print_text(const InspectOutcome& outcome)
{
    const auto& m = outcome.header.manifest;
    print_bundle_lines(outcome);
    print_signatures(outcome);
    std::cout << "Content:   " << m.blobs.size() << " blobs, " << human_size(bytes_of(m.blobs))
              << " (not verified here: run 'airlock verify')\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& image : m.images) {
        rows.push_back({image.name,
                        join(image.tags, ","),
                        image.version.empty() ? "-" : image.version,
                        join(image.platforms, ","),
                        short_digest(image.digest.str()),
                        human_size(image.total_size),
                        image.created.empty() ? "-" : image.created,
                        signatures_cell(image)});
    }
    print_table(
        {"IMAGE", "TAGS", "VERSION", "PLATFORMS", "DIGEST", "SIZE", "CREATED", "SIGNATURES"}, rows);
    if (outcome.layers) {
        print_layers(*outcome.layers);
    }
}

} // namespace

void register_inspect(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<InspectOptions>();
    auto* cmd = app.add_subcommand("inspect", "Show what a bundle holds and who signed it");
    cmd->add_option("bundle", options->bundle, "Bundle file")
        ->required()
        ->type_name(value_name::file);
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--layers",
                  options->layers,
                  "List each image's layers: digest, size, media type, foreign or not, and whether "
                  "the bundle carries them (reads its manifests, not its layers)");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback(
        [options, &ctx] { ctx.exit_code = finish(run_inspect(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
