// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace airlock {

// Concatenates anything that streams into a std::string (g++ 12 has no <format>).
template<class... Args> std::string str_cat(const Args&... args)
{
    std::ostringstream out;
    (out << ... << args);
    return out.str();
}

// "1.5 MiB": a byte count for people.
std::string human_size(unsigned long long bytes);

// `text` with ASCII letters in lower case (host names, header names, units; not locale-bound).
std::string ascii_lower(std::string_view text);

// Parses "4096", "64K", "32M", "4G", "1T" (powers of 1024; a trailing "B" or "iB" is allowed;
// letters in any case).
// Nothing for anything else, zero, or overflow.
std::optional<unsigned long long> parse_size(std::string_view text);

} // namespace airlock
