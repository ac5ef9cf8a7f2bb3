// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>

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

} // namespace airlock
