// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/phase_progress.hpp>
#include <airlock/base/progress_meter.hpp>

#include <doctest/doctest.h>

#include <mutex>
#include <thread>
#include <vector>

using namespace airlock;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t k_mib = 1U << 20U;

Progress
step(std::uint64_t done, std::uint64_t total, std::uint64_t items = 0, std::uint64_t of = 0)
{
    return Progress{"download", done, total, items, of};
}

// Keeps every step and phase end, as a reporter on another thread would see them.
class RecordingReporter final : public Reporter
{
  public:
    void info(std::string_view /*message*/) override {}

    void warn(std::string_view /*message*/) override {}

    void progress(const Progress& progress) override
    {
        const std::lock_guard lock(mutex);
        steps.push_back(progress);
    }

    void phase_end(const Progress& last) override
    {
        const std::lock_guard lock(mutex);
        ends.push_back(last);
    }

    std::mutex mutex;
    std::vector<Progress> steps;
    std::vector<Progress> ends;
};

} // namespace

TEST_CASE("base::format_rate and format_eta")
{
    CHECK(format_rate(0) == "0 B/s");
    CHECK(format_rate(812) == "812 B/s");
    CHECK(format_rate(15.2 * k_mib) == "15.2 MiB/s");
    CHECK(format_rate(-1) == "0 B/s");
    CHECK(format_eta(0) == "0:00");
    CHECK(format_eta(19) == "0:19");
    CHECK(format_eta(725) == "12:05");
    CHECK(format_eta(3723) == "1:02:03");
    CHECK(format_eta(100 * 3600) == "100:00:00");
}

TEST_CASE("base::ProgressMeter shows at most one sample per interval, and the end once")
{
    const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
    ProgressMeter meter(t0);
    CHECK(meter.update(t0, step(0, 100))); // the first is shown
    CHECK_FALSE(meter.update(t0 + 50ms, step(10, 100)));
    CHECK_FALSE(meter.update(t0 + 124ms, step(20, 100)));
    CHECK(meter.update(t0 + 125ms, step(30, 100)));
    CHECK(meter.done() == 30);
    CHECK_FALSE(meter.update(t0 + 130ms, step(40, 100)));
    CHECK(meter.update(t0 + 140ms, step(100, 100))); // complete: shown at once
    CHECK(meter.complete());
    CHECK_FALSE(meter.update(t0 + 141ms, step(100, 100))); // and only once
    CHECK_FALSE(meter.update(t0 + 10s, step(100, 100)));
}

TEST_CASE("base::ProgressMeter counts items to decide the end")
{
    const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
    ProgressMeter meter(t0);
    CHECK(meter.update(t0, step(0, 100, 0, 2)));
    CHECK_FALSE(meter.update(t0 + 1ms, step(100, 100, 1, 2))); // bytes all there, one item open
    CHECK_FALSE(meter.complete());
    CHECK(meter.update(t0 + 2ms, step(100, 100, 2, 2)));
    CHECK(meter.complete());
}

TEST_CASE("base::ProgressMeter does not go back on samples out of order")
{
    const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
    ProgressMeter meter(t0);
    CHECK(meter.update(t0, step(50, 100, 1, 3)));
    CHECK(meter.update(t0 + 1s, step(40, 100, 0, 3)));
    CHECK(meter.done() == 50);
    CHECK(meter.items_done() == 1);
}

TEST_CASE("base::ProgressMeter rate and time left")
{
    const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
    ProgressMeter meter(t0);
    const std::uint64_t total = 100 * k_mib;
    CHECK(meter.update(t0, step(0, total)));
    // Too early for a rate: none, and no time left either.
    CHECK(meter.update(t0 + 200ms, step(k_mib, total)));
    CHECK(meter.bytes_per_second() == 0);
    CHECK_FALSE(meter.eta_seconds());
    // 2 MiB/s, steadily.
    for (int i = 1; i <= 10; ++i) {
        CHECK(meter.update(t0 + i * 1s, step(static_cast<std::uint64_t>(i) * 2 * k_mib, total)));
    }
    CHECK(meter.bytes_per_second() == doctest::Approx(2.0 * k_mib));
    REQUIRE(meter.eta_seconds());
    CHECK(*meter.eta_seconds() == 40); // 80 MiB left at 2 MiB/s
    CHECK(meter.average_bytes_per_second(t0 + 10s) == doctest::Approx(2.0 * k_mib));
    // It slows to 1 MiB/s: after a window the rate is that alone.
    for (int i = 1; i <= 6; ++i) {
        CHECK(meter.update(t0 + 10s + i * 1s,
                           step(20 * k_mib + static_cast<std::uint64_t>(i) * k_mib, total)));
    }
    CHECK(meter.bytes_per_second() == doctest::Approx(1.0 * k_mib));
    CHECK(*meter.eta_seconds() == 74);
    CHECK(meter.elapsed_seconds(t0 + 16s) == doctest::Approx(16.0));
}

TEST_CASE("base::ProgressMeter without a total has no time left")
{
    const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
    ProgressMeter meter(t0);
    CHECK(meter.update(t0, step(0, 0)));
    CHECK(meter.update(t0 + 2s, step(4 * k_mib, 0)));
    CHECK(meter.bytes_per_second() == doctest::Approx(2.0 * k_mib));
    CHECK_FALSE(meter.eta_seconds());
    CHECK_FALSE(meter.complete());
}

TEST_CASE("base::PhaseProgress reports every step and ends once")
{
    RecordingReporter reporter;
    {
        PhaseProgress phase(reporter, "write", 100, 2);
        phase.add_bytes(60);
        phase.item_done();
        phase.add_bytes(60); // more than planned: shown as all, not more
        CHECK(reporter.steps.back().done == 100);
        CHECK_FALSE(reporter.steps.back().complete());
        phase.item_done();
        CHECK(reporter.steps.back().complete());
        phase.end();
        phase.end();
    }
    REQUIRE(reporter.ends.size() == 1); // not again when it goes out of scope
    CHECK(reporter.ends[0].phase == "write");
    CHECK(reporter.ends[0].done == 100);
    CHECK(reporter.ends[0].items_done == 2);
}

TEST_CASE("base::PhaseProgress ends an abandoned phase where it stopped, and counts across threads")
{
    RecordingReporter reporter;
    {
        PhaseProgress phase(reporter, "download", 4000, 4);
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                for (int j = 0; j < 100; ++j) {
                    phase.add_bytes(5);
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        CHECK(phase.snapshot().done == 2000);
        phase.item_done();
    }
    REQUIRE(reporter.ends.size() == 1);
    CHECK(reporter.ends[0].done == 2000);
    CHECK_FALSE(reporter.ends[0].complete());
}

TEST_CASE("base::PhaseProgress that grows and completes by items ends exact")
{
    RecordingReporter reporter;
    PhaseProgress phase(reporter, "download", 100, 1);
    phase.add_bytes(30);
    phase.add_total(30); // the download started over
    CHECK(phase.snapshot().total == 130);
    phase.add_bytes(70); // a blob fetched elsewhere meanwhile leaves the count short...
    phase.item_done();   // ...until the last item is done
    CHECK(phase.snapshot().done == 130);
    CHECK(phase.snapshot().complete());
}
