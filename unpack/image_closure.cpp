// SPDX-License-Identifier: Apache-2.0
#include "image_closure.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <algorithm>
#include <set>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;

namespace {

constexpr std::uint64_t k_max_document = 16ULL << 20U;

} // namespace

Result<> DocumentCollector::begin(const manifest::BundleBlob& blob)
{
    m_capturing = (media_type::is_json_document(blob.media_type)
                   || blob.media_type == media_type::simple_signing)
                  && blob.size <= k_max_document;
    m_current_digest = blob.digest;
    m_buffer.clear();
    return {};
}

Result<> DocumentCollector::write(std::span<const char> data)
{
    if (m_capturing) {
        m_buffer.append(data.data(), data.size());
    }
    return {};
}

Result<> DocumentCollector::end(bool verified)
{
    if (m_capturing && verified && m_current_digest) {
        m_documents.emplace(*m_current_digest, std::move(m_buffer));
    }
    m_buffer.clear();
    m_capturing = false;
    return {};
}

std::string image_using(const manifest::BundleManifest& bundle,
                        const Documents& documents,
                        const manifest::Digest& digest)
{
    const auto uses = [&](const manifest::Digest& manifest_digest, const std::string& type) {
        const auto doc = documents.find(manifest_digest);
        if (doc == documents.end()) {
            return false;
        }
        auto m = manifest::parse_image_manifest(doc->second, type);
        return m
               && (m->config.digest == digest
                   || std::any_of(m->layers.begin(), m->layers.end(), [&](const Descriptor& l) {
                          return l.digest == digest;
                      }));
    };
    for (const auto& image : bundle.images) {
        for (const auto& attachment : image.attachments) {
            if (uses(attachment.digest, attachment.media_type)) {
                return image.name;
            }
        }
        if (!media_type::is_index(image.media_type)) {
            if (uses(image.digest, image.media_type)) {
                return image.name;
            }
            continue;
        }
        const auto doc = documents.find(image.digest);
        auto index = doc == documents.end()
                         ? Result<manifest::ImageIndex>(fail(Errc::format, ""))
                         : manifest::parse_image_index(doc->second, image.media_type);
        if (index) {
            for (const auto& child : index->manifests) {
                if (uses(child.digest, child.media_type)) {
                    return image.name;
                }
            }
        }
    }
    return {};
}

BundleBlobs::BundleBlobs(const manifest::BundleManifest& bundle)
{
    for (const auto& blob : bundle.blobs) {
        m_blobs.emplace(blob.digest, &blob);
    }
}

const manifest::BundleBlob* BundleBlobs::find(const manifest::Digest& digest) const
{
    const auto it = m_blobs.find(digest);
    return it == m_blobs.end() ? nullptr : it->second;
}

Result<> check_image_closure(const manifest::BundleImage& image,
                             const BundleBlobs& blobs,
                             const Documents& documents,
                             const std::function<bool(const manifest::Digest&)>& available,
                             const DocumentLookup& lookup)
{
    const auto present = [&](const manifest::Digest& d) {
        // A blob the bundle lists as a vendor's signature never reaches a store as content.
        const manifest::BundleBlob* listed = blobs.find(d);
        return (listed != nullptr && !media_type::is_signature(listed->media_type)) || available(d);
    };
    const auto missing = [&](const Descriptor& d) {
        return fail(Errc::format,
                    str_cat("image ",
                            image.name,
                            ": blob ",
                            d.digest.str(),
                            " (",
                            d.media_type,
                            ") is neither in the bundle nor in the store"));
    };
    const auto document = [&](const Descriptor& d) -> Result<std::string> {
        if (const auto it = documents.find(d.digest); it != documents.end()) {
            return it->second;
        }
        if (!present(d.digest)) {
            return missing(d);
        }
        return lookup(d.digest);
    };
    const auto check_manifest = [&](const Descriptor& d) -> Result<> {
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(d));
        auto parsed = manifest::parse_image_manifest(bytes, d.media_type);
        if (!parsed) {
            return std::unexpected(
                std::move(parsed.error()).with_context(str_cat("in image ", image.name)));
        }
        if (!present(parsed->config.digest)) {
            return missing(parsed->config);
        }
        for (const auto& layer : parsed->layers) {
            if (!present(layer.digest)) {
                return missing(layer);
            }
        }
        return {};
    };
    const Descriptor root{.media_type = image.media_type,
                          .digest = image.digest,
                          .size = image.size,
                          .platform = {},
                          .urls = {},
                          .annotations = {}};
    std::set<manifest::Digest> manifests = {image.digest};
    if (media_type::is_index(image.media_type)) {
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(root));
        auto index = manifest::parse_image_index(bytes, image.media_type);
        if (!index) {
            return std::unexpected(
                std::move(index.error()).with_context(str_cat("in image ", image.name)));
        }
        for (const auto& child : index->manifests) {
            AIRLOCK_TRY(check_manifest(child));
            manifests.insert(child.digest);
        }
    } else {
        AIRLOCK_TRY(check_manifest(root));
    }
    // What is attached travels whole, and only to a manifest of the image.
    for (const auto& attachment : image.attachments) {
        if (!manifests.contains(attachment.subject)) {
            return fail(Errc::format,
                        str_cat("image ",
                                image.name,
                                ": attachment ",
                                attachment.digest.str(),
                                " is attached to ",
                                attachment.subject.str(),
                                ", which is not one of its manifests"));
        }
        AIRLOCK_TRY(check_manifest(Descriptor{.media_type = attachment.media_type,
                                              .digest = attachment.digest,
                                              .size = attachment.size,
                                              .platform = {},
                                              .urls = {},
                                              .annotations = {}}));
    }
    return {};
}

} // namespace airlock::unpack
