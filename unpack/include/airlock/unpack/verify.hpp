// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/bundle/trust.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
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

// Checks the signature (Errc::signature_invalid as the error), then reads the whole bundle and
// reports every digest, size and structure problem in the report rather than stopping at the
// first. Stream damage (truncation) is the error. Writes nothing anywhere.
Result<VerifyReport> verify_bundle(const std::filesystem::path& bundle,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   std::size_t required_signatures = 1,
                                   const std::vector<std::filesystem::path>& parts_dirs = {});

// What the media at hand hold of a split bundle: each part intact, damaged or missing.
struct PartsReport
{
    std::string bundle;                   // the bundle's file name, from the signed parts file
    std::vector<bundle::PartCheck> parts; // in the parts file's order
    std::size_t intact = 0;
    std::size_t damaged = 0;
    std::size_t missing = 0;

    // Every part is here and matches the parts file: the bundle itself can be verified.
    bool complete() const
    {
        return intact == parts.size();
    }
};

// When `bundle` names a split bundle (its parts file or one of its parts): finds the parts in
// the parts file's directory, the named part's and `parts_dirs`, checks the parts file's
// signatures (at least `required_signatures` trusted keys; Errc::signature_invalid with the parts
// file as context) and hashes each part found against it, so that each medium can be checked on
// its own. Nothing when `bundle` is a whole bundle. Errc::not_found or Errc::format for the parts
// file, Errc::io for a part that cannot be read.
Result<std::optional<PartsReport>>
verify_parts(const std::filesystem::path& bundle,
             const bundle::TrustedKeys& trusted,
             std::size_t required_signatures = 1,
             const std::vector<std::filesystem::path>& parts_dirs = {});

} // namespace airlock::unpack
