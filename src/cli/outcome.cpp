// SPDX-License-Identifier: Apache-2.0
#include "outcome.hpp"

#include "json_shapes.hpp"

#include <iostream>

namespace airlock::cli {

int exit_code_for(Errc code)
{
    switch (code) {
    case Errc::usage:
        return k_exit_usage;
    case Errc::network:
    case Errc::http_status:
    case Errc::auth:
        return k_exit_network;
    case Errc::digest_mismatch:
    case Errc::format:
    case Errc::unsafe_entry:
        return k_exit_verification;
    case Errc::signature_invalid:
        return k_exit_signature;
    case Errc::cancelled:
        return k_exit_interrupted;
    case Errc::policy:
        return k_exit_policy;
    case Errc::io:
    case Errc::not_found:
    case Errc::unsupported:
    case Errc::internal:
        break;
    }
    return k_exit_failure;
}

bool stdout_written()
{
    std::cout.flush();
    return static_cast<bool>(std::cout);
}

int report_error(const Error& error, const GlobalOptions& options)
{
    const int code = exit_code_for(error.code);
    print_error(
        error.message, error.context, {{"class", errc_name(error.code)}, {"exitCode", code}});
    if (options.json) {
        print_json(failure_json(error, code));
    }
    return code;
}

} // namespace airlock::cli
