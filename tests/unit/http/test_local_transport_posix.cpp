// SPDX-License-Identifier: Apache-2.0
// http::LocalTransport against a local service that misbehaves: a unix socket served by a
// thread of the test, which answers as a stuck, chatty or impatient Docker Engine would.
#include "../scratch.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/http/local_transport.hpp>

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

using namespace airlock;
using namespace airlock::http;
using namespace std::chrono_literals;

namespace {

// Listens on `path`; serves one connection with `serve` on a thread of its own.
class Service
{
  public:
    Service(const std::string& path, std::function<void(int)> serve)
    {
        m_listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, path.data(), path.size());
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
        REQUIRE(::bind(m_listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address))
                == 0);
        REQUIRE(::listen(m_listener, 4) == 0);
        m_thread = std::thread([this, serve = std::move(serve)] {
            const int client = ::accept(m_listener, nullptr, nullptr);
            if (client >= 0) {
                serve(client);
                ::close(client);
            }
        });
    }

    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    ~Service()
    {
        ::shutdown(m_listener, SHUT_RDWR);
        m_thread.join();
        ::close(m_listener);
    }

  private:
    int m_listener = -1;
    std::thread m_thread;
};

void send_text(int fd, std::string_view text)
{
    while (!text.empty()) {
        const ssize_t n = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Reads the request head (up to the empty line).
void read_head(int fd)
{
    std::string seen;
    char c = 0;
    while (seen.find("\r\n\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1) {
        seen += c;
    }
}

// A stuck engine: takes the request and answers nothing for longer than the tests wait.
void read_and_say_nothing(int fd)
{
    read_head(fd);
    std::this_thread::sleep_for(2s);
}

Request ping()
{
    Request request;
    request.url = "http://docker/_ping";
    return request;
}

} // namespace

TEST_CASE("LocalTransport: an endless error answer is cut after what is kept")
{
    const test::Scratch scratch;
    const std::string socket = (scratch.path() / "engine.sock").string();
    std::atomic<bool> stop{false};
    const Service service(socket, [&stop](int fd) {
        read_head(fd);
        send_text(fd, "HTTP/1.1 500 Internal Server Error\r\n\r\n");
        const std::string noise(4096, 'e');
        while (!stop) {
            if (::send(fd, noise.data(), noise.size(), MSG_NOSIGNAL) <= 0) {
                return;
            }
        }
    });
    LocalTransport transport({LocalEndpoint::Kind::unix_socket, socket}, 5s);
    const auto response = transport.fetch(ping());
    stop = true;
    REQUIRE(response);
    CHECK(response->status == 500);
    CHECK(response->body.size() == 64U << 10U);
}

TEST_CASE("LocalTransport: a service that says nothing is given up after the idle time")
{
    const test::Scratch scratch;
    const std::string socket = (scratch.path() / "engine.sock").string();
    const Service service(socket, read_and_say_nothing);
    LocalTransport transport({LocalEndpoint::Kind::unix_socket, socket}, 300ms);
    const auto start = std::chrono::steady_clock::now();
    const auto response = transport.fetch(ping());
    REQUIRE_FALSE(response);
    CHECK(response.error().code == Errc::network);
    CHECK(std::chrono::steady_clock::now() - start < 1500ms);
}

TEST_CASE("LocalTransport: an interrupt ends the wait for an answer")
{
    const test::Scratch scratch;
    const std::string socket = (scratch.path() / "engine.sock").string();
    const Service service(socket, read_and_say_nothing);
    LocalTransport transport({LocalEndpoint::Kind::unix_socket, socket}, 60s);
    std::thread interrupter([] {
        std::this_thread::sleep_for(200ms);
        request_cancel();
    });
    const auto start = std::chrono::steady_clock::now();
    const auto response = transport.fetch(ping());
    interrupter.join();
    clear_cancel();
    REQUIRE_FALSE(response);
    CHECK(response.error().code == Errc::cancelled);
    CHECK(std::chrono::steady_clock::now() - start < 1500ms);
}

TEST_CASE("LocalTransport: an answer before the whole body was taken is the result")
{
    const test::Scratch scratch;
    const std::string socket = (scratch.path() / "engine.sock").string();
    const Service service(socket, [](int fd) {
        read_head(fd);
        send_text(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\n\r\nbad tarball\n");
        ::shutdown(fd, SHUT_RDWR);
    });
    LocalTransport transport({LocalEndpoint::Kind::unix_socket, socket}, 5s);
    Request load = ping();
    load.method = "POST";
    std::size_t produced = 0;
    load.body_source = [&produced](std::span<char> buffer) -> Result<std::size_t> {
        if (produced >= (64U << 20U)) {
            return std::size_t{0};
        }
        std::memset(buffer.data(), 'x', buffer.size());
        produced += buffer.size();
        return buffer.size();
    };
    const auto response = transport.fetch(load);
    REQUIRE(response);
    CHECK(response->status == 400);
    CHECK(response->body == "bad tarball\n");
}

TEST_CASE("LocalTransport: nothing listening is a network error naming the socket")
{
    const test::Scratch scratch;
    const std::string socket = (scratch.path() / "nobody.sock").string();
    LocalTransport transport({LocalEndpoint::Kind::unix_socket, socket}, 1s);
    const auto response = transport.fetch(ping());
    REQUIRE_FALSE(response);
    CHECK(response.error().code == Errc::network);
    CHECK(response.error().message.find(socket) != std::string::npos);
}
