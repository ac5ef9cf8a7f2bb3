// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace airlock::cli {

// Ends each command's --help with examples of its common uses and the options every command
// takes (-q, --progress, --config), which CLI11 lists only under `airlock --help`.
void add_help_footers(CLI::App& app);

// The words after `help` when the command line is `airlock [GLOBAL OPTIONS] help [WORDS]`, as
// git and docker take it; nothing when it is not a help request.
std::optional<std::vector<std::string>> help_topics(const std::vector<std::string>& args);

// Prints the help of the command `topics` names (`key generate`: a subcommand's) and returns
// the exit code: 0, or 2 with one error line naming an unknown word.
int print_help(const CLI::App& app, const std::vector<std::string>& topics);

} // namespace airlock::cli
