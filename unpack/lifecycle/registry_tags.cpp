// SPDX-License-Identifier: Apache-2.0
//
// rm and prune on a registry store. A tag goes by DELETE of the manifest by digest (the
// manifest and every tag on it in that repository), or by tag where the registry deletes tags
// (distribution 3 and others; Docker's registry 2.x answers 400). Blobs stay until the
// registry's own garbage collector runs on its host: the API has no way to reclaim them.

#include "../registry_repositories.hpp"
#include "image_facts.hpp"
#include "tag_store.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <set>

namespace airlock::unpack {

namespace {

constexpr std::uint64_t k_max_config = 16ULL << 20U;

class RegistryTags final : public TagStore
{
  public:
    RegistryTags(RegistryTarget target, std::shared_ptr<registry::RegistryClient> client)
        : m_target(std::move(target))
        , m_client(std::move(client))
    {
        while (m_target.prefix.ends_with('/')) {
            m_target.prefix.pop_back();
        }
    }

    std::string name() const override
    {
        return str_cat(
            "docker://", m_target.host, m_target.prefix.empty() ? "" : "/" + m_target.prefix);
    }

    Result<std::vector<StoredTag>> list_tags(bool with_created,
                                             const std::vector<std::string>& wanted) override
    {
        if (wanted.empty() && m_target.prefix.empty()) {
            return fail(Errc::usage,
                        str_cat("prune --store docker://",
                                m_target.host,
                                " would apply retention to every repository of the registry, "
                                "including those airlock never wrote: give the prefix airlock "
                                "imports under (docker://",
                                m_target.host,
                                "/PREFIX)"));
        }
        std::vector<std::string> given;
        for (const auto& name : wanted) {
            given.push_back(below_host(name));
        }
        AIRLOCK_TRY_ASSIGN(const std::vector<std::string> repositories,
                           registry_repositories(*m_client, m_http, m_target.prefix, given));
        std::vector<StoredTag> out;
        for (const auto& repository :
             std::set<std::string>(repositories.begin(), repositories.end())) {
            auto tags = m_client->list_tags(m_http, repository);
            if (!tags && tags.error().code == Errc::not_found) {
                continue; // named by a ref, not in the registry: that ref matches nothing
            }
            if (!tags) {
                return std::unexpected(std::move(tags.error()));
            }
            for (const auto& tag : std::set<std::string>(tags->begin(), tags->end())) {
                AIRLOCK_TRY(check_cancel());
                if (manifest::is_attachment_tag(tag)) {
                    continue; // a signature, attestation or referrers list: its subject's
                }
                AIRLOCK_TRY_ASSIGN(const registry::FetchedManifest top,
                                   m_client->get_manifest(m_http, repository, tag));
                StoredTag stored{repository, aliases(repository), tag, top.digest, {}, {}, {}};
                if (manifest::media_type::is_index(top.media_type)) {
                    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                                       manifest::parse_image_index(top.bytes, top.media_type));
                    for (const auto& child : index.manifests) {
                        stored.children.push_back(child.digest);
                    }
                }
                if (with_created) {
                    AIRLOCK_TRY_ASSIGN(
                        const ImageFacts facts,
                        stored_image_facts(top.bytes, top.media_type, reader(repository)));
                    stored.created = facts.created;
                    stored.version = facts.version;
                }
                out.push_back(std::move(stored));
            }
        }
        return out;
    }

    std::string lister() const override
    {
        return str_cat("airlock inventory --store ", name(), " -o -");
    }

