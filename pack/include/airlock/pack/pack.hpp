// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/platform.hpp>
#include <airlock/pack/image_list.hpp>
#include <airlock/registry/options.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::pack {

struct PackOptions
{
    std::vector<ImageRequest> sources; // registry references or "oci:DIR[:REF]", with overrides
    registry::RegistryOptions registry;
    std::vector<manifest::Platform> platforms; // empty: the host's platform
    bool all_platforms = false;                // keep whole indexes, original digests
    std::filesystem::path output;
    std::vector<std::filesystem::path> sign_keys; // PEM private keys; at least one
    archive::Compression compression;
    std::string channel;
    std::optional<std::uint64_t> sequence;
    // Seconds after the pack time (SOURCE_DATE_EPOCH when set, else now) when importers refuse
    // the bundle; nothing: no expiry.
    std::optional<std::int64_t> expires_after;
    // Differential: an inventory of the target store (airlock inventory) or the previous bundle;
    // layers it holds are left out and listed as required.
    std::filesystem::path since;
    // Write OUT.001, OUT.002, ... of at most this many bytes plus a signed OUT.parts.json.
    std::optional<std::uint64_t> split_size;
    // Bundle creation time; default: SOURCE_DATE_EPOCH, else the newest image's "created".
    std::optional<std::int64_t> created;
    // Carry the vendors' signatures of registry images (lookaside stores of registries.d).
    bool signatures = true;
    // registries.d directory; empty: the user's (~/.config/containers/registries.d) when it
    // exists, else /etc/containers/registries.d.
    std::filesystem::path registries_d;
    // Every image must carry a vendor's signature by one of these keys (OpenPGP binary keys
    // for simple signing, PEM keys for sigstore) over its digest, else the pack fails.
    std::vector<std::filesystem::path> require_source_signature;
};

struct PackSummary
{
    manifest::BundleManifest manifest;
    std::vector<std::string> signer_key_ids;
    std::uint64_t content_bytes = 0; // blob bytes in the stream
    std::uint64_t bundle_bytes = 0;  // size of the written file (all parts together)
    std::vector<std::string> parts;  // part files, when split
};

// Resolves every source, verifies every blob it reads and writes one signed bundle to
// `options.output` (atomically: the file appears only when complete). Errors name the source,
// image or digest concerned.
Result<PackSummary> pack(const PackOptions& options, Reporter& reporter);

} // namespace airlock::pack
