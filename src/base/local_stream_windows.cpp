// SPDX-License-Identifier: Apache-2.0
// Local streams on Windows: named pipes, opened for overlapped I/O so that every wait can
// notice an interrupt (a blocking ReadFile would not return until the server answers).
#include "windows_text.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/local_stream.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>

namespace airlock {

namespace {

constexpr DWORD k_poll_ms = 100;

HANDLE as_handle(std::intptr_t value)
{
    // NOLINTNEXTLINE(performance-no-int-to-ptr): a HANDLE kept in an integer
    return reinterpret_cast<HANDLE>(value);
}

// An event for one overlapped operation, closed with it.
class OverlappedIo
{
  public:
    OverlappedIo()
    {
        m_overlapped.hEvent = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    }

    // An error naming `what` when Windows could not make the event (out of resources).
    Result<> usable(const std::string& what) const
    {
        if (m_overlapped.hEvent != nullptr) {
            return {};
        }
        return fail(Errc::network, str_cat(what, ": ", windows_message(::GetLastError())));
    }

    OverlappedIo(const OverlappedIo&) = delete;
    OverlappedIo& operator=(const OverlappedIo&) = delete;

    ~OverlappedIo()
    {
        if (m_overlapped.hEvent != nullptr) {
            ::CloseHandle(m_overlapped.hEvent);
        }
    }

    OVERLAPPED* get()
    {
        return &m_overlapped;
    }

    // Waits for the operation started on `handle`, checking for an interrupt between waits;
    // cancels it on an interrupt or after `idle`. The bytes it moved, or the error.
    Result<DWORD> finish(HANDLE handle, std::chrono::milliseconds idle, const std::string& name)
    {
        const auto deadline = std::chrono::steady_clock::now() + idle;
        for (;;) {
            const DWORD waited = ::WaitForSingleObject(m_overlapped.hEvent, k_poll_ms);
            if (waited == WAIT_OBJECT_0) {
                break;
            }
            if (waited == WAIT_FAILED) {
                m_error = ::GetLastError();
                cancel(handle);
                return fail(Errc::network, str_cat(name, ": ", windows_message(m_error)));
            }
            const bool cancelled = cancel_requested();
            if (cancelled || std::chrono::steady_clock::now() >= deadline) {
                cancel(handle);
                if (cancelled) {
                    return fail(Errc::cancelled, "interrupted");
                }
                return fail(Errc::network,
                            str_cat(name,
                                    " sent nothing for ",
                                    std::chrono::duration_cast<std::chrono::seconds>(idle).count(),
                                    " s"));
            }
        }
        DWORD moved = 0;
        if (::GetOverlappedResult(handle, &m_overlapped, &moved, FALSE) == 0) {
            m_error = ::GetLastError();
            // A message-mode pipe's message longer than the buffer: the bytes read are data.
            if (m_error == ERROR_MORE_DATA) {
                return moved;
            }
            return fail(Errc::network, str_cat(name, ": ", windows_message(m_error)));
        }
        return moved;
    }

    // Why the operation failed (GetLastError of its result), after finish().
    DWORD error() const
    {
        return m_error;
    }

  private:
    // Stops the operation and waits until Windows no longer uses the buffer or m_overlapped.
    void cancel(HANDLE handle)
    {
        ::CancelIoEx(handle, &m_overlapped);
        DWORD ignored = 0;
        ::GetOverlappedResult(handle, &m_overlapped, &ignored, TRUE);
    }

