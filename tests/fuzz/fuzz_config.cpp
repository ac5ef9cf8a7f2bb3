// SPDX-License-Identifier: Apache-2.0
//
// The settings file (/etc/airlock/airlock.conf and the like), which any local user may write for
// themselves.
#include <airlock/base/config_file.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)airlock::parse_config(text, "fuzz.conf");
    return 0;
}
