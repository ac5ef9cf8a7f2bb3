// SPDX-License-Identifier: Apache-2.0
//
// The inventory of a registry store: the repositories under its prefix (from the catalog, or
// as given), every tag of each, and every blob their manifests name. Blobs are listed by what
// the manifests say; a registry answers for the blobs of the manifests it accepted.

#include "registry_channel_state.hpp"
#include "registry_repositories.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/inventory.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using nlohmann::json;

namespace {

class RegistryWalk
{
  public:
    RegistryWalk(registry::RegistryClient& client, http::Client& http)
        : m_client(client)
        , m_http(http)
    {
    }

    // Adds the manifest `reference` of `repository` and everything it names; returns its digest.
    Result<manifest::Digest> add(const std::string& repository, const std::string& reference)
    {
        AIRLOCK_TRY(check_cancel());
        AIRLOCK_TRY_ASSIGN(const registry::FetchedManifest fetched,
                           m_client.get_manifest(m_http, repository, reference));
        if (!m_blobs.emplace(fetched.digest, fetched.bytes.size()).second) {
            return fetched.digest; // its children are in already
        }
        if (media_type::is_index(fetched.media_type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                               manifest::parse_image_index(fetched.bytes, fetched.media_type));
            for (const auto& child : index.manifests) {
                // A platform the site did not take (a single-platform import of an index is
                // stored as that platform's manifest) is simply not there.
                auto added = add(repository, child.digest.str());
                if (!added && added.error().code != Errc::not_found) {
                    return std::unexpected(std::move(added.error()));
                }
            }
        } else {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                               manifest::parse_image_manifest(fetched.bytes, fetched.media_type));
            m_blobs.emplace(m.config.digest, m.config.size);
            for (const auto& layer : m.layers) {
                m_blobs.emplace(layer.digest, layer.size);
            }
        }
        return fetched.digest;
    }

    const std::map<manifest::Digest, std::uint64_t>& blobs() const
    {
        return m_blobs;
    }

  private:
    registry::RegistryClient& m_client;
    http::Client& m_http;
    std::map<manifest::Digest, std::uint64_t> m_blobs;
};

} // namespace

Result<std::vector<std::string>> registry_repositories(registry::RegistryClient& client,
                                                       http::Client& http,
                                                       const std::string& prefix,
                                                       const std::vector<std::string>& given)
{
    std::vector<std::string> names;
    if (given.empty()) {
        AIRLOCK_TRY_ASSIGN(const std::vector<std::string> all, client.list_repositories(http));
        const std::string state = channel_state_repository(prefix);
        for (const auto& name : all) {
            if ((prefix.empty() || name.starts_with(prefix + "/")) && name != state) {
                names.push_back(name);
            }
        }
    } else {
        for (const auto& name : given) {
            names.push_back(prefix.empty() || name.starts_with(prefix + "/") ? name
                                                                             : prefix + "/" + name);
        }
    }
    return names;
}

Result<std::string> registry_inventory(std::string_view spec,
                                       const std::vector<std::string>& repositories,
                                       const registry::RegistryOptions& options,
                                       Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const RegistryTarget target, parse_registry_target(spec));
    std::string prefix = target.prefix;
    while (prefix.ends_with('/')) {
        prefix.pop_back();
    }
    AIRLOCK_TRY_ASSIGN(const auto client,
                       registry::RegistryClient::connect(target.host, options, reporter));
    http::Client http;
    AIRLOCK_TRY_ASSIGN(const std::vector<std::string> names,
                       registry_repositories(*client, http, prefix, repositories));
    RegistryWalk walk(*client, http);
    json images = json::array();
    for (const auto& repository : names) {
        AIRLOCK_TRY_ASSIGN(const std::vector<std::string> tags,
                           client->list_tags(http, repository));
        std::set<std::string> sorted(tags.begin(), tags.end());
        for (const auto& tag : sorted) {
            AIRLOCK_TRY_ASSIGN(const manifest::Digest digest, walk.add(repository, tag));
            images.push_back({{"name", str_cat(target.host, "/", repository)},
                              {"tag", tag},
                              {"digest", digest.str()}});
        }
    }
    json blobs = json::array();
    for (const auto& [digest, size] : walk.blobs()) {
        blobs.push_back({{"digest", digest.str()}, {"size", size}});
    }
    return manifest::canonical_dump(
        {{"format", manifest::k_inventory_format},
         {"formatVersion", 1},
         {"store", str_cat("docker://", target.host, prefix.empty() ? "" : "/" + prefix)},
         {"blobs", blobs},
         {"images", images}});
}

} // namespace airlock::unpack
