// SPDX-License-Identifier: Apache-2.0
//
// OCI and Docker documents from registries and layouts: the media type sniffer, image
// manifests, indexes / manifest lists and configs, each given the same bytes.
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace m = airlock::manifest;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto sniffed = m::sniff_media_type(bytes, "");
    const std::string declared = sniffed ? *sniffed : std::string();
    (void)m::media_type::is_index(declared);
    (void)m::media_type::is_manifest(declared);
    (void)m::media_type::is_schema1(declared);
    if (auto manifest = m::parse_image_manifest(bytes, declared)) {
        (void)m::descriptor_to_json(manifest->config);
        for (const auto& layer : manifest->layers) {
            (void)m::descriptor_to_json(layer);
        }
    }
    if (auto index = m::parse_image_index(bytes, declared)) {
        for (const auto& descriptor : index->manifests) {
            (void)m::descriptor_to_json(descriptor);
            if (descriptor.platform) {
                (void)descriptor.platform->str();
            }
        }
    }
    if (auto config = m::parse_image_config(bytes)) {
        (void)config->platform.str();
    }
    return 0;
}
