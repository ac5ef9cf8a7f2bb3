// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/unpack/site_check.hpp>

namespace airlock::unpack {

const char* channel_state_name(SiteCheck::Channel state)
{
    switch (state) {
    case SiteCheck::Channel::none:
        return "none";
    case SiteCheck::Channel::ahead:
        return "ahead";
    case SiteCheck::Channel::same:
        return "same";
    case SiteCheck::Channel::behind:
        return "behind";
    case SiteCheck::Channel::conflict:
        return "conflict";
    }
    return "none";
}

Result<manifest::Inventory> load_inventory(const std::filesystem::path& path)
{
    AIRLOCK_TRY_ASSIGN(const std::string text, read_file(path, 256ULL << 20U));
    return manifest::parse_inventory(text, path.string());
}

SiteCheck check_against_inventory(const manifest::Inventory& site,
                                  const std::string& inventory,
                                  const manifest::BundleManifest& bundle,
                                  const std::string& bundle_digest)
{
    SiteCheck out;
    out.inventory = inventory;
    out.store = site.store;
    out.required = bundle.required.size();
    for (const auto& blob : bundle.required) {
        if (!site.blobs.contains(blob.digest)) {
            out.missing.push_back(blob);
        }
    }
    const auto mark =
        bundle.channel.empty() ? site.channels.end() : site.channels.find(bundle.channel);
    if (mark == site.channels.end() || !bundle.sequence) {
        return out;
    }
    out.site_sequence = mark->second.sequence;
    const std::uint64_t sequence = *bundle.sequence;
    out.channel = sequence > mark->second.sequence       ? SiteCheck::Channel::ahead
                  : sequence < mark->second.sequence     ? SiteCheck::Channel::behind
                  : mark->second.bundle == bundle_digest ? SiteCheck::Channel::same
                                                         : SiteCheck::Channel::conflict;
    return out;
}

} // namespace airlock::unpack