    Result<> untag(const Untag& u, const TagRemoved& removed) override
    {
        if (u.whole) {
            AIRLOCK_TRY_ASSIGN(const auto deleted,
                               m_client->delete_manifest(m_http, u.repository, u.digest.str()));
            if (deleted == registry::RegistryClient::Deleted::unsupported) {
                return fail(Errc::unsupported,
                            str_cat(m_target.host,
                                    " refuses to delete ",
                                    u.repository,
                                    "@",
                                    u.digest.str(),
                                    ": deletes must be enabled in the registry's configuration "
                                    "(storage: delete: enabled: true for Docker's registry)"));
            }
            for (const auto& tag : u.tags) {
                removed(tag);
            }
            return {};
        }
        for (const auto& tag : u.tags) {
            AIRLOCK_TRY_ASSIGN(const auto deleted,
                               m_client->delete_manifest(m_http, u.repository, tag));
            if (deleted == registry::RegistryClient::Deleted::unsupported) {
                return fail(Errc::unsupported,
                            str_cat(m_target.host,
                                    " does not delete the tag ",
                                    u.repository,
                                    ":",
                                    tag,
                                    " alone (it deletes images by digest only, or not at all), "
                                    "and other tags of ",
                                    u.repository,
                                    " name the same image: 'airlock rm ",
                                    u.repository,
                                    "@",
                                    u.digest.str(),
                                    "' removes every tag of it, where no index that stays "
                                    "uses it"));
            }
            removed(tag);
        }
        return {};
    }

    Result<std::string> reclaim(bool dry_run) override
    {
        return str_cat("the blobs no manifest uses ",
                       dry_run ? "would stay" : "stay",
                       " in ",
                       m_target.host,
                       " until its garbage collector runs on the registry host "
                       "(Docker's registry: registry garbage-collect CONFIG, with the registry "
                       "read-only or stopped)");
    }

  private:
    // "HOST/PREFIX/name" as the registry's repository path: a ref may carry the host.
    std::string below_host(const std::string& name) const
    {
        const std::string host = m_target.host + "/";
        return name.starts_with(host) ? name.substr(host.size()) : name;
    }

    // The repository below the prefix ("sample") and with the host ("HOST/site/sample").
    std::vector<std::string> aliases(const std::string& repository) const
    {
        std::vector<std::string> out = {str_cat(m_target.host, "/", repository)};
        if (!m_target.prefix.empty() && repository.starts_with(m_target.prefix + "/")) {
            out.push_back(repository.substr(m_target.prefix.size() + 1));
        }
        return out;
    }

    StoredDocument reader(const std::string& repository)
    {
        return [this,
                repository](const manifest::Descriptor& d) -> Result<std::optional<std::string>> {
            if (manifest::media_type::is_index(d.media_type)
                || manifest::media_type::is_manifest(d.media_type)) {
                auto m = m_client->get_manifest(m_http, repository, d.digest.str());
                if (!m && m.error().code == Errc::not_found) {
                    return std::optional<std::string>();
                }
                if (!m) {
                    return std::unexpected(std::move(m.error()));
                }
                return std::optional<std::string>(std::move(m->bytes));
            }
            std::string bytes;
            const http::BodySink sink = [&](const http::Response&,
                                            std::span<const char> chunk) -> Result<> {
                if (bytes.size() + chunk.size() > k_max_config) {
                    return fail(Errc::format,
                                str_cat("config ", d.digest.str(), " is larger than 16 MiB"));
                }
                bytes.append(chunk.data(), chunk.size());
                return {};
            };
            AIRLOCK_TRY_ASSIGN(
                const http::Response response,
                m_client->get_blob(m_http, repository, d.digest, std::nullopt, sink));
            if (response.status != 200) {
                return std::optional<std::string>();
            }
            return std::optional<std::string>(std::move(bytes));
        };
    }

    RegistryTarget m_target;
    std::shared_ptr<registry::RegistryClient> m_client;
    http::Client m_http;
};

} // namespace

Result<std::unique_ptr<TagStore>>
open_registry_tags(std::string_view spec, const StoreOptions& options, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(RegistryTarget target, parse_registry_target(spec));
    AIRLOCK_TRY_ASSIGN(
        auto client,
        registry::RegistryClient::connect(target.host, options.registry_access, reporter));
    return std::make_unique<RegistryTags>(std::move(target), std::move(client));
}

} // namespace airlock::unpack
