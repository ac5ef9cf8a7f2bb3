// SPDX-License-Identifier: Apache-2.0
#include "registry_source.hpp"

#include "oci_layout_source.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace airlock::pack {

namespace fs = std::filesystem;
namespace media_type = manifest::media_type;
using manifest::Descriptor;

namespace {

constexpr std::uint64_t k_max_document = 16ULL << 20U;

bool is_foreign(const Descriptor& d)
{
    return d.media_type == media_type::docker_foreign_layer
           || d.media_type.starts_with("application/vnd.oci.image.layer.nondistributable.");
}

http::Limits limits_for(const registry::RegistryOptions& options)
{
    return http::Limits{std::chrono::seconds(30), options.stall_time, 1};
}

DownloadPolicy download_policy(const registry::RegistryOptions& options, std::string server)
{
    return DownloadPolicy{
        options.attempts, options.retry_time, std::move(server), options.retry_delays};
}

} // namespace

RegistrySource::RegistrySource(std::string reference,
                               manifest::Reference parsed,
                               std::shared_ptr<registry::RegistryClient> client,
                               std::shared_ptr<BlobCache> cache,
                               Reporter& reporter)
    : m_reference(std::move(reference))
    , m_parsed(std::move(parsed))
    , m_client(std::move(client))
    , m_cache(std::move(cache))
    , m_reporter(reporter)
{
}

Result<ResolvedRoot> RegistrySource::resolve()
{
    http::Client http(limits_for(m_client->options()));
    const std::string& ref = m_parsed.digest().empty() ? m_parsed.tag() : m_parsed.digest();
    AIRLOCK_TRY_ASSIGN(registry::FetchedManifest fetched,
                       m_client->get_manifest(http, m_parsed.path(), ref));
    if (!m_parsed.digest().empty() && fetched.digest.str() != m_parsed.digest()) {
        return fail(Errc::digest_mismatch,
                    str_cat(m_reference, ": registry served ", fetched.digest.str()));
    }
    ResolvedRoot out{.root = Descriptor{.media_type = fetched.media_type,
                                        .digest = fetched.digest,
                                        .size = fetched.bytes.size(),
                                        .platform = {},
                                        .urls = {},
                                        .annotations = {}},
                     .repository = m_parsed.name(),
                     .tag = m_parsed.tag()};
    const std::lock_guard lock(m_mutex);
    m_documents.insert_or_assign(fetched.digest, std::move(fetched.bytes));
    return out;
}

Result<std::string> RegistrySource::fetch_document(const Descriptor& d)
{
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_documents.find(d.digest); it != m_documents.end()) {
            return it->second;
        }
    }
    if (d.size > k_max_document) {
        return fail(
            Errc::format,
            str_cat(m_reference, ": document ", d.digest.str(), " claims ", d.size, " bytes"));
    }
    if (media_type::is_index(d.media_type) || media_type::is_manifest(d.media_type)) {
        http::Client http(limits_for(m_client->options()));
        AIRLOCK_TRY_ASSIGN(registry::FetchedManifest fetched,
                           m_client->get_manifest(http, m_parsed.path(), d.digest.str()));
        if (fetched.bytes.size() != d.size) {
            return fail(Errc::digest_mismatch,
                        str_cat(m_reference,
                                ": manifest ",
                                d.digest.str(),
                                " has ",
                                fetched.bytes.size(),
                                " bytes, its descriptor says ",
                                d.size));
        }
        const std::lock_guard lock(m_mutex);
        return m_documents.insert_or_assign(d.digest, std::move(fetched.bytes)).first->second;
    }
    // Configs are blobs: cached like layers, so a second pack fetches nothing. A cached copy
    // that does not match (a power failure after it was cached) is fetched again, once.
    for (int attempt = 0;; ++attempt) {
        AIRLOCK_TRY_ASSIGN(const fs::path path, blob_file(d));
        AIRLOCK_TRY_ASSIGN(std::string bytes, read_file(path, k_max_document));
        if (bytes.size() == d.size && crypto::sha256_hex(bytes) == d.digest.hex()) {
            return bytes;
        }
        if (attempt > 0 || !m_cache->evict(d.digest)) {
            return fail(Errc::digest_mismatch,
                        str_cat(m_reference,
                                ": config ",
                                d.digest.str(),
                                " as read from ",
                                path.string(),
                                " does not match its digest"));
        }
        m_reporter.warn(str_cat(m_reference,
                                ": the cached copy of config ",
                                d.digest.str(),
                                " was damaged; fetching it again"));
    }
}

bool RegistrySource::discard_cached(const Descriptor& d)
{
    return m_cache->evict(d.digest);
}

