// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace airlock::cli {

// Reports a command line CLI11 refused, in airlock's own error format: "airlock: error: ..."
// naming the word it did not know (an unknown command, a subcommand or an option), the nearest
// known one when there is one ("did you mean 'pack'?") and where to read more; a JSON error
// object on stdout too with --json. Help and --version print as CLI11 does. The exit code.
int report_usage_error(CLI::App& app,
                       const std::vector<std::string>& args,
                       const CLI::ParseError& e);

// The known word nearest to `word` by edit distance, when it is close enough to be a typo of it
// (and not too short to judge); empty otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& known);

} // namespace airlock::cli
