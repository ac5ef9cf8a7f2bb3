// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::http {

// How one host is reached over TLS.
struct TlsOptions
{
    bool verify = true;  // off only for an explicit --insecure-registry
    std::string ca_file; // extra CA bundle (certs.d/HOST/ca.crt); system CAs otherwise
};

struct Request
{
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers; // "Name: value"
    std::string authorization; // sent only to the host of `url`, never after a redirect elsewhere
    std::optional<std::uint64_t> range_start; // "Range: bytes=N-"
    std::string body; // request body (POST, PUT, PATCH) unless `body_source` is set
    // A body produced on demand (blob uploads streamed from a bundle): fills the buffer and
    // returns how many bytes it wrote, 0 at the end. `body_size` is its length when known.
    std::function<Result<std::size_t>(std::span<char>)> body_source;
    std::optional<std::uint64_t> body_size;
    TlsOptions tls;
    std::string unix_socket; // talk HTTP over this unix socket (the Docker Engine API)
    // Redirects followed (each checked: no https -> http downgrade).
    int max_redirects = 5;
};

struct Response
{
    long status = 0;
    std::map<std::string, std::vector<std::string>> headers; // lower-case names
    std::string url;  // the URL that answered (after redirects)
    std::string body; // with `fetch` only

    // The first value of header `name` (lower case), or empty.
    std::string header(std::string_view name) const;
};

// Receives the body in chunks after the status and headers are known; an error aborts.
using BodySink = std::function<Result<>(const Response& head, std::span<const char> chunk)>;

// Transfer limits. A transfer slower than `stall_bytes_per_second` for `stall_time` is
// stalled and aborted; a slow transfer that keeps moving is never cut off.
struct Limits
{
    std::chrono::seconds connect_timeout{30};
    std::chrono::seconds stall_time{60};
    long stall_bytes_per_second = 1;
};

// One HTTP(S) client (one curl easy handle, reused for keep-alive). Not thread-safe: use
// one per thread. Errors: Errc::network (connection, handshake, stall: worth retrying),
// Errc::auth (the server's certificate did not verify), never for HTTP statuses, which the
// caller judges from `Response::status`.
class Client
{
  public:
    explicit Client(Limits limits = {});
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    ~Client();

    // Performs `request`, keeping a body of at most `max_body` bytes in `Response::body`.
    Result<Response> fetch(const Request& request, std::uint64_t max_body = 16ULL << 20U);

    // Performs `request`, passing the body of a 2xx answer to `sink` as it arrives; the body of
    // other answers (error documents) is kept in `Response::body` (at most 64 KiB).
    Result<Response> stream(const Request& request, const BodySink& sink);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Initialises libcurl once per process; call from main before any thread starts.
void global_init();

// `url` without user info or query string values, for messages and logs.
std::string redact_url(std::string_view url);

// "scheme://host:port" of `url` (lower-case host), to compare origins.
std::string origin_of(std::string_view url);

// "host[:port]" of `url` as written (no user info), as certs.d directories are named.
std::string authority_of(std::string_view url);

// Resolves `location` (absolute or relative) against `base`.
std::string resolve_url(std::string_view base, std::string_view location);

// Percent-encodes a query component.
std::string url_encode(std::string_view text);

} // namespace airlock::http
