// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/host_system.hpp>
#include <airlock/base/local_stream.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/http/http1.hpp>
#include <airlock/http/local_transport.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace airlock::http {

namespace {

// What an error answer keeps of its body.
constexpr std::size_t k_max_error_body = 64U << 10U;

} // namespace

std::string LocalEndpoint::address() const
{
    if (kind == Kind::unix_socket) {
        return str_cat("unix://", path);
    }
    std::string forward = path;
    std::ranges::replace(forward, '\\', '/');
    return str_cat("npipe://", forward);
}

Result<LocalEndpoint> docker_engine_endpoint(std::string_view address)
{
    std::string from_env;
    if (address.empty()) {
        if (const char* host = std::getenv("DOCKER_HOST"); host != nullptr && *host != '\0') {
            from_env = host;
            address = from_env;
        }
    }
    using Kind = LocalEndpoint::Kind;
    if (address.empty()) {
        // Where each system's Docker Engine listens unless told otherwise.
        return host_is_windows() ? LocalEndpoint{Kind::named_pipe, "\\\\.\\pipe\\docker_engine"}
                                 : LocalEndpoint{Kind::unix_socket, "/var/run/docker.sock"};
    }
    constexpr std::string_view k_unix = "unix://";
    constexpr std::string_view k_npipe = "npipe://";
    if (address.starts_with(k_unix) && address.size() > k_unix.size()) {
        return LocalEndpoint{Kind::unix_socket, std::string(address.substr(k_unix.size()))};
    }
    // npipe:////./pipe/NAME (Docker's form) or npipe://\\.\pipe\NAME: the pipe \\.\pipe\NAME.
    if (address.starts_with(k_npipe)) {
        std::string pipe(address.substr(k_npipe.size()));
        std::ranges::replace(pipe, '/', '\\');
        constexpr std::string_view k_local_pipes = "\\\\.\\pipe\\";
        if (pipe.size() > k_local_pipes.size()
            && ascii_lower(std::string_view(pipe).substr(0, k_local_pipes.size())) == k_local_pipes
            && pipe.find('\\', k_local_pipes.size()) == std::string::npos) {
            return LocalEndpoint{Kind::named_pipe, std::move(pipe)};
        }
        return fail(Errc::usage,
                    str_cat("Docker Engine address '",
                            address,
                            "': a named pipe is npipe:////./pipe/NAME (a local pipe)"));
    }
    return fail(
        Errc::unsupported,
        str_cat("Docker Engine address '",
                address,
                "': only unix:///PATH sockets and npipe:////./pipe/NAME pipes are supported"));
}

LocalTransport::LocalTransport(LocalEndpoint endpoint, std::chrono::milliseconds idle)
    : m_endpoint(std::move(endpoint))
    , m_idle(idle)
{
}

Result<Response> LocalTransport::stream(const Request& request, const BodySink& sink)
{
    auto connected = m_endpoint.kind == LocalEndpoint::Kind::unix_socket
                         ? LocalStream::connect_unix_socket(m_endpoint.path, m_idle)
                         : LocalStream::connect_named_pipe(m_endpoint.path, m_idle);
    if (!connected) {
        return std::unexpected(std::move(connected.error()));
    }
    LocalStream& connection = *connected;
    const auto in = [&connection](std::span<char> buffer) { return connection.read_some(buffer); };
    // Whether a failed send is the stream's (the server closed early) or the body's source.
    bool stream_failed = false;
    const auto out = [&connection, &stream_failed](std::span<const char> data) -> Result<> {
        auto written = connection.write_all(data);
        stream_failed = !written;
        return written;
    };
    auto sent = http1::send_request(request, out);
    // A server may answer (an error) before it has read the whole body and close: its answer
    // says more than the failed write. Any other failure of the request is the answer.
    if (!sent && !stream_failed) {
        return std::unexpected(std::move(sent.error()));
    }
    std::string error_body;
    std::optional<Response> error_head; // an error answer whose kept body is full
    auto response = http1::read_response(
        in, request.method, [&](const Response& head, std::span<const char> chunk) -> Result<> {
            if (head.status >= 200 && head.status < 300) {
                return sink(head, chunk);
            }
            const std::size_t room = k_max_error_body - error_body.size();
            error_body.append(chunk.data(), std::min(chunk.size(), room));
            if (chunk.size() >= room) {
                // Enough to say what went wrong: the rest is not read (it may never end).
                error_head = head;
                return fail(Errc::format, "error answer kept");
            }
            return {};
        });
    if (!response && error_head) {
        response = std::move(*error_head);
    }
    if (!response) {
        if (!sent) {
            return std::unexpected(std::move(sent.error()));
        }
        return std::unexpected(std::move(response.error())
                                   .with_context(str_cat("reading the answer of ",
                                                         m_endpoint.address(),
                                                         " to ",
                                                         request.method,
                                                         " ",
                                                         request.url)));
    }
    if (!sent && response->status >= 200 && response->status < 300) {
        return std::unexpected(std::move(sent.error()));
    }
    response->url = request.url;
    response->body = std::move(error_body);
    return response;
}

Result<Response> LocalTransport::fetch(const Request& request, std::uint64_t max_body)
{
    std::string body;
    auto response = stream(
        request, [&body, max_body](const Response&, std::span<const char> chunk) -> Result<> {
            if (body.size() + chunk.size() > max_body) {
                return fail(Errc::format, str_cat("an answer of more than ", max_body, " bytes"));
            }
            body.append(chunk.data(), chunk.size());
            return {};
        });
    if (!response) {
        return response;
    }
    if (response->status >= 200 && response->status < 300) {
        response->body = std::move(body);
    }
    return response;
}

} // namespace airlock::http
