// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace airlock {

// The largest configuration file read.
inline constexpr std::size_t k_max_config = 64U << 10U;

// One `key = value` line of a configuration file.
struct ConfigEntry
{
    std::string key;
    std::vector<std::string> values; // one for a string, any number for an array
    std::size_t line = 0;
};

// Parses the TOML subset airlock's configuration uses: `key = "string"`, `key = bare-word`,
// `key = ["a", "b"]`, `# comments` and blank lines; no sections. Bounded: at most 64 KiB,
// 256 entries of 64 values. Errc::usage naming `source` and the line.
Result<std::vector<ConfigEntry>> parse_config(std::string_view text, const std::string& source);

} // namespace airlock
