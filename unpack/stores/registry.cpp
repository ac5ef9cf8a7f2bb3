// SPDX-License-Identifier: Apache-2.0
//
// import --to docker://HOST[/PREFIX]. One pass over the bundle, as for an OCI store, but each
// blob's bytes flow from the tar reader through a small bounded pipe into an upload running on
// its own thread, so reading and decompressing overlap the network and no blob is ever held
// whole. The registry verifies each blob's digest on the closing PUT; we hash it as well. Only
// when the whole bundle verified are manifests pushed (by digest, children before indexes,
// checking the digest the registry reports), and tags come last: a bad bundle leaves no new
// tag behind, only unreferenced blobs.

#include "../bounded_pipe.hpp"
#include "../bundle_policy.hpp"
#include "../lookaside_store.hpp"
#include "../push_pool.hpp"
#include "../registry_channel_state.hpp"
#include "../store_identity.hpp"
#include "kinds.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/manifest/registries_d.hpp>
#include <airlock/manifest/version.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/credentials.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;

namespace {

// Remembers which repositories of one registry hold which blobs, so that a later import can
// mount a blob from there instead of uploading it again (Docker keeps the same record). Kept in
// the cache directory; losing it costs only uploads.
class PushRecord
{
  public:
    explicit PushRecord(std::filesystem::path file)
        : m_file(std::move(file))
    {
        auto text = read_file(m_file, 64ULL << 20U);
        if (!text) {
            return;
        }
        auto doc = manifest::parse_bounded_json(*text, m_file.string());
        if (!doc || !doc->is_object()) {
            return;
        }
        for (const auto& [key, repos] : doc->items()) {
            auto digest = manifest::Digest::parse(key);
            if (digest && repos.is_array()) {
                for (const auto& r : repos) {
                    if (r.is_string()) {
                        m_known[*digest].push_back(r.get<std::string>());
                    }
                }
            }
        }
    }

    const std::vector<std::string>& repositories(const manifest::Digest& digest)
    {
        return m_known[digest];
    }

    void add(const manifest::Digest& digest, const std::string& repository)
    {
        auto& list = m_known[digest];
        if (std::find(list.begin(), list.end(), repository) == list.end()) {
            list.insert(list.begin(), repository);
            if (list.size() > 8) {
                list.pop_back();
            }
            m_changed = true;
        }
    }

    // Writes the record back atomically (best effort: failing to remember is not an error).
    void save()
    {
        if (!m_changed || !make_directories(m_file.parent_path())) {
            return;
        }
        nlohmann::json doc = nlohmann::json::object();
        for (const auto& [digest, repos] : m_known) {
            if (!repos.empty()) {
                doc[digest.str()] = repos;
            }
        }
        m_changed = !write_file_atomic(m_file, doc.dump());
    }

  private:
    std::filesystem::path m_file;
    std::map<manifest::Digest, std::vector<std::string>> m_known;
    bool m_changed = false;
};

// Pushes each config and layer to the repositories that need it, as the bundle streams.
class PushSink final : public bundle::BlobSink
{
  public:
    PushSink(registry::RegistryClient& client,
             http::Client& http,
             PushRecord& record,
             const manifest::BundleManifest& bundle,
             const std::vector<std::string>& repositories,
             std::uint64_t chunk_size,
             const Documents& documents)
        : m_client(client)
        , m_http(http)
        , m_record(record)
        , m_bundle(bundle)
        , m_repositories(repositories)
        , m_chunk_size(chunk_size)
        , m_documents(documents)
    {
    }

    PushSink(const PushSink&) = delete;
    PushSink& operator=(const PushSink&) = delete;

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        m_blob = &blob;
        m_buffering = false;
        if (media_type::is_index(blob.media_type) || media_type::is_manifest(blob.media_type)) {
            return {}; // pushed through the manifests endpoint once everything verified
        }
        if (!m_needers_known) {
            map_needers();
        }
        const auto it = m_needers.find(blob.digest);
        if (it == m_needers.end() || it->second.empty()) {
            return {};
        }
        if (m_pool != nullptr && blob.size <= k_small_blob) {
            // Small: kept until it verified, then pushed by the pool beside the next ones.
            m_buffering = true;
            m_buffer.clear();
            m_buffer.reserve(blob.size);
            return {};
        }
        AIRLOCK_TRY_ASSIGN(const bool placed, reuse(m_http, blob.digest, it->second.front()));
        if (placed) {
            return {};
        }
        m_upload = std::make_unique<PipedUpload>(
            [this, primary = it->second.front(), digest = blob.digest, size = blob.size](
                const PipedUpload::Source& source) {
                http::Client http;
                return m_client.upload_blob(http, primary, digest, size, source, m_chunk_size);
            });
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        if (m_buffering) {
            m_buffer.append(data.data(), data.size());
        } else if (m_upload) {
            AIRLOCK_TRY(m_upload->push(data));
        }
        return {};
    }

