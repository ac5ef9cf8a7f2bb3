// SPDX-License-Identifier: Apache-2.0
#include "roff.hpp"

#include <cstdint>
#include <cstdio>

namespace airlock::cli {

namespace {

// The code point of the UTF-8 sequence at `text[at]` and its length; U+FFFD and one byte for a
// byte that does not start a well-formed sequence.
std::pair<std::uint32_t, std::size_t> decode_utf8(std::string_view text, std::size_t at)
{
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[at + i]); };
    const std::uint8_t lead = byte(0);
    std::size_t length = 0;
    std::uint32_t code = 0;
    std::uint32_t smallest = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1FU;
        smallest = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0FU;
        smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07U;
        smallest = 0x10000;
    }
    if (length == 0 || at + length > text.size()) {
        return {0xFFFD, 1};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0U) != 0x80U) {
            return {0xFFFD, 1};
        }
        code = (code << 6U) | (byte(i) & 0x3FU);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not characters.
    if (code < smallest || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        return {0xFFFD, 1};
    }
    return {code, length};
}

} // namespace

std::string roff_escape(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        // Judged on the output: a dropped control character must not unguard what follows.
        if ((c == '.' || c == '\'') && (out.empty() || out.back() == '\n')) {
            out += "\\&";
        }
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            const auto [code, length] = decode_utf8(text, i);
            char name[16];
            std::snprintf(name, sizeof name, "\\[u%04X]", static_cast<unsigned>(code));
            out += name;
            i += length;
            continue;
        }
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c == '\t') {
            out += ' ';
        } else if (c == '\n' || (byte >= 0x20 && byte != 0x7F)) {
            out += c;
        }
        ++i;
    }
    return out;
}

std::string roff_argument(std::string_view text)
{
    std::string out = "\"";
    for (const char c : roff_escape(text)) {
        if (c == '"') {
            out += "\\(dq";
        } else {
            out += c == '\n' ? ' ' : c;
        }
    }
    return out + "\"";
}

} // namespace airlock::cli
