// SPDX-License-Identifier: Apache-2.0
//
// signatures.json and the co-signature file BUNDLE.cosign.json (the same signature lists): what
// parses must serialise to something that parses to the same signatures.
#include <airlock/manifest/bundle_manifest.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

using airlock::manifest::Signature;

void require_same(const std::vector<Signature>& a, const std::vector<Signature>& b)
{
    if (a.size() != b.size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].algorithm != b[i].algorithm || a[i].key_id != b[i].key_id
            || a[i].value != b[i].value) {
            std::abort();
        }
    }
}

void signatures_round_trip(std::string_view bytes)
{
    const auto parsed = airlock::manifest::parse_signatures(bytes);
    if (!parsed) {
        return;
    }
    const auto json = airlock::manifest::signatures_to_json(*parsed);
    if (!json) {
        return;
    }
    const auto again = airlock::manifest::parse_signatures(*json);
    if (!again) {
        std::abort();
    }
    require_same(*parsed, *again);
}

void cosignatures_round_trip(std::string_view bytes)
{
    const auto parsed = airlock::manifest::parse_cosignatures(bytes);
    if (!parsed) {
        return;
    }
    const auto json = airlock::manifest::cosignatures_to_json(*parsed);
    if (!json) {
        return;
    }
    const auto again = airlock::manifest::parse_cosignatures(*json);
    if (!again) {
        std::abort();
    }
    require_same(parsed->bundle, again->bundle);
    require_same(parsed->parts, again->parts);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    signatures_round_trip(bytes);
    cosignatures_round_trip(bytes);
    return 0;
}
