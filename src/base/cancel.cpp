// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>

#include <atomic>

namespace airlock {

namespace {

std::atomic<bool> g_cancel{false};

static_assert(std::atomic<bool>::is_always_lock_free, "signal handlers need a lock-free flag");

} // namespace

void request_cancel() noexcept
{
    g_cancel.store(true, std::memory_order_relaxed);
}

void clear_cancel() noexcept
{
    g_cancel.store(false, std::memory_order_relaxed);
}

bool cancel_requested() noexcept
{
    return g_cancel.load(std::memory_order_relaxed);
}

Result<> check_cancel()
{
    if (cancel_requested()) {
        return fail(Errc::cancelled, "interrupted");
    }
    return {};
}

} // namespace airlock
