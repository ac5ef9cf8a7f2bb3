// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

extern char** environ;

namespace airlock {

namespace {

// How long a wait on a child lasts before Ctrl-C is looked at again.
constexpr int k_poll_ms = 50;

// An anonymous temporary file for a child's output.
Result<Fd> temporary_output()
{
    std::array<char, 32> name{"/tmp/airlock-child-XXXXXX"};
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return fail(Errc::io, str_cat("cannot create a temporary file: ", std::strerror(errno)));
    }
    ::unlink(name.data());
    return Fd(fd);
}

std::string read_all(const Fd& fd)
{
    std::string out;
    ::lseek(fd.get(), 0, SEEK_SET);
    std::array<char, 65536> buffer{};
    while (true) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n <= 0) {
            return out;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
}

} // namespace

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv)
{
    ChildProcess child;
    child.m_name = argv.empty() ? std::string() : argv.front();
    std::array<int, 2> in{};
    if (::pipe2(in.data(), O_CLOEXEC) != 0) {
        return fail(Errc::io, str_cat("cannot create a pipe: ", std::strerror(errno)));
    }
    Fd read_end(in[0]);
    child.m_stdin = Fd(in[1]);
    // Non-blocking, so that write() never waits for a child that stopped reading: the wait is
    // in poll(), where Ctrl-C is seen (see write()).
    const int flags = ::fcntl(in[1], F_GETFL);
    if (flags < 0 || ::fcntl(in[1], F_SETFL, flags | O_NONBLOCK) != 0) {
        return fail(Errc::io, str_cat("cannot set up a pipe: ", std::strerror(errno)));
    }
    AIRLOCK_TRY_ASSIGN(child.m_stdout, temporary_output());
    AIRLOCK_TRY_ASSIGN(child.m_stderr, temporary_output());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, read_end.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, child.m_stdout.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, child.m_stderr.get(), 2);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    child.m_pid = pid;
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        child.m_pid = -1;
        return fail(rc == ENOENT ? Errc::not_found : Errc::io,
                    str_cat("cannot run ", child.m_name, ": ", std::strerror(rc)));
    }
    return child;
}

Result<> ChildProcess::write(std::span<const char> data)
{
    while (!data.empty()) {
        // Waits in poll(), not in a blocking write(): a child that stops reading must not make
        // Ctrl-C wait for it.
        AIRLOCK_TRY(check_cancel());
        struct pollfd ready{m_stdin.get(), POLLOUT, 0};
        const int n = ::poll(&ready, 1, k_poll_ms);
        if (n < 0 && errno != EINTR) {
            return fail(Errc::io, str_cat("cannot write to ", m_name, ": ", std::strerror(errno)));
        }
        if (n <= 0) {
            continue;
        }
        const ssize_t written = ::write(m_stdin.get(), data.data(), data.size());
        if (written < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (written < 0) {
            return fail(Errc::io, str_cat(m_name, " stopped reading its input"));
        }
        data = data.subspan(static_cast<std::size_t>(written));
    }
    return {};
}

Result<std::string> ChildProcess::finish()
{
    m_stdin = Fd();
    int status = 0;
    // Short commands finish in milliseconds: look again soon at first, then every k_poll_ms.
    auto pause = std::chrono::milliseconds(1);
    while (true) {
        const pid_t done = ::waitpid(static_cast<pid_t>(m_pid), &status, WNOHANG);
        if (done == m_pid) {
            break;
        }
        if (done < 0 && errno != EINTR) {
            return fail(Errc::io, str_cat("cannot wait for ", m_name, ": ", std::strerror(errno)));
        }
        if (cancel_requested()) {
            kill();
            return fail(Errc::cancelled, "interrupted");
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(k_poll_ms));
    }
    m_pid = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string err = read_all(m_stderr);
        while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) {
            err.pop_back();
        }
        return fail(Errc::io,
                    str_cat(m_name,
                            " failed (",
                            WIFEXITED(status) ? str_cat("exit ", WEXITSTATUS(status))
                                              : std::string("killed"),
                            ")",
                            err.empty() ? "" : ": " + err));
    }
    return read_all(m_stdout);
}

void ChildProcess::kill()
{
    if (m_pid > 0) {
        ::kill(static_cast<pid_t>(m_pid), SIGKILL);
        int status = 0;
        ::waitpid(static_cast<pid_t>(m_pid), &status, 0);
        m_pid = -1;
    }
}

} // namespace airlock
