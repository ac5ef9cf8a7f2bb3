// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/http/transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace airlock::http {

// Transfer limits. A transfer slower than `stall_bytes_per_second` for `stall_time` is
// stalled and aborted; a slow transfer that keeps moving is never cut off.
struct Limits
{
    std::chrono::seconds connect_timeout{30};
    std::chrono::seconds stall_time{60};
    long stall_bytes_per_second = 1;
};

// The libcurl Transport: one curl easy handle, reused for keep-alive. Not thread-safe: use one
// per thread.
class Client final : public Transport
{
  public:
    explicit Client(Limits limits = {});
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    ~Client() override;

    Result<Response> fetch(const Request& request,
                           std::uint64_t max_body = k_default_max_body) override;

    Result<Response> stream(const Request& request, const BodySink& sink) override;

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
