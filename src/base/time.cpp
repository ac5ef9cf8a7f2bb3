// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/time.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace airlock {

namespace {

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count)
{
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// Days from 1970-01-01 to the proleptic Gregorian date y-m-d (H. Hinnant's days_from_civil):
// plain arithmetic, the same on every platform, for any year RFC 3339 can write.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int days_in_month(int year, int month)
{
    constexpr std::array<int, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : k_days.at(static_cast<std::size_t>(month - 1));
}

} // namespace

std::string format_rfc3339_utc(std::int64_t seconds)
{
    using namespace std::chrono;
    const sys_seconds when{duration<std::int64_t>(seconds)};
    const auto day = floor<days>(when);
    const year_month_day date{day};
    const hh_mm_ss time{when - day};
    std::array<char, 40> text{};
    std::snprintf(text.data(),
                  text.size(),
                  "%04d-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text.data();
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text)
{
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    const auto hour = digits(text, 11, 2);
    const auto minute = digits(text, 14, 2);
    const auto second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || text.size() < 20 || text[4] != '-'
        || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    std::size_t pos = 19;
    if (text[pos] == '.') {
        ++pos;
        const std::size_t fraction = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
        if (pos == fraction) {
            return std::nullopt; // "00.Z": a fraction needs a digit
        }
    }
    std::int64_t offset = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
        offset = 0;
    } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-')
               && text[pos + 3] == ':') {
        const auto oh = digits(text, pos + 1, 2);
        const auto om = digits(text, pos + 4, 2);
        if (!oh || !om) {
            return std::nullopt;
        }
        if (*oh > 23 || *om > 59) {
            return std::nullopt;
        }
        offset = (*oh * 3600 + *om * 60) * (text[pos] == '+' ? 1 : -1);
    } else {
        return std::nullopt;
    }
    // A date that does not exist (2026-02-30, 25:00) is an error, not the day after.
    if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month) || *hour > 23
        || *minute > 59 || *second > 60 || (*second == 60 && *minute != 59)) {
        return std::nullopt;
    }
    const std::int64_t days =
        days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
    return days * 86400 + *hour * 3600 + *minute * 60 + *second - offset;
}

std::optional<std::int64_t> parse_duration(std::string_view text)
{
    std::int64_t unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'd':
            unit = 86400;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'm':
            unit = 60;
            break;
        case 's':
            unit = 1;
            break;
        default:
            unit = 0;
            break;
        }
        if (unit != 0) {
            text.remove_suffix(1);
        } else {
            unit = 1;
        }
    }
    const auto value = digits(text, 0, text.size());
    if (text.empty() || text.size() > 9 || !value || *value <= 0) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*value) * unit;
}

std::int64_t now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::int64_t> source_date_epoch()
{
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    if (epoch == nullptr || *epoch == '\0') {
        return std::nullopt;
    }
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end == nullptr || *end != '\0' || value < 0) {
        return std::nullopt;
    }
    return value;
}

} // namespace airlock