    Result<> end(bool verified) override
    {
        if (m_buffering) {
            m_buffering = false;
            if (!verified) {
                return {}; // the reader reports the mismatch; nothing was sent
            }
            return m_pool->submit(
                [this,
                 digest = m_blob->digest,
                 needers = &m_needers.at(m_blob->digest),
                 bytes = std::move(m_buffer)](http::Client& http) -> Result<> {
                    AIRLOCK_TRY_ASSIGN(const bool placed, reuse(http, digest, needers->front()));
                    if (!placed) {
                        AIRLOCK_TRY(upload_bytes(http, needers->front(), digest, bytes));
                    }
                    return spread(http, digest, *needers);
                },
                m_blob->size);
        }
        if (m_upload) {
            const std::unique_ptr<PipedUpload> upload = std::move(m_upload);
            if (!verified) {
                upload->abort(); // never complete an upload of bytes that did not verify
                return {};       // the reader reports the mismatch
            }
            AIRLOCK_TRY(upload->finish());
            counted_upload(m_blob->digest, m_blob->size, m_needers[m_blob->digest].front());
        }
        if (!verified || m_blob == nullptr) {
            return {};
        }
        const auto it = m_needers.find(m_blob->digest);
        if (it == m_needers.end()) {
            return {};
        }
        return spread(m_http, m_blob->digest, it->second);
    }

    // Pushes run by the pool from now on (nothing: each blob on the reader's thread).
    void use_pool(PushPool* pool)
    {
        m_pool = pool;
    }

    // Blobs a differential bundle left out must already be in every repository that needs them
    // (or mountable from where this registry got them before).
    Result<> ensure_required(const std::string& store)
    {
        if (!m_needers_known) {
            map_needers();
        }
        for (const auto& blob : m_bundle.required) {
            for (const auto& repository : m_needers[blob.digest]) {
                AIRLOCK_TRY_ASSIGN(bool present,
                                   m_client.blob_exists(m_http, repository, blob.digest));
                for (const auto& from :
                     std::vector<std::string>(m_record.repositories(blob.digest))) {
                    if (present) {
                        break;
                    }
                    if (from != repository) {
                        AIRLOCK_TRY_ASSIGN(
                            present, m_client.mount_blob(m_http, repository, blob.digest, from));
                        m_counters.mounted += present ? 1 : 0;
                    }
                }
                if (!present) {
                    return std::unexpected(
                        missing_required_blob(m_bundle, repository, blob, store));
                }
                m_record.add(blob.digest, repository);
            }
        }
        return {};
    }

    // --dry-run: what the push would find, by asking the registry only. A blob the first
    // repository that needs it lacks counts as mounted when a repository this machine pushed it
    // to still holds it. Fails as ensure_required would when a blob a differential bundle left
    // out is in none of them.
    Result<BlobCounts> preview(const std::string& store)
    {
        if (!m_needers_known) {
            map_needers();
        }
        BlobCounts counts;
        for (const auto& blob : m_bundle.blobs) {
            const auto it = m_needers.find(blob.digest);
            if (it == m_needers.end() || it->second.empty()) {
                continue; // manifests, pushed through their own endpoint
            }
            AIRLOCK_TRY_ASSIGN(const Reach reach, reach_of(blob.digest, it->second.front()));
            (reach == Reach::absent ? counts.written
             : reach == Reach::held ? counts.present
                                    : counts.mounted) += 1;
            (reach == Reach::absent ? counts.bytes : counts.bytes_present) += blob.size;
        }
        for (const auto& blob : m_bundle.required) {
            for (const auto& repository : m_needers[blob.digest]) {
                AIRLOCK_TRY_ASSIGN(const Reach reach, reach_of(blob.digest, repository));
                if (reach == Reach::absent) {
                    return std::unexpected(
                        missing_required_blob(m_bundle, repository, blob, store));
                }
            }
        }
        return counts;
    }

    const BlobCounts& counts() const
    {
        return m_counters;
    }

  private:
    // Small blobs go to the pool whole; larger ones stream as the bundle is read.
    static constexpr std::uint64_t k_small_blob = 1ULL << 20U;

