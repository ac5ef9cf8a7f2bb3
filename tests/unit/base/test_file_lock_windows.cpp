// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file_lock.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

using namespace airlock;

TEST_CASE("base::FileLock: a directory lock whose holder ended without releasing it is free")
{
    // Windows abandons the lock of a holder that died (here a thread, the owner of the lock
    // Windows keeps for a directory; for a run, its process), and gives it to the next taker.
    const test::Scratch scratch;
    std::thread holder([&] {
        auto lock = FileLock::acquire_directory(scratch.path());
        REQUIRE(lock);
        new FileLock(std::move(*lock)); // NOLINT: never released, as by a killed run
    });
    holder.join();
    std::optional<Result<FileLock>> next;
    std::atomic<bool> done = false;
    std::thread taker([&] {
        next.emplace(FileLock::acquire_directory(scratch.path()));
        done = true;
    });
    for (int waited = 0; waited < 30 && !done; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    request_cancel(); // a wait for a lock that stayed taken ends here, failing the check
    taker.join();
    clear_cancel();
    REQUIRE(next);
    CHECK(next->has_value());
}
