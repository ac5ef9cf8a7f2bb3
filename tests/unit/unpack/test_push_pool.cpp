// SPDX-License-Identifier: Apache-2.0
#include "push_pool.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace airlock;
using namespace airlock::unpack;

TEST_CASE("PushPool runs every task, side by side, within its memory budget")
{
    PushPool pool(4, 100);
    std::atomic<int> done{0};
    std::atomic<std::uint64_t> held{0};
    std::atomic<std::uint64_t> most{0};
    std::atomic<int> running{0};
    std::atomic<int> widest{0};
    for (int i = 0; i < 40; ++i) {
        REQUIRE(pool.submit(
            [&](http::Client&) -> Result<> {
                const std::uint64_t now = held += 30;
                most = std::max(most.load(), now);
                const int wide = ++running;
                widest = std::max(widest.load(), wide);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                --running;
                held -= 30;
                ++done;
                return {};
            },
            30));
    }
    REQUIRE(pool.wait());
    CHECK(done == 40);
    CHECK(most <= 90); // three tasks of 30 fit in 100, a fourth does not
    CHECK(widest > 1); // they did run side by side
}

TEST_CASE("PushPool: the first failure stops the rest and is what wait and submit return")
{
    PushPool pool(2, 1 << 20);
    std::atomic<int> ran{0};
    REQUIRE(pool.submit([&](http::Client&) -> Result<> {
        ++ran;
        return fail(Errc::network, "registry went away");
    }));
    const auto waited = pool.wait();
    REQUIRE_FALSE(waited);
    CHECK(waited.error().message == "registry went away");
    const auto later = pool.submit([&](http::Client&) -> Result<> {
        ++ran;
        return {};
    });
    REQUIRE_FALSE(later);
    CHECK(later.error().code == Errc::network);
    CHECK(pool.wait().error().code == Errc::network);
    CHECK(ran == 1);
}

TEST_CASE("PushPool: a task larger than the budget still runs, alone")
{
    PushPool pool(2, 10);
    int ran = 0;
    REQUIRE(pool.submit(
        [&](http::Client&) -> Result<> {
            ++ran;
            return {};
        },
        1000));
    REQUIRE(pool.wait());
    CHECK(ran == 1);
}

namespace {

// Queues a task that runs 300 ms, setting `ended` at its end, and one that fails at once.
void queue_slow_and_failing(PushPool& pool, std::atomic<bool>& ended)
{
    REQUIRE(pool.submit([&ended](http::Client&) -> Result<> {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ended = true;
        return {};
    }));
    REQUIRE(pool.submit([](http::Client&) -> Result<> { return fail(Errc::network, "gone"); }));
}

} // namespace

TEST_CASE("PushPool: a failure is returned only once no task runs")
{
    // A caller returns on the failure, and its tasks may refer to its locals: a task still
    // running then would use them after they are gone.
    SUBCASE("from wait")
    {
        std::atomic<bool> ended{false}; // before the pool: its threads outlive anything after
        PushPool pool(2, 1 << 20);
        queue_slow_and_failing(pool, ended);
        REQUIRE_FALSE(pool.wait());
        CHECK(ended);
    }
    SUBCASE("from submit")
    {
        std::atomic<bool> ended{false};
        PushPool pool(2, 1 << 20);
        queue_slow_and_failing(pool, ended);
        // Submits until the failure is in (however busy the machine), then it is returned.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        Result<> submitted;
        while (submitted && std::chrono::steady_clock::now() < deadline) {
            submitted = pool.submit([](http::Client&) -> Result<> { return {}; });
        }
        REQUIRE_FALSE(submitted);
        CHECK(ended);
    }
}
