// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/progress_meter.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace airlock {

namespace {

double seconds_between(ProgressMeter::Clock::time_point from, ProgressMeter::Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

} // namespace

ProgressMeter::ProgressMeter(Clock::time_point start)
    : m_start(start)
{
}

bool ProgressMeter::update(Clock::time_point now, const Progress& progress)
{
    if (!m_last_shown && m_window.empty()) {
        m_start_done = progress.done; // a phase may start with bytes already there
        m_window.push_back({m_start, progress.done});
    }
    m_done = std::max(m_done, progress.done);
    m_total = std::max(m_total, progress.total);
    m_items_done = std::max(m_items_done, progress.items_done);
    m_items_total = std::max(m_items_total, progress.items_total);
    const bool first_complete = complete() && !m_complete_shown;
    if (m_last_shown && !first_complete && now - *m_last_shown < k_interval) {
        return false;
    }
    if (m_complete_shown) {
        return false; // nothing moves after the end
    }
    m_last_shown = now;
    m_complete_shown = complete();
    // Keep one sample at or before the start of the window, so the rate spans all of it.
    while (m_window.size() > 1 && m_window[1].time <= now - k_window) {
        m_window.pop_front();
    }
    const Sample& oldest = m_window.front();
    const double span = seconds_between(oldest.time, now);
    m_rate = span * 1000 >= static_cast<double>(k_settle.count())
                 ? static_cast<double>(m_done - std::min(m_done, oldest.done)) / span
                 : 0;
    m_window.push_back({now, m_done});
    return true;
}

bool ProgressMeter::complete() const
{
    return Progress{{}, m_done, m_total, m_items_done, m_items_total}.complete();
}

std::optional<std::uint64_t> ProgressMeter::eta_seconds() const
{
    if (m_total == 0 || m_rate <= 0) {
        return std::nullopt;
    }
    const auto left = static_cast<double>(m_total - std::min(m_total, m_done));
    return static_cast<std::uint64_t>(std::ceil(left / m_rate));
}

double ProgressMeter::elapsed_seconds(Clock::time_point now) const
{
    return std::max(0.0, seconds_between(m_start, now));
}

double ProgressMeter::average_bytes_per_second(Clock::time_point now) const
{
    const double elapsed = elapsed_seconds(now);
    if (elapsed * 1000 < static_cast<double>(k_settle.count())) {
        return 0;
    }
    return static_cast<double>(m_done - std::min(m_done, m_start_done)) / elapsed;
}

std::string format_rate(double bytes_per_second)
{
    return human_size(static_cast<unsigned long long>(std::max(0.0, bytes_per_second))) + "/s";
}

std::string format_eta(std::uint64_t seconds)
{
    const std::uint64_t hours = seconds / 3600;
    const std::uint64_t minutes = seconds / 60 % 60;
    std::array<char, 48> text{};
    if (hours > 0) {
        std::snprintf(text.data(),
                      text.size(),
                      "%llu:%02llu:%02llu",
                      static_cast<unsigned long long>(hours),
                      static_cast<unsigned long long>(minutes),
                      static_cast<unsigned long long>(seconds % 60));
    } else {
        std::snprintf(text.data(),
                      text.size(),
                      "%llu:%02llu",
                      static_cast<unsigned long long>(minutes),
                      static_cast<unsigned long long>(seconds % 60));
    }
    return text.data();
}

} // namespace airlock
