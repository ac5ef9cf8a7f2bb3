// SPDX-License-Identifier: Apache-2.0
#pragma once

// Words of the shell scripts airlock writes (completion_script.hpp).

#include <string>
#include <vector>

namespace airlock::cli {

// `words` separated by `separator`.
std::string joined(const std::vector<std::string>& words, const std::string& separator = " ");

// `text` in single quotes for any POSIX shell (bash, zsh).
std::string single_quoted(const std::string& text);

} // namespace airlock::cli
