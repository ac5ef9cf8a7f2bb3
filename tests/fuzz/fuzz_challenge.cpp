// SPDX-License-Identifier: Apache-2.0
//
// The WWW-Authenticate header of a registry's 401 answer.
#include <airlock/registry/client.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view header(reinterpret_cast<const char*>(data), size);
    (void)airlock::registry::parse_challenge(header);
    return 0;
}
