// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>

#include <array>
#include <cstdint>

namespace airlock {

namespace {

constexpr std::string_view k_base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c)
{
    const auto pos = k_base64_alphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

} // namespace

std::string hex_encode(std::string_view bytes)
{
    static constexpr std::string_view k_digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(k_digits[byte >> 4U]);
        out.push_back(k_digits[byte & 0xFU]);
    }
    return out;
}

std::string base64_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t group =
            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U
            | static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U
            | static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(k_base64_alphabet[(group >> 18U) & 63U]);
        out.push_back(k_base64_alphabet[(group >> 12U) & 63U]);
        out.push_back(k_base64_alphabet[(group >> 6U) & 63U]);
        out.push_back(k_base64_alphabet[group & 63U]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]))
                              << 16U;
        if (rest == 2) {
            group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
        }
        out.push_back(k_base64_alphabet[(group >> 18U) & 63U]);
        out.push_back(k_base64_alphabet[(group >> 12U) & 63U]);
        out.push_back(rest == 2 ? k_base64_alphabet[(group >> 6U) & 63U] : '=');
        out.push_back('=');
    }
    return out;
}

Result<std::string> base64_decode(std::string_view text)
{
    if (text.size() % 4 != 0) {
        return fail(Errc::format, "invalid base64: length is not a multiple of 4");
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::array<int, 4> values{};
        int padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            const bool last_group = i + 4 == text.size();
            if (c == '=' && last_group && j >= 2) {
                ++padding;
                values[j] = 0;
                continue;
            }
            if (padding > 0) {
                return fail(Errc::format, "invalid base64: data after padding");
            }
            values[j] = base64_value(c);
            if (values[j] < 0) {
                return fail(Errc::format, "invalid base64 character");
            }
        }
        const auto group = static_cast<std::uint32_t>(values[0]) << 18U
                           | static_cast<std::uint32_t>(values[1]) << 12U
                           | static_cast<std::uint32_t>(values[2]) << 6U
                           | static_cast<std::uint32_t>(values[3]);
        out.push_back(static_cast<char>((group >> 16U) & 0xFFU));
        if (padding < 2) {
            out.push_back(static_cast<char>((group >> 8U) & 0xFFU));
        }
        if (padding < 1) {
            out.push_back(static_cast<char>(group & 0xFFU));
        }
    }
    return out;
}

namespace {

// Length of the UTF-8 sequence starting at `text[i]` and its code point, or 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    char32_t min = 0;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2;
        min = 0x80;
        code_point = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3;
        min = 0x800;
        code_point = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4;
        min = 0x10000;
        code_point = lead & 0x07U;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0U) != 0x80U) {
            return 0;
        }
        code_point = (code_point << 6U) | (byte(i + k) & 0x3FU);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    return code_point < min || code_point > 0x10FFFF || surrogate ? 0 : length;
}

bool is_hidden_control(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
           || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

} // namespace

bool has_hidden_characters(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        const std::size_t length = utf8_sequence(text, i, c);
        if (length == 0 || is_hidden_control(c)) {
            return true;
        }
        i += length;
    }
    return false;
}

std::string escape_hidden_characters(std::string_view text)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        const std::size_t length = utf8_sequence(text, i, c);
        if (length == 0) {
            const auto b = static_cast<unsigned char>(text[i]);
            out += {'\\', 'x', k_hex[b >> 4U], k_hex[b & 0xFU]};
            ++i;
            continue;
        }
        if (is_hidden_control(c)) {
            out += c < 0x100 ? str_cat("\\x", k_hex[(c >> 4U) & 0xFU], k_hex[c & 0xFU])
                             : str_cat("\\u{",
                                       k_hex[(c >> 12U) & 0xFU],
                                       k_hex[(c >> 8U) & 0xFU],
                                       k_hex[(c >> 4U) & 0xFU],
                                       k_hex[c & 0xFU],
                                       "}");
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

} // namespace airlock
