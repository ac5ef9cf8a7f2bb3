// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/terminal.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

namespace airlock {

bool stderr_is_terminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

std::size_t terminal_columns()
{
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return 80;
}

void use_binary_standard_streams() {}

} // namespace airlock
