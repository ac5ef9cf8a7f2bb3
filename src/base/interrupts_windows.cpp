// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>

#include <windows.h>

namespace airlock {

namespace {

// Runs on a thread of its own. Ctrl-C, Ctrl-Break, closing the console window, logging off and
// shutting down all ask loops to stop; returning TRUE keeps Windows from ending the process
// before they have unwound.
BOOL WINAPI on_console_event(DWORD /*event*/)
{
    request_cancel();
    return TRUE;
}

} // namespace

void install_interrupt_handlers()
{
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

} // namespace airlock
