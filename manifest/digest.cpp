// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/digest.hpp>

#include <algorithm>

namespace airlock::manifest {

Result<Digest> Digest::parse(std::string_view text)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return fail(Errc::format, str_cat("invalid digest '", text, "': expected algorithm:hex"));
    }
    const std::string_view algorithm = text.substr(0, colon);
    const std::string_view hex = text.substr(colon + 1);
    std::size_t expected_length = 0;
    if (algorithm == "sha256") {
        expected_length = 64;
    } else if (algorithm == "sha512") {
        expected_length = 128;
    } else {
        return fail(
            Errc::format,
            str_cat("invalid digest '", text, "': unsupported algorithm '", algorithm, "'"));
    }
    if (hex.size() != expected_length) {
        return fail(Errc::format,
                    str_cat("invalid digest '",
                            text,
                            "': ",
                            algorithm,
                            " needs ",
                            expected_length,
                            " hex digits, got ",
                            hex.size()));
    }
    const bool lower_hex = std::all_of(hex.begin(), hex.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (!lower_hex) {
        return fail(Errc::format,
                    str_cat("invalid digest '", text, "': only lower-case hex digits are allowed"));
    }
    return Digest(std::string(algorithm), std::string(hex));
}

Digest Digest::sha256(std::string hex)
{
    return Digest("sha256", std::move(hex));
}

} // namespace airlock::manifest
