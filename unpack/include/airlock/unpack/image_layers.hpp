// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/bundle_reader.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace airlock::unpack {

// One layer of one platform of a bundle image, for `inspect --layers`.
struct LayerInfo
{
    std::string platform; // "linux/amd64"; empty for a single-platform image without one
    std::string digest;
    std::uint64_t size = 0;
    std::string media_type;
    bool foreign = false; // a non-distributable layer (foreign media type or URLs)
    enum class Where {
        bundle,   // in the bundle's stream
        required, // left out of a differential bundle: the site must hold it
        absent,   // in neither (foreign layers that were not packed)
    } where = Where::bundle;
};

struct ImageLayers
{
    std::string name;
    std::vector<LayerInfo> layers;
};

const char* layer_place_name(LayerInfo::Where where);

// Reads the bundle's manifests and indexes (they come first in its stream, each verified
// against its digest) and lists every image's layers; the layers themselves are not read. The
// reader's header must have been parsed. Errc::format, Errc::digest_mismatch, Errc::io.
Result<std::vector<ImageLayers>> read_image_layers(bundle::BundleReader& reader,
                                                   Reporter& reporter);

} // namespace airlock::unpack
