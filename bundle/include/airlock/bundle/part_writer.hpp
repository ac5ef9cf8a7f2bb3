// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>
#include <airlock/bundle/signer.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/parts_manifest.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle {

// Cuts the bundle stream into numbered parts of at most `max` bytes for media, hashing each
// part and the whole on the way. The parts stay under temporary names until commit_parts
// switches them in together with the parts file.
class PartWriter
{
  public:
    // Parts of the bundle `bundle` (BUNDLE.001, BUNDLE.002, ...) of at most `max` bytes, at most
    // `max_parts` of them (their numbers are as wide as that needs; see part_number_digits).
    PartWriter(std::filesystem::path bundle, std::uint64_t max, std::uint64_t max_parts = 999);

    Result<> write(std::span<const char> data);

    // Every part's name, size and SHA-256; the files stay uncommitted (take_files()).
    std::vector<manifest::BundlePart> finish();

    std::vector<AtomicFile> take_files();

    // The digits of every part number of this set.
    std::size_t digits() const;

    std::uint64_t total() const
    {
        return m_total;
    }

    std::string whole_sha256();

  private:
    void close_part();
    Result<> rotate();

    std::filesystem::path m_base;
    std::uint64_t m_max;
    std::uint64_t m_max_parts;
    std::vector<AtomicFile> m_files;
    std::vector<manifest::BundlePart> m_parts;
    std::uint64_t m_current_size = 0;
    std::uint64_t m_total = 0;
    crypto::Sha256 m_part_hash;
    crypto::Sha256 m_whole_hash;
};

// Ends a split bundle: the parts file BUNDLE.parts.json names every part `parts` wrote with its
// size and SHA-256, signed by `signer` like `bundle_json` so that each medium can be checked on
// its own; it is written, then switched in with the parts, all or nothing, so an earlier set at
// this path stays whole until this one is complete. The switch also removes what the new set
// makes stale: parts beyond the new ones, a whole bundle at `bundle` and BUNDLE.cosign.json.
// The part names. Errc::io.
Result<std::vector<std::string>> commit_parts(PartWriter& parts,
                                              const std::filesystem::path& bundle,
                                              std::string_view bundle_json,
                                              const Signer& signer);

// Ends a bundle in one file: `file`, written to completion, is switched in at `bundle` together
// with the removal of what it makes stale (BUNDLE.cosign.json, an earlier split form's parts
// file and parts), all or nothing. Errc::io.
Result<> commit_whole(AtomicFile& file, const std::filesystem::path& bundle);

} // namespace airlock::bundle
