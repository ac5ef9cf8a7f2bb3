// SPDX-License-Identifier: Apache-2.0
//
// signatures.json and the co-signature file BUNDLE.cosign.json (the same format and parser):
// what parses must serialise to something that parses to the same signatures.
#include <airlock/manifest/bundle_manifest.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto parsed = airlock::manifest::parse_signatures(bytes);
    if (!parsed) {
        return 0;
    }
    const auto json = airlock::manifest::signatures_to_json(*parsed);
    if (!json) {
        return 0;
    }
    const auto again = airlock::manifest::parse_signatures(*json);
    if (!again || again->size() != parsed->size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < parsed->size(); ++i) {
        const auto& a = (*parsed)[i];
        const auto& b = (*again)[i];
        if (a.algorithm != b.algorithm || a.key_id != b.key_id || a.value != b.value) {
            std::abort();
        }
    }
    return 0;
}
