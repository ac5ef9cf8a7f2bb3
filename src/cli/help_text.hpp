// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

namespace airlock::cli {

// Ends each command's --help with examples of its common uses and the options every command
// takes (-q, --progress, --config), which CLI11 lists only under `airlock --help`.
void add_help_footers(CLI::App& app);

} // namespace airlock::cli
