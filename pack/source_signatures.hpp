// SPDX-License-Identifier: Apache-2.0
#pragma once

// pack --require-source-signature: every image packed must carry a vendor's signature by one
// of the given keys over the manifest digest being packed, checked before the bundle is written.

#include "image_plan.hpp"

#include <airlock/base/error.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::pack {

struct SourceKey
{
    enum class Kind {
        gpg,     // an OpenPGP public key or keyring (binary): simple signing, checked by gpgv
        sigstore // an ECDSA P-256 or Ed25519 PEM public key: sigstore signatures
    };
    Kind kind = Kind::gpg;
    std::filesystem::path file;
};

// Reads what each file is. Errc::not_found, Errc::usage for an armored OpenPGP key (gpgv reads
// binary keyrings: gpg --dearmor) or a file that is neither.
Result<std::vector<SourceKey>> load_source_keys(const std::vector<std::filesystem::path>& files);

// Checks that `planned` carries a simple-signing signature of its digest by one of `keys` whose
// payload names that digest and the image's repository, and records in image.verified_by
// which key vouched. Errc::signature_invalid naming the image and why each signature failed.
Result<> require_source_signature(PlannedImage& planned, const std::vector<SourceKey>& keys);

} // namespace airlock::pack
