// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace airlock::unpack {

// One tag of a store, as `airlock images` shows it.
struct StoreImage
{
    std::string repository; // as stored: "localhost/sample", "docker.io/library/alpine"
    std::string tag;
    manifest::Digest digest;
    std::string media_type;
    std::vector<std::string> platforms;
    std::uint64_t size = 0; // manifests, configs and layers, each counted once
    std::string created;    // newest config "created"
    std::string version;
};

// Lists every tagged image of `store`, sorted by repository then tag. A store that does not
// exist yet has no images. Errc::format for a damaged index or manifest.
Result<std::vector<StoreImage>> list_store_images(const OciStore& store);

} // namespace airlock::unpack