Result<fs::path> RegistrySource::fetch_foreign(const Descriptor& d, http::Client& http)
{
    std::string tried;
    for (const auto& url : d.urls) {
        if (!url.starts_with("https://")) {
            m_reporter.warn(str_cat(m_reference,
                                    ": not fetching foreign layer ",
                                    d.digest.str(),
                                    " from ",
                                    http::redact_url(url),
                                    ": only https URLs are used"));
            continue;
        }
        const std::string host = http::authority_of(url);
        m_reporter.info(
            str_cat(m_reference, ": fetching foreign layer ", d.digest.str(), " from ", host));
        const BlobDownload download = [&](std::optional<std::uint64_t> start,
                                          const http::BodySink& sink) {
            http::Request request;
            request.url = url;
            request.tls = registry::tls_for_host(m_client->options(), host);
            request.range_start = start;
            return http.stream(request, sink);
        };
        auto path = m_cache->fetch(d,
                                   download,
                                   download_policy(m_client->options(), str_cat("host ", host)),
                                   str_cat(m_reference, " (", host, ")"),
                                   m_reporter);
        if (path || path.error().code == Errc::digest_mismatch
            || path.error().code == Errc::cancelled) {
            return path;
        }
        tried += (tried.empty() ? "" : "; ") + path.error().message;
    }
    return fail(Errc::not_found,
                str_cat(m_reference,
                        ": foreign layer ",
                        d.digest.str(),
                        " is neither in the registry nor at its URLs",
                        tried.empty() ? "" : " (" + tried + ")"));
}

Result<fs::path> RegistrySource::blob_file(const Descriptor& d)
{
    if (m_cache->has(d)) {
        return m_cache->path(d.digest);
    }
    http::Client http(limits_for(m_client->options()));
    const BlobDownload download = [&](std::optional<std::uint64_t> start,
                                      const http::BodySink& sink) {
        return m_client->get_blob(http, m_parsed.path(), d.digest, start, sink);
    };
    auto path = m_cache->fetch(d,
                               download,
                               download_policy(m_client->options(), "registry " + m_client->host()),
                               m_reference,
                               m_reporter);
    if (!path && path.error().code == Errc::not_found && is_foreign(d) && !d.urls.empty()) {
        // Registries usually do not hold non-distributable layers: their URLs do.
        return fetch_foreign(d, http);
    }
    return path;
}

BlobAvailability RegistrySource::availability(const Descriptor& d) const
{
    if (m_cache->has(d)) {
        return {BlobAvailability::Origin::cached, 0};
    }
    return {BlobAvailability::Origin::download, m_cache->partial_bytes(d)};
}

Result<std::optional<Descriptor>> RegistrySource::tagged_manifest(http::Client& http,
                                                                  const std::string& tag)
{
    // Looked for with a HEAD first: most images have no such tag, and where pulls are counted
    // a HEAD is not one. A registry that answers HEAD with another status (405, 501) is asked
    // with GET, as before.
    std::string reference = tag;
    auto probe = m_client->probe_tag(http, m_parsed.path(), tag);
    if (probe) {
        if (!probe->exists) {
            return std::optional<Descriptor>();
        }
        if (probe->digest) {
            reference = probe->digest->str();
        }
    } else if (probe.error().code != Errc::http_status) {
        return std::unexpected(std::move(probe.error()));
    }
    auto fetched = m_client->get_manifest(http, m_parsed.path(), reference);
    if (!fetched && fetched.error().code == Errc::not_found && reference != tag) {
        // The tag moved after the HEAD (a signature added again) and took its old manifest
        // along: read what it points at now.
        fetched = m_client->get_manifest(http, m_parsed.path(), tag);
    }
    if (!fetched) {
        if (fetched.error().code == Errc::not_found) {
            return std::optional<Descriptor>();
        }
        return std::unexpected(std::move(fetched.error()));
    }
    Descriptor d{.media_type = fetched->media_type,
                 .digest = fetched->digest,
                 .size = fetched->bytes.size(),
                 .platform = {},
                 .urls = {},
                 .annotations = {}};
    const std::lock_guard lock(m_mutex);
    m_documents.insert_or_assign(fetched->digest, std::move(fetched->bytes));
    return std::optional<Descriptor>(std::move(d));
}

