// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/registry/retry.hpp>

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

} // namespace airlock::registry
