// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/registry/retry.hpp>

#include <algorithm>
#include <charconv>
#include <thread>

namespace airlock::registry {

RetryLimit::RetryLimit(int attempts, std::chrono::seconds time)
    : m_attempts(attempts)
    , m_time(time)
{
}

bool RetryLimit::another(std::chrono::milliseconds delay)
{
    const auto now = std::chrono::steady_clock::now();
    if (m_failures++ == 0) {
        m_first_failure = now;
    }
    return m_failures < m_attempts && now + delay <= m_first_failure + m_time;
}

std::string RetryLimit::gave_up() const
{
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - m_first_failure);
    return str_cat("gave up after ",
                   m_failures,
                   m_failures == 1 ? " attempt in " : " attempts in ",
                   seconds.count(),
                   " s");
}

std::chrono::milliseconds RetryDelays::before(int retry, std::string_view retry_after) const
{
    if (!retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), [](char c) {
            return c >= '0' && c <= '9';
        })) {
        long long seconds = 0;
        const auto parsed =
            std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
        if (parsed.ec != std::errc() || seconds > longest_retry_after.count()) {
            return longest_retry_after;
        }
        return std::chrono::seconds(seconds);
    }
    std::chrono::milliseconds delay = first;
    for (int n = 1; n < retry && delay < longest; ++n) {
        delay *= 2;
    }
    return std::min(delay, longest);
}

Result<> wait_for_retry(std::chrono::milliseconds delay)
{
    constexpr std::chrono::milliseconds k_cancel_check{50};
    const auto until = std::chrono::steady_clock::now() + delay;
    while (true) {
        AIRLOCK_TRY(check_cancel());
        const auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) {
            return {};
        }
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(left, k_cancel_check));
    }
}

} // namespace airlock::registry
