// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>

namespace airlock::registry {

// Bounds one retry loop by count and by time, so that a server failing the same way forever
// still ends it: no more than `attempts` attempts, and no wait that would end later than
// `time` after the first failure (a long healthy transfer before it does not count).
class RetryLimit
{
  public:
    RetryLimit(int attempts, std::chrono::seconds time);

    // Records a failed attempt; true when another may follow after waiting `delay`.
    bool another(std::chrono::milliseconds delay);

    // Failed attempts recorded so far.
    int failures() const
    {
        return m_failures;
    }

    // "gave up after N attempts in S s", for the error that ends the loop.
    std::string gave_up() const;

  private:
    int m_attempts;
    std::chrono::seconds m_time;
    int m_failures = 0;
    std::chrono::steady_clock::time_point m_first_failure;
};

} // namespace airlock::registry
