// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <cstdint>
#include <functional>
#include <map>
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

// The largest body `Transport::fetch` keeps unless told otherwise.
inline constexpr std::uint64_t k_default_max_body = 16ULL << 20U;

// What performs HTTP requests: http::Client over libcurl, or a scripted one in tests, so that
// the registry client's auth, retry and redirect rules can be tested without a server.
// Implementations follow redirects themselves (at most `Request::max_redirects`, refusing
// https -> http), sending `Request::authorization` only to the origin of `Request::url`.
// Errors: Errc::network (connection, handshake, stall: worth retrying), Errc::auth (the
// server's certificate did not verify), Errc::cancelled; never for HTTP statuses, which the
// caller judges from `Response::status`.
class Transport
{
  public:
    virtual ~Transport() = default;

    // Performs `request`, keeping a body of at most `max_body` bytes in `Response::body`
    // (Errc::format when larger).
    virtual Result<Response> fetch(const Request& request,
                                   std::uint64_t max_body = k_default_max_body) = 0;

    // Performs `request`, passing the body of a 2xx answer to `sink` as it arrives; the body of
    // other answers (error documents) is kept in `Response::body` (at most 64 KiB).
    virtual Result<Response> stream(const Request& request, const BodySink& sink) = 0;

  protected:
    Transport() = default;
    Transport(const Transport&) = default;
    Transport(Transport&&) = default;
    Transport& operator=(const Transport&) = default;
    Transport& operator=(Transport&&) = default;
};

} // namespace airlock::http
