// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/reporter.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/pack/image_source.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace airlock::pack {

enum class BlobRole {
    document,  // index or manifest
    signature, // a vendor's signature of a manifest (lookaside)
    config,
    layer,
};

struct PlannedBlob
{
    manifest::Descriptor descriptor;
    ImageSource* source = nullptr;
    BlobRole role = BlobRole::layer;
    std::optional<std::string> content; // documents airlock made (a platform-filtered index)
};

// Which platforms of a multi-platform image to keep.
struct PlatformSelection
{
    std::vector<manifest::Platform> platforms; // empty: the host's platform
    bool all = false;                          // keep the whole index, digest unchanged
};

// One image resolved down to every blob it needs, with the facts bundle.json records.
struct PlannedImage
{
    manifest::BundleImage image;
    std::vector<PlannedBlob> blobs;                // documents, then configs, then layers
    std::optional<manifest::ImageManifest> single; // set for single-platform images
    std::optional<std::int64_t> created_seconds;   // newest config "created"
};

// Resolves `source` and reads its index, manifests and configs (verified against their
// digests). Errc::not_found, Errc::format, Errc::unsupported, Errc::digest_mismatch.
// Platforms: an index is narrowed to the selected platforms (each request takes the matching
// manifest with the highest os.version); one platform left makes a single-platform image,
// several a new index of just those; `all` keeps the original index.
Result<PlannedImage>
plan_image(ImageSource& source, const PlatformSelection& selection, Reporter& reporter);

} // namespace airlock::pack
