// SPDX-License-Identifier: Apache-2.0
#include "channel_state.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/unpack/inventory.hpp>
#include <airlock/unpack/store_images.hpp>

#include <nlohmann/json.hpp>

namespace airlock::unpack {

using nlohmann::json;

Result<std::string> store_inventory(const OciStore& store)
{
    json blobs = json::array();
    AIRLOCK_TRY_ASSIGN(const BlobDirectory found, store.scan_blobs());
    for (const auto& [digest, size] : found.blobs) {
        blobs.push_back({{"digest", digest.str()}, {"size", size}});
    }
    AIRLOCK_TRY_ASSIGN(const std::vector<StoreImage> images, list_store_images(store));
    json tags = json::array();
    for (const auto& image : images) {
        tags.push_back(
            {{"name", image.repository}, {"tag", image.tag}, {"digest", image.digest.str()}});
    }
    // Channel marks, so that the connected side can tell whether a bundle would be refused as
    // older than what the site has (verify --against).
    AIRLOCK_TRY_ASSIGN(const json ledger,
                       load_channel_ledger(store.root() / ".airlock" / "channels.json"));
    json channels = json::object();
    for (const auto& [name, mark] : ledger.items()) {
        channels[name] = {{"sequence", mark.at("sequence")}, {"bundle", mark.at("bundle")}};
    }
    return manifest::canonical_dump({{"format", manifest::k_inventory_format},
                                     {"formatVersion", 1},
                                     {"store", "oci:" + store.root().string()},
                                     {"blobs", blobs},
                                     {"images", tags},
                                     {"channels", channels}});
}

} // namespace airlock::unpack
