// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shell completion scripts for the commands of `tree` (command_tree.hpp): `airlock completion
// bash|zsh` prints them, and packages install them. The commands, options and what their values
// are come from the tree; the shell code around them is fixed.

#include "command_tree.hpp"

#include <string>

namespace airlock::cli {

// A bash script defining `_airlock` and registering it with `complete -F _airlock airlock`; it
// uses the bash-completion package's helpers when they are loaded, and plain bash otherwise.
std::string bash_completion_script(const CommandDoc& tree);

// A zsh script (`#compdef airlock`) that works installed as `_airlock` in $fpath and sourced
// after compinit.
std::string zsh_completion_script(const CommandDoc& tree);

} // namespace airlock::cli
