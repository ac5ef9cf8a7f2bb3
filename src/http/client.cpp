// SPDX-License-Identifier: Apache-2.0
//
// libcurl behind a small API. Redirects are followed here, not by libcurl, so that the
// Authorization header provably never reaches another origin (registries redirect blob GETs to
// storage hosts with signed URLs of their own) and an https -> http downgrade is refused.

#include <airlock/base/c_deleter.hpp>
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/http/client.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <mutex>

namespace airlock::http {

namespace {

using CurlEasyPtr = std::unique_ptr<CURL, CDeleter<curl_easy_cleanup>>;
using CurlSlistPtr = std::unique_ptr<curl_slist, CDeleter<curl_slist_free_all>>;

constexpr std::size_t k_error_body_limit = 64U << 10U;
// curl's receive buffer for streamed bodies (blobs).
constexpr long k_stream_buffer_bytes = 512L * 1024L;

// OpenSSL's words when the first bytes of the "handshake" are an HTTP response.
bool speaks_plain_http(std::string_view tls_error)
{
    return tls_error.find("wrong version number") != std::string_view::npos
           || tls_error.find("packet length too long") != std::string_view::npos;
}

// "host:port" of "scheme://host:port/path" (no user information: it is never logged).
std::string url_authority(std::string_view url)
{
    const std::size_t scheme = url.find("://");
    std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    rest = rest.substr(0, rest.find('/'));
    if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    return std::string(rest);
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty()
           && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// State of one transfer, reached from curl's C callbacks.
struct Transfer
{
    Response response;
    const BodySink* sink = nullptr;
    const std::function<Result<std::size_t>(std::span<char>)>* source = nullptr;
    std::uint64_t max_body = 0;
    std::optional<Error> error;
    bool body_too_large = false;

    bool success() const
    {
        return response.status >= 200 && response.status < 300;
    }
};

extern "C" size_t on_header(char* data, size_t size, size_t count, void* user) noexcept
{
    auto* t = static_cast<Transfer*>(user);
    const std::string_view line(data, size * count);
    try {
        if (line.starts_with("HTTP/")) {
            // A new response (after 100-continue): start over. The status is needed before the
            // first body byte, to decide whether the body goes to the sink.
            t->response.headers.clear();
            const auto space = line.find(' ');
            t->response.status = space == std::string_view::npos
                                     ? 0
                                     : std::atol(std::string(line.substr(space + 1, 3)).c_str());
        } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
            t->response.headers[ascii_lower(trim(line.substr(0, colon)))].emplace_back(
                trim(line.substr(colon + 1)));
        }
    } catch (...) {
        return 0;
    }
    return size * count;
}

extern "C" size_t on_body(char* data, size_t size, size_t count, void* user) noexcept
{
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    try {
        if (t->sink != nullptr && t->success()) {
            auto result = (*t->sink)(t->response, std::span<const char>(data, n));
            if (!result) {
                t->error = std::move(result.error());
                return CURL_WRITEFUNC_ERROR;
            }
            return n;
        }
        const std::uint64_t limit = t->sink != nullptr ? k_error_body_limit : t->max_body;
        if (t->response.body.size() + n > limit) {
            t->body_too_large = true;
            return CURL_WRITEFUNC_ERROR;
        }
        t->response.body.append(data, n);
        return n;
    } catch (...) {
        t->error = Error{Errc::internal, "unexpected exception while receiving data", {}};
        return CURL_WRITEFUNC_ERROR;
    }
}

extern "C" size_t on_read(char* buffer, size_t size, size_t count, void* user) noexcept
{
    auto* t = static_cast<Transfer*>(user);
    try {
        auto n = (*t->source)(std::span<char>(buffer, size * count));
        if (!n) {
            t->error = std::move(n.error());
            return CURL_READFUNC_ABORT;
        }
        return *n;
    } catch (...) {
        t->error = Error{Errc::internal, "unexpected exception while sending data", {}};
        return CURL_READFUNC_ABORT;
    }
}

extern "C" int on_progress(void* /*user*/, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept
{
    return cancel_requested() ? 1 : 0;
}

// The CAs a TLS connection trusts: the system's bundle, found at run time (a static binary has
// no built-in path that fits every distribution), plus the host's own CA (certs.d/HOST/ca.crt)
// when it has one. libcurl takes a single bundle, so both are joined (libcurl copies them). When
// either cannot be read, the host's CA alone is passed as a file and libcurl reports what is
// wrong with it. Without a system bundle (Windows, whose CAs are in its certificate store)
// libcurl is told to use the system's store (CURLSSLOPT_NATIVE_CA, which it ignores where it has
// none) besides any file.
void set_trusted_cas(CURL* h, const TlsOptions& tls)
{
    const std::filesystem::path system = system_ca_bundle();
    if (system.empty()) {
        curl_easy_setopt(h, CURLOPT_SSL_OPTIONS, static_cast<long>(CURLSSLOPT_NATIVE_CA));
    }
    if (tls.ca_file.empty()) {
        if (!system.empty()) {
            curl_easy_setopt(h, CURLOPT_CAINFO, system.string().c_str());
        }
        return;
    }
    if (!system.empty()) {
        auto system_pem = read_file(system);
        auto extra_pem = read_file(tls.ca_file);
        if (system_pem && extra_pem) {
            std::string joined = std::move(*system_pem);
            joined += '\n';
            joined += *extra_pem;
            curl_blob blob{joined.data(), joined.size(), CURL_BLOB_COPY};
            curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
            return;
        }
    }
    curl_easy_setopt(h, CURLOPT_CAINFO, tls.ca_file.c_str());
}

} // namespace

struct Client::Impl
{
    Limits limits;
    CurlEasyPtr easy{curl_easy_init()};
    std::array<char, CURL_ERROR_SIZE> error_buffer{};

