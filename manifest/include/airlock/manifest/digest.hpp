// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <compare>
#include <string>
#include <string_view>

namespace airlock::manifest {

// A content digest "algorithm:hex" as in the OCI image spec. Only registered algorithms with
// the right hex length are accepted (sha256: 64, sha512: 128), lower-case hex only, so a digest
// can always be used as a file name without further checks.
class Digest
{
  public:
    // Parses and validates `text`. Errc::format naming the text and what is wrong.
    static Result<Digest> parse(std::string_view text);

    // The sha256 digest with `hex` (64 lower-case hex digits, not re-validated).
    static Digest sha256(std::string hex);

    const std::string& algorithm() const
    {
        return m_algorithm;
    }

    const std::string& hex() const
    {
        return m_hex;
    }

    // "sha256:abc..."
    std::string str() const
    {
        return m_algorithm + ":" + m_hex;
    }

    // "blobs/sha256/abc...": where the blob lives in an OCI image layout.
    std::string layout_path() const
    {
        return "blobs/" + m_algorithm + "/" + m_hex;
    }

    auto operator<=>(const Digest&) const = default;

  private:
    Digest(std::string algorithm, std::string hex)
        : m_algorithm(std::move(algorithm))
        , m_hex(std::move(hex))
    {
    }

    std::string m_algorithm;
    std::string m_hex;
};

} // namespace airlock::manifest
