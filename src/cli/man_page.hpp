// SPDX-License-Identifier: Apache-2.0
#pragma once

// Man pages (roff, section 1) of airlock and of each of its commands, generated from the command
// tree (command_tree.hpp) and the help's examples and exit codes, so that they say what --help
// says. `airlock man` prints them; packages install them.

#include "command_tree.hpp"

#include <string>

namespace airlock::cli {

// The page of `command`, a command of `tree`, dated `date` ("2026-11-28").
std::string man_page(const CommandDoc& tree, const CommandDoc& command, const std::string& date);

// The date man pages carry: that of $SOURCE_DATE_EPOCH when it is set, else the date of this
// version, compiled in; never the time of the run, so that pages are reproducible.
std::string man_page_date();

} // namespace airlock::cli
