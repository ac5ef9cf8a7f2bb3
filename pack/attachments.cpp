// SPDX-License-Identifier: Apache-2.0
#include "attachments.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace airlock::pack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;
using manifest::Digest;

namespace {

// A manifest carries a signature or two; the bounds keep a registry that lists endless
// referrers from filling a bundle, and an image within what bundle.json allows.
constexpr std::size_t k_max_per_manifest = 64;
constexpr std::size_t k_max_per_image = 256;

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

// The `subject` digest a manifest names, or empty.
std::string subject_of(const nlohmann::json& doc)
{
    const auto subject = doc.find("subject");
    if (subject == doc.end() || !subject->is_object()) {
        return {};
    }
    const auto digest = subject->find("digest");
    return digest != subject->end() && digest->is_string() ? digest->get<std::string>()
                                                           : std::string();
}

} // namespace

Result<> add_attachments(PlannedImage& planned, ImageSource& source, Reporter& reporter)
{
    auto& image = planned.image;
    std::set<std::pair<Digest, std::string>> seen; // (manifest, tag)
    std::vector<PlannedBlob> blobs;
    for (const Digest& subject : subjects(planned)) {
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
            const std::string what = str_cat(image.name, "@", d.digest.str());
            if (!seen.emplace(d.digest, attached.tag).second) {
                continue;
            }
            if (!media_type::is_manifest(d.media_type)) {
                reporter.warn(str_cat("not carrying ",
                                      what,
                                      ", attached to ",
                                      subject.str(),
                                      ": a ",
                                      d.media_type,
                                      " is not an artifact manifest"));
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const std::string bytes, source.fetch_document(d));
            AIRLOCK_TRY_ASSIGN(const nlohmann::json doc, manifest::parse_bounded_json(bytes, what));
            // A referrers list is the registry's (or a client's) say; the manifest is the
            // vendor's, and must name the subject it was listed for.
            if (attached.tag.empty() && subject_of(doc) != subject.str()) {
                reporter.warn(str_cat("not carrying ",
                                      what,
                                      ": listed as a referrer of ",
                                      subject.str(),
                                      " but its subject is '",
                                      subject_of(doc),
                                      "'"));
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest parsed,
                               manifest::parse_image_manifest(bytes, d.media_type));
            if (image.attachments.size() >= k_max_per_image) {
                return fail(
                    Errc::format,
                    str_cat(image.name, " has more than ", k_max_per_image, " attached manifests"));
            }
            const auto type = doc.find("artifactType");
            std::string artifact_type = attached.artifact_type;
            if (artifact_type.empty()) {
                artifact_type = type != doc.end() && type->is_string() ? type->get<std::string>()
                                                                       : parsed.config.media_type;
            }
            image.attachments.push_back(
                {subject, d.digest, d.media_type, d.size, std::move(artifact_type), attached.tag});
            blobs.push_back({d, &source, BlobRole::document, std::nullopt});
            blobs.push_back({parsed.config, &source, BlobRole::config, std::nullopt});
            for (const auto& layer : parsed.layers) {
                blobs.push_back({layer, &source, BlobRole::layer, std::nullopt});
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
