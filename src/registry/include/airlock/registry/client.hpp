// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/reporter.hpp>
#include <airlock/http/transport.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/registry/credentials.hpp>
#include <airlock/registry/options.hpp>
#include <airlock/registry/retry.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace airlock::registry {

// TLS settings for `host` ("name[:port]"): verification on with the system CAs plus
// `cert_dir/host/ca.crt` or /etc/docker/certs.d/host/ca.crt; off only for --insecure-registry.
http::TlsOptions tls_for_host(const RegistryOptions& options, const std::string& host);

// A manifest as the registry served it, verified against its digest.
struct FetchedManifest
{
    std::string bytes;
    std::string media_type;
    manifest::Digest digest; // of `bytes`
};

// How far a paginated list is followed, and what says the list is not there.
struct PageLimits
{
    int max_pages = 10'000;             // a registry naming next pages is not followed for ever
    bool absent_on_bad_request = false; // 400 and 405 to the first page mean "no such list"
};

// The OCI distribution API of one registry: ping, auth (anonymous, Basic, Bearer tokens per
// scope, refreshed on 401), retries with backoff on connection errors, 429 and 5xx. Shared by
// download threads, each passing its own http::Transport (an http::Client, one per thread);
// never logs a secret.
class RegistryClient
{
  public:
    // Pings `host`'s /v2/ to learn its scheme and auth challenge. `host` is a reference's
    // domain ("docker.io" is served by registry-1.docker.io). Errc::network, Errc::auth.
    // `options` must outlive the client.
    static Result<std::shared_ptr<RegistryClient>>
    connect(const std::string& host, const RegistryOptions& options, Reporter& reporter);

    // The same, pinging through `transport` instead of an http::Client of its own.
    static Result<std::shared_ptr<RegistryClient>> connect(const std::string& host,
                                                           const RegistryOptions& options,
                                                           Reporter& reporter,
                                                           http::Transport& transport);

    // GET /v2/<repository>/manifests/<reference> with the Accept list of every supported type;
    // the bytes are checked against `reference` when it is a digest, else against the
    // Docker-Content-Digest header. Errc::not_found, Errc::unsupported (schema 1),
    // Errc::digest_mismatch, Errc::auth, Errc::http_status, Errc::network.
    Result<FetchedManifest> get_manifest(http::Transport& transport,
                                         const std::string& repository,
                                         const std::string& reference);

    // What a HEAD of a tag says: whether it exists and, when the registry names it
    // (Docker-Content-Digest), the digest of the manifest it points at.
    struct TagProbe
    {
        bool exists = false;
        std::optional<manifest::Digest> digest;
    };

    // HEAD /v2/<repository>/manifests/<tag>, for pull. Unlike a GET it does not count as a pull
    // where registries limit them (Docker Hub), so a tag that is usually absent (a signature's)
    // is looked for this way. Errc::http_status, Errc::auth, Errc::network.
    Result<TagProbe>
    probe_tag(http::Transport& transport, const std::string& repository, const std::string& tag);

    // GET /v2/<repository>/blobs/<digest>, following redirects (credentials stay behind),
    // from byte `range_start`. The body goes to `sink`; a broken transfer is the error
    // (the caller resumes). Statuses other than 2xx are returned, not errors.
    Result<http::Response> get_blob(http::Transport& transport,
                                    const std::string& repository,
                                    const manifest::Digest& digest,
                                    std::optional<std::uint64_t> range_start,
                                    const http::BodySink& sink);

    // HEAD /v2/<repository>/blobs/<digest>: whether the registry holds the blob there.
    Result<bool> blob_exists(http::Transport& transport,
                             const std::string& repository,
                             const manifest::Digest& digest);

    // Cross-repository mount (POST ...?mount=DIGEST&from=FROM). False when the registry would
    // rather have the bytes uploaded (the upload session it opened is cancelled).
    Result<bool> mount_blob(http::Transport& transport,
                            const std::string& repository,
                            const manifest::Digest& digest,
                            const std::string& from);

