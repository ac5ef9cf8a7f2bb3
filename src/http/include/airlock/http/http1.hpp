// SPDX-License-Identifier: Apache-2.0
#pragma once

// HTTP/1.1 over a byte stream that is not a TCP connection libcurl could open: the Docker
// Engine's named pipe on Windows (and its unix socket, so that one client serves both). One
// request per connection ("Connection: close"); no redirects, no TLS, no proxies: a local
// service answers directly. Every part of a response is bounded before it is believed.

#include <airlock/http/transport.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace airlock::http::http1 {

// Reads some bytes into the buffer: how many, 0 at the end of the stream.
using ByteSource = std::function<Result<std::size_t>(std::span<char>)>;
// Writes all the bytes.
using ByteSink = std::function<Result<>(std::span<const char>)>;

// The largest response head (status line and headers) accepted.
inline constexpr std::size_t k_max_head = 64U << 10U;

// The request line and headers of `request` (its URL's path and query, its host as Host),
// with a Content-Length for a body of known size or chunked transfer coding for a streamed
// one. Errc::usage for a URL that is not http://HOST/PATH.
Result<std::string> request_head(const Request& request);

// Sends `request` (head and body) to `out`.
Result<> send_request(const Request& request, const ByteSink& out);

// Reads one response from `in`: the head, then the body, delivered to `on_body` in chunks
// (de-chunked; bounded only by what `on_body` accepts). `head_only_for` is the request's method:
// a HEAD response has no body. Errc::format for a malformed or oversized head or chunk line,
// Errc::network when the stream ends before the response does.
Result<Response>
read_response(const ByteSource& in,
              std::string_view method,
              const std::function<Result<>(const Response&, std::span<const char>)>& on_body);

} // namespace airlock::http::http1
