// SPDX-License-Identifier: Apache-2.0
#pragma once

// How a command ends. Each `run_<name>` returns `Result<<Name>Outcome>`: either an Error, which
// is printed and mapped to an exit code here and nowhere else, or an outcome holding what both of
// its command's printers need. `finish` picks the printer (text, or JSON with --json) and the exit
// code; the printers and any `exit_code_of` overload live beside the outcome type, in the
// command's own file, where argument-dependent lookup finds them.

#include "console.hpp"

#include <airlock/base/error.hpp>

namespace airlock::cli {

// The exit code for a failure of class `code`.
int exit_code_for(Errc code);

// Prints `error` ("airlock: error: ..." plus context lines on stderr; with --json also a JSON
// object on stdout) and returns its exit code.
int report_error(const Error& error, const GlobalOptions& options);

// Flushes stdout; false when anything printed on it was lost (a full disk, a closed pipe).
bool stdout_written();

// The exit code of an outcome: success. A command whose outcome can be a failure although the
// command ran to its end (verify found a damaged part) overloads this for its outcome type.
template<class Outcome> int exit_code_of(const Outcome& /*outcome*/)
{
    return k_exit_ok;
}

// Reports the error, or prints the outcome with `print_json(outcome)` under --json and
// `print_text(outcome)` otherwise; returns the exit code.
template<class Outcome> int finish(const Result<Outcome>& outcome, const GlobalOptions& options)
{
    if (!outcome) {
        return report_error(outcome.error(), options);
    }
    if (options.json) {
        print_json(*outcome);
    } else {
        print_text(*outcome);
    }
    if (!stdout_written()) {
        return report_error(Error{Errc::io, "cannot write the result to stdout", {}}, options);
    }
    return exit_code_of(*outcome);
}

} // namespace airlock::cli
