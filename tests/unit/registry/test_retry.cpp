// SPDX-License-Identifier: Apache-2.0
#include <airlock/registry/retry.hpp>

#include <doctest/doctest.h>

using namespace airlock::registry;

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
