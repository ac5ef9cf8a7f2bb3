// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/http/transport.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace airlock::http {

// Where a local service listens: a unix socket or a Windows named pipe.
struct LocalEndpoint
{
    enum class Kind { unix_socket, named_pipe };
    Kind kind = Kind::unix_socket;
    std::string path; // /var/run/docker.sock, \\.\pipe\docker_engine

    // "unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine": the form DOCKER_HOST takes.
    std::string address() const;
};

// HTTP/1.1 to a local service (http1.hpp): one connection per request, no redirects. `idle` is
// how long a connection may go without progress (a Docker Engine loading a large image says
// nothing until it is done).
class LocalTransport final : public Transport
{
  public:
    LocalTransport(LocalEndpoint endpoint, std::chrono::milliseconds idle);

    Result<Response> fetch(const Request& request,
                           std::uint64_t max_body = k_default_max_body) override;
    Result<Response> stream(const Request& request, const BodySink& sink) override;

    const LocalEndpoint& endpoint() const
    {
        return m_endpoint;
    }

  private:
    LocalEndpoint m_endpoint;
    std::chrono::milliseconds m_idle;
};

// The Docker Engine at `address` ("unix:///PATH", "npipe:////./pipe/NAME"); when it is empty,
// $DOCKER_HOST, else where the system's engine listens (/var/run/docker.sock on Linux,
// \\.\pipe\docker_engine on Windows). Errc::usage, Errc::unsupported naming the address.
Result<LocalEndpoint> docker_engine_endpoint(std::string_view address);

} // namespace airlock::http
