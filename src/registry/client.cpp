// SPDX-License-Identifier: Apache-2.0
//
// The OCI distribution spec, pull and push, over an http::Transport the caller passes in (one
// per thread). Every request goes through `send`, which attaches credentials for the request's
// scope and answers a 401 challenge once (Basic, or a Bearer token fetched from the realm the
// registry names and cached per scope); it, the first contact and the token request retry
// through one policy, `with_retries`: connection errors, 429 and 5xx, waiting as
// RegistryOptions::retry_delays or the server's Retry-After says. A streamed response is not
// retried after a connection error, as bytes may have reached its sink (the blob cache resumes
// it with Range), nor a streamed request body once any of it was taken (the next run sends the
// blob again).

#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/http/client.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/responses.hpp>

#include <algorithm>
#include <cctype>

namespace airlock::registry {

namespace fs = std::filesystem;
namespace media_type = manifest::media_type;

namespace {

constexpr std::uint64_t k_max_manifest = 16ULL << 20U;

const std::string k_accept = str_cat("Accept: ",
                                     media_type::oci_index,
                                     ", ",
                                     media_type::oci_manifest,
                                     ", ",
                                     media_type::docker_manifest_list,
                                     ", ",
                                     media_type::docker_manifest);

bool retryable_status(long status)
{
    return status == 429 || status == 408 || (status >= 500 && status <= 599);
}

// The registry's own error text ({"errors":[{"code":..,"message":..}]}), if any.
std::string registry_error(const http::Response& response)
{
    return registry_error_text(response.body);
}

std::string content_type(const http::Response& response)
{
    std::string type = response.header("content-type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    return type;
}

std::string endpoint_host(const std::string& host)
{
    return host == "docker.io" ? "registry-1.docker.io" : host;
}

std::string basic_authorization(const Credentials& credentials)
{
    return "Basic " + base64_encode(credentials.username + ":" + credentials.password);
}

} // namespace

std::map<std::string, std::string> parse_challenge(std::string_view header)
{
    std::map<std::string, std::string> out;
    const auto space = header.find(' ');
    out["scheme"] = ascii_lower(header.substr(0, space));
    if (space == std::string_view::npos) {
        return out;
    }
    std::string_view rest = header.substr(space + 1);
    while (!rest.empty()) {
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) {
            rest.remove_prefix(1);
        }
        const auto eq = rest.find('=');
        if (eq == std::string_view::npos) {
            break;
        }
        const std::string key = ascii_lower(rest.substr(0, eq));
        rest.remove_prefix(eq + 1);
        std::string value;
        if (!rest.empty() && rest.front() == '"') {
            rest.remove_prefix(1);
            while (!rest.empty() && rest.front() != '"') {
                if (rest.front() == '\\' && rest.size() > 1) {
                    rest.remove_prefix(1);
                }
                value.push_back(rest.front());
                rest.remove_prefix(1);
            }
            if (!rest.empty()) {
                rest.remove_prefix(1);
            }
        } else {
            const auto end = rest.find(',');
            value = std::string(rest.substr(0, end));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        }
        out[key] = value;
    }
    return out;
}

http::TlsOptions tls_for_host(const RegistryOptions& options, const std::string& host)
{
    http::TlsOptions tls;
    tls.verify = !options.insecure.contains(host);
    std::error_code ec;
    for (const fs::path& dir : {options.cert_dir, fs::path("/etc/docker/certs.d")}) {
        if (!dir.empty() && fs::is_regular_file(dir / host / "ca.crt", ec)) {
            tls.ca_file = (dir / host / "ca.crt").string();
            break;
        }
    }
    return tls;
}

RegistryClient::RegistryClient(std::string host, const RegistryOptions& options, Reporter& reporter)
    : m_host(std::move(host))
    , m_options(options)
    , m_reporter(reporter)
{
}

std::chrono::milliseconds RegistryClient::retry_delay(int retry,
                                                      const http::Response* response) const
{
    return m_options.retry_delays.before(
        retry, response != nullptr ? response->header("retry-after") : std::string());
}

RetryLimit RegistryClient::retry_limit() const
{
    return RetryLimit(m_options.attempts, m_options.retry_time);
}

http::Request RegistryClient::request_to(std::string method, std::string url) const
{
    http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.tls = m_tls;
    return request;
}

Result<>
RegistryClient::retry_after_failure(int retry, const http::Response* response, const Error* error)
{
    // Said, not silent: a registry that is down would otherwise look like a hang.
    m_reporter.info(str_cat("registry ",
                            m_host,
                            ": ",
                            response != nullptr ? str_cat("answered ", response->status)
                            : error != nullptr  ? error->message
                                                : std::string("no answer"),
                            "; retry ",
                            retry,
                            " of ",
                            m_options.attempts - 1,
                            " in ",
                            retry_delay(retry, response).count(),
                            " ms"));
    return wait_for_retry(retry_delay(retry, response));
}

Result<http::Response>
RegistryClient::with_retries(const std::function<Result<http::Response>()>& attempt,
                             const std::function<bool(bool network_error)>& may_repeat)
{
    RetryLimit limit = retry_limit();
    while (true) {
        auto response = attempt();
        const bool network = !response && response.error().code == Errc::network;
        if ((!network && !(response && retryable_status(response->status)))
            || !may_repeat(network)) {
            return response;
        }
        const http::Response* answer = response ? &*response : nullptr;
        if (!limit.another(retry_delay(limit.failures() + 1, answer))) {
            if (network) {
                response.error().message += "; " + limit.gave_up();
            }
            return response;
        }
        AIRLOCK_TRY(
            retry_after_failure(limit.failures(), answer, network ? &response.error() : nullptr));
    }
}

Result<std::shared_ptr<RegistryClient>>
RegistryClient::connect(const std::string& host, const RegistryOptions& options, Reporter& reporter)
{
    http::Client transport(http::Limits{std::chrono::seconds(30), options.stall_time, 1});
    return connect(host, options, reporter, transport);
}

Result<std::shared_ptr<RegistryClient>> RegistryClient::connect(const std::string& host,
                                                                const RegistryOptions& options,
                                                                Reporter& reporter,
                                                                http::Transport& transport)
{
    std::shared_ptr<RegistryClient> client(new RegistryClient(host, options, reporter));
    client->m_tls = tls_for_host(options, host);
    AIRLOCK_TRY_ASSIGN(client->m_credentials, find_credentials(options, host));
    // Try HTTPS; an --insecure-registry may answer plain HTTP instead.
    std::vector<std::string> schemes = {"https"};
    if (options.insecure.contains(host)) {
        schemes.emplace_back("http");
    }
    Error last{Errc::network, "", {}};
    for (const auto& scheme : schemes) {
        const std::string base = str_cat(scheme, "://", endpoint_host(host));
        const bool falls_back = scheme == "https" && schemes.size() > 1;
        auto response = client->ping(transport, base, falls_back);
        if (!response) {
            last = response.error();
            if (falls_back && last.code != Errc::cancelled) {
                continue;
            }
            break;
        }
        AIRLOCK_TRY(client->take_ping_answer(*response, base + "/v2/"));
        client->m_base_url = base;
        if (scheme == "http" || !client->m_tls.verify) {
            reporter.warn(str_cat("registry ",
                                  host,
                                  " is insecure (--insecure-registry): ",
                                  scheme == "http" ? "plain HTTP" : "TLS without verification"));
        }
        return client;
    }
    return std::unexpected(
        std::move(last).with_context(str_cat("while contacting registry ", host)));
}

Result<http::Response>
RegistryClient::ping(http::Transport& transport, const std::string& base, bool falls_back)
{
    const http::Request ping = request_to("GET", base + "/v2/");
    // Over https with plain HTTP to fall back to, a connection error goes to the next scheme.
    return with_retries([&] { return transport.fetch(ping, 1U << 20U); },
                        [&](bool network) { return !(network && falls_back); });
}

Result<> RegistryClient::take_ping_answer(const http::Response& response, const std::string& url)
{
    if (response.status == 401) {
        m_challenge = parse_challenge(response.header("www-authenticate"));
        return {};
    }
    if (response.status != 200) {
        return fail(Errc::http_status,
                    str_cat("registry ",
                            m_host,
                            " answered ",
                            response.status,
                            " to ",
                            http::redact_url(url),
                            "; is it an OCI registry?"));
    }
    return {};
}

Result<> RegistryClient::check_realm(const std::string& realm)
{
    // The realm receives the user's password, and its token is the registry's key: both must
    // travel as safely as the registry's own traffic does. Whether credentials are given or
    // not, a token fetched in clear could be read or replaced on the way.
    const std::string scheme = ascii_lower(realm.substr(0, realm.find("://")));
    const std::string authority = http::authority_of(realm);
    if (scheme == "https" && realm.find("://") != std::string::npos) {
        return {};
    }
    if (scheme != "http" || realm.find("://") == std::string::npos) {
        return fail(Errc::auth,
                    str_cat("token realm '",
                            http::redact_url(realm),
                            "' of registry ",
                            m_host,
                            " is not an https URL; not asking it for a token"));
    }
    if (!m_options.insecure.contains(authority)) {
        return fail(Errc::auth,
                    str_cat("token realm ",
                            http::redact_url(realm),
                            " of registry ",
                            m_host,
                            " is plain HTTP: refusing to send it credentials or ask it for a "
                            "token, which could be read or replaced on the way (give "
                            "--insecure-registry ",
                            authority,
                            " to allow it)"));
    }
    if (!m_realm_warned) {
        m_realm_warned = true;
        m_reporter.warn(str_cat("token realm ",
                                http::redact_url(realm),
                                " of registry ",
                                m_host,
                                " is plain HTTP (--insecure-registry): credentials and tokens "
                                "travel in clear"));
    }
    return {};
}

http::Request RegistryClient::token_request(const std::string& realm,
                                            const std::string& scope) const
{
    std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
    if (const auto service = m_challenge.find("service");
        service != m_challenge.end() && !service->second.empty()) {
        url += "service=" + http::url_encode(service->second) + "&";
    }
    // Several scopes (a mount needs push here and pull at the source) are separate parameters.
    std::string_view rest = scope;
    bool first_scope = true;
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        url += (first_scope ? "scope=" : "&scope=") + http::url_encode(rest.substr(0, space));
        first_scope = false;
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    http::Request request;
    request.url = url;
    // The token service is its own host; without a CA of its own it shares the registry's.
    request.tls = tls_for_host(m_options, http::authority_of(realm));
    if (request.tls.ca_file.empty()) {
        request.tls.ca_file = m_tls.ca_file;
    }
    return request;
}

Result<std::string> RegistryClient::fetch_token(http::Transport& transport,
                                                const std::string& scope)
{
    const std::string realm = m_challenge["realm"];
    if (realm.empty()) {
        return fail(Errc::auth,
                    str_cat("registry ", m_host, " sent a Bearer challenge without a realm"));
    }
    AIRLOCK_TRY(check_realm(realm));
    http::Request request = token_request(realm, scope);
    if (m_credentials) {
        request.authorization = basic_authorization(*m_credentials);
    }
    auto answer = with_retries([&] { return transport.fetch(request, 1U << 20U); },
                               [](bool /*network_error*/) { return true; });
    if (!answer) {
        return std::unexpected(
            std::move(answer.error()).with_context(str_cat("while getting a token for ", m_host)));
    }
    const http::Response& response = *answer;
    if (response.status == 401 || response.status == 403) {
        return fail(Errc::auth,
                    str_cat("authentication to ",
                            m_host,
                            " failed: the token service refused ",
                            m_credentials ? "the credentials (wrong username or password?)"
                                          : "anonymous access (give --creds or an auth file)"));
    }
    if (response.status != 200) {
        return fail(Errc::http_status,
                    str_cat("token service of ", m_host, " answered ", response.status));
    }
    return parse_token_response(response.body, m_host);
}

Result<std::string>
RegistryClient::authorization(http::Transport& transport, const std::string& scope, bool refresh)
{
    const std::lock_guard lock(m_mutex);
    const std::string scheme =
        m_challenge.contains("scheme") ? m_challenge["scheme"] : std::string();
    if (scheme.empty()) {
        return std::string();
    }
    if (scheme == "basic") {
        if (!m_credentials) {
            return fail(Errc::auth,
                        str_cat("registry ",
                                m_host,
                                " requires credentials (give --creds USER:PASS or an auth file)"));
        }
        return basic_authorization(*m_credentials);
    }
    if (scheme != "bearer") {
        return fail(
            Errc::unsupported,
            str_cat("registry ", m_host, " asks for unsupported auth scheme '", scheme, "'"));
    }
    auto cached = m_tokens.find(scope);
    if (cached == m_tokens.end() || refresh) {
        AIRLOCK_TRY_ASSIGN(std::string token, fetch_token(transport, scope));
        cached = m_tokens.insert_or_assign(scope, std::move(token)).first;
    }
    return "Bearer " + cached->second;
}

Result<http::Response> RegistryClient::send(http::Transport& transport,
                                            http::Request request,
                                            const std::string& scope,
                                            const http::BodySink* sink)
{
    // A streamed request body can be sent again only while none of it was taken; once some
    // was, the next run sends the whole blob. http::Client turns 100-continue off, so libcurl
    // takes the body right after the headers: a body_source that gave nothing yet means, in
    // practice, a request that never reached the server (connection refused, TLS handshake).
    std::uint64_t taken = 0;
    if (request.body_source) {
        request.body_source = [source = std::move(request.body_source),
                               &taken](std::span<char> out) -> Result<std::size_t> {
            auto n = source(out);
            if (n) {
                taken += *n;
            }
            return n;
        };
    }
    const auto replayable = [&] { return taken == 0; };
    bool renewed = false;
    while (true) {
        AIRLOCK_TRY_ASSIGN(request.authorization, authorization(transport, scope, false));
        auto response = with_retries(
            [&] {
                return sink != nullptr ? transport.stream(request, *sink)
                                       : transport.fetch(request, k_max_manifest);
            },
            // A streamed response may already be partly delivered (its owner resumes, not us).
            [&](bool network) { return replayable() && !(network && sink != nullptr); });
        if (!response || !replayable() || response->status != 401) {
            return response;
        }
        if (renewed) {
            return fail(Errc::auth,
                        str_cat("registry ",
                                m_host,
                                " refused the credentials for ",
                                scope,
                                " (wrong username or password?)"));
        }
        // First contact for this scope, or an expired token: answer the challenge once.
        renewed = true;
        AIRLOCK_TRY(renew_authorization(transport, *response, scope));
    }
}

Result<> RegistryClient::renew_authorization(http::Transport& transport,
                                             const http::Response& refusal,
                                             const std::string& scope)
{
    {
        const std::lock_guard lock(m_mutex);
        const auto challenge = parse_challenge(refusal.header("www-authenticate"));
        if (!challenge.at("scheme").empty()) {
            m_challenge = challenge;
        }
    }
    AIRLOCK_TRY(authorization(transport, scope, true));
    return {};
}

namespace {

// Errc::not_found for a 404, Errc::http_status for another answer than 200 to the GET of
// manifest `what`.
Result<> check_manifest_status(const http::Response& response, const std::string& what)
{
    if (response.status == 200) {
        return {};
    }
    const std::string detail = registry_error(response);
    if (response.status == 404) {
        return fail(
            Errc::not_found,
            str_cat("image ", what, " not found", detail.empty() ? "" : " (" + detail + ")"));
    }
    return fail(Errc::http_status,
                str_cat("registry answered ",
                        response.status,
                        " for ",
                        what,
                        detail.empty() ? "" : ": " + detail));
}

// The media type of manifest `what`: its Content-Type, else what the document says it is.
// Errc::unsupported for Docker schema 1.
Result<std::string> manifest_media_type(const http::Response& response, const std::string& what)
{
    std::string type = content_type(response);
    if (media_type::is_schema1(type)) {
        return fail(Errc::unsupported,
                    str_cat(what,
                            " is a Docker schema 1 image, which is deprecated and not supported; "
                            "re-push it with a current client"));
    }
    if (!media_type::is_index(type) && !media_type::is_manifest(type)) {
        AIRLOCK_TRY_ASSIGN(type, manifest::sniff_media_type(response.body, ""));
        if (is_schema1_document(response.body)) {
            return fail(Errc::unsupported,
                        str_cat(what, " is a Docker schema 1 image, which is not supported"));
        }
    }
    return type;
}

// The digest of the manifest in `response`, which must be `reference` when that is a digest,
// and the Docker-Content-Digest the registry declares, if any. Errc::digest_mismatch otherwise.
Result<manifest::Digest> manifest_digest(const http::Response& response,
                                         const std::string& reference,
                                         const std::string& what)
{
    const auto digest = manifest::Digest::sha256(crypto::sha256_hex(response.body));
    if (reference.starts_with("sha256:") && reference != digest.str()) {
        return fail(Errc::digest_mismatch,
                    str_cat("registry served ", what, " with content hashing to ", digest.str()));
    }
    const std::string declared = response.header("docker-content-digest");
    if (!declared.empty() && declared.starts_with("sha256:") && declared != digest.str()) {
        return fail(Errc::digest_mismatch,
                    str_cat("registry served ",
                            what,
                            " as ",
                            declared,
                            " but its content hashes to ",
                            digest.str()));
    }
    return digest;
}

} // namespace

Result<FetchedManifest> RegistryClient::get_manifest(http::Transport& transport,
                                                     const std::string& repository,
                                                     const std::string& reference)
{
    http::Request request =
        request_to("GET", str_cat(m_base_url, "/v2/", repository, "/manifests/", reference));
    request.headers = {k_accept};
    const std::string what =
        str_cat(m_host, "/", repository, reference.starts_with("sha256:") ? "@" : ":", reference);
    AIRLOCK_TRY_ASSIGN(
        const http::Response response,
        send(transport, request, str_cat("repository:", repository, ":pull"), nullptr));
    AIRLOCK_TRY(check_manifest_status(response, what));
    AIRLOCK_TRY_ASSIGN(std::string type, manifest_media_type(response, what));
    AIRLOCK_TRY_ASSIGN(manifest::Digest digest, manifest_digest(response, reference, what));
    return FetchedManifest{
        .bytes = response.body, .media_type = std::move(type), .digest = std::move(digest)};
}

Result<RegistryClient::TagProbe> RegistryClient::probe_tag(http::Transport& transport,
                                                           const std::string& repository,
                                                           const std::string& tag)
{
    http::Request request =
        request_to("HEAD", str_cat(m_base_url, "/v2/", repository, "/manifests/", tag));
    request.headers = {k_accept};
    const std::string what = str_cat(m_host, "/", repository, ":", tag);
    AIRLOCK_TRY_ASSIGN(
        const http::Response response,
        send(transport, request, str_cat("repository:", repository, ":pull"), nullptr));
    if (response.status == 404) {
        return TagProbe{};
    }
    AIRLOCK_TRY(check_manifest_status(response, what));
    TagProbe out{.exists = true, .digest = {}};
    // Only a sha256 digest is one the GET that follows can check the bytes against.
    auto digest = manifest::Digest::parse(response.header("docker-content-digest"));
    if (digest && digest->algorithm() == "sha256") {
        out.digest = std::move(*digest);
    }
    return out;
}

Result<http::Response> RegistryClient::get_blob(http::Transport& transport,
                                                const std::string& repository,
                                                const manifest::Digest& digest,
                                                std::optional<std::uint64_t> range_start,
                                                const http::BodySink& sink)
{
    http::Request request =
        request_to("GET", str_cat(m_base_url, "/v2/", repository, "/blobs/", digest.str()));
    request.range_start = range_start;
    return send(transport, request, str_cat("repository:", repository, ":pull"), &sink);
}

std::string RegistryClient::url(std::string_view location) const
{
    return http::resolve_url(m_base_url + "/v2/", location);
}

namespace {

std::string push_scope(const std::string& repository)
{
    return str_cat("repository:", repository, ":pull,push");
}

Error status_error(const http::Response& response, std::string_view what)
{
    const std::string detail = registry_error(response);
    const Errc code =
        response.status == 401 || response.status == 403 ? Errc::auth : Errc::http_status;
    return Error{code,
                 str_cat("registry answered ",
                         response.status,
                         " to ",
                         what,
                         detail.empty() ? "" : ": " + detail),
                 {}};
}

std::string with_query(const std::string& location, std::string_view query)
{
    return location + (location.find('?') == std::string::npos ? "?" : "&") + std::string(query);
}

} // namespace

Result<bool> RegistryClient::blob_exists(http::Transport& transport,
                                         const std::string& repository,
                                         const manifest::Digest& digest)
{
    return exists(transport, repository, "blobs", digest);
}

Result<std::string> RegistryClient::start_upload(http::Transport& transport,
                                                 const std::string& repository,
                                                 const std::string& query)
{
    http::Request request =
        request_to("POST", str_cat(m_base_url, "/v2/", repository, "/blobs/uploads/", query));
    request.headers = {"Content-Type: application/octet-stream"};
    std::string scope = push_scope(repository);
    if (const auto from = query.find("from="); from != std::string::npos) {
        scope += str_cat(" repository:", query.substr(from + 5), ":pull");
    }
    AIRLOCK_TRY_ASSIGN(const http::Response response, send(transport, request, scope, nullptr));
    if (response.status == 201) {
        return std::string(); // mounted: no session
    }
    if (response.status != 202 || response.header("location").empty()) {
        return std::unexpected(
            status_error(response, str_cat("starting an upload to ", repository)));
    }
    return url(response.header("location"));
}

Result<bool> RegistryClient::mount_blob(http::Transport& transport,
                                        const std::string& repository,
                                        const manifest::Digest& digest,
                                        const std::string& from)
{
    AIRLOCK_TRY_ASSIGN(
        const std::string session,
        start_upload(transport, repository, str_cat("?mount=", digest.str(), "&from=", from)));
    if (session.empty()) {
        return true;
    }
    (void)send(transport, request_to("DELETE", session), push_scope(repository), nullptr);
    return false;
}

Result<>
RegistryClient::upload_blob(http::Transport& transport,
                            const std::string& repository,
                            const manifest::Digest& digest,
                            std::uint64_t size,
                            const std::function<Result<std::size_t>(std::span<char>)>& source,
                            std::uint64_t chunk_size)
{
    AIRLOCK_TRY_ASSIGN(std::string location, start_upload(transport, repository, ""));
    const std::string what = str_cat("the upload of blob ", digest.str(), " to ", repository);
    std::uint64_t sent = 0;
    // Chunked: PATCH `chunk_size` bytes at a time while more than one chunk remains.
    while (size - sent > chunk_size) {
        std::uint64_t in_chunk = 0;
        http::Request patch = request_to("PATCH", location);
        patch.headers = {"Content-Type: application/octet-stream",
                         str_cat("Content-Range: ", sent, "-", sent + chunk_size - 1)};
        patch.body_size = chunk_size;
        patch.body_source = [&](std::span<char> out) -> Result<std::size_t> {
            const auto want = static_cast<std::size_t>(
                std::min<std::uint64_t>(out.size(), chunk_size - in_chunk));
            if (want == 0) {
                return std::size_t{0};
            }
            AIRLOCK_TRY_ASSIGN(const std::size_t n, source(out.first(want)));
            in_chunk += n;
            return n;
        };
        AIRLOCK_TRY_ASSIGN(const http::Response response,
                           send(transport, patch, push_scope(repository), nullptr));
        if (response.status != 202 || in_chunk != chunk_size) {
            return std::unexpected(status_error(response, what));
        }
        sent += chunk_size;
        location =
            url(response.header("location").empty() ? location : response.header("location"));
    }
    http::Request put =
        request_to("PUT", with_query(location, "digest=" + http::url_encode(digest.str())));
    put.headers = {"Content-Type: application/octet-stream"};
    put.body_size = size - sent;
    put.body_source = source;
    AIRLOCK_TRY_ASSIGN(const http::Response response,
                       send(transport, put, push_scope(repository), nullptr));
    if (response.status != 201) {
        return std::unexpected(status_error(response, what));
    }
    return {};
}

Result<bool> RegistryClient::manifest_exists(http::Transport& transport,
                                             const std::string& repository,
                                             const manifest::Digest& digest)
{
    return exists(transport, repository, "manifests", digest);
}

Result<bool> RegistryClient::exists(http::Transport& transport,
                                    const std::string& repository,
                                    std::string_view kind,
                                    const manifest::Digest& digest)
{
    http::Request request =
        request_to("HEAD", str_cat(m_base_url, "/v2/", repository, "/", kind, "/", digest.str()));
    request.headers = {k_accept}; // ignored for blobs; for manifests it names every type we take
    AIRLOCK_TRY_ASSIGN(const http::Response response,
                       send(transport, request, push_scope(repository), nullptr));
    if (response.status == 200) {
        return true;
    }
    if (response.status == 404) {
        return false;
    }
    return std::unexpected(
        status_error(response, str_cat("HEAD of ", kind, " ", digest.str(), " in ", repository)));
}

Result<RegistryClient::PushedManifest> RegistryClient::put_manifest(http::Transport& transport,
                                                                    const std::string& repository,
                                                                    const std::string& reference,
                                                                    const std::string& media_type,
                                                                    const std::string& bytes)
{
    http::Request request =
        request_to("PUT", str_cat(m_base_url, "/v2/", repository, "/manifests/", reference));
    request.headers = {"Content-Type: " + media_type};
    request.body = bytes;
    AIRLOCK_TRY_ASSIGN(const http::Response response,
                       send(transport, request, push_scope(repository), nullptr));
    if (response.status != 201) {
        return std::unexpected(
            status_error(response, str_cat("pushing ", repository, ":", reference)));
    }
    const std::string reported = response.header("docker-content-digest");
    const auto own = manifest::Digest::sha256(crypto::sha256_hex(bytes));
    if (!reported.empty() && reported != own.str()) {
        return fail(Errc::digest_mismatch,
                    str_cat("registry stored ",
                            repository,
                            ":",
                            reference,
                            " as ",
                            reported,
                            " but the bundle's manifest is ",
                            own.str()));
    }
    return PushedManifest{.digest = own,
                          .subject_indexed = !response.header("oci-subject").empty()};
}

} // namespace airlock::registry
