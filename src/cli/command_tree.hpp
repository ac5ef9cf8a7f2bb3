// SPDX-License-Identifier: Apache-2.0
#pragma once

// The commands and options of the CLI11 tree main.cpp builds, read back as plain data for the
// shell completion scripts and the man pages, which are generated from it at run time so that
// they cannot drift from --help.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace airlock::cli {

// What a value is, as far as completion can offer anything for it (value_names.hpp).
enum class ValueKind {
    none,      // a flag: it takes no value
    text,      // anything: nothing to offer
    file,      // a file path
    directory, // a directory path
    store,     // a store spec: `choices` are how each kind begins; oci: goes on with a directory
    choice,    // one of `choices`
    command,   // command names (airlock man)
};

struct OptionDoc
{
    const CLI::Option* option = nullptr;
    std::vector<std::string> names; // "-o", "--output"; empty for an operand
    std::string operand;            // an operand's name ("bundle"); empty for an option
    ValueKind kind = ValueKind::none;
    std::vector<std::string> choices;
    bool repeatable = false;
    bool required = false;
    bool everywhere = false; // an option of every command (-q), airlock's own that falls through
};

struct CommandDoc
{
    const CLI::App* app = nullptr;
    std::vector<std::string> path; // {"key", "generate"}; empty for airlock itself
    std::string description;
    // In --help's order: the command's own operands and options, then those of every command.
    std::vector<OptionDoc> options;
    std::vector<CommandDoc> commands;

    // "airlock key generate".
    std::string full_name() const;
    // "airlock-key-generate", the name of its man page.
    std::string page_name() const;
};

// The tree under `app`, the top of the command line. Every command also lists the options of
// the top that work anywhere on the line (not --version, nor the top's own -h/--help).
CommandDoc describe_commands(const CLI::App& app);

// Every command of `tree`, itself first, depth first in --help's order.
std::vector<const CommandDoc*> all_commands(const CommandDoc& tree);

} // namespace airlock::cli
