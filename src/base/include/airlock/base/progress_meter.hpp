// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/reporter.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace airlock {

// Rate, time left and pacing of one phase's display. The caller passes the time of every
// sample, so tests choose the clock. Not thread-safe: the reporter keeps it under its lock.
class ProgressMeter
{
  public:
    using Clock = std::chrono::steady_clock;

    // At most 8 redraws or events a second: enough to look alive, cheap for a terminal or a
    // log reader.
    static constexpr std::chrono::milliseconds k_interval{125};
    // The rate is measured over the last 5 seconds: it follows a transfer that speeds up or
    // slows down, without jumping with every burst.
    static constexpr std::chrono::seconds k_window{5};
    // Before this much of the phase has passed, a rate would be noise: none is given.
    static constexpr std::chrono::milliseconds k_settle{500};

    explicit ProgressMeter(Clock::time_point start);

    // Takes `progress` at `now`; true when it is worth showing: the first sample, the first
    // complete one, or the first after k_interval since the last shown. Counts lower than
    // those seen (parallel threads report slightly out of order) do not move it back.
    bool update(Clock::time_point now, const Progress& progress);

    std::uint64_t done() const
    {
        return m_done;
    }

    std::uint64_t total() const
    {
        return m_total;
    }

    std::uint64_t items_done() const
    {
        return m_items_done;
    }

    std::uint64_t items_total() const
    {
        return m_items_total;
    }

    bool complete() const;

    // Bytes per second over the recent window, as of the last sample shown; 0 while unknown.
    double bytes_per_second() const
    {
        return m_rate;
    }

    // Seconds left at the current rate; nothing while the rate or the total is unknown.
    std::optional<std::uint64_t> eta_seconds() const;

    // Since the first sample, and the average rate over that time (0 before k_settle).
    double elapsed_seconds(Clock::time_point now) const;
    double average_bytes_per_second(Clock::time_point now) const;

  private:
    struct Sample
    {
        Clock::time_point time;
        std::uint64_t done = 0;
    };

    Clock::time_point m_start;
    std::uint64_t m_start_done = 0;
    std::uint64_t m_done = 0;
    std::uint64_t m_total = 0;
    std::uint64_t m_items_done = 0;
    std::uint64_t m_items_total = 0;
    std::optional<Clock::time_point> m_last_shown;
    bool m_complete_shown = false;
    std::deque<Sample> m_window; // samples shown in the last k_window, and one before it
    double m_rate = 0;
};

// "15.2 MiB/s", "812 B/s".
std::string format_rate(double bytes_per_second);

// "0:19", "12:05", "1:02:03": minutes and seconds, hours when there are any.
std::string format_eta(std::uint64_t seconds);

} // namespace airlock