    // One request without following redirects; the status lands in the transfer.
    Result<>
    perform(const Request& request, const std::string& url, bool send_auth, Transfer& transfer)
    {
        CURL* h = easy.get();
        if (h == nullptr) {
            return fail(Errc::internal, "cannot create a curl handle");
        }
        curl_easy_reset(h);
        error_buffer[0] = '\0';
        curl_slist* raw_headers = nullptr;
        CurlSlistPtr headers;
        const auto add_header = [&](const std::string& line) {
            raw_headers = curl_slist_append(raw_headers, line.c_str());
            headers.release();
            headers.reset(raw_headers);
        };
        for (const auto& line : request.headers) {
            add_header(line);
        }
        if (send_auth && !request.authorization.empty()) {
            add_header("Authorization: " + request.authorization);
        }
        std::string range;
        if (request.range_start) {
            range = str_cat(*request.range_start, "-");
        }
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "airlock/" AIRLOCK_VERSION);
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "identity");
        curl_easy_setopt(
            h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(limits.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, limits.stall_bytes_per_second);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.stall_time.count()));
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, request.tls.verify ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, request.tls.verify ? 2L : 0L);
        if (!request.unix_socket.empty()) {
            curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
        }
        set_trusted_cas(h, request.tls);
        if (!range.empty()) {
            curl_easy_setopt(h, CURLOPT_RANGE, range.c_str());
        }
        // A string body is sent through the same read callback as a streamed one.
        std::size_t string_offset = 0;
        const std::function<Result<std::size_t>(std::span<char>)> string_source =
            [&](std::span<char> out) -> Result<std::size_t> {
            const std::size_t n = std::min(out.size(), request.body.size() - string_offset);
            std::copy_n(request.body.data() + string_offset, n, out.data());
            string_offset += n;
            return n;
        };
        if (request.method == "HEAD") {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else if (request.method != "GET") {
            transfer.source = request.body_source ? &request.body_source : &string_source;
            const auto size = request.body_source
                                  ? request.body_size
                                  : std::optional<std::uint64_t>(request.body.size());
            curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &transfer);
            if (size) {
                curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(*size));
            }
            add_header("Expect:"); // no 100-continue round trip
        }
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
        if (transfer.sink != nullptr) {
            // A streamed body is a blob of up to gigabytes: larger reads mean a fraction of the
            // system calls (each also a write to the sink's file) of curl's 16 KiB default.
            curl_easy_setopt(h, CURLOPT_BUFFERSIZE, k_stream_buffer_bytes);
        }
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        // The status must be known before the first body byte reaches the sink.
        transfer.response.url = url;
        const CURLcode code = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        transfer.response.status = status;
        if (code == CURLE_OK) {
            return {};
        }
        if (transfer.error) {
            return std::unexpected(*transfer.error);
        }
        if (code == CURLE_ABORTED_BY_CALLBACK) {
            return fail(Errc::cancelled, "interrupted");
        }
        if (transfer.body_too_large) {
            return fail(Errc::format,
                        str_cat("response from ", redact_url(url), " is larger than expected"));
        }
        const std::string detail =
            error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
        if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
            // The server could not prove who it is: retrying cannot help, a CA can.
            return fail(Errc::auth,
                        str_cat("TLS verification of ",
                                redact_url(url),
                                " failed: ",
                                detail,
                                " (give its CA with --cert-dir, or --insecure-registry)"));
        }
        if (code == CURLE_SSL_CONNECT_ERROR && speaks_plain_http(detail)) {
            // A plain-HTTP server answering a TLS handshake: it will answer the same way every
            // time, so this is said at once instead of retried.
            return fail(Errc::auth,
                        str_cat(url_authority(url),
                                " speaks plain HTTP, not HTTPS: add --insecure-registry ",
                                url_authority(url),
                                " if that is intended"));
        }
        if (code == CURLE_SEND_FAIL_REWIND || (code == CURLE_SEND_ERROR && request.body_source)) {
            // libcurl's words for "the server closed the connection while a streamed request
            // body was being sent", which cannot be sent again from where it stopped: a failed
            // rewind when libcurl tried to resend it, a failed send ("Broken pipe") when the
            // close came first.
            return fail(Errc::network,
                        str_cat("the connection to ",
                                redact_url(url),
                                " closed while the request body was being sent"));
        }
        const std::string what = code == CURLE_OPERATION_TIMEDOUT  ? "transfer stalled or timed out"
                                 : code == CURLE_SSL_CONNECT_ERROR ? "TLS handshake failed"
                                                                   : "request failed";
        return fail(Errc::network, str_cat(what, " for ", redact_url(url), ": ", detail));
    }

    // Runs `request`, following redirects by hand.
    Result<Response> run(const Request& request, const BodySink* sink, std::uint64_t max_body)
    {
        std::string url = request.url;
        const std::string origin = origin_of(request.url);
        for (int hop = 0;; ++hop) {
            Transfer transfer;
            transfer.sink = sink;
            transfer.max_body = max_body;
            const bool same_origin = origin_of(url) == origin;
            AIRLOCK_TRY(perform(request, url, same_origin, transfer));
            Response& response = transfer.response;
            if (!is_redirect(response.status) || hop >= request.max_redirects) {
                if (is_redirect(response.status)) {
                    return fail(Errc::network,
                                str_cat("too many redirects from ", redact_url(request.url)));
                }
                return std::move(response);
            }
            const std::string location = response.header("location");
            if (location.empty()) {
                return fail(Errc::network,
                            str_cat("redirect without a location from ", redact_url(url)));
            }
            std::string next = resolve_url(url, location);
            if (url.starts_with("https://") && next.starts_with("http://")) {
                return fail(
                    Errc::network,
                    str_cat("refusing a redirect from https to plain http: ", redact_url(next)));
            }
            url = std::move(next);
        }
    }
};

