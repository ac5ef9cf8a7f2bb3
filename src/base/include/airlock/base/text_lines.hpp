// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace airlock {

// A text file a person edited, line by line: a leading byte order mark (an editor on Windows)
// skipped, lines ended by "\n" or "\r\n", a last line without an ending kept.
class TextLines
{
  public:
    explicit TextLines(std::string_view text)
        : m_rest(text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text)
    {
    }

    // The next line without its ending; nothing after the last.
    std::optional<std::string_view> next()
    {
        if (m_rest.empty()) {
            return std::nullopt;
        }
        const std::size_t end = m_rest.find('\n');
        std::string_view line = m_rest.substr(0, end);
        m_rest = end == std::string_view::npos ? std::string_view() : m_rest.substr(end + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        ++m_number;
        return line;
    }

    // The number of the line next() gave last, from 1.
    std::size_t number() const
    {
        return m_number;
    }

  private:
    std::string_view m_rest;
    std::size_t m_number = 0;
};

} // namespace airlock
