// SPDX-License-Identifier: Apache-2.0
//
// Platforms as `--platform` and image lists spell them: the string form of a parsed platform
// parses to the same platform, which accepts itself.
#include <airlock/manifest/platform.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using airlock::manifest::Platform;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = Platform::parse(text);
    if (!parsed) {
        return 0;
    }
    const auto again = Platform::parse(parsed->str());
    if (!again || *again != *parsed || !parsed->accepts(*again)) {
        std::abort();
    }
    return 0;
}
