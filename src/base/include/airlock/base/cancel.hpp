// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

namespace airlock {

// Asks every long-running loop to stop at its next check; async-signal-safe.
void request_cancel() noexcept;

// True once `request_cancel()` was called.
bool cancel_requested() noexcept;

// Errc::cancelled when a stop was requested, so loops can `AIRLOCK_TRY(check_cancel())`.
Result<> check_cancel();

} // namespace airlock