    // Uploads `size` bytes read from `source` as blob `digest`: one monolithic PUT up to
    // `chunk_size`, else chunked PATCHes and a closing PUT. The registry checks the digest.
    // Not retried once bytes were sent (the source is a stream): the caller re-runs.
    Result<> upload_blob(http::Transport& transport,
                         const std::string& repository,
                         const manifest::Digest& digest,
                         std::uint64_t size,
                         const std::function<Result<std::size_t>(std::span<char>)>& source,
                         std::uint64_t chunk_size);

    // HEAD /v2/<repository>/manifests/<digest>: whether the registry holds that manifest.
    Result<bool> manifest_exists(http::Transport& transport,
                                 const std::string& repository,
                                 const manifest::Digest& digest);

    // What a registry said to a manifest it stored.
    struct PushedManifest
    {
        manifest::Digest digest;      // the document's own, which the registry's report matched
        bool subject_indexed = false; // OCI-Subject: it lists the manifest among its subject's
                                      // referrers itself (no referrers tag to keep)
    };

    // PUT /v2/<repository>/manifests/<reference>; the digest the registry reports
    // (Docker-Content-Digest) must be the document's own.
    Result<PushedManifest> put_manifest(http::Transport& transport,
                                        const std::string& repository,
                                        const std::string& reference,
                                        const std::string& media_type,
                                        const std::string& bytes);

    // GET /v2/<repository>/referrers/<digest> (OCI distribution 1.1), every page: the bodies
    // (image indexes listing the manifests whose subject is `digest`); nothing when the registry
    // has no referrers API (404), where the referrers tag schema (tag sha256-HEX) stands in.
    Result<std::optional<std::vector<std::string>>> referrers(http::Transport& transport,
                                                              const std::string& repository,
                                                              const manifest::Digest& digest);

    // GET /v2/_catalog, every page: the repositories the registry lists. Errc::auth or
    // Errc::http_status when it keeps its catalog to itself.
    Result<std::vector<std::string>> list_repositories(http::Transport& transport);

    // GET /v2/<repository>/tags/list, every page. Errc::not_found for an unknown repository.
    Result<std::vector<std::string>> list_tags(http::Transport& transport,
                                               const std::string& repository);

    // What a registry said to a DELETE.
    enum class Deleted {
        done,        // 202: gone
        missing,     // 404: not there
        unsupported, // the registry keeps it: deletes disabled, or no deletes by tag
    };

    // DELETE /v2/<repository>/manifests/<reference>: by digest, the manifest and every tag on
    // it in that repository; by tag (distribution 3 and others), that tag only.
    Result<Deleted> delete_manifest(http::Transport& transport,
                                    const std::string& repository,
                                    const std::string& reference);

    // DELETE /v2/<repository>/blobs/<digest>: the repository's link to the blob.
    Result<Deleted> delete_blob(http::Transport& transport,
                                const std::string& repository,
                                const manifest::Digest& digest);

    const std::string& host() const
    {
        return m_host;
    }

    const RegistryOptions& options() const
    {
        return m_options;
    }

  private:
    RegistryClient(std::string host, const RegistryOptions& options, Reporter& reporter);

    Result<Deleted> delete_reference(http::Transport& transport,
                                     const std::string& repository,
                                     std::string_view kind,
                                     const std::string& reference);

    // The bound of one request's retries: RegistryOptions' attempts and retry time.
    RetryLimit retry_limit() const;

    // How long to wait before retry `retry` (from 1) after `response` (none: a connection
    // error): RegistryOptions' retry delays, or the answer's Retry-After.
    std::chrono::milliseconds retry_delay(int retry, const http::Response* response) const;

    // A request to this registry (its TLS settings) with `method` and absolute `url`.
    http::Request request_to(std::string method, std::string url) const;

    // Calls `page` with the body of every page from `url` on, following Link rel="next";
    // false when the first answers 404 (or, as `limits` says, 400/405).
    Result<bool> for_each_page(http::Transport& transport,
                               std::string url,
                               const std::string& scope,
                               std::string_view what,
                               const std::function<Result<>(std::string_view)>& page,
                               const PageLimits& limits = {});

    // Every page of a paginated list (catalog, tags) from `url`: the strings of `key`.
    Result<std::vector<std::string>> list_pages(http::Transport& transport,
                                                std::string url,
                                                const std::string& scope,
                                                std::string_view key,
                                                std::string_view what);

