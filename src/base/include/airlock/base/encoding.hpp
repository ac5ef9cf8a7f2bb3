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

// True when `text` holds what would hide or disguise text on a terminal: control characters
// (C0, DEL, C1), bidirectional overrides, line/paragraph separators, or bytes that are not UTF-8.
bool has_hidden_characters(std::string_view text);

// `text` with each such character shown as \xHH or \u{HHHH}, so that it cannot move the cursor,
// retitle a window or hide text.
std::string escape_hidden_characters(std::string_view text);

} // namespace airlock
