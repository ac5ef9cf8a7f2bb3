// SPDX-License-Identifier: Apache-2.0
//
// fsck of a registry store, through the distribution API: every manifest each tag reaches is
// fetched by digest and every config and layer streamed and hashed, so damage on the
// registry's disk (or a blob lost from it) is found from the client side. Each blob is hashed
// once; in the other repositories that use it its presence is checked (HEAD), as a registry
// links blobs per repository. There is no --repair: a registry keeps a blob's bytes under its
// digest and does not take an upload of a digest it holds, so only its own tools can mend it.

#include "../registry_repositories.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/store_fsck.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <map>
#include <set>

namespace airlock::unpack {

namespace {

namespace media_type = manifest::media_type;

constexpr int k_max_depth = 4; // index of indexes of manifests, and no deeper

class RegistryCheck
{
  public:
    RegistryCheck(registry::RegistryClient& client, http::Client& http)
        : m_client(client)
        , m_http(http)
    {
    }

    // Checks what `reference` (a tag) of `repository` reaches, charging damage to `tag`.
    Result<> check_tag(const std::string& repository, const std::string& tag)
    {
        const std::string name = str_cat(repository, ":", tag);
        auto top = m_client.get_manifest(m_http, repository, tag);
        if (!top) {
            return record_manifest_error(std::move(top.error()), std::nullopt, name);
        }
        count(top->digest, top->bytes.size());
        return check_document(repository, top->digest, top->bytes, top->media_type, name, 0);
    }

    FsckReport report() &&
    {
        for (auto& [digest, broken] : m_broken) {
            m_report.broken.push_back(std::move(broken));
        }
        return std::move(m_report);
    }

  private:
    Result<> check_document(const std::string& repository,
                            const manifest::Digest& digest,
                            const std::string& bytes,
                            const std::string& type,
                            const std::string& name,
                            int depth)
    {
        if (depth > k_max_depth) {
            broken(digest,
                   BrokenBlob::Kind::unreadable,
                   str_cat("indexes nested deeper than ", k_max_depth),
                   name);
            return {};
        }
        if (media_type::is_index(type)) {
            auto index = manifest::parse_image_index(bytes, type);
            if (!index) {
                broken(digest, BrokenBlob::Kind::unreadable, index.error().message, name);
                return {};
            }
            for (const auto& child : index->manifests) {
                AIRLOCK_TRY(check_cancel());
                // Every platform an index names was pushed with it: one missing breaks it.
                auto fetched = m_client.get_manifest(m_http, repository, child.digest.str());
                if (!fetched) {
                    AIRLOCK_TRY(
                        record_manifest_error(std::move(fetched.error()), child.digest, name));
                    continue;
                }
                count(child.digest, fetched->bytes.size());
                AIRLOCK_TRY(check_document(repository,
                                           child.digest,
                                           fetched->bytes,
                                           fetched->media_type,
                                           name,
                                           depth + 1));
            }
            return {};
        }
        auto parsed = manifest::parse_image_manifest(bytes, type);
        if (!parsed) {
            broken(digest, BrokenBlob::Kind::unreadable, parsed.error().message, name);
            return {};
        }
        AIRLOCK_TRY(check_blob(repository, parsed->config, name));
        for (const auto& layer : parsed->layers) {
            if (!layer.urls.empty()) {
                continue; // a foreign layer: the registry never had it
            }
            AIRLOCK_TRY(check_blob(repository, layer, name));
        }
        return {};
    }

