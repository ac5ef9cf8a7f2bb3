// SPDX-License-Identifier: Apache-2.0
//
// BUNDLE.parts.json, which travels beside the parts of a split bundle.
#include <airlock/manifest/parts_manifest.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto parsed = airlock::manifest::parse_parts_file(bytes);
    if (parsed) {
        (void)airlock::manifest::parts_file_to_json(parsed->manifest, parsed->signatures);
    }
    return 0;
}
