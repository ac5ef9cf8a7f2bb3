// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/parts_manifest.hpp>

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

// When `argument` is a parts file (BUNDLE.parts.json) or a part (BUNDLE.001), loads the parts
// file and looks for each part in its directory and in `dirs` (several mounted sticks).
// Nothing when `argument` is a whole bundle. Errc::not_found, Errc::format.
Result<std::optional<PartsSet>> find_parts(const std::filesystem::path& argument,
                                           const std::vector<std::filesystem::path>& dirs);

// The paths of all parts in order, each with the listed size. Errc::not_found naming every
// missing part, Errc::digest_mismatch naming a part of the wrong size.
Result<std::vector<std::filesystem::path>> complete_parts(const PartsSet& parts);

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

} // namespace airlock::bundle
