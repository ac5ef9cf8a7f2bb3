// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace airlock {

// True when standard error is a terminal, where a progress line may redraw itself.
bool stderr_is_terminal();

// Columns of the terminal on standard error (80 when unknown): a longer line would wrap, and
// "\r" could then not take it back.
std::size_t terminal_columns();

} // namespace airlock
