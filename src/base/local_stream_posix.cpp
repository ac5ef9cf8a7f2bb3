// SPDX-License-Identifier: Apache-2.0
// Local streams on POSIX systems: unix sockets, polled so that waits notice interrupts.
#include <airlock/base/cancel.hpp>
#include <airlock/base/local_stream.hpp>
#include <airlock/base/str_cat.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace airlock {

namespace {

constexpr int k_poll_ms = 100;

std::string errno_text(int code)
{
    return std::system_category().message(code);
}

// Waits until `fd` is ready for `events`, checking for an interrupt between polls.
Result<> wait_for(int fd, short events, std::chrono::milliseconds idle, const std::string& name)
{
    const auto deadline = std::chrono::steady_clock::now() + idle;
    for (;;) {
        AIRLOCK_TRY(check_cancel());
        pollfd ready{fd, events, 0};
        const int n = ::poll(&ready, 1, k_poll_ms);
        if (n > 0) {
            return {};
        }
        if (n < 0 && errno != EINTR) {
            return fail(Errc::network, str_cat("waiting for ", name, ": ", errno_text(errno)));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return fail(
                Errc::network,
                str_cat(name,
                        (events & POLLOUT) != 0 ? " took nothing for " : " sent nothing for ",
                        std::chrono::duration_cast<std::chrono::seconds>(idle).count(),
                        " s"));
        }
    }
}

} // namespace

Result<LocalStream> LocalStream::connect_unix_socket(const std::string& path,
                                                     std::chrono::milliseconds idle)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(address.sun_path)) {
        return fail(Errc::usage,
                    str_cat("unix socket path '",
                            path,
                            "' is empty or longer than ",
                            sizeof(address.sun_path) - 1,
                            " bytes"));
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    LocalStream stream;
    stream.m_idle = idle;
    stream.m_name = path;
    // Non-blocking, so that no call waits where an interrupt or the idle limit cannot end it.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return fail(Errc::network, str_cat("cannot create a socket: ", errno_text(errno)));
    }
    stream.m_handle = fd;
    const auto deadline = std::chrono::steady_clock::now() + idle;
    for (;;) {
        AIRLOCK_TRY(check_cancel());
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
            return stream;
        }
        const int error = errno;
        if (error == EINPROGRESS) {
            AIRLOCK_TRY(wait_for(fd, POLLOUT, idle, path));
            int result = 0;
            socklen_t size = sizeof(result);
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &size);
            if (result != 0) {
                return fail(Errc::network,
                            str_cat("cannot connect to ", path, ": ", errno_text(result)));
            }
            return stream;
        }
        if (error == EAGAIN) {
            // Its queue of connections is full: the service is busy, or stuck.
            if (std::chrono::steady_clock::now() >= deadline) {
                return fail(Errc::network,
                            str_cat("cannot connect to ", path, ": it accepts no connection"));
            }
            ::poll(nullptr, 0, k_poll_ms);
            continue;
        }
        if (error != EINTR) {
            return fail(Errc::network,
                        str_cat("cannot connect to ", path, ": ", errno_text(error)));
        }
    }
}

Result<LocalStream> LocalStream::connect_named_pipe(const std::string& name,
                                                    std::chrono::milliseconds /*idle*/)
{
    return fail(Errc::unsupported,
                str_cat("named pipe ", name, ": named pipes are a Windows transport"));
}

void LocalStream::close() noexcept
{
    if (m_handle >= 0) {
        ::close(static_cast<int>(m_handle));
        m_handle = -1;
    }
}

Result<std::size_t> LocalStream::read_some(std::span<char> buffer)
{
    const int fd = static_cast<int>(m_handle);
    for (;;) {
        AIRLOCK_TRY(wait_for(fd, POLLIN, m_idle, m_name));
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR && errno != EAGAIN) {
            return fail(Errc::network, str_cat("reading from ", m_name, ": ", errno_text(errno)));
        }
    }
}

Result<> LocalStream::write_all(std::span<const char> data)
{
    const int fd = static_cast<int>(m_handle);
    while (!data.empty()) {
        AIRLOCK_TRY(wait_for(fd, POLLOUT, m_idle, m_name));
        // MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE.
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return fail(Errc::network, str_cat("writing to ", m_name, ": ", errno_text(errno)));
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

} // namespace airlock
