// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace airlock {

// The failure classes that callers (and the command line's exit codes) tell apart.
enum class Errc {
    usage,             // the caller asked for something impossible or malformed
    io,                // a file or directory operation failed
    network,           // a connection could not be made or broke
    http_status,       // a server answered with an error status
    auth,              // credentials missing or refused
    not_found,         // an image, tag, key or file does not exist
    digest_mismatch,   // content does not hash to its declared digest or size
    signature_invalid, // no trusted, valid signature
    format,            // malformed bundle, manifest or JSON
    unsafe_entry,      // an archive entry that would escape or is not a plain file
    unsupported,       // valid input that airlock does not handle
    policy,            // refused by site policy: rollback of a channel, an expired bundle
    cancelled,         // interrupted by a signal
    internal,          // a bug in airlock
};

// The one error type: a class, a one-line message that names the file, image or digest
// concerned, and context lines added on the way up ("while importing ...").
struct Error
{
    Errc code = Errc::internal;
    std::string message;
    std::vector<std::string> context;

    // Returns the error with `line` appended to its context, for chaining on the way up.
    Error&& with_context(std::string line) &&
    {
        context.push_back(std::move(line));
        return std::move(*this);
    }
};

template<class T = void> using Result = std::expected<T, Error>;

// Makes an unexpected `Error` to return from a function returning `Result<T>`.
inline std::unexpected<Error> fail(Errc code, std::string message)
{
    return std::unexpected(Error{code, std::move(message), {}});
}

// Name of an error class as shown in JSON output ("digest_mismatch").
const char* errc_name(Errc code);

} // namespace airlock

#define AIRLOCK_CONCAT_INNER(a, b) a##b
#define AIRLOCK_CONCAT(a, b) AIRLOCK_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function, if any.
#define AIRLOCK_TRY(expr)                                                                          \
    do {                                                                                           \
        if (auto&& airlock_try_result = (expr); !airlock_try_result) {                             \
            return std::unexpected(std::move(airlock_try_result).error());                         \
        }                                                                                          \
    } while (false)

// `AIRLOCK_TRY_ASSIGN(auto x, expr);` declares x with the value of `expr` or returns its error.
#define AIRLOCK_TRY_ASSIGN(decl, expr)                                                             \
    AIRLOCK_TRY_ASSIGN_IMPL(AIRLOCK_CONCAT(airlock_try_, __LINE__), decl, expr)
#define AIRLOCK_TRY_ASSIGN_IMPL(tmp, decl, expr)                                                   \
    auto tmp = (expr);                                                                             \
    if (!tmp) {                                                                                    \
        return std::unexpected(std::move(tmp).error());                                            \
    }                                                                                              \
    decl = std::move(*tmp)
