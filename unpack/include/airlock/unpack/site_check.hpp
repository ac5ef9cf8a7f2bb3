// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/inventory.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// Whether a bundle would import at a site, judged on the connected side from the site's
// inventory (`verify --against`): the blobs a differential bundle needs, and the channel.
struct SiteCheck
{
    std::string inventory; // the file
    std::string store;     // the store it describes
    std::size_t required = 0;
    std::vector<manifest::BundleBlob> missing; // required blobs the site does not hold

    enum class Channel {
        none,     // the bundle has no channel, or the site has no mark of it yet
        ahead,    // a later sequence than the site's: imports
        same,     // the bundle the site imported last: a re-import changes nothing
        behind,   // older than the site's mark: refused (--allow-downgrade)
        conflict, // the site's sequence, but another bundle: refused
    } channel = Channel::none;
    std::optional<std::uint64_t> site_sequence;

    bool importable() const
    {
        return missing.empty() && channel != Channel::behind && channel != Channel::conflict;
    }
};

const char* channel_state_name(SiteCheck::Channel state);

// Reads the inventory file `path` (before the bundle, so that a wrong file is named at once).
// Errc::format when it is not an inventory; Errc::io, Errc::not_found.
Result<manifest::Inventory> load_inventory(const std::filesystem::path& path);

// Checks `bundle` (whose bundle.json has the digest `bundle_digest`, "sha256:...") against the
// inventory `site` read from the file `inventory`.
SiteCheck check_against_inventory(const manifest::Inventory& site,
                                  const std::string& inventory,
                                  const manifest::BundleManifest& bundle,
                                  const std::string& bundle_digest);

} // namespace airlock::unpack
