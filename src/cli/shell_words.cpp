// SPDX-License-Identifier: Apache-2.0
#include "shell_words.hpp"

namespace airlock::cli {

std::string joined(const std::vector<std::string>& words, const std::string& separator)
{
    std::string out;
    for (const auto& word : words) {
        out += (out.empty() ? "" : separator) + word;
    }
    return out;
}

std::string single_quoted(const std::string& text)
{
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

} // namespace airlock::cli
