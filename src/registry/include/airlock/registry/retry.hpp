// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <chrono>
#include <string>
#include <string_view>

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

// How long to wait before each retry: `first` before the first one, doubling for each one
// after it up to `longest`; but as long as the server asked in a Retry-After of whole seconds,
// up to `longest_retry_after` (a Retry-After date is not read).
struct RetryDelays
{
    std::chrono::milliseconds first{500};
    std::chrono::milliseconds longest{8000};
    std::chrono::seconds longest_retry_after{60};

    // The wait before retry `retry` (from 1); `retry_after` is the Retry-After value of the
    // answer that failed (empty when it had none, or there was no answer).
    std::chrono::milliseconds before(int retry, std::string_view retry_after = {}) const;
};

// Sleeps for `delay`, but returns Errc::cancelled as soon as a stop is requested (checked at
// least every 50 ms).
Result<> wait_for_retry(std::chrono::milliseconds delay);

} // namespace airlock::registry