    // Whether `repository` has blob `digest` already, or got it by a mount from a repository
    // this machine pushed it to before (counted either way).
    Result<bool>
    reuse(http::Client& http, const manifest::Digest& digest, const std::string& repository)
    {
        AIRLOCK_TRY_ASSIGN(const bool exists, m_client.blob_exists(http, repository, digest));
        if (exists) {
            const std::lock_guard lock(m_mutex);
            ++m_counters.present;
            m_record.add(digest, repository);
            return true;
        }
        std::vector<std::string> known;
        {
            const std::lock_guard lock(m_mutex);
            known = m_record.repositories(digest);
        }
        for (const auto& from : known) {
            if (from == repository) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const bool mounted,
                               m_client.mount_blob(http, repository, digest, from));
            if (mounted) {
                const std::lock_guard lock(m_mutex);
                ++m_counters.mounted;
                m_record.add(digest, repository);
                return true;
            }
        }
        return false;
    }

    // Uploads a small verified blob from memory.
    Result<> upload_bytes(http::Client& http,
                          const std::string& repository,
                          const manifest::Digest& digest,
                          const std::string& bytes)
    {
        std::size_t offset = 0;
        AIRLOCK_TRY(m_client.upload_blob(
            http,
            repository,
            digest,
            bytes.size(),
            [&](std::span<char> out) -> Result<std::size_t> {
                const std::size_t n = std::min(out.size(), bytes.size() - offset);
                std::copy_n(bytes.data() + offset, n, out.data());
                offset += n;
                return n;
            },
            m_chunk_size));
        counted_upload(digest, bytes.size(), repository);
        return {};
    }

    void counted_upload(const manifest::Digest& digest,
                        std::uint64_t size,
                        const std::string& repository)
    {
        const std::lock_guard lock(m_mutex);
        ++m_counters.written;
        m_counters.bytes += size;
        m_record.add(digest, repository);
    }

    // Every other repository that needs the blob gets it by mount, never by a second upload.
    Result<> spread(http::Client& http,
                    const manifest::Digest& digest,
                    const std::vector<std::string>& needers)
    {
        for (std::size_t i = 1; i < needers.size(); ++i) {
            const std::string& repository = needers[i];
            AIRLOCK_TRY_ASSIGN(const bool exists, m_client.blob_exists(http, repository, digest));
            if (exists) {
                const std::lock_guard lock(m_mutex);
                m_record.add(digest, repository);
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const bool mounted,
                               m_client.mount_blob(http, repository, digest, needers.front()));
            if (!mounted) {
                return fail(Errc::unsupported,
                            str_cat("registry ",
                                    m_client.host(),
                                    " did not mount blob ",
                                    digest.str(),
                                    " into ",
                                    repository,
                                    " from ",
                                    needers.front(),
                                    "; import the images of each repository in their own bundle"));
            }
            const std::lock_guard lock(m_mutex);
            ++m_counters.mounted;
            m_record.add(digest, repository);
        }
        return {};
    }

    enum class Reach {
        held,      // the repository has the blob
        mountable, // another repository this machine pushed it to has it
        absent,
    };

    Result<Reach> reach_of(const manifest::Digest& digest, const std::string& repository)
    {
        AIRLOCK_TRY_ASSIGN(const bool held, m_client.blob_exists(m_http, repository, digest));
        if (held) {
            return Reach::held;
        }
        for (const auto& from : std::vector<std::string>(m_record.repositories(digest))) {
            if (from == repository) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const bool there, m_client.blob_exists(m_http, from, digest));
            if (there) {
                return Reach::mountable;
            }
        }
        return Reach::absent;
    }

    // Which repositories need each config and layer, first needer first.
    void map_needers()
    {
        m_needers_known = true;
        const auto add = [&](const Descriptor& d, const std::string& repository) {
            auto& list = m_needers[d.digest];
            if (std::find(list.begin(), list.end(), repository) == list.end()) {
                list.push_back(repository);
            }
        };
        const auto add_manifest = [&](const manifest::Digest& digest,
                                      const std::string& type,
                                      const std::string& repository) {
            const auto doc = m_documents.find(digest);
            if (doc == m_documents.end()) {
                return;
            }
            auto parsed = manifest::parse_image_manifest(doc->second, type);
            if (!parsed) {
                return;
            }
            add(parsed->config, repository);
            for (const auto& layer : parsed->layers) {
                add(layer, repository);
            }
        };
        for (std::size_t i = 0; i < m_bundle.images.size(); ++i) {
            const auto& image = m_bundle.images[i];
            for (const auto& attachment : image.attachments) {
                add_manifest(attachment.digest, attachment.media_type, m_repositories[i]);
            }
            if (media_type::is_index(image.media_type)) {
                const auto doc = m_documents.find(image.digest);
                if (doc == m_documents.end()) {
                    continue;
                }
                auto index = manifest::parse_image_index(doc->second, image.media_type);
                if (!index) {
                    continue;
                }
                for (const auto& child : index->manifests) {
                    add_manifest(child.digest, child.media_type, m_repositories[i]);
                }
            } else {
                add_manifest(image.digest, image.media_type, m_repositories[i]);
            }
        }
    }

    registry::RegistryClient& m_client;
    http::Client& m_http;
    PushRecord& m_record;
    const manifest::BundleManifest& m_bundle;
    const std::vector<std::string>& m_repositories;
    std::uint64_t m_chunk_size;
    const Documents& m_documents;
    const manifest::BundleBlob* m_blob = nullptr;
    bool m_needers_known = false;
    std::map<manifest::Digest, std::vector<std::string>> m_needers;
    std::unique_ptr<PipedUpload> m_upload; // of the current blob
    PushPool* m_pool = nullptr;
    bool m_buffering = false; // the current blob is small: kept in m_buffer for the pool
    std::string m_buffer;
    std::mutex m_mutex; // guards m_counters and m_record, which the pool's threads update
    BlobCounts m_counters;
};

