// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <string>
#include <string_view>

namespace airlock {

// Lower-case hexadecimal of `bytes`.
std::string hex_encode(std::string_view bytes);

// Standard base64 (RFC 4648, with padding) of `bytes`.
std::string base64_encode(std::string_view bytes);

// Decodes standard padded base64; Errc::format when `text` is not exactly that.
Result<std::string> base64_decode(std::string_view text);

} // namespace airlock
