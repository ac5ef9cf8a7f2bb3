// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "archive_source.hpp"
#include "blob_cache.hpp"
#include "layout_index.hpp"

#include <airlock/manifest/reference.hpp>
#include <airlock/pack/image_source.hpp>
#include <airlock/registry/client.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace airlock::pack {

// Images in an OCI/Docker registry ("docker.io/library/alpine:3.19", "docker://...").
// Documents are verified against their digests; blobs go through the shared cache.
// Thread-safe: `blob_file` may run on several threads at once.
class RegistrySource final : public ImageSource
{
  public:
    RegistrySource(std::string reference,
                   manifest::Reference parsed,
                   std::shared_ptr<registry::RegistryClient> client,
                   std::shared_ptr<BlobCache> cache,
                   Reporter& reporter);

    const std::string& reference() const override
    {
        return m_reference;
    }

    bool from_registry() const override
    {
        return true;
    }

    Result<ResolvedRoot> resolve() override;
    Result<std::string> fetch_document(const manifest::Descriptor& descriptor) override;
    Result<std::filesystem::path> blob_file(const manifest::Descriptor& descriptor) override;
    BlobAvailability availability(const manifest::Descriptor& descriptor) const override;
    bool discard_cached(const manifest::Descriptor& descriptor) override;
    Result<std::vector<AttachedManifest>> attachments(const manifest::Digest& subject) override;

  private:
    // The manifest tagged `tag`, kept for fetch_document; nothing when there is no such tag.
    Result<std::optional<manifest::Descriptor>> tagged_manifest(http::Client& http,
                                                                const std::string& tag);

    // The manifests a referrers index lists (`what` names it in errors).
    Result<> add_referrers(std::string_view index,
                           std::string_view what,
                           std::vector<AttachedManifest>& out);

    Result<std::filesystem::path> fetch_foreign(const manifest::Descriptor& descriptor,
                                                http::Client& http);

    std::string m_reference;
    manifest::Reference m_parsed;
    std::shared_ptr<registry::RegistryClient> m_client;
    std::shared_ptr<BlobCache> m_cache;
    Reporter& m_reporter;
    std::mutex m_mutex;
    std::map<manifest::Digest, std::string> m_documents; // manifests fetched so far
};

// Makes sources for references; connects once per registry and shares the cache.
class SourceFactory
{
  public:
    SourceFactory(const registry::RegistryOptions& options, Reporter& reporter);

    // "oci:DIR[:REF]", "docker-archive:FILE[:REF]", "oci-archive:FILE[:REF]" or a registry
    // reference (optionally "docker://"). Errc::usage (an unknown transport: the error lists
    // those there are), Errc::format, Errc::network, Errc::auth.
    Result<std::unique_ptr<ImageSource>> make(std::string_view reference);

    // Downloads of every source made here count their bytes in `progress` from now on
    // (nothing: no longer). Not while downloads run.
    void count_downloads_in(PhaseProgress* progress)
    {
        m_cache->count_downloads_in(progress);
    }

    // Downloads of every source made here report to `live` from now on (nothing: no longer).
    // Not while downloads run.
    void follow_downloads_in(LiveDownloads* live)
    {
        m_cache->follow_downloads_in(live);
    }

  private:
    const registry::RegistryOptions& m_options;
    Reporter& m_reporter;
    std::shared_ptr<BlobCache> m_cache;
    std::map<std::string, std::shared_ptr<registry::RegistryClient>> m_clients;
    ArchiveSources m_archives;
    LayoutIndexes m_layouts;
};

} // namespace airlock::pack
