// SPDX-License-Identifier: Apache-2.0
//
// JSON bodies from a registry and its token service: error documents, token answers and the
// schema 1 check.
#include <airlock/registry/responses.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)airlock::registry::registry_error_text(body);
    (void)airlock::registry::parse_token_response(body, "registry.example:5000");
    (void)airlock::registry::is_schema1_document(body);
    return 0;
}
