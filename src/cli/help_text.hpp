// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::cli {

// An exit code and what it means, in a word ("usage").
struct ExitStatus
{
    int code;
    std::string_view meaning;
};

// Every exit code airlock gives, as the help and the man pages list them.
std::span<const ExitStatus> exit_codes();

// Examples of the common uses of the command `command` ("pack"; a subcommand shares its
// command's), one indented line each, as its --help ends with them; empty when it has none.
std::string_view command_examples(const std::string& command);

// Ends each command's --help with examples of its common uses and the options every command
// takes (-q, --progress, --config), which CLI11 lists only under `airlock --help`.
void add_help_footers(CLI::App& app);

// The words after `help` when the command line is `airlock [GLOBAL OPTIONS] help [WORDS]`, as
// git and docker take it; nothing when it is not a help request.
std::optional<std::vector<std::string>> help_topics(const std::vector<std::string>& args);

// The command `words` name below `app` ("key generate"), or nothing after one error line on
// stderr naming the first word that is not a command there ("airlock: error: unknown command
// 'gen' for 'airlock help key'; did you mean 'generate'?"); `asked_by` is what took the words.
const CLI::App* find_command(const CLI::App& app,
                             const std::vector<std::string>& words,
                             const std::string& asked_by);

// Prints the help of the command `topics` names (`key generate`: a subcommand's) and returns
// the exit code: 0, or 2 with one error line naming an unknown word.
int print_help(const CLI::App& app, const std::vector<std::string>& topics);

} // namespace airlock::cli
