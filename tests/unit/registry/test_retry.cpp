// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/registry/retry.hpp>

#include <doctest/doctest.h>

using namespace airlock::registry;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("registry::RetryLimit")
{
    SUBCASE("by count")
    {
        RetryLimit limit(3, std::chrono::seconds(60));
        CHECK(limit.another(std::chrono::milliseconds(0)));
        CHECK(limit.another(std::chrono::milliseconds(0)));
        CHECK_FALSE(limit.another(std::chrono::milliseconds(0)));
        CHECK(limit.failures() == 3);
        CHECK(limit.gave_up().starts_with("gave up after 3 attempts in "));
    }
    SUBCASE("by time: no wait may end past the budget")
    {
        RetryLimit limit(100, std::chrono::seconds(2));
        CHECK(limit.another(std::chrono::milliseconds(1500)));
        CHECK_FALSE(limit.another(std::chrono::milliseconds(2500)));
        CHECK(limit.gave_up() == "gave up after 2 attempts in 0 s");
    }
    SUBCASE("one attempt")
    {
        RetryLimit limit(1, std::chrono::seconds(60));
        CHECK_FALSE(limit.another(std::chrono::milliseconds(0)));
        CHECK(limit.gave_up() == "gave up after 1 attempt in 0 s");
    }
}

TEST_CASE("registry::RetryDelays::before")
{
    const RetryDelays delays;
    CHECK(delays.before(1) == milliseconds(500));
    CHECK(delays.before(2) == milliseconds(1000));
    CHECK(delays.before(4) == milliseconds(4000));
    CHECK(delays.before(5) == milliseconds(8000));
    CHECK(delays.before(9) == milliseconds(8000));
    CHECK(delays.before(1, "3") == milliseconds(3000));
    CHECK(delays.before(1, "0") == milliseconds(0));
    CHECK(delays.before(1, "120") == milliseconds(60000));
    CHECK(delays.before(1, "99999999999999999999999") == milliseconds(60000));
    // A date, or anything but whole seconds, leaves the exponential delay.
    CHECK(delays.before(2, "Wed, 21 Oct 2015 07:28:00 GMT") == milliseconds(1000));
    CHECK(delays.before(2, "-1") == milliseconds(1000));
    const RetryDelays short_ones{milliseconds(3), milliseconds(10), seconds(1)};
    CHECK(short_ones.before(1) == milliseconds(3));
    CHECK(short_ones.before(3) == milliseconds(10));
    CHECK(short_ones.before(1, "5") == milliseconds(1000));
}

TEST_CASE("registry::wait_for_retry")
{
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(wait_for_retry(milliseconds(3)));
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= milliseconds(3));
    CHECK(waited < milliseconds(40)); // not rounded up to the 50 ms between cancel checks

    airlock::request_cancel();
    const auto cancelled_at = std::chrono::steady_clock::now();
    auto waited_out = wait_for_retry(seconds(30));
    airlock::clear_cancel();
    REQUIRE_FALSE(waited_out);
    CHECK(waited_out.error().code == airlock::Errc::cancelled);
    CHECK(std::chrono::steady_clock::now() - cancelled_at < milliseconds(100));
}
