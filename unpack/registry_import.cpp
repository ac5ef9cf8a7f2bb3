// SPDX-License-Identifier: Apache-2.0
//
// import --to docker://HOST[/PREFIX]. One pass over the bundle, as for an OCI store, but each
// blob's bytes flow from the tar reader through a small bounded pipe into an upload running on
// its own thread, so reading and decompressing overlap the network and no blob is ever held
// whole. The registry verifies each blob's digest on the closing PUT; we hash it as well. Only
// when the whole bundle verified are manifests pushed (by digest, children before indexes,
// checking the digest the registry reports), and tags come last: a bad bundle leaves no new
// tag behind, only unreferenced blobs.

#include "registry_import.hpp"

#include "bounded_pipe.hpp"
#include "bundle_policy.hpp"
#include "image_closure.hpp"
#include "registry_channel_state.hpp"
#include "tagging.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/manifest/version.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/credentials.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
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
        auto doc = manifest::parse_json(*text, m_file.string());
        if (!doc || !doc->is_object()) {
            return;
        }
        for (const auto& [digest, repos] : doc->items()) {
            if (repos.is_array()) {
                for (const auto& r : repos) {
                    if (r.is_string()) {
                        m_known[digest].push_back(r.get<std::string>());
                    }
                }
            }
        }
    }

    const std::vector<std::string>& repositories(const manifest::Digest& digest)
    {
        return m_known[digest.str()];
    }

    void add(const manifest::Digest& digest, const std::string& repository)
    {
        auto& list = m_known[digest.str()];
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
                doc[digest] = repos;
            }
        }
        m_changed = !write_file_atomic(m_file, doc.dump());
    }

  private:
    std::filesystem::path m_file;
    std::map<std::string, std::vector<std::string>> m_known;
    bool m_changed = false;
};

struct PushCounters
{
    std::uint64_t uploaded = 0;
    std::uint64_t skipped = 0;
    std::uint64_t mounted = 0;
    std::uint64_t bytes = 0;
};

class PushSink final : public DocumentCollector
{
  public:
    PushSink(registry::RegistryClient& client,
             PushRecord& record,
             const manifest::BundleManifest& bundle,
             const std::vector<std::string>& repositories,
             std::uint64_t chunk_size)
        : m_client(client)
        , m_record(record)
        , m_bundle(bundle)
        , m_repositories(repositories)
        , m_chunk_size(chunk_size)
    {
    }

