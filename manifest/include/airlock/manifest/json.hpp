// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::manifest {

// How much structure a document from outside may have before it is parsed. The parser builds
// a tree whose size grows with the number of elements, and deep nesting overflows the stack of
// every recursive walk over it, so both are checked on the raw bytes first.
struct JsonLimits
{
    std::size_t max_depth = 64;           // nested arrays/objects
    std::size_t max_elements = 1'000'000; // values, keys and separators
};

// Checks `bytes` against `limits` in one pass without allocating. Errc::format naming `what`.
Result<> check_json_shape(std::string_view bytes, std::string_view what, JsonLimits limits = {});

// Parses untrusted `bytes` as JSON: refused unparsed when check_json_shape finds them beyond
// `limits`, then parsed without throwing; `what` names the document in errors. Errc::format.
// Every JSON document airlock reads goes through it: bundle files, registry replies, state.
Result<nlohmann::json>
parse_bounded_json(std::string_view bytes, std::string_view what, JsonLimits limits = {});

// Typed lookups on an object from outside: nullopt when `object` is not an object, the key is
// absent or holds another type. They never throw, unlike nlohmann's value()/at()/get().
std::optional<std::string> json_string(const nlohmann::json& object, std::string_view key);
std::optional<std::uint64_t> json_unsigned(const nlohmann::json& object, std::string_view key);
std::optional<std::int64_t> json_integer(const nlohmann::json& object, std::string_view key);

} // namespace airlock::manifest
