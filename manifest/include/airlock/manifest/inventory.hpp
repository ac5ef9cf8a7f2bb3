// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace airlock::manifest {

inline constexpr std::string_view k_inventory_format = "airlock-inventory";

// What a site's store holds, as `airlock inventory` writes it (docs/format.md): read on the
// connected side by `pack --since` (which blobs to leave out) and `verify --against` (would a
// bundle import there).
struct Inventory
{
    std::string store;      // "oci:/var/lib/airlock/store"
    std::set<Digest> blobs; // entries whose digest does not parse are left out

    struct ChannelMark
    {
        std::uint64_t sequence = 0;
        std::string bundle; // "sha256:..." of the bundle.json imported at `sequence`
    };

    std::map<std::string, ChannelMark> channels; // by channel name; absent in older inventories
};

// Parses an inventory file's text; `source` names it in errors. Errc::format when it is not
// an inventory (or its channels are malformed).
Result<Inventory> parse_inventory(std::string_view text, const std::string& source);

} // namespace airlock::manifest