    PushSink(const PushSink&) = delete;
    PushSink& operator=(const PushSink&) = delete;

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        AIRLOCK_TRY(DocumentCollector::begin(blob));
        m_blob = &blob;
        if (media_type::is_index(blob.media_type) || media_type::is_manifest(blob.media_type)) {
            return {}; // pushed through the manifests endpoint once everything verified
        }
        if (!m_needers_known) {
            map_needers();
        }
        const auto it = m_needers.find(blob.digest.str());
        if (it == m_needers.end() || it->second.empty()) {
            return {};
        }
        const std::string& primary = it->second.front();
        AIRLOCK_TRY_ASSIGN(const bool exists, m_client.blob_exists(m_http, primary, blob.digest));
        if (exists) {
            ++m_counters.skipped;
            m_record.add(blob.digest, primary);
            return {};
        }
        // Pushed to another repository of this registry before: mount it from there.
        for (const auto& from : std::vector<std::string>(m_record.repositories(blob.digest))) {
            if (from == primary) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const bool mounted,
                               m_client.mount_blob(m_http, primary, blob.digest, from));
            if (mounted) {
                ++m_counters.mounted;
                m_record.add(blob.digest, primary);
                return {};
            }
        }
        m_upload =
            std::make_unique<PipedUpload>([this, primary, digest = blob.digest, size = blob.size](
                                              const PipedUpload::Source& source) {
                http::Client http;
                return m_client.upload_blob(http, primary, digest, size, source, m_chunk_size);
            });
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        AIRLOCK_TRY(DocumentCollector::write(data));
        if (m_upload) {
            AIRLOCK_TRY(m_upload->push(data));
        }
        return {};
    }

    Result<> end(bool verified) override
    {
        AIRLOCK_TRY(DocumentCollector::end(verified));
        if (m_upload) {
            const std::unique_ptr<PipedUpload> upload = std::move(m_upload);
            if (!verified) {
                upload->abort(); // never complete an upload of bytes that did not verify
                return {};       // the reader reports the mismatch
            }
            AIRLOCK_TRY(upload->finish());
            ++m_counters.uploaded;
            m_counters.bytes += m_blob->size;
            m_record.add(m_blob->digest, m_needers[m_blob->digest.str()].front());
        }
        if (!verified || m_blob == nullptr) {
            return {};
        }
        // Every other repository that needs the blob gets it by mount, never by a second upload.
        const auto it = m_needers.find(m_blob->digest.str());
        if (it == m_needers.end()) {
            return {};
        }
        for (std::size_t i = 1; i < it->second.size(); ++i) {
            const std::string& repository = it->second[i];
            AIRLOCK_TRY_ASSIGN(const bool exists,
                               m_client.blob_exists(m_http, repository, m_blob->digest));
            if (exists) {
                m_record.add(m_blob->digest, repository);
                continue;
            }
            AIRLOCK_TRY_ASSIGN(
                const bool mounted,
                m_client.mount_blob(m_http, repository, m_blob->digest, it->second.front()));
            if (!mounted) {
                return fail(Errc::unsupported,
                            str_cat("registry ",
                                    m_client.host(),
                                    " did not mount blob ",
                                    m_blob->digest.str(),
                                    " into ",
                                    repository,
                                    " from ",
                                    it->second.front(),
                                    "; import the images of each repository in their own bundle"));
            }
            ++m_counters.mounted;
            m_record.add(m_blob->digest, repository);
        }
        return {};
    }

    // Blobs a differential bundle left out must already be in every repository that needs them
    // (or mountable from where this registry got them before).
    Result<> ensure_required(const std::string& store)
    {
        if (!m_needers_known) {
            map_needers();
        }
        for (const auto& blob : m_bundle.required) {
            for (const auto& repository : m_needers[blob.digest.str()]) {
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

    const PushCounters& counters() const
    {
        return m_counters;
    }

    http::Client& http()
    {
        return m_http;
    }

  private:
    // Which repositories need each config and layer, first needer first.
    void map_needers()
    {
        m_needers_known = true;
        const auto add = [&](const Descriptor& d, const std::string& repository) {
            auto& list = m_needers[d.digest.str()];
            if (std::find(list.begin(), list.end(), repository) == list.end()) {
                list.push_back(repository);
            }
        };
        const auto add_manifest =
            [&](const std::string& digest, const std::string& type, const std::string& repository) {
                const auto doc = documents().find(digest);
                if (doc == documents().end()) {
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
            if (media_type::is_index(image.media_type)) {
                const auto doc = documents().find(image.digest.str());
                if (doc == documents().end()) {
                    continue;
                }
                auto index = manifest::parse_image_index(doc->second, image.media_type);
                if (!index) {
                    continue;
                }
                for (const auto& child : index->manifests) {
                    add_manifest(child.digest.str(), child.media_type, m_repositories[i]);
                }
            } else {
                add_manifest(image.digest.str(), image.media_type, m_repositories[i]);
            }
        }
    }

    registry::RegistryClient& m_client;
    PushRecord& m_record;
    const manifest::BundleManifest& m_bundle;
    const std::vector<std::string>& m_repositories;
    std::uint64_t m_chunk_size;
    http::Client m_http;
    const manifest::BundleBlob* m_blob = nullptr;
    bool m_needers_known = false;
    std::map<std::string, std::vector<std::string>> m_needers;
    std::unique_ptr<PipedUpload> m_upload; // of the current blob
    PushCounters m_counters;
};

// The version of what `repository:latest` points at in the registry; empty when unknown.
Result<std::string> registry_version(registry::RegistryClient& client,
                                     http::Client& http,
                                     const std::string& repository,
                                     const registry::FetchedManifest& current)
{
    const auto version_of_manifest = [&](const std::string& bytes,
                                         const std::string& type) -> Result<std::string> {
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(bytes, type));
        std::string config_bytes;
        const http::BodySink sink = [&](const http::Response&,
                                        std::span<const char> chunk) -> Result<> {
            if (config_bytes.size() + chunk.size() > (16U << 20U)) {
                return fail(Errc::format, "config too large");
            }
            config_bytes.append(chunk.data(), chunk.size());
            return {};
        };
        AIRLOCK_TRY_ASSIGN(const http::Response response,
                           client.get_blob(http, repository, m.config.digest, std::nullopt, sink));
        if (response.status != 200) {
            return std::string();
        }
        AIRLOCK_TRY_ASSIGN(const manifest::ImageConfig config,
                           manifest::parse_image_config(config_bytes));
        return manifest::image_version(m, config);
    };
    if (!media_type::is_index(current.media_type)) {
        return version_of_manifest(current.bytes, current.media_type);
    }
    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                       manifest::parse_image_index(current.bytes, current.media_type));
    const auto annotation = index.annotations.find(std::string(manifest::k_annotation_version));
    std::vector<std::string> versions;
    if (annotation == index.annotations.end()) {
        for (const auto& child : index.manifests) {
            AIRLOCK_TRY_ASSIGN(const registry::FetchedManifest m,
                               client.get_manifest(http, repository, child.digest.str()));
            AIRLOCK_TRY_ASSIGN(std::string v, version_of_manifest(m.bytes, m.media_type));
            versions.push_back(std::move(v));
        }
    }
    return manifest::agreed_version(annotation == index.annotations.end() ? "" : annotation->second,
                                    versions);
}

// Points planned tag `plan` of `repository` at the image, unless the rules say otherwise.
Result<TagChange> push_tag(registry::RegistryClient& client,
                           http::Client& http,
                           const std::string& repository,
                           const TagPlan& plan,
                           const manifest::BundleImage& image,
                           const std::string& bytes)
{
    auto current = client.get_manifest(http, repository, plan.tag);
    if (!current && current.error().code != Errc::not_found) {
        return std::unexpected(current.error());
    }
    const auto digest = current ? std::optional<std::string>(current->digest.str()) : std::nullopt;
    AIRLOCK_TRY_ASSIGN(TagChange change, decide_tag(plan, image, image.digest.str(), digest, [&] {
                           return registry_version(client, http, repository, *current);
                       }));
    if (change.action == TagChange::Action::added || change.action == TagChange::Action::moved) {
        AIRLOCK_TRY(client.put_manifest(http, repository, plan.tag, image.media_type, bytes));
    }
    return change;
}

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
        std::string host = ref.domain();
        std::replace(host.begin(), host.end(), ':', '-');
        std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) {
            return static_cast<char>(std::tolower(c));
        });
        path = host + "/" + path;
    }
    return target.prefix.empty() ? path : target.prefix + "/" + path;
}

