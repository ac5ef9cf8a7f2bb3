// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>

#include <csignal>

namespace airlock {

namespace {

extern "C" void on_signal(int /*signal*/)
{
    request_cancel();
}

} // namespace

void install_interrupt_handlers()
{
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

} // namespace airlock
