// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

// The most parts a split bundle may have (five-digit part numbers); its parts file then stays
// under 16 MiB.
inline constexpr std::size_t k_max_bundle_parts = 99999;

// One piece of a bundle split for media: BUNDLE.001, BUNDLE.002, ...
struct BundlePart
{
    std::string name; // file name, no directory
    std::uint64_t size = 0;
    std::string sha256; // hex
};

// BUNDLE.parts.json: {"manifest": {...}, "signatures": [...]}, the signatures over the canonical
// bytes of "manifest", exactly as signatures.json signs bundle.json. The manifest names the
// bundle, its size and SHA-256, the SHA-256 of its bundle.json and every part.
struct PartsManifest
{
    std::string bundle; // the bundle's file name as packed
    std::uint64_t size = 0;
    std::string sha256;
    std::string bundle_json_sha256;
    std::vector<BundlePart> parts;
};

// Canonical bytes of the manifest part (what is signed). Errc::format.
Result<std::string> parts_manifest_to_json(const PartsManifest& parts);

// The whole parts file: manifest plus signatures. Errc::format.
Result<std::string> parts_file_to_json(const PartsManifest& parts,
                                       const std::vector<Signature>& signatures);

// A parsed parts file, with the exact signed bytes. Errc::format naming what is wrong.
struct PartsFile
{
    std::string manifest_bytes;
    PartsManifest manifest;
    std::vector<Signature> signatures;
};

Result<PartsFile> parse_parts_file(std::string_view bytes);

} // namespace airlock::manifest