// The version of what a tag of `repository` points at in the registry; empty when unknown.
Result<std::string> registry_version(registry::RegistryClient& client,
                                     http::Client& http,
                                     const std::string& repository,
                                     const registry::FetchedManifest& current)
{
    const auto read = [&](const Descriptor& d) -> Result<std::optional<std::string>> {
        if (media_type::is_index(d.media_type) || media_type::is_manifest(d.media_type)) {
            AIRLOCK_TRY_ASSIGN(registry::FetchedManifest m,
                               client.get_manifest(http, repository, d.digest.str()));
            return std::optional<std::string>(std::move(m.bytes));
        }
        std::string bytes;
        const http::BodySink sink = [&](const http::Response&,
                                        std::span<const char> chunk) -> Result<> {
            if (bytes.size() + chunk.size() > (16U << 20U)) {
                return fail(Errc::format, "config too large");
            }
            bytes.append(chunk.data(), chunk.size());
            return {};
        };
        AIRLOCK_TRY_ASSIGN(const http::Response response,
                           client.get_blob(http, repository, d.digest, std::nullopt, sink));
        if (response.status != 200) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(std::move(bytes));
    };
    return stored_image_version(current.bytes, current.media_type, read);
}

// A registry as a store. Differential bundles are welcome: what they leave out may be in the
// registry already, or mountable from where this machine pushed it before.
class RegistryStore final : public Store
{
    // What the pool's queued small blobs may hold in memory at once.
    static constexpr std::uint64_t k_pool_budget = 64ULL << 20U;

  public:
    RegistryStore(RegistryTarget target, StoreOptions options)
        : m_target(std::move(target))
        , m_options(std::move(options))
    {
    }

    std::string name() const override
    {
        return str_cat(
            "docker://", m_target.host, m_target.prefix.empty() ? "" : "/" + m_target.prefix);
    }

    std::string identity() const override
    {
        std::string prefix = m_target.prefix;
        while (prefix.ends_with('/')) {
            prefix.pop_back();
        }
        while (prefix.starts_with('/')) {
            prefix.erase(0, 1);
        }
        return str_cat("docker://",
                       normalise_registry_host(m_target.host),
                       prefix.empty() ? "" : "/" + prefix);
    }

    std::string ledger_name() const override
    {
        const std::string id = identity().substr(9);
        const auto slash = id.find('/');
        return str_cat("docker-",
                       id.substr(0, slash),
                       "-",
                       slash == std::string::npos ? "" : id.substr(slash + 1));
    }

    bool accepts_differential() const override
    {
        return true;
    }

    Result<>
    prepare(const IncomingBundle& bundle, ChannelGuard& channel, Reporter& reporter) override
    {
        m_bundle = &bundle.manifest;
        m_bundle_path = bundle.path;
        for (const auto& image : m_bundle->images) {
            AIRLOCK_TRY_ASSIGN(
                std::string repository,
                target_repository(image.name, m_target, m_options.keep_registry_host));
            m_repositories.push_back(std::move(repository));
        }
        const std::string state_repository = channel_state_repository(m_target.prefix);
        if (std::find(m_repositories.begin(), m_repositories.end(), state_repository)
            != m_repositories.end()) {
            return fail(Errc::usage,
                        str_cat(state_repository,
                                " is reserved for airlock's channel records; import into another "
                                "prefix"));
        }
        AIRLOCK_TRY_ASSIGN(
            m_client,
            registry::RegistryClient::connect(m_target.host, m_options.registry_access, reporter));
        if (m_options.channel_state.value_or(ChannelStatePlace::registry)
                == ChannelStatePlace::registry
            && channel.applies()) {
            channel.add(std::make_unique<RegistryChannelState>(m_client, state_repository));
            AIRLOCK_TRY(channel.check());
        }
        std::string record_name = m_target.host;
        std::replace(record_name.begin(), record_name.end(), ':', '_');
        const auto cache = m_options.registry_access.cache_dir.empty()
                               ? registry::default_cache_dir()
                               : m_options.registry_access.cache_dir;
        m_record.emplace(cache / "pushed" / (record_name + ".json"));
        return {};
    }

    Result<bundle::BlobSink*> receiver(const Documents& documents) override
    {
        m_sink.emplace(*m_client,
                       m_http,
                       *m_record,
                       *m_bundle,
                       m_repositories,
                       m_options.chunk_size,
                       documents);
        if (m_options.registry_access.jobs > 1) {
            m_pool.emplace(m_options.registry_access.jobs, k_pool_budget);
            m_sink->use_pool(&*m_pool);
        }
        return &*m_sink;
    }