    OVERLAPPED m_overlapped{};
    DWORD m_error = ERROR_SUCCESS;
};

} // namespace

Result<LocalStream> LocalStream::connect_unix_socket(const std::string& path,
                                                     std::chrono::milliseconds /*idle*/)
{
    return fail(Errc::unsupported,
                str_cat("unix socket ", path, ": Windows services are reached by named pipe"));
}

Result<LocalStream> LocalStream::connect_named_pipe(const std::string& name,
                                                    std::chrono::milliseconds idle)
{
    // Only this machine's pipes: \\server\pipe\x would reach another machine (and hand it the
    // user's credentials), any other path a file.
    constexpr std::string_view k_local_pipes = "\\\\.\\pipe\\";
    if (name.size() <= k_local_pipes.size()
        || ascii_lower(name.substr(0, k_local_pipes.size())) != k_local_pipes) {
        return fail(Errc::usage,
                    str_cat("'", name, "' is not a pipe of this machine (\\\\.\\pipe\\NAME)"));
    }
    const std::wstring wide = to_wide(name);
    const auto deadline = std::chrono::steady_clock::now() + idle;
    for (;;) {
        AIRLOCK_TRY(check_cancel());
        // SECURITY_IDENTIFICATION: the server may learn who connects, not act as them.
        HANDLE pipe =
            ::CreateFileW(wide.c_str(),
                          GENERIC_READ | GENERIC_WRITE,
                          0,
                          nullptr,
                          OPEN_EXISTING,
                          FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
                          nullptr);
        if (pipe != INVALID_HANDLE_VALUE) {
            LocalStream stream;
            // NOLINTNEXTLINE(performance-no-int-to-ptr): a HANDLE kept in an integer
            stream.m_handle = reinterpret_cast<std::intptr_t>(pipe);
            stream.m_idle = idle;
            stream.m_name = name;
            return stream;
        }
        const DWORD error = ::GetLastError();
        if (error != ERROR_PIPE_BUSY) {
            return fail(Errc::network,
                        str_cat("cannot connect to ", name, ": ", windows_message(error)));
        }
        // Every instance serves another client: wait for one to be free.
        if (std::chrono::steady_clock::now() >= deadline) {
            return fail(Errc::network, str_cat("cannot connect to ", name, ": it stays busy"));
        }
        ::WaitNamedPipeW(wide.c_str(), k_poll_ms);
    }
}

void LocalStream::close() noexcept
{
    if (m_handle != -1) {
        ::CloseHandle(as_handle(m_handle));
        m_handle = -1;
    }
}

Result<std::size_t> LocalStream::read_some(std::span<char> buffer)
{
    HANDLE pipe = as_handle(m_handle);
    OverlappedIo io;
    AIRLOCK_TRY(io.usable(str_cat("reading from ", m_name)));
    const DWORD size = static_cast<DWORD>(std::min<std::size_t>(buffer.size(), 1U << 20U));
    if (::ReadFile(pipe, buffer.data(), size, nullptr, io.get()) == 0) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED) {
            return std::size_t{0}; // the server closed its end
        }
        if (error != ERROR_IO_PENDING && error != ERROR_MORE_DATA) {
            return fail(Errc::network,
                        str_cat("reading from ", m_name, ": ", windows_message(error)));
        }
    }
    auto moved = io.finish(pipe, m_idle, str_cat("reading from ", m_name));
    if (!moved) {
        if (io.error() == ERROR_BROKEN_PIPE || io.error() == ERROR_PIPE_NOT_CONNECTED) {
            return std::size_t{0};
        }
        return std::unexpected(std::move(moved.error()));
    }
    return static_cast<std::size_t>(*moved);
}

Result<> LocalStream::write_all(std::span<const char> data)
{
    HANDLE pipe = as_handle(m_handle);
    while (!data.empty()) {
        OverlappedIo io;
        AIRLOCK_TRY(io.usable(str_cat("writing to ", m_name)));
        const DWORD size = static_cast<DWORD>(std::min<std::size_t>(data.size(), 1U << 20U));
        if (::WriteFile(pipe, data.data(), size, nullptr, io.get()) == 0) {
            const DWORD error = ::GetLastError();
            if (error != ERROR_IO_PENDING) {
                return fail(Errc::network,
                            str_cat("writing to ", m_name, ": ", windows_message(error)));
            }
        }
        AIRLOCK_TRY_ASSIGN(const DWORD moved,
                           io.finish(pipe, m_idle, str_cat("writing to ", m_name)));
        if (moved == 0) {
            // Nothing taken and no error: looping would spin without end.
            return fail(Errc::network, str_cat("writing to ", m_name, ": the pipe took nothing"));
        }
        data = data.subspan(moved);
    }
    return {};
}

} // namespace airlock
