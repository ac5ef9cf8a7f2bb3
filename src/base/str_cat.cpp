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

std::string ascii_lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::optional<unsigned long long> parse_size(std::string_view given)
{
    // Units in any case: "4g", "4GB", "4gib" and "4GiB" are all one size.
    const std::string lower = ascii_lower(given);
    std::string_view text = lower;
    if (text.ends_with("ib")) {
        text.remove_suffix(2);
    } else if (text.ends_with("b") && text.size() > 1
               && !(text[text.size() - 2] >= '0' && text[text.size() - 2] <= '9')) {
        text.remove_suffix(1);
    }
    unsigned shift = 0;
    if (!text.empty()) {
        switch (text.back()) {
        case 'k':
            shift = 10;
            break;
        case 'm':
            shift = 20;
            break;
        case 'g':
            shift = 30;
            break;
        case 't':
            shift = 40;
            break;
        default:
            break;
        }
    }
    if (shift != 0) {
        text.remove_suffix(1);
    }
    if (text.empty() || text.size() > 19) {
        return std::nullopt;
    }
    unsigned long long value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned long long>(c - '0');
    }
    if (value == 0 || (shift != 0 && value > (~0ULL >> shift))) {
        return std::nullopt;
    }
    return value << shift;
}

} // namespace airlock