    Result<> received(Result<bundle::ContentReport> streamed) override
    {
        // The blobs the pool still pushes are part of the stream's outcome.
        Result<> pushed = m_pool ? m_pool->wait() : Result<>{};
        if (streamed && !pushed) {
            streamed = std::unexpected(std::move(pushed.error()));
        }
        m_record->save(); // what landed stays known even when the import fails later
        if (!streamed) {
            return std::unexpected(std::move(streamed.error())
                                       .with_context(str_cat("while pushing ",
                                                             m_bundle_path.string(),
                                                             " to ",
                                                             name(),
                                                             "; no tag was changed")));
        }
        return {};
    }

    Result<BlobCounts> preview(const Documents& documents) override
    {
        AIRLOCK_TRY(receiver(documents));
        return m_sink->preview(name());
    }

    Result<> ensure_required(const Documents& /*documents*/) override
    {
        AIRLOCK_TRY(m_sink->ensure_required(name()));
        m_record->save();
        return {};
    }

    // Only the blobs the bundle left out, which ensure_required found or mounted.
    bool holds(const manifest::Digest& digest) const override
    {
        return std::any_of(m_bundle->required.begin(),
                           m_bundle->required.end(),
                           [&](const manifest::BundleBlob& b) { return b.digest == digest; });
    }

