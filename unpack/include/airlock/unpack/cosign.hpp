// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/trust.hpp>
#include <airlock/unpack/verify.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::unpack {

struct CosignResult
{
    VerifyReport verified;       // what was signed: the bundle as verify saw it
    std::string key_id;          // the co-signer's key
    bool already_signed = false; // the key had signed before: nothing was written
    std::filesystem::path file;  // where the co-signature is kept
};

// Adds a signature by the private key in `key_file` over the bundle's bundle.json (and over the
// parts manifest of a split bundle), kept beside the bundle or its parts file
// (BUNDLE.cosign.json) so that the bundle is never rewritten. A co-signature vouches
// for content, so the bundle is verified first exactly as `verify` does: an existing signature
// by `policy.required_signatures` keys in `trusted`, not expired unless the policy allows it,
// every digest and every image's closure.
// Errc::signature_invalid, Errc::digest_mismatch / Errc::format (the first problem found) when it
// does not verify.
Result<CosignResult> cosign_bundle(const std::filesystem::path& bundle,
                                   const std::filesystem::path& key_file,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   const VerifyPolicy& policy,
                                   const std::vector<std::filesystem::path>& parts_dirs = {});

} // namespace airlock::unpack
