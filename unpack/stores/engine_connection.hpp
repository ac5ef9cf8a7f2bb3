// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Docker Engine API over its unix socket or Windows named pipe (http::LocalTransport), as
// import --to docker-engine and rm/prune on that store use it.

#include <airlock/base/error.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/http/client.hpp>
#include <airlock/http/local_transport.hpp>
#include <airlock/manifest/json.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace airlock::unpack {

inline constexpr std::string_view k_engine_api = "http://docker/v1.41";

// How long an API call may go without progress; a load gets longer, as the engine says
// nothing while it unpacks the layers it read.
inline constexpr std::chrono::seconds k_engine_call_idle{60};
inline constexpr std::chrono::seconds k_engine_load_idle{3600};

// The Engine API over its socket or pipe.
class EngineConnection
{
  public:
    explicit EngineConnection(http::LocalEndpoint endpoint)
        : m_calls(std::move(endpoint), k_engine_call_idle)
    {
    }

    Result<http::Response> call(std::string method, const std::string& path, std::string body = {})
    {
        http::Request request;
        request.method = std::move(method);
        request.url = str_cat(k_engine_api, path);
        request.body = std::move(body);
        auto response = m_calls.fetch(request);
        if (!response && response.error().code == Errc::network) {
            return fail(Errc::network,
                        str_cat("cannot reach the Docker Engine at ",
                                address(),
                                " (is dockerd running? ",
                                response.error().message,
                                ")"));
        }
        return response;
    }

    // The image's inspect document, or nothing when the engine does not know `name`.
    Result<std::optional<nlohmann::json>> inspect(const std::string& name)
    {
        AIRLOCK_TRY_ASSIGN(const http::Response r,
                           call("GET", str_cat("/images/", http::url_encode(name), "/json")));
        if (r.status == 404) {
            return std::optional<nlohmann::json>{};
        }
        if (r.status != 200) {
            return fail(Errc::http_status,
                        str_cat("Docker Engine answered ", r.status, " inspecting ", name));
        }
        AIRLOCK_TRY_ASSIGN(nlohmann::json doc,
                           manifest::parse_bounded_json(r.body, "image inspect"));
        if (!doc.is_object()) {
            return fail(Errc::format,
                        str_cat("Docker Engine's inspect document of ", name, " is not an object"));
        }
        return std::optional<nlohmann::json>(std::move(doc));
    }

    // POST /images/load with the archive `source` produces.
    Result<http::Response> load(std::function<Result<std::size_t>(std::span<char>)> source) const
    {
        http::Request request;
        request.method = "POST";
        request.url = str_cat(k_engine_api, "/images/load?quiet=1");
        request.headers = {"Content-Type: application/x-tar"};
        request.body_source = std::move(source);
        http::LocalTransport transport(m_calls.endpoint(), k_engine_load_idle);
        return transport.fetch(request, 16U << 20U);
    }

    const http::LocalEndpoint& endpoint() const
    {
        return m_calls.endpoint();
    }

    // unix:///var/run/docker.sock, npipe:////./pipe/docker_engine
    std::string address() const
    {
        return endpoint().address();
    }

  private:
    http::LocalTransport m_calls;
};

} // namespace airlock::unpack
