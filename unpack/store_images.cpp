// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/store_images.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace airlock::unpack {

namespace media_type = manifest::media_type;

namespace {

// What one manifest contributes to a listed image.
struct ManifestFacts
{
    std::vector<manifest::Descriptor> blobs; // the manifest, its config and layers
    std::string platform;
    std::string created;
};

// Reads each manifest and index of the store once, however many tags and indexes share it: a
// store's index.json may name the same documents thousands of times.
class StoreDocuments
{
  public:
    explicit StoreDocuments(const OciStore& store)
        : m_store(store)
    {
    }

    Result<const ManifestFacts*> manifest(const manifest::Descriptor& d)
    {
        if (const auto it = m_manifests.find(d.digest); it != m_manifests.end()) {
            return &it->second;
        }
        ManifestFacts facts;
        facts.blobs.push_back(d);
        AIRLOCK_TRY_ASSIGN(const std::string bytes, m_store.read_document(d.digest));
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(bytes, d.media_type));
        facts.blobs.push_back(m.config);
        facts.blobs.insert(facts.blobs.end(), m.layers.begin(), m.layers.end());
        // An artifact without a readable config has sizes only.
        if (auto config_bytes = m_store.read_document(m.config.digest)) {
            if (const auto config = manifest::parse_image_config(*config_bytes)) {
                if (!config->platform.os.empty() && config->platform.os != "unknown") {
                    facts.platform = config->platform.str();
                }
                facts.created = config->created;
            }
        }
        return &m_manifests.emplace(d.digest, std::move(facts)).first->second;
    }

    // The distinct children of an index.
    Result<const std::vector<manifest::Descriptor>*> children(const manifest::Descriptor& d)
    {
        if (const auto it = m_indexes.find(d.digest); it != m_indexes.end()) {
            return &it->second;
        }
        AIRLOCK_TRY_ASSIGN(const std::string bytes, m_store.read_document(d.digest));
        AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                           manifest::parse_image_index(bytes, d.media_type));
        std::vector<manifest::Descriptor> distinct;
        std::set<manifest::Digest> seen;
        for (const auto& child : index.manifests) {
            if (seen.insert(child.digest).second) {
                distinct.push_back(child);
            }
        }
        return &m_indexes.emplace(d.digest, std::move(distinct)).first->second;
    }

  private:
    const OciStore& m_store;
    std::map<manifest::Digest, ManifestFacts> m_manifests;
    std::map<manifest::Digest, std::vector<manifest::Descriptor>> m_indexes;
};

// Adds one manifest's platform, size and creation time to `image`.
Result<> describe_manifest(StoreDocuments& documents,
                           const manifest::Descriptor& d,
                           StoreImage& image,
                           std::set<manifest::Digest>& counted)
{
    AIRLOCK_TRY(check_cancel());
    AIRLOCK_TRY_ASSIGN(const ManifestFacts* facts, documents.manifest(d));
    for (const auto& blob : facts->blobs) {
        if (counted.insert(blob.digest).second) {
            image.size += blob.size;
        }
    }
    if (!facts->platform.empty()) {
        image.platforms.push_back(facts->platform);
    }
    if (facts->created > image.created) {
        image.created = facts->created;
    }
    return {};
}

} // namespace

Result<std::vector<StoreImage>> list_store_images(const OciStore& store)
{
    std::vector<StoreImage> out;
    if (!store.exists()) {
        return out;
    }
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries, store.read_index());
    StoreDocuments documents(store);
    for (const auto& entry : entries) {
        const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name));
        if (!ref || manifest::is_attachment_tag(ref->tag)) {
            continue; // untagged (a referrer), or an attachment of the image it names
        }
        StoreImage image{ref->repository,
                         ref->tag,
                         entry.digest,
                         entry.media_type,
                         {},
                         0,
                         {},
                         entry.annotation(manifest::k_annotation_version)};
        std::set<manifest::Digest> counted;
        Result<> described;
        if (media_type::is_index(entry.media_type)) {
            image.size += entry.size;
            counted.insert(entry.digest);
            AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor>* children,
                               documents.children(entry));
            for (const auto& child : *children) {
                described = describe_manifest(documents, child, image, counted);
                if (!described) {
                    break;
                }
            }
        } else {
            described = describe_manifest(documents, entry, image, counted);
        }
        if (!described) {
            return std::unexpected(
                std::move(described.error())
                    .with_context(str_cat("while listing ", ref->repository, ":", ref->tag)));
        }
        out.push_back(std::move(image));
    }
    std::sort(out.begin(), out.end(), [](const StoreImage& a, const StoreImage& b) {
        return std::tie(a.repository, a.tag) < std::tie(b.repository, b.tag);
    });
    return out;
}

} // namespace airlock::unpack
