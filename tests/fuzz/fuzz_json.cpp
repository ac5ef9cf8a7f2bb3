// SPDX-License-Identifier: Apache-2.0
//
// The JSON entry point every document from outside passes: check_json_shape (a hand-written
// scan of the raw bytes for depth and size) before nlohmann's parser, the typed lookups, and
// canonical_dump of whatever was accepted. A document within the limits must never crash a
// recursive walk.
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/json.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace m = airlock::manifest;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)m::check_json_shape(bytes, "input", m::JsonLimits{4, 64});
    const auto doc = m::parse_bounded_json(bytes, "input");
    if (!doc) {
        return 0;
    }
    for (const auto* key : {"format", "formatVersion", "size", "sequence"}) {
        (void)m::json_string(*doc, key);
        (void)m::json_unsigned(*doc, key);
        (void)m::json_integer(*doc, key);
    }
    (void)m::canonical_dump(*doc);
    return 0;
}
