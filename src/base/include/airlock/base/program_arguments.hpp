// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace airlock {

// The program's arguments after its name, in UTF-8. On Windows `argv` is in the ANSI code page,
// which loses what it cannot represent, so they are taken from the wide command line instead.
std::vector<std::string> program_arguments(int argc, char** argv);

} // namespace airlock