    // Manifests by digest (those the registry lacks): children before their index, so that
    // the registry accepts the index.
    // Images are independent of each other: with a pool, each image's manifests are one task.
    Result<> publish(const Documents& documents, ChannelGuard& /*channel*/) override
    {
        m_documents = &documents;
        for (std::size_t i = 0; i < m_bundle->images.size(); ++i) {
            auto push_image = [this, i](http::Client& http) -> Result<> {
                const auto& image = m_bundle->images[i];
                AIRLOCK_TRY_ASSIGN(const std::string bytes, document(image.digest));
                if (media_type::is_index(image.media_type)) {
                    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                                       manifest::parse_image_index(bytes, image.media_type));
                    for (const auto& child : index.manifests) {
                        AIRLOCK_TRY(push_manifest(http, m_repositories[i], child));
                    }
                }
                return push_manifest(
                    http,
                    m_repositories[i],
                    Descriptor{image.media_type, image.digest, image.size, {}, {}, {}});
            };
            if (m_pool) {
                AIRLOCK_TRY(m_pool->submit(std::move(push_image)));
            } else {
                AIRLOCK_TRY(push_image(m_http));
            }
        }
        if (!m_pool) {
            return {};
        }
        AIRLOCK_TRY(m_pool->wait());
        return prefetch_tags();
    }

    // What every tag the bundle names (and `latest`) points at now, asked side by side, so
    // that deciding the tags asks the registry nothing more for them: each repository's tag
    // list, then the manifest of each of those tags that exists (a catalog's new repositories
    // cost one request each).
    Result<> prefetch_tags()
    {
        std::map<std::string, std::set<std::string>> wanted; // repository -> tags
        for (std::size_t i = 0; i < m_bundle->images.size(); ++i) {
            auto& tags = wanted[m_repositories[i]];
            tags.insert(m_bundle->images[i].tags.begin(), m_bundle->images[i].tags.end());
            tags.insert("latest");
        }
        std::mutex mutex;
        const auto remember = [&](const std::string& repository,
                                  const std::string& tag,
                                  std::optional<registry::FetchedManifest> state) {
            const std::lock_guard lock(mutex);
            m_tag_states.insert_or_assign(std::pair{repository, tag}, std::move(state));
        };
        for (const auto& entry : wanted) {
            auto ask = [&, repository = entry.first, tags = &entry.second](
                           http::Client& http) -> Result<> {
                auto listed = m_client->list_tags(http, repository);
                if (!listed && listed.error().code == Errc::cancelled) {
                    return std::unexpected(std::move(listed.error()));
                }
                if (!listed && listed.error().code != Errc::not_found) {
                    return {}; // a registry that will not list them: tagged() asks for each tag
                }
                const std::set<std::string> there =
                    listed ? std::set<std::string>(listed->begin(), listed->end())
                           : std::set<std::string>();
                for (const auto& tag : *tags) {
                    if (!there.contains(tag)) {
                        remember(repository, tag, std::nullopt);
                        continue;
                    }
                    auto current = m_client->get_manifest(http, repository, tag);
                    if (!current && current.error().code != Errc::not_found) {
                        return std::unexpected(std::move(current.error()));
                    }
                    remember(repository,
                             tag,
                             current ? std::optional<registry::FetchedManifest>(std::move(*current))
                                     : std::nullopt);
                }
                return {};
            };
            AIRLOCK_TRY(m_pool->submit(std::move(ask)));
        }
        return m_pool->wait();
    }

    std::optional<std::string> image_id(std::size_t image) const override
    {
        return m_bundle->images.at(image).digest.str();
    }

    std::string image_name(std::size_t image) const override
    {
        return str_cat(m_target.host, "/", m_repositories.at(image));
    }

    // Into --signatures-dir, else the destination's lookaside-staging (or lookaside) directory
    // from registries.d: where the site's tools (skopeo, podman, CRI-O) read them.
    Result<std::size_t> keep_signatures(const std::vector<CarriedSignature>& signatures,
                                        Reporter& reporter) override
    {
        if (signatures.empty()) {
            return std::size_t{0};
        }
        std::optional<manifest::RegistriesD> config;
        std::size_t written = 0;
        std::size_t kept = 0;
        for (const auto& sig : signatures) {
            const std::string& repository = m_repositories.at(sig.image);
            std::filesystem::path dir = m_options.signatures_dir;
            if (dir.empty()) {
                if (!config) {
                    AIRLOCK_TRY_ASSIGN(config,
                                       manifest::load_registries_d(
                                           manifest::registries_d_dir(m_options.registries_d)));
                }
                const std::string url =
                    manifest::lookaside_url(*config, str_cat(m_target.host, "/", repository), true);
                const auto local = manifest::lookaside_directory(url);
                if (!local) {
                    reporter.warn(str_cat(
                        "the signatures of ",
                        m_target.host,
                        "/",
                        repository,
                        " were not written: registries.d names ",
                        url.empty()
                            ? std::string("no lookaside-staging for it")
                            : str_cat("a lookaside-staging that is not file:// (", url, ")"),
                        "; give --signatures-dir DIR (the directory the site's lookaside serves)"));
                    continue;
                }
                dir = *local;
            }
            // The images are in already: a signature that cannot be written is said, not fatal.
            auto wrote = write_lookaside_signature(dir, repository, sig.manifest.str(), sig.bytes);
            if (!wrote) {
                reporter.warn(str_cat("a signature of ",
                                      m_target.host,
                                      "/",
                                      repository,
                                      " was not written: ",
                                      wrote.error().message));
                continue;
            }
            written += *wrote ? 1U : 0U;
            ++kept;
        }
        if (written > 0) {
            reporter.info(str_cat(written, " vendor signature(s) written for ", name()));
        }
        return kept;
    }

    // Each attachment under its tag; each referrer by digest, and where the registry does not
    // index referrers itself (no OCI-Subject answer), listed in its subject's referrers tag
    // (sha256-HEX), as the distribution spec's fallback has clients do. Before any image tag.
    Result<std::size_t> keep_attachments(const std::vector<CarriedAttachment>& attachments,
                                         Reporter& reporter) override
    {
        // (repository, subject) -> the referrers its referrers tag must list
        std::map<std::pair<std::string, manifest::Digest>,
                 std::vector<const manifest::ImageAttachment*>>
            unindexed;
        std::size_t pushed_now = 0;
        std::size_t kept = 0; // pushed now or there already
        // The images are in already: an attachment that cannot be pushed is said, not fatal.
        const auto said = [&](const manifest::ImageAttachment& a,
                              const std::string& repository,
                              Result<Placed> outcome) {
            if (!outcome) {
                reporter.warn(str_cat("attachment ",
                                      a.digest.str(),
                                      " of ",
                                      m_target.host,
                                      "/",
                                      repository,
                                      " was not kept: ",
                                      outcome.error().message));
            } else if (*outcome != Placed::conflict) {
                ++kept;
                pushed_now += *outcome == Placed::pushed ? 1U : 0U;
            }
        };
        for (const auto& carried : attachments) {
            const manifest::ImageAttachment& a = *carried.attachment;
            const std::string& repository = m_repositories.at(carried.image);
            if (!a.tag.empty()) {
                said(a, repository, push_attachment_tag(repository, a, reporter));
                continue;
            }
            auto pushed = push_referrer(repository, a);
            if (pushed && !*pushed) {
                unindexed[{repository, a.subject}].push_back(&a);
            }
            said(a,
                 repository,
                 pushed ? Result<Placed>(Placed::pushed) : std::unexpected(pushed.error()));
        }
        for (const auto& [key, referrers] : unindexed) {
            if (auto listed = list_referrers(key.first, key.second, referrers); !listed) {
                reporter.warn(str_cat("the referrers tag of ",
                                      key.second.str(),
                                      " in ",
                                      m_target.host,
                                      "/",
                                      key.first,
                                      " was not updated: ",
                                      listed.error().message));
            }
        }
        if (pushed_now > 0) {
            reporter.info(str_cat(pushed_now, " attached manifest(s) pushed to ", name()));
        }
        return kept;
    }

    // What became of a sigstore attachment's tag.
    enum class Placed {
        pushed,
        present,  // the tag held that manifest already
        conflict, // the tag holds another manifest, which stays
    };

    // A sigstore attachment under its tag, unless the tag holds another manifest: the site's
    // own (a co-signature `cosign sign` added) is never overwritten.
    Result<Placed> push_attachment_tag(const std::string& repository,
                                       const manifest::ImageAttachment& a,
                                       Reporter& reporter)
    {
        auto current = m_client->get_manifest(m_http, repository, a.tag);
        if (current && current->digest == a.digest) {
            return Placed::present;
        }
        if (current) {
            reporter.warn(str_cat(m_target.host,
                                  "/",
                                  repository,
                                  ":",
                                  a.tag,
                                  " holds another manifest (",
                                  current->digest.str(),
                                  ") than the bundle's ",
                                  a.digest.str(),
                                  "; kept the registry's (cosign copy can merge them)"));
            return Placed::conflict;
        }
        if (current.error().code != Errc::not_found) {
            return std::unexpected(std::move(current.error()));
        }
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(a.digest));
        AIRLOCK_TRY(m_client->put_manifest(m_http, repository, a.tag, a.media_type, bytes));
        return Placed::pushed;
    }

    // A referrer by digest; whether the registry lists it among its subject's referrers itself.
    Result<bool> push_referrer(const std::string& repository, const manifest::ImageAttachment& a)
    {
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(a.digest));
        AIRLOCK_TRY_ASSIGN(
            const registry::RegistryClient::PushedManifest pushed,
            m_client->put_manifest(m_http, repository, a.digest.str(), a.media_type, bytes));
        return pushed.subject_indexed;
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override
    {
        m_current_repository = m_repositories.at(image);
        std::optional<registry::FetchedManifest> found;
        if (const auto known = m_tag_states.find({m_current_repository, tag});
            known != m_tag_states.end()) {
            found = known->second;
        } else {
            auto current = m_client->get_manifest(m_http, m_current_repository, tag);
            if (!current && current.error().code != Errc::not_found) {
                return std::unexpected(current.error());
            }
            if (current) {
                found = std::move(*current);
            }
        }
        m_current = std::move(found);
        if (!m_current) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(m_current->digest.str());
    }

    Result<std::string> tagged_version() override
    {
        return registry_version(*m_client, m_http, m_current_repository, *m_current);
    }

    // With a pool, the tag is pushed at commit, side by side with the others (the last one set
    // for a name wins, as it would one by one); what tagged() answers for it is the new state.
    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        const auto& bundle_image = m_bundle->images.at(image);
        AIRLOCK_TRY_ASSIGN(std::string bytes, document(bundle_image.digest));
        const std::string& repository = m_repositories.at(image);
        if (!m_pool) {
            AIRLOCK_TRY(
                m_client->put_manifest(m_http, repository, tag, bundle_image.media_type, bytes));
            return {};
        }
        m_pending_tags.insert_or_assign({repository, tag}, image);
        m_tag_states.insert_or_assign(std::pair{repository, tag},
                                      registry::FetchedManifest{std::move(bytes),
                                                                bundle_image.media_type,
                                                                bundle_image.digest});
        return {};
    }

    Result<> commit() override
    {
        if (!m_pool) {
            return {};
        }
        for (const auto& [key, image] : m_pending_tags) {
            auto push = [this, key, image](http::Client& http) -> Result<> {
                const auto& bundle_image = m_bundle->images.at(image);
                AIRLOCK_TRY_ASSIGN(const std::string bytes, document(bundle_image.digest));
                AIRLOCK_TRY(m_client->put_manifest(
                    http, key.first, key.second, bundle_image.media_type, bytes));
                return {};
            };
            AIRLOCK_TRY(m_pool->submit(std::move(push)));
        }
        m_pending_tags.clear();
        return m_pool->wait();
    }

    BlobCounts counts() const override
    {
        BlobCounts counts = m_sink ? m_sink->counts() : BlobCounts{};
        counts.manifests_added = m_manifests_added;
        return counts;
    }

  private:
    Result<std::string> document(const manifest::Digest& digest) const
    {
        const auto it = m_documents->find(digest);
        if (it == m_documents->end()) {
            return fail(Errc::format, str_cat("document ", digest.str(), " is not in the bundle"));
        }
        return it->second;
    }

    // Adds `referrers` to the referrers tag of `subject` in `repository` (made when missing),
    // keeping what it lists already.
    Result<> list_referrers(const std::string& repository,
                            const manifest::Digest& subject,
                            const std::vector<const manifest::ImageAttachment*>& referrers)
    {
        const std::string tag = manifest::attachment_tag(subject, "");
        nlohmann::json index = {{"schemaVersion", 2},
                                {"mediaType", media_type::oci_index},
                                {"manifests", nlohmann::json::array()}};
        auto current = m_client->get_manifest(m_http, repository, tag);
        if (current) {
            if (current->media_type != media_type::oci_index) {
                return fail(Errc::format,
                            str_cat(m_target.host,
                                    "/",
                                    repository,
                                    ":",
                                    tag,
                                    ", the referrers tag of ",
                                    subject.str(),
                                    ", is not an OCI index"));
            }
            AIRLOCK_TRY_ASSIGN(
                index, manifest::parse_bounded_json(current->bytes, str_cat(repository, ":", tag)));
            if (!index.is_object() || !index.contains("manifests")
                || !index["manifests"].is_array()) {
                return fail(Errc::format,
                            str_cat(repository, ":", tag, " is not a referrers index"));
            }
        } else if (current.error().code != Errc::not_found) {
            return std::unexpected(std::move(current.error()));
        }
        bool changed = false;
        for (const auto* a : referrers) {
            auto& listed = index["manifests"];
            const bool present = std::any_of(listed.begin(), listed.end(), [&](const auto& d) {
                return d.is_object() && d.value("digest", "") == a->digest.str();
            });
            if (present) {
                continue;
            }
            nlohmann::json d = {
                {"mediaType", a->media_type}, {"digest", a->digest.str()}, {"size", a->size}};
            if (!a->artifact_type.empty()) {
                d["artifactType"] = a->artifact_type;
            }
            // The spec has the referrer's own annotations in its entry (what clients filter on).
            AIRLOCK_TRY_ASSIGN(const std::string bytes, document(a->digest));
            if (const auto doc = manifest::parse_bounded_json(bytes, a->digest.str());
                doc && doc->is_object() && doc->contains("annotations")
                && (*doc)["annotations"].is_object()) {
                d["annotations"] = (*doc)["annotations"];
            }
            listed.push_back(std::move(d));
            changed = true;
        }
        if (!changed) {
            return {};
        }
        AIRLOCK_TRY(m_client->put_manifest(
            m_http, repository, tag, std::string(media_type::oci_index), index.dump()));
        return {};
    }

    Result<> push_manifest(http::Client& http, const std::string& repository, const Descriptor& d)
    {
        AIRLOCK_TRY_ASSIGN(const bool exists,
                           m_client->manifest_exists(http, repository, d.digest));
        if (exists) {
            return {};
        }
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(d.digest));
        AIRLOCK_TRY(m_client->put_manifest(http, repository, d.digest.str(), d.media_type, bytes));
        m_manifests_added = true;
        return {};
    }

    RegistryTarget m_target;
    StoreOptions m_options;
    const manifest::BundleManifest* m_bundle = nullptr;
    std::filesystem::path m_bundle_path;
    std::vector<std::string> m_repositories; // of each bundle image
    std::shared_ptr<registry::RegistryClient> m_client;
    http::Client m_http;
    std::optional<PushRecord> m_record;
    std::optional<PushSink> m_sink;
    const Documents* m_documents = nullptr;
    std::atomic<bool> m_manifests_added = false;
    // With a pool: what tags point at (nothing: no such tag), fetched ahead or set by this
    // import, and the tags to push at commit (name -> bundle image).
    std::map<std::pair<std::string, std::string>, std::optional<registry::FetchedManifest>>
        m_tag_states;
    std::map<std::pair<std::string, std::string>, std::size_t> m_pending_tags;
    std::string m_current_repository; // of the last `tagged`
    std::optional<registry::FetchedManifest> m_current;
    // --jobs above 1: the requests that may run side by side. Last, so that it is destroyed
    // first: its threads use the members above.
    std::optional<PushPool> m_pool;
};

} // namespace

