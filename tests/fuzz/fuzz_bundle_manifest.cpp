// SPDX-License-Identifier: Apache-2.0
//
// bundle.json: what parses must serialise again, and that serialisation must parse.
#include <airlock/manifest/bundle_manifest.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto parsed = airlock::manifest::parse_bundle_manifest(bytes);
    if (!parsed) {
        return 0;
    }
    const auto json = airlock::manifest::bundle_manifest_to_json(*parsed);
    if (json && !airlock::manifest::parse_bundle_manifest(*json)) {
        std::abort(); // written by airlock, refused by airlock
    }
    return 0;
}
