// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>

#include <array>
#include <cstdio>

namespace airlock {

std::string human_size(unsigned long long bytes)
{
    static constexpr std::array k_units{"B", "KiB", "MiB", "GiB", "TiB"};
    auto value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < k_units.size()) {
        value /= 1024.0;
        ++unit;
    }
    std::array<char, 32> text{};
    if (unit == 0) {
        std::snprintf(text.data(), text.size(), "%llu B", bytes);
    } else {
        std::snprintf(text.data(), text.size(), "%.1f %s", value, k_units[unit]);
    }
    return text.data();
}

} // namespace airlock
