// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <cstddef>
#include <filesystem>
#include <vector>

namespace airlock::bundle {

// Co-signatures are signatures added after a bundle was packed (`airlock sign`). They live in
// BUNDLE.cosign.json (cosignature_path of the bundle's name, beside the bundle or its parts
// file), one per key over bundle.json and, for a split bundle, one per key over its parts
// manifest, so that adding one never rewrites the bundle or its parts; readers add them to the
// embedded ones (add_signatures).

// The co-signatures in `file`; none when there is no such file. Errc::io, Errc::format naming
// `file`.
Result<manifest::Cosignatures> read_cosignatures(const std::filesystem::path& file);

// Adds `signatures` to the co-signatures in `file`, each replacing an earlier one by the same
// key over the same document, and writes the file atomically. Errc::io, Errc::format.
Result<> add_cosignatures(const std::filesystem::path& file, manifest::Cosignatures signatures);

// Appends to `signatures` each of `more` whose key has no signature there yet: one key counts
// once, and an embedded signature is never displaced. Returns how many were added.
std::size_t add_signatures(std::vector<manifest::Signature>& signatures,
                           std::vector<manifest::Signature> more);

} // namespace airlock::bundle
