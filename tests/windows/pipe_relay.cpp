// SPDX-License-Identifier: Apache-2.0
//
// pipe_relay PIPE PORT: serves the named pipe PIPE (\\.\pipe\docker_engine) and relays every
// connection, byte for byte, to 127.0.0.1:PORT. Under Wine it puts a real Docker Engine
// (dockerd on Linux, listening on TCP) behind the named pipe Windows hosts reach it by, so that
// airlock.exe's named-pipe client is tested against the engine itself. Prints "ready" once the
// pipe exists; runs until killed.
#include <windows.h>
#include <winsock2.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

constexpr DWORD k_buffer = 64U << 10U;

// One overlapped transfer on `pipe`, waited for: the bytes moved, 0 at its end or on an error.
DWORD pipe_io(HANDLE pipe, bool write, char* data, DWORD size)
{
    OVERLAPPED io{};
    io.hEvent = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    DWORD moved = 0;
    const BOOL started = write ? ::WriteFile(pipe, data, size, nullptr, &io)
                               : ::ReadFile(pipe, data, size, nullptr, &io);
    if ((started != 0 || ::GetLastError() == ERROR_IO_PENDING)
        && ::GetOverlappedResult(pipe, &io, &moved, TRUE) == 0) {
        moved = 0;
    }
    ::CloseHandle(io.hEvent);
    return moved;
}

void relay(HANDLE pipe, unsigned short port)
{
    SOCKET engine = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = ::htons(port);
    address.sin_addr.s_addr = ::htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (::connect(engine, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        std::fprintf(stderr, "pipe_relay: cannot connect to 127.0.0.1:%u\n", port);
        ::closesocket(engine);
        ::DisconnectNamedPipe(pipe);
        ::CloseHandle(pipe);
        return;
    }
    // The client's bytes to the engine; its end of the request half-closes the connection.
    std::thread upstream([pipe, engine] {
        std::string buffer(k_buffer, '\0');
        for (;;) {
            const DWORD n = pipe_io(pipe, false, buffer.data(), k_buffer);
            if (n == 0) {
                break;
            }
            if (::send(engine, buffer.data(), static_cast<int>(n), 0) != static_cast<int>(n)) {
                break;
            }
        }
        ::shutdown(engine, SD_SEND);
    });
    // The engine's answer to the client, until the engine closes.
    std::string buffer(k_buffer, '\0');
    for (;;) {
        const int n = ::recv(engine, buffer.data(), static_cast<int>(k_buffer), 0);
        if (n <= 0 || pipe_io(pipe, true, buffer.data(), static_cast<DWORD>(n)) == 0) {
            break;
        }
    }
    ::FlushFileBuffers(pipe);
    ::DisconnectNamedPipe(pipe); // ends the upstream read too
    upstream.join();
    ::CloseHandle(pipe);
    ::closesocket(engine);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fputs("usage: pipe_relay \\\\.\\pipe\\NAME PORT\n", stderr);
        return 2;
    }
    WSADATA wsa{};
    ::WSAStartup(MAKEWORD(2, 2), &wsa);
    const std::string name = argv[1];
    const auto port = static_cast<unsigned short>(std::strtoul(argv[2], nullptr, 10));
    bool announced = false;
    for (;;) {
        HANDLE pipe = ::CreateNamedPipeA(name.c_str(),
                                         PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                         PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
                                         PIPE_UNLIMITED_INSTANCES,
                                         k_buffer,
                                         k_buffer,
                                         0,
                                         nullptr);
        if (pipe == INVALID_HANDLE_VALUE) {
            std::fprintf(
                stderr, "pipe_relay: cannot create %s (%lu)\n", name.c_str(), ::GetLastError());
            return 1;
        }
        if (!announced) {
            std::puts("ready");
            std::fflush(stdout);
            announced = true;
        }
        OVERLAPPED io{};
        io.hEvent = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
        DWORD ignored = 0;
        const bool connected = ::ConnectNamedPipe(pipe, &io) != 0
                               || ::GetLastError() == ERROR_PIPE_CONNECTED
                               || (::GetLastError() == ERROR_IO_PENDING
                                   && ::GetOverlappedResult(pipe, &io, &ignored, TRUE) != 0);
        ::CloseHandle(io.hEvent);
        if (!connected) {
            ::CloseHandle(pipe);
            continue;
        }
        std::thread(relay, pipe, port).detach();
    }
}
