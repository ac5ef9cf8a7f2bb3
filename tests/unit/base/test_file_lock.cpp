// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file_lock.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>

using namespace airlock;
namespace fs = std::filesystem;

namespace {

using Acquire = std::function<Result<FileLock>()>;

// Holds a lock taken by `first` while another thread waits in `second`, and says whether that
// waiter got its lock only after the first was released. Locks of separate acquisitions exclude
// each other within one process too, so a thread stands in for a second run.
bool waits_for_release(const Acquire& first, const Acquire& second)
{
    std::optional<FileLock> held;
    {
        auto lock = first();
        REQUIRE(lock);
        held.emplace(std::move(*lock));
    }
    std::atomic<bool> trying = false;
    std::atomic<bool> released = false;
    std::atomic<bool> got_it_after_release = false;
    std::thread waiter([&] {
        trying = true;
        auto lock = second();
        got_it_after_release = lock.has_value() && released.load();
    });
    while (!trying) {
        std::this_thread::yield();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    released = true;
    held.reset();
    waiter.join();
    return got_it_after_release;
}

} // namespace

TEST_CASE("base::FileLock on a file excludes a second holder until released")
{
    const test::Scratch scratch;
    const fs::path file = scratch.path() / "lock";
    const Acquire acquire = [&] { return FileLock::acquire(file); };
    CHECK(waits_for_release(acquire, acquire));
}

TEST_CASE("base::FileLock on a directory excludes a second holder, by whichever path it came")
{
    // Two runs writing split bundles into one directory must take turns, whatever the system:
    // Windows, which locks only files, locks directories another way.
    const test::Scratch scratch;
    const fs::path dir = scratch.path() / "out";
    fs::create_directories(dir / "sub");
    CHECK(waits_for_release([&] { return FileLock::acquire_directory(dir); },
                            [&] { return FileLock::acquire_directory(dir / "sub" / ".."); }));
    // Released, it is free again for the next run.
    auto again = FileLock::acquire_directory(dir);
    CHECK(again);
}

TEST_CASE("base::FileLock: a wait for a held directory lock ends when a stop is requested")
{
    const test::Scratch scratch;
    auto held = FileLock::acquire_directory(scratch.path());
    REQUIRE(held);
    std::optional<Result<FileLock>> waited;
    std::thread waiter([&] { waited.emplace(FileLock::acquire_directory(scratch.path())); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    request_cancel();
    waiter.join();
    clear_cancel();
    REQUIRE(waited);
    REQUIRE_FALSE(*waited);
    CHECK(waited->error().code == Errc::cancelled);
}
