// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/trust.hpp>

#include <cstddef>
#include <filesystem>
#include <vector>

namespace airlock::unpack {

struct VerifyReport
{
    bundle::BundleHeader header;
    bundle::SignatureCheck signatures;
    bundle::ContentReport content; // problems: every mismatch found
    std::vector<Error> closure;    // images whose blobs are not all in the bundle
    std::uint64_t file_size = 0;

    bool ok() const
    {
        return content.problems.empty() && closure.empty();
    }
};

// What verify demands beyond a valid signature by a trusted key.
struct VerifyPolicy
{
    std::size_t required_signatures = 1; // distinct trusted keys
    bool allow_expired = false;          // accept a bundle past its `expires`, as import does
};

// Checks the signature (Errc::signature_invalid as the error) and the expiry (Errc::policy, as
// import does), then reads the whole bundle and reports every digest, size and structure problem
// in the report rather than stopping at the first. Stream damage (truncation) is the error.
// Writes nothing anywhere.
Result<VerifyReport> verify_bundle(const std::filesystem::path& bundle,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   const VerifyPolicy& policy,
                                   const std::vector<std::filesystem::path>& parts_dirs = {});

} // namespace airlock::unpack