Result<RegistryTarget> parse_registry_target(std::string_view spec)
{
    if (!spec.starts_with("docker://") || spec.size() <= 9) {
        return fail(
            Errc::usage,
            str_cat("unsupported store '", spec, "': expected docker://HOST[:PORT][/PREFIX]"));
    }
    std::string_view rest = spec.substr(9);
    while (rest.ends_with('/')) {
        rest.remove_suffix(1);
    }
    RegistryTarget target;
    const auto slash = rest.find('/');
    target.host = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) {
        target.prefix = std::string(rest.substr(slash + 1));
    }
    // The prefix must itself be a valid repository path.
    if (!target.prefix.empty() && !manifest::Reference::parse(target.host + "/" + target.prefix)) {
        return fail(Errc::usage,
                    str_cat("invalid repository prefix '", target.prefix, "' in ", spec));
    }
    return target;
}

Result<std::string>
target_repository(const std::string& name, const RegistryTarget& target, bool keep_host)
{
    AIRLOCK_TRY_ASSIGN(const manifest::Reference ref, manifest::Reference::parse(name));
    std::string path = ref.path();
    if (keep_host) {
        std::string host = ascii_lower(ref.domain());
        std::replace(host.begin(), host.end(), ':', '-');
        path = host + "/" + path;
    }
    return target.prefix.empty() ? path : target.prefix + "/" + path;
}

Result<std::unique_ptr<Store>> open_registry_store(std::string_view spec,
                                                   const StoreOptions& options)
{
    AIRLOCK_TRY_ASSIGN(RegistryTarget target, parse_registry_target(spec));
    return std::make_unique<RegistryStore>(std::move(target), options);
}

} // namespace airlock::unpack