Result<> RegistrySource::add_referrers(std::string_view index,
                                       std::string_view what,
                                       std::vector<AttachedManifest>& out)
{
    AIRLOCK_TRY_ASSIGN(const nlohmann::json doc, manifest::parse_bounded_json(index, what));
    const auto list = doc.is_object() ? doc.find("manifests") : doc.end();
    if (list == doc.end() || !list->is_array()) {
        return fail(Errc::format, str_cat(what, " is not an image index"));
    }
    for (const auto& entry : *list) {
        auto d = manifest::parse_descriptor(entry);
        if (!d) {
            return fail(Errc::format, str_cat(what, ": ", d.error().message));
        }
        out.push_back({std::move(*d), {}});
    }
    return {};
}

Result<std::vector<AttachedManifest>> RegistrySource::attachments(const manifest::Digest& subject)
{
    http::Client http(limits_for(m_client->options()));
    std::vector<AttachedManifest> out;
    for (const std::string_view suffix : manifest::k_attachment_suffixes) {
        const std::string tag = manifest::attachment_tag(subject, suffix);
        AIRLOCK_TRY_ASSIGN(auto found, tagged_manifest(http, tag));
        if (found) {
            out.push_back({std::move(*found), tag});
        }
    }
    const std::string what = str_cat("the referrers of ", m_parsed.name(), "@", subject.str());
    AIRLOCK_TRY_ASSIGN(const auto pages, m_client->referrers(http, m_parsed.path(), subject));
    if (pages) {
        for (const auto& page : *pages) {
            AIRLOCK_TRY(add_referrers(page, what, out));
        }
        return out;
    }
    // No referrers API: the referrers tag schema's index, where clients keep the list.
    AIRLOCK_TRY_ASSIGN(const auto fallback,
                       tagged_manifest(http, manifest::attachment_tag(subject, "")));
    if (fallback) {
        if (!media_type::is_index(fallback->media_type)) {
            return fail(Errc::format,
                        str_cat(m_parsed.name(),
                                ":",
                                manifest::attachment_tag(subject, ""),
                                ", the referrers tag of ",
                                subject.str(),
                                ", is not an index"));
        }
        AIRLOCK_TRY_ASSIGN(const std::string index, fetch_document(*fallback));
        AIRLOCK_TRY(add_referrers(index, what, out));
    }
    return out;
}

SourceFactory::SourceFactory(const registry::RegistryOptions& options, Reporter& reporter)
    : m_options(options)
    , m_reporter(reporter)
    , m_cache(std::make_shared<BlobCache>(options.cache_dir.empty() ? registry::default_cache_dir()
                                                                    : options.cache_dir))
    , m_archives((options.cache_dir.empty() ? registry::default_cache_dir() : options.cache_dir)
                 / "archives")
{
}

Result<std::unique_ptr<ImageSource>> SourceFactory::make(std::string_view reference)
{
    if (reference.starts_with("oci:")) {
        PathAndRef parts = split_path_and_ref(reference.substr(4));
        if (parts.path.empty()) {
            return make_image_source(reference); // which says what is wrong
        }
        // Every image of a layout resolves from one reading of its index. A layout that cannot
        // be read is read again by its source, whose resolve() says why.
        auto index = m_layouts.get(parts.path);
        return std::make_unique<OciLayoutSource>(std::string(reference),
                                                 std::move(parts.path),
                                                 std::move(parts.ref),
                                                 fs::path(),
                                                 index ? std::move(*index) : nullptr);
    }
    if (ArchiveSources::handles(reference)) {
        return m_archives.make(reference);
    }
    std::string_view text = reference;
    if (text.starts_with("docker://")) {
        text.remove_prefix(9);
    }
    // containers-image's other transports: named, so that the error can list the ones there are.
    constexpr std::array k_other_transports = {
        "dir:", "containers-storage:", "docker-daemon:", "podman:", "ostree:", "sif:", "tarball:"};
    const bool other = std::any_of(k_other_transports.begin(),
                                   k_other_transports.end(),
                                   [&](std::string_view t) { return text.starts_with(t); });
    if (text.find("://") != std::string_view::npos || other) {
        return fail(
            Errc::usage,
            str_cat("unsupported image source '",
                    reference,
                    "': the sources are REGISTRY/REPOSITORY[:TAG|@DIGEST] (or docker://...), "
                    "oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:REF], "
                    "docker-daemon:NAME[:TAG] and podman:NAME[:TAG] (or containers-storage:)"));
    }
    AIRLOCK_TRY_ASSIGN(manifest::Reference parsed, manifest::Reference::parse(text));
    auto& client = m_clients[parsed.domain()];
    if (!client) {
        AIRLOCK_TRY_ASSIGN(
            client, registry::RegistryClient::connect(parsed.domain(), m_options, m_reporter));
    }
    return std::make_unique<RegistrySource>(
        std::string(reference), std::move(parsed), client, m_cache, m_reporter);
}

} // namespace airlock::pack
