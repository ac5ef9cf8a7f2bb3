// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/error.hpp>

namespace airlock {

const char* errc_name(Errc code)
{
    switch (code) {
    case Errc::usage:
        return "usage";
    case Errc::io:
        return "io";
    case Errc::network:
        return "network";
    case Errc::http_status:
        return "http_status";
    case Errc::auth:
        return "auth";
    case Errc::not_found:
        return "not_found";
    case Errc::digest_mismatch:
        return "digest_mismatch";
    case Errc::signature_invalid:
        return "signature_invalid";
    case Errc::format:
        return "format";
    case Errc::unsafe_entry:
        return "unsafe_entry";
    case Errc::unsupported:
        return "unsupported";
    case Errc::policy:
        return "policy";
    case Errc::cancelled:
        return "cancelled";
    case Errc::internal:
        return "internal";
    }
    return "internal";
}

} // namespace airlock
