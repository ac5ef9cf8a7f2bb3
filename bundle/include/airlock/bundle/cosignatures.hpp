// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <filesystem>
#include <vector>

namespace airlock::bundle {

// Co-signatures are signatures over a bundle's bundle.json added after it was packed (`airlock
// sign`). They live in BUNDLE.cosign.json (cosignature_path) in the format of signatures.json,
// one per key, so that adding one never rewrites the bundle; readers add them to the embedded
// ones.

// The co-signatures in `file`; none when there is no such file. Errc::io, Errc::format naming
// `file`.
Result<std::vector<manifest::Signature>> read_cosignatures(const std::filesystem::path& file);

// Adds `signatures` to the co-signatures in `file`, each replacing an earlier one by the same
// key, and writes the file atomically. Errc::io, Errc::format.
Result<> add_cosignatures(const std::filesystem::path& file,
                          std::vector<manifest::Signature> signatures);

} // namespace airlock::bundle