Client::Client(Limits limits)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->limits = limits;
}

Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<Response> Client::fetch(const Request& request, std::uint64_t max_body)
{
    return m_impl->run(request, nullptr, max_body);
}

Result<Response> Client::stream(const Request& request, const BodySink& sink)
{
    return m_impl->run(request, &sink, 0);
}

void global_init()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string redact_url(std::string_view url)
{
    std::string out(url);
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto at = out.find('@', scheme + 3);
        const auto slash = out.find('/', scheme + 3);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            out.erase(scheme + 3, at + 1 - (scheme + 3));
        }
    }
    if (const auto query = out.find('?'); query != std::string::npos) {
        out = out.substr(0, query) + "?...";
    }
    return out;
}

std::string origin_of(std::string_view url)
{
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return {};
    }
    const std::string scheme = ascii_lower(url.substr(0, scheme_end));
    std::string_view rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    std::string host = ascii_lower(rest);
    if (host.find(':') == std::string::npos || (host.front() == '[' && host.back() == ']')) {
        host += scheme == "https" ? ":443" : ":80";
    }
    return scheme + "://" + host;
}

std::string authority_of(std::string_view url)
{
    const auto scheme_end = url.find("://");
    std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    return std::string(rest);
}

std::string resolve_url(std::string_view base, std::string_view location)
{
    if (location.find("://") != std::string_view::npos) {
        return std::string(location);
    }
    const auto scheme_end = base.find("://");
    const auto path_start = base.find('/', scheme_end + 3);
    const std::string_view root = base.substr(0, path_start);
    if (location.starts_with("//")) {
        return std::string(base.substr(0, scheme_end + 1)) + std::string(location);
    }
    if (location.starts_with("/")) {
        return std::string(root) + std::string(location);
    }
    const std::string_view path =
        path_start == std::string_view::npos ? "/" : base.substr(path_start);
    const auto last = path.rfind('/');
    return std::string(root) + std::string(path.substr(0, last + 1)) + std::string(location);
}

std::string url_encode(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            static constexpr std::string_view k_hex = "0123456789ABCDEF";
            out.push_back('%');
            out.push_back(k_hex[u >> 4U]);
            out.push_back(k_hex[u & 0xFU]);
        }
    }
    return out;
}

} // namespace airlock::http
