// SPDX-License-Identifier: Apache-2.0
//
// `pack --since FILE`: an inventory written by `airlock inventory` on the air-gapped side and
// carried back (parsed as `verify --against` parses it), or a previous bundle (of which
// bundle.json is read).
#include "holdings.hpp"
#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = airlock::fuzz::input_directory().write("inventory.json", data, size);
    (void)airlock::pack::load_holdings(path);
    return 0;
}