    // Says why and how long, then waits (Errc::cancelled on an interrupt).
    Result<> retry_after_failure(int retry, const http::Response* response, const Error* error);

    // The one retry policy of every request: runs `attempt` again after a connection error, a
    // 429 or a 5xx, waiting retry_delay() and saying so, within retry_limit(), unless
    // `may_repeat(network_error)` says that this outcome must stand (a body that cannot be sent
    // again, a scheme to fall back from). The last outcome otherwise, the limit noted.
    Result<http::Response> with_retries(const std::function<Result<http::Response>()>& attempt,
                                        const std::function<bool(bool network_error)>& may_repeat);

    // GET `base`/v2/ with retries; with `falls_back`, a connection error is final at once (the
    // caller tries plain HTTP next).
    Result<http::Response>
    ping(http::Transport& transport, const std::string& base, bool falls_back);

    // Learns the auth challenge of a 401 to the ping; Errc::http_status for an answer that is
    // neither 401 nor 200 (not a registry).
    Result<> take_ping_answer(const http::Response& response, const std::string& url);

    // Sends `request` with the Authorization for `scope` and with_retries(), then answers one
    // 401 (first contact for the scope, or an expired token) by renewing it and sending again;
    // Errc::auth for a second 401. A streamed response (`sink`) is not retried after a
    // connection error, nor is a request whose body_source already gave bytes.
    Result<http::Response> send(http::Transport& transport,
                                http::Request request,
                                const std::string& scope,
                                const http::BodySink* sink);

    // After a 401 to a request in `scope`: adopts the challenge it carries (if any) and
    // fetches a fresh Authorization for the scope.
    Result<> renew_authorization(http::Transport& transport,
                                 const http::Response& refusal,
                                 const std::string& scope);

    // HEAD /v2/<repository>/<kind>/<digest>: true on 200, false on 404.
    Result<bool> exists(http::Transport& transport,
                        const std::string& repository,
                        std::string_view kind,
                        const manifest::Digest& digest);
    // Starts an upload session; returns its absolute URL.
    Result<std::string> start_upload(http::Transport& transport,
                                     const std::string& repository,
                                     const std::string& query);
    std::string url(std::string_view location) const;

    // The Authorization value for a request in `scope` under the last challenge: none before
    // any; Basic with the credentials (Errc::auth without any); "Bearer TOKEN" with the token
    // cached for `scope`, fetched first when there is none or `refresh` asks for a new one;
    // Errc::unsupported for another scheme.
    Result<std::string>
    authorization(http::Transport& transport, const std::string& scope, bool refresh);

    // Asks the challenge's realm for a token for `scope`, sending the credentials (Basic) when
    // there are any, to whichever host the realm names. Errc::auth when the realm is missing,
    // refused by check_realm() or refuses us; Errc::http_status, Errc::network otherwise.
    Result<std::string> fetch_token(http::Transport& transport, const std::string& scope);

    // The token request for `scope` to `realm`: service and scopes as query parameters, TLS
    // settings of the realm's host (else the registry's CA).
    http::Request token_request(const std::string& realm, const std::string& scope) const;

    // Errc::auth unless token requests may go to `realm`: https, or plain HTTP only for a realm
    // whose host:port is itself an --insecure-registry (said once).
    Result<> check_realm(const std::string& realm);

    std::string m_host;
    std::string m_base_url;
    const RegistryOptions& m_options;
    Reporter& m_reporter;
    http::TlsOptions m_tls;
    std::optional<Credentials> m_credentials;
    std::mutex m_mutex;                             // guards the challenge and the tokens
    std::map<std::string, std::string> m_challenge; // "scheme" plus auth-params, lower-case keys
    std::map<std::string, std::string> m_tokens;    // scope -> bearer token
    bool m_realm_warned = false;                    // a plain-HTTP realm was said
};

// Parses a WWW-Authenticate value: {"scheme": "bearer", "realm": ..., "service": ..., ...}.
std::map<std::string, std::string> parse_challenge(std::string_view header);

} // namespace airlock::registry
