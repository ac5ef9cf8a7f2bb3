// SPDX-License-Identifier: Apache-2.0
//
// Image lists (`airlock pack -f FILE`).
#include <airlock/pack/image_list.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)airlock::pack::parse_image_list(text, "images.txt");
    return 0;
}
