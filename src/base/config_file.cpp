// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/config_file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/text_lines.hpp>

#include <cctype>

namespace airlock {

namespace {

constexpr std::size_t k_max_entries = 256;
constexpr std::size_t k_max_values = 64;

bool is_key_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Reads values from one line, left to right.
class LineParser
{
  public:
    LineParser(std::string_view text, std::string where)
        : m_text(text)
        , m_where(std::move(where))
    {
    }

    void skip_space()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
            ++m_pos;
        }
    }

    bool at_end_or_comment()
    {
        skip_space();
        return m_pos == m_text.size() || m_text[m_pos] == '#';
    }

    bool take(char c)
    {
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    std::string key()
    {
        skip_space();
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && is_key_char(m_text[m_pos])) {
            ++m_pos;
        }
        return std::string(m_text.substr(start, m_pos - start));
    }

    // A quoted string (with \" and \\) or a bare word.
    Result<std::string> scalar()
    {
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            return quoted();
        }
        if (m_pos < m_text.size() && m_text[m_pos] == '\'') {
            return literal();
        }
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != ' ' && m_text[m_pos] != '\t'
               && m_text[m_pos] != '#' && m_text[m_pos] != ',' && m_text[m_pos] != ']'
               && m_text[m_pos] != '\'' && m_text[m_pos] != '"') {
            ++m_pos;
        }
        if (start == m_pos) {
            return error("a value");
        }
        return std::string(m_text.substr(start, m_pos - start));
    }

    std::unexpected<Error> error(std::string_view expected) const
    {
        return fail(Errc::usage, str_cat(m_where, ": expected ", expected));
    }

  private:
    // A TOML basic string: "...", where only \" and \\ are escapes here. Any other backslash
    // is refused rather than dropped: "C:\ProgramData\x" would otherwise silently name
    // another path.
    Result<std::string> quoted()
    {
        ++m_pos;
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) {
                ++m_pos;
                if (m_text[m_pos] != '"' && m_text[m_pos] != '\\') {
                    return error("\\\\ or \\\" after a backslash in a \"quoted\" string (write a "
                                 "Windows path in single quotes: 'C:\\airlock\\store')");
                }
            }
            out += m_text[m_pos++];
        }
        if (m_pos == m_text.size()) {
            return error("a closing quote");
        }
        ++m_pos;
        return out;
    }

    // A TOML literal string: '...', no escapes.
    Result<std::string> literal()
    {
        const std::size_t end = m_text.find('\'', m_pos + 1);
        if (end == std::string_view::npos) {
            return error("a closing quote");
        }
        std::string out(m_text.substr(m_pos + 1, end - m_pos - 1));
        m_pos = end + 1;
        return out;
    }

    std::string_view m_text;
    std::string m_where;
    std::size_t m_pos = 0;
};

Result<std::vector<std::string>> values(LineParser& line)
{
    std::vector<std::string> out;
    if (!line.take('[')) {
        AIRLOCK_TRY_ASSIGN(std::string value, line.scalar());
        out.push_back(std::move(value));
        return out;
    }
    if (line.take(']')) {
        return out;
    }
    do {
        if (out.size() == k_max_values) {
            return line.error(str_cat("at most ", k_max_values, " values"));
        }
        AIRLOCK_TRY_ASSIGN(std::string value, line.scalar());
        out.push_back(std::move(value));
    } while (line.take(','));
    if (!line.take(']')) {
        return line.error("',' or ']'");
    }
    return out;
}

} // namespace

Result<std::vector<ConfigEntry>> parse_config(std::string_view text, const std::string& source)
{
    if (text.size() > k_max_config) {
        return fail(Errc::usage, str_cat(source, ": larger than ", k_max_config, " bytes"));
    }
    std::vector<ConfigEntry> entries;
    TextLines lines(text);
    while (const auto raw = lines.next()) {
        const std::size_t number = lines.number();
        LineParser line(*raw, str_cat(source, ":", number));
        if (line.at_end_or_comment()) {
            continue;
        }
        if (line.take('[')) {
            return line.error("key = value (settings have no sections)");
        }
        ConfigEntry entry;
        entry.line = number;
        entry.key = line.key();
        if (entry.key.empty() || !line.take('=')) {
            return line.error("key = value");
        }
        AIRLOCK_TRY_ASSIGN(entry.values, values(line));
        if (!line.at_end_or_comment()) {
            return line.error("the end of the line after the value");
        }
        if (entries.size() == k_max_entries) {
            return line.error(str_cat("at most ", k_max_entries, " settings"));
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace airlock
