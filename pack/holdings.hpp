// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>

#include <filesystem>
#include <set>
#include <string>

namespace airlock::pack {

// What the target already holds, from an inventory or a previous bundle: digests, and a line
// for bundle.json saying what the assumption was based on.
struct TargetHoldings
{
    std::set<manifest::Digest> digests;
    std::string description;
};

// Reads `pack --since FILE`: an inventory (`airlock inventory`, JSON) or a previous bundle, of
// which only bundle.json is read. Errc::format when it is neither; Errc::io, Errc::not_found.
Result<TargetHoldings> load_holdings(const std::filesystem::path& path);

} // namespace airlock::pack
