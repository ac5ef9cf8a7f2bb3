// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

namespace airlock {

// Ctrl-C, SIGTERM and SIGHUP (closing the terminal) call request_cancel(): loops unwind,
// removing their temporary files on the way, and the command exits 130. A closed pipe is an
// error of the write, not a signal that kills the process.
void install_interrupt_handlers();

// Asks every long-running loop to stop at its next check; async-signal-safe.
void request_cancel() noexcept;

// Forgets a stop request, for a caller that handled it and goes on (tests of interrupts).
void clear_cancel() noexcept;

// True once `request_cancel()` was called (and not cleared since).
bool cancel_requested() noexcept;

// Errc::cancelled when a stop was requested, so loops can `AIRLOCK_TRY(check_cancel())`.
Result<> check_cancel();

} // namespace airlock
