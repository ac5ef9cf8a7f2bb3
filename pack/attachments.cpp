// SPDX-License-Identifier: Apache-2.0
#include "attachments.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>

#include <nlohmann/json.hpp>

#include <set>
#include <variant>

namespace airlock::pack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;
using manifest::Digest;

namespace {

// A manifest carries a signature or two; the bounds keep a registry that lists endless
// referrers from filling a bundle, and an image within what bundle.json allows.
constexpr std::size_t k_max_per_manifest = 64;
constexpr std::size_t k_max_per_image = 256;
// An attachment's manifest lists a signature or an SBOM's layers: a few KiB.
constexpr std::uint64_t k_max_manifest = 256ULL << 10U;

// The digests of the manifests whose attachments travel: the image's (unless airlock made it
// by narrowing an index, which no vendor has signed) and each platform manifest packed.
std::vector<Digest> subjects(const PlannedImage& planned)
{
    std::vector<Digest> out;
    for (const auto& blob : planned.blobs) {
        if (blob.role != BlobRole::document || blob.content) {
            continue;
        }
        if (blob.descriptor.digest == planned.image.digest
            || media_type::is_manifest(blob.descriptor.media_type)) {
            out.push_back(blob.descriptor.digest);
        }
    }
    return out;
}

// An attached manifest that travels: its entry in bundle.json and its blobs.
struct Carried
{
    manifest::ImageAttachment attachment;
    std::vector<PlannedBlob> blobs;
};

// What `attached` (listed for `subject`) becomes: carried, or why it is left out. Errors are the
// source's (a manifest it cannot serve, or not whole).
Result<std::variant<Carried, std::string>>
carried_attachment(const Digest& subject, const AttachedManifest& attached, ImageSource& source)
{
    using Outcome = std::variant<Carried, std::string>;
    const Descriptor& d = attached.manifest;
    if (!media_type::is_manifest(d.media_type)) {
        return Outcome(str_cat("a ", d.media_type, " is not an artifact manifest"));
    }
    if (d.size > k_max_manifest) {
        return Outcome(str_cat("its manifest claims ", d.size, " bytes"));
    }
    AIRLOCK_TRY_ASSIGN(const std::string bytes, source.fetch_document(d));
    const auto doc = manifest::parse_bounded_json(bytes, d.digest.str());
    if (!doc || !doc->is_object()) {
        return Outcome(std::string("its manifest is not a JSON object"));
    }
    // A referrers list is the registry's (or a client's) say, a tag anyone's who can push; the
    // manifest is the vendor's, and a subject it names must be the one it was found for.
    const auto own = manifest::manifest_subject(*doc);
    if (attached.tag.empty() ? own != subject : own && *own != subject) {
        return Outcome(str_cat("its own subject is ", own ? own->str() : std::string("none")));
    }
    // The type the document declares (not the listing's), so that one digest has one type.
    AIRLOCK_TRY_ASSIGN(const std::string type, manifest::sniff_media_type(bytes, d.media_type));
    auto parsed = manifest::parse_image_manifest(bytes, type);
    if (!parsed) {
        return Outcome(parsed.error().message);
    }
    std::vector<Descriptor> parts = {parsed->config};
    parts.insert(parts.end(), parsed->layers.begin(), parsed->layers.end());
    for (const auto& part : parts) {
        // Bundle-internal types would make a blob of the image look like something else.
        if (media_type::is_signature(part.media_type)) {
            return Outcome(str_cat("it names a blob of type ", part.media_type));
        }
    }
    const auto declared = doc->find("artifactType");
    Carried out{{subject,
                 d.digest,
                 type,
                 d.size,
                 declared != doc->end() && declared->is_string() ? declared->get<std::string>()
                                                                 : parsed->config.media_type,
                 attached.tag},
                {}};
    Descriptor manifest_blob = d;
    manifest_blob.media_type = type;
    out.blobs.push_back({manifest_blob, &source, BlobRole::document, std::nullopt});
    out.blobs.push_back({parsed->config, &source, BlobRole::config, std::nullopt});
    for (const auto& layer : parsed->layers) {
        out.blobs.push_back({layer, &source, BlobRole::layer, std::nullopt});
    }
    return Outcome(std::move(out));
}

} // namespace

Result<> add_attachments(PlannedImage& planned, ImageSource& source, Reporter& reporter)
{
    auto& image = planned.image;
    std::set<std::pair<Digest, std::string>> seen; // (manifest, tag)
    std::size_t considered = 0;
    std::vector<PlannedBlob> blobs;
    for (const Digest& subject : subjects(planned)) {
        if (subject.algorithm() != "sha256") {
            continue; // sigstore's tags and the referrers tag are sha256-HEX
        }
        AIRLOCK_TRY(check_cancel());
        auto found = source.attachments(subject);
        if (!found) {
            return std::unexpected(
                std::move(found.error())
                    .with_context(str_cat(
                        "while reading what is attached to ", image.name, "@", subject.str())));
        }
        if (found->size() > k_max_per_manifest) {
            return fail(Errc::format,
                        str_cat(image.name,
                                "@",
                                subject.str(),
                                " has more than ",
                                k_max_per_manifest,
                                " attached manifests"));
        }
        for (const AttachedManifest& attached : *found) {
            const Descriptor& d = attached.manifest;
            if (!seen.emplace(d.digest, attached.tag).second) {
                continue;
            }
            // Every manifest looked at counts, carried or not: the bound is on what the
            // upstream makes pack read and hold.
            if (++considered > k_max_per_image) {
                return fail(
                    Errc::format,
                    str_cat(image.name, " has more than ", k_max_per_image, " attached manifests"));
            }
            auto why_not = carried_attachment(subject, attached, source);
            if (!why_not) {
                return std::unexpected(std::move(why_not.error()));
            }
            if (const auto* left_out = std::get_if<std::string>(&*why_not)) {
                reporter.warn(str_cat("not carrying ",
                                      image.name,
                                      "@",
                                      d.digest.str(),
                                      ", attached to ",
                                      subject.str(),
                                      ": ",
                                      *left_out));
                continue;
            }
            auto& carried = std::get<Carried>(*why_not);
            image.attachments.push_back(std::move(carried.attachment));
            for (auto& blob : carried.blobs) {
                blobs.push_back(std::move(blob));
            }
        }
    }
    for (auto& blob : blobs) {
        planned.blobs.push_back(std::move(blob));
    }
    if (!image.attachments.empty()) {
        reporter.info(str_cat(image.name, ": ", image.attachments.size(), " attached manifest(s)"));
    }
    return {};
}

} // namespace airlock::pack
