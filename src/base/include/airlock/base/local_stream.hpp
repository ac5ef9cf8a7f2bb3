// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace airlock {

// A connection to a local service that speaks over a byte stream: a unix socket (Docker Engine
// and containerd on Linux) or a named pipe (Docker Engine on Windows, \\.\pipe\docker_engine).
// Every wait checks for an interrupt at least ten times a second (Errc::cancelled) and gives up
// after `idle` without progress (Errc::network).
class LocalStream
{
  public:
    // Connects to the unix socket at `path`. Errc::unsupported on Windows; Errc::network when
    // nothing listens there.
    static Result<LocalStream> connect_unix_socket(const std::string& path,
                                                   std::chrono::milliseconds idle);

    // Connects to the named pipe `name` (\\.\pipe\NAME), waiting while all its instances are
    // busy. Errc::unsupported on other systems; Errc::network when there is no such pipe.
    static Result<LocalStream> connect_named_pipe(const std::string& name,
                                                  std::chrono::milliseconds idle);

    LocalStream(LocalStream&& other) noexcept;
    LocalStream& operator=(LocalStream&& other) noexcept;
    LocalStream(const LocalStream&) = delete;
    LocalStream& operator=(const LocalStream&) = delete;
    ~LocalStream();

    // Reads what has arrived, at most `buffer.size()` bytes, waiting for at least one; 0 when
    // the other side closed the stream.
    Result<std::size_t> read_some(std::span<char> buffer);

    // Writes all of `data`. Errc::network when the other side closed the stream.
    Result<> write_all(std::span<const char> data);

    // What this stream is connected to, for messages.
    const std::string& name() const
    {
        return m_name;
    }

  private:
    LocalStream() = default;
    void close() noexcept;

    std::intptr_t m_handle = -1; // a file descriptor; on Windows, the pipe's HANDLE
    std::chrono::milliseconds m_idle{0};
    std::string m_name;
};

} // namespace airlock
