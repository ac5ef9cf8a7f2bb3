// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/store_images.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace airlock::unpack {

namespace media_type = manifest::media_type;

namespace {

// Adds one manifest's platform, size and creation time to `image`.
Result<> describe_manifest(const OciStore& store,
                           const manifest::Descriptor& d,
                           StoreImage& image,
                           std::set<std::string>& counted)
{
    const auto count = [&](const manifest::Descriptor& blob) {
        if (counted.insert(blob.digest.str()).second) {
            image.size += blob.size;
        }
    };
    count(d);
    AIRLOCK_TRY_ASSIGN(const std::string bytes, store.read_document(d.digest));
    AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                       manifest::parse_image_manifest(bytes, d.media_type));
    count(m.config);
    for (const auto& layer : m.layers) {
        count(layer);
    }
    auto config_bytes = store.read_document(m.config.digest);
    if (!config_bytes) {
        return {}; // an artifact without a readable config: sizes only
    }
    const auto config = manifest::parse_image_config(*config_bytes);
    if (!config) {
        return {};
    }
    if (!config->platform.os.empty() && config->platform.os != "unknown") {
        image.platforms.push_back(config->platform.str());
    }
    if (config->created > image.created) {
        image.created = config->created;
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
    for (const auto& entry : entries) {
        const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name));
        if (!ref) {
            continue;
        }
        StoreImage image{ref->repository,
                         ref->tag,
                         entry.digest,
                         entry.media_type,
                         {},
                         0,
                         {},
                         entry.annotation(manifest::k_annotation_version)};
        std::set<std::string> counted;
        Result<> described;
        if (media_type::is_index(entry.media_type)) {
            image.size += entry.size;
            counted.insert(entry.digest.str());
            AIRLOCK_TRY_ASSIGN(const std::string bytes, store.read_document(entry.digest));
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                               manifest::parse_image_index(bytes, entry.media_type));
            for (const auto& child : index.manifests) {
                described = describe_manifest(store, child, image, counted);
                if (!described) {
                    break;
                }
            }
        } else {
            described = describe_manifest(store, entry, image, counted);
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