Result<ImportSummary> import_to_registry(const ImportOptions& options,
                                         BundleReader& reader,
                                         ImportSummary summary,
                                         ChannelGuard& channel,
                                         Reporter& reporter)
{
    const auto& bundle = reader.header().manifest;
    const RegistryTarget& target = *options.registry;
    summary.store =
        str_cat("docker://", target.host, target.prefix.empty() ? "" : "/" + target.prefix);
    std::vector<std::string> repositories;
    for (const auto& image : bundle.images) {
        AIRLOCK_TRY_ASSIGN(std::string repository,
                           target_repository(image.name, target, options.keep_registry_host));
        repositories.push_back(std::move(repository));
    }
    const std::string state_repository = channel_state_repository(target.prefix);
    if (std::find(repositories.begin(), repositories.end(), state_repository)
        != repositories.end()) {
        return fail(Errc::usage,
                    str_cat(state_repository,
                            " is reserved for airlock's channel records; import into another "
                            "prefix"));
    }
    AIRLOCK_TRY_ASSIGN(
        const auto client,
        registry::RegistryClient::connect(target.host, options.registry_access, reporter));
    if (options.channel_state == ChannelStatePlace::registry && channel.applies()) {
        channel.add(std::make_unique<RegistryChannelState>(client, state_repository));
        AIRLOCK_TRY(channel.check());
    }
    std::string record_name = target.host;
    std::replace(record_name.begin(), record_name.end(), ':', '_');
    const auto cache = options.registry_access.cache_dir.empty()
                           ? registry::default_cache_dir()
                           : options.registry_access.cache_dir;
    PushRecord record(cache / "pushed" / (record_name + ".json"));
    PushSink sink(*client, record, bundle, repositories, options.chunk_size);
    auto streamed = reader.read_contents(sink, OnMismatch::stop, reporter);
    record.save(); // what landed stays known even when the import fails later
    if (!streamed) {
        return std::unexpected(std::move(streamed.error())
                                   .with_context(str_cat("while pushing ",
                                                         options.bundle.string(),
                                                         " to ",
                                                         summary.store,
                                                         "; no tag was changed")));
    }
    AIRLOCK_TRY(sink.ensure_required(summary.store));
    record.save();
    const auto nothing_else = [&](const manifest::Digest& d) { // required blobs were ensured above
        return std::any_of(bundle.required.begin(),
                           bundle.required.end(),
                           [&](const manifest::BundleBlob& b) { return b.digest == d; });
    };
    const auto no_lookup = [](const manifest::Digest& d) -> Result<std::string> {
        return fail(Errc::not_found, "document " + d.str() + " is not in the bundle");
    };
    for (const auto& image : bundle.images) {
        AIRLOCK_TRY(check_image_closure(image, bundle, sink.documents(), nothing_else, no_lookup));
    }

    http::Client& http = sink.http();
    const auto& documents = sink.documents();
    const auto document = [&](const manifest::Digest& d) -> Result<std::string> {
        const auto it = documents.find(d.str());
        if (it == documents.end()) {
            return fail(Errc::format, str_cat("document ", d.str(), " is not in the bundle"));
        }
        return it->second;
    };
    // Manifests by digest (those the registry lacks): children before their index, so the
    // registry accepts the index.
    const auto push_manifest = [&](const std::string& repository, const Descriptor& d) -> Result<> {
        AIRLOCK_TRY_ASSIGN(const bool exists, client->manifest_exists(http, repository, d.digest));
        if (exists) {
            return {};
        }
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(d.digest));
        AIRLOCK_TRY(client->put_manifest(http, repository, d.digest.str(), d.media_type, bytes));
        summary.index_changed = true;
        return {};
    };
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        const auto& image = bundle.images[i];
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(image.digest));
        if (media_type::is_index(image.media_type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                               manifest::parse_image_index(bytes, image.media_type));
            for (const auto& child : index.manifests) {
                AIRLOCK_TRY(push_manifest(repositories[i], child));
            }
        }
        AIRLOCK_TRY(push_manifest(
            repositories[i], Descriptor{image.media_type, image.digest, image.size, {}, {}, {}}));
    }
    // Tags last.
    const std::set<std::size_t> latest_candidates = newest_per_repository(bundle.images);
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        const auto& image = bundle.images[i];
        AIRLOCK_TRY_ASSIGN(const std::string bytes, document(image.digest));
        ImportedImage imported{
            str_cat(target.host, "/", repositories[i]), image.digest, image.version, {}};
        for (const auto& plan :
             plan_tags(image, options.extra_tags, latest_candidates.contains(i), options.latest)) {
            AIRLOCK_TRY_ASSIGN(TagChange change,
                               push_tag(*client, http, repositories[i], plan, image, bytes));
            if (change.action == TagChange::Action::kept) {
                reporter.warn(str_cat(imported.name, ": ", change.note));
            }
            summary.index_changed = summary.index_changed
                                    || change.action == TagChange::Action::added
                                    || change.action == TagChange::Action::moved;
            imported.tags.push_back(std::move(change));
        }
        summary.images.push_back(std::move(imported));
    }
    if (auto recorded = channel.record(); !recorded) {
        return std::unexpected(
            std::move(recorded.error())
                .with_context(str_cat("the images were pushed and tagged, but channel '",
                                      bundle.channel,
                                      "' sequence ",
                                      bundle.sequence.value_or(0),
                                      " was not recorded; re-run the same import to record it")));
    }
    summary.blobs_written = sink.counters().uploaded;
    summary.blobs_present = sink.counters().skipped;
    summary.blobs_mounted = sink.counters().mounted;
    summary.bytes_written = sink.counters().bytes;
    return summary;
}

} // namespace airlock::unpack