    Result<> check_blob(const std::string& repository,
                        const manifest::Descriptor& d,
                        const std::string& name)
    {
        AIRLOCK_TRY(check_cancel());
        // Bytes that do not match their digest are wrong in every repository; a blob missing
        // from one repository may be in another, so that is asked again.
        if (const auto it = m_broken.find(d.digest);
            it != m_broken.end() && it->second.kind == BrokenBlob::Kind::corrupt) {
            it->second.tags.push_back(name);
            return {};
        }
        const std::pair<std::string, manifest::Digest> link{repository, d.digest};
        if (m_missing.contains(link)) {
            broken(d.digest, BrokenBlob::Kind::missing, "not in " + repository, name);
            return {};
        }
        if (m_hashed.contains(d.digest) || m_broken.contains(d.digest)) {
            if (!m_linked.insert(link).second) {
                return {};
            }
            AIRLOCK_TRY_ASSIGN(const bool present,
                               m_client.blob_exists(m_http, repository, d.digest));
            if (!present) {
                m_missing.insert(link);
                broken(d.digest, BrokenBlob::Kind::missing, "not in " + repository, name);
            }
            return {};
        }
        crypto::Sha256 hash;
        std::uint64_t size = 0;
        bool too_long = false;
        const http::BodySink sink = [&](const http::Response&,
                                        std::span<const char> chunk) -> Result<> {
            AIRLOCK_TRY(check_cancel());
            size += chunk.size();
            if (size > d.size) {
                too_long = true; // a registry that streams on and on is cut at the declared size
                return fail(Errc::digest_mismatch, "longer than declared");
            }
            hash.update(std::string_view(chunk.data(), chunk.size()));
            return {};
        };
        auto fetched = m_client.get_blob(m_http, repository, d.digest, std::nullopt, sink);
        m_linked.insert(link);
        if (!fetched && too_long) {
            broken(d.digest,
                   BrokenBlob::Kind::corrupt,
                   str_cat("more bytes than the ", d.size, " declared"),
                   name);
            return {};
        }
        AIRLOCK_TRY_ASSIGN(const http::Response response, std::move(fetched));
        if (response.status == 404) {
            m_missing.insert(link);
            broken(d.digest, BrokenBlob::Kind::missing, "not in " + repository, name);
            return {};
        }
        if (response.status != 200) {
            return fail(Errc::http_status,
                        str_cat(m_client.host(),
                                " answered ",
                                response.status,
                                " to GET of ",
                                repository,
                                "@",
                                d.digest.str()));
        }
        const std::string hex = hash.finish_hex();
        if (hex != d.digest.hex() || size != d.size) {
            broken(d.digest,
                   BrokenBlob::Kind::corrupt,
                   str_cat(size,
                           " bytes hashing to sha256:",
                           hex.substr(0, 12),
                           "...; ",
                           d.size,
                           " declared"),
                   name);
            return {};
        }
        m_hashed.insert(d.digest);
        count(d.digest, size);
        return {};
    }

    Result<> record_manifest_error(Error error,
                                   const std::optional<manifest::Digest>& digest,
                                   const std::string& name)
    {
        if (error.code == Errc::digest_mismatch && digest) {
            broken(*digest, BrokenBlob::Kind::corrupt, error.message, name);
            return {};
        }
        if (error.code == Errc::not_found && digest) {
            broken(*digest, BrokenBlob::Kind::missing, "manifest not in the registry", name);
            return {};
        }
        return std::unexpected(std::move(error).with_context("while checking " + name));
    }

    void count(const manifest::Digest& digest, std::uint64_t size)
    {
        if (m_counted.insert(digest).second) {
            ++m_report.checked;
            m_report.bytes_checked += size;
        }
    }

    void broken(const manifest::Digest& digest,
                BrokenBlob::Kind kind,
                std::string detail,
                const std::string& name)
    {
        auto it = m_broken.find(digest);
        if (it == m_broken.end()) {
            it = m_broken.emplace(digest, BrokenBlob{kind, digest, std::move(detail), {}, false})
                     .first;
        }
        it->second.tags.push_back(name);
    }

    registry::RegistryClient& m_client;
    http::Client& m_http;
    FsckReport m_report;
    std::set<manifest::Digest> m_hashed;
    std::set<manifest::Digest> m_counted;
    std::set<std::pair<std::string, manifest::Digest>> m_linked;
    std::set<std::pair<std::string, manifest::Digest>> m_missing;
    std::map<manifest::Digest, BrokenBlob> m_broken;
};

} // namespace

Result<FsckReport>
fsck_registry(std::string_view spec, const registry::RegistryOptions& access, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const RegistryTarget target, parse_registry_target(spec));
    std::string prefix = target.prefix;
    while (prefix.ends_with('/')) {
        prefix.pop_back();
    }
    AIRLOCK_TRY_ASSIGN(const auto client,
                       registry::RegistryClient::connect(target.host, access, reporter));
    http::Client http;
    AIRLOCK_TRY_ASSIGN(const std::vector<std::string> repositories,
                       registry_repositories(*client, http, prefix, {}));
    RegistryCheck check(*client, http);
    for (const auto& repository : repositories) {
        AIRLOCK_TRY_ASSIGN(const std::vector<std::string> tags,
                           client->list_tags(http, repository));
        for (const auto& tag : std::set<std::string>(tags.begin(), tags.end())) {
            AIRLOCK_TRY(check.check_tag(repository, tag));
        }
    }
    return std::move(check).report();
}

} // namespace airlock::unpack
