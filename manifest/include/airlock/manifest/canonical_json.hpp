// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace airlock::manifest {

// The one byte form of a JSON value that signatures cover: object keys sorted by byte value,
// no insignificant white space, strings as UTF-8 with only the escapes JSON requires, integers
// only (floating point has more than one spelling, so it is refused: Errc::format), and
// invalid UTF-8 refused (Errc::format).
Result<std::string> canonical_dump(const nlohmann::json& value);

} // namespace airlock::manifest
