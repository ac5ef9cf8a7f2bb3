// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/bundle/trust.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/parts_manifest.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::bundle {

// A bundle split into parts, as found on the media at hand.
struct PartsSet
{
    std::filesystem::path parts_file;
    manifest::PartsFile file;
    std::vector<std::optional<std::filesystem::path>> paths; // per part, where it was found
};

// When `argument` is a parts file (BUNDLE.parts.json), a part (BUNDLE.001) or the name of a
// split bundle (BUNDLE, no such file, BUNDLE.parts.json beside it or in `dirs`), loads the parts
// file and looks for each part in its directory and in `dirs` (several mounted sticks).
// Nothing when `argument` is a whole bundle. Errc::not_found, Errc::format.
Result<std::optional<PartsSet>> find_parts(const std::filesystem::path& argument,
                                           const std::vector<std::filesystem::path>& dirs);

// Checks the parts file's own signatures and the co-signatures of its manifest against
// `trusted`, as for bundle.json. Errc::signature_invalid naming the parts file.
Result<> authenticate_parts_file(const PartsSet& parts,
                                 const TrustedKeys& trusted,
                                 std::size_t required_signatures);

// Where the co-signatures of a split bundle are kept: BUNDLE.cosign.json beside its parts file.
std::filesystem::path cosignature_path(const PartsSet& parts);

// Which parts a reader needs: all of them, or those from the first up to the first missing
// one (enough for bundle.json and the signatures, which lead the stream).
enum class PartsNeeded {
    all,
    leading,
};

// The paths of the parts in order (all, or the leading ones present), each with the listed
// size. Errc::not_found naming every missing part that is needed, Errc::digest_mismatch
// naming a part of the wrong size.
Result<std::vector<std::filesystem::path>> complete_parts(const PartsSet& parts,
                                                          PartsNeeded needed = PartsNeeded::all);

struct PartCheck
{
    std::string name;
    enum class State {
        intact,
        damaged,
        missing,
    } state = State::missing;
    std::string detail;
};

// Hashes every part that is present against the parts file (whose signature the caller checked).
Result<std::vector<PartCheck>> check_parts(const PartsSet& parts);

// What the media at hand hold of a split bundle: each part intact, damaged or missing.
struct PartsReport
{
    std::string bundle;           // the bundle's file name, from the signed parts file
    std::vector<PartCheck> parts; // in the parts file's order
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
// signatures and co-signatures (at least `required_signatures` trusted keys;
// Errc::signature_invalid with the parts file as context) and hashes each part found against it, so
// that each medium can be checked on its own. Nothing when `bundle` is a whole bundle.
// Errc::not_found or Errc::format for the parts file, Errc::io for a part that cannot be read.
Result<std::optional<PartsReport>>
verify_parts(const std::filesystem::path& bundle,
             const TrustedKeys& trusted,
             std::size_t required_signatures = 1,
             const std::vector<std::filesystem::path>& parts_dirs = {});

} // namespace airlock::bundle
