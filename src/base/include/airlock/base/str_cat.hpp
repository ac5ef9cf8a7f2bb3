// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sstream>
#include <string>

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

} // namespace airlock
