// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airlock {

// "2026-11-25T09:37:00Z" for `seconds` since the epoch.
std::string format_rfc3339_utc(std::int64_t seconds);

// Seconds since the epoch of an RFC 3339 time ("...Z" or "...+01:00", fractions ignored);
// nothing when `text` is not one.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// Seconds in "45d", "12h", "30m", "90s" (a bare number is seconds); nothing otherwise.
std::optional<std::int64_t> parse_duration(std::string_view text);

// Current time in seconds since the epoch.
std::int64_t now_seconds();

// $SOURCE_DATE_EPOCH, the reproducible-builds convention for "the time of this build", when it
// is set to a number of seconds; nothing otherwise.
std::optional<std::int64_t> source_date_epoch();

} // namespace airlock
