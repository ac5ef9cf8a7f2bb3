// SPDX-License-Identifier: Apache-2.0
#pragma once

// How options and operands name their values in --help ("-o,--output FILE"). Shell completion
// reads the same names back from the command tree (command_tree.hpp), so what --help says an
// option takes is what completion offers for it: paths for FILE and DIR, the kinds of store for
// STORE, command names for COMMAND, and the set of a check made by `one_of` or CLI::IsMember.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace airlock::cli::value_name {

inline constexpr const char* file = "FILE";         // a file path
inline constexpr const char* directory = "DIR";     // a directory path
inline constexpr const char* store = "STORE";       // --to: any kind of store
inline constexpr const char* oci_store = "oci:DIR"; // a store that must be an OCI layout
inline constexpr const char* command = "COMMAND";   // a command name (airlock man)

} // namespace airlock::cli::value_name

namespace airlock::cli {

// A check that a value is one of `values`, described in --help as CLI::IsMember describes its
// set ("TEXT:{a,b}"), for values that the command's own parser judges again. A value outside
// the set is refused with the message `refusal(value)` gives (that of the command's parser,
// say), else "unknown value 'x' (use a or b)".
CLI::Validator one_of(std::vector<std::string> values,
                      std::function<std::string(const std::string&)> refusal = {});

// `--store oci:DIR`, the option of every command that works on an OCI store.
CLI::Option* add_oci_store_option(CLI::App& cmd, std::string& store);

// `--store STORE`, for the commands that work on every kind of store (rm, prune).
CLI::Option* add_any_store_option(CLI::App& cmd, std::string& store);

} // namespace airlock::cli
