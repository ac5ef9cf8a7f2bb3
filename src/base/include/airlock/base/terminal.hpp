// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace airlock {

// True when standard error is a terminal, where a progress line may redraw itself.
bool stderr_is_terminal();

// Columns of the terminal on standard error (80 when unknown): a longer line would wrap, and
// "\r" could then not take it back.
std::size_t terminal_columns();

// Makes standard input, output and error carry exactly the bytes read and written. On Windows
// the C runtime's text mode would turn "\n" into "\r\n", which scripts and JSON readers take as
// part of the line (and which would corrupt binary output); elsewhere there is nothing to do.
void use_binary_standard_streams();

} // namespace airlock
