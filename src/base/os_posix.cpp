// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace airlock::os {

namespace fs = std::filesystem;

namespace {

std::unexpected<std::error_code> last_error()
{
    return std::unexpected(std::error_code(errno, std::generic_category()));
}

Entry entry_from(const struct stat& info)
{
    Entry out;
    out.kind = S_ISREG(info.st_mode)   ? Kind::regular
               : S_ISDIR(info.st_mode) ? Kind::directory
               : S_ISLNK(info.st_mode) ? Kind::symlink
               : S_ISBLK(info.st_mode) ? Kind::block_device
                                       : Kind::other;
    out.size = static_cast<std::uint64_t>(info.st_size);
    out.device = static_cast<std::uint64_t>(info.st_dev);
    out.inode = static_cast<std::uint64_t>(info.st_ino);
    constexpr std::int64_t k_ns = 1'000'000'000;
    out.changed = static_cast<std::int64_t>(info.st_ctim.tv_sec) * k_ns + info.st_ctim.tv_nsec;
    return out;
}

// Lock errors that mean "this file system has no locks", not "someone holds it".
bool locks_unsupported(int err)
{
    return err == ENOLCK || err == EOPNOTSUPP || err == EINVAL || err == EBADF;
}

} // namespace

Sys<Entry> entry_at(const fs::path& path)
{
    struct stat info{};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return Entry{};
        }
        return last_error();
    }
    return entry_from(info);
}

Sys<Entry> entry_of(const Fd& fd)
{
    struct stat info{};
    if (::fstat(fd.get(), &info) != 0) {
        return last_error();
    }
    return entry_from(info);
}

bool still_named(const Fd& fd, const fs::path& path)
{
    const auto opened = entry_of(fd);
    const auto named = entry_at(path);
    return opened && named && named->kind != Kind::missing && opened->device == named->device
           && opened->inode == named->inode;
}

Sys<Fd> open_file(const fs::path& path, unsigned flags, unsigned mode)
{
    int how = O_CLOEXEC;
    how |= (flags & reading) != 0U && (flags & writing) != 0U ? O_RDWR
           : (flags & writing) != 0U                          ? O_WRONLY
                                                              : O_RDONLY;
    how |= (flags & create) != 0U ? O_CREAT : 0;
    how |= (flags & exclusive) != 0U ? O_EXCL : 0;
    how |= (flags & append) != 0U ? O_APPEND : 0;
    how |= (flags & no_follow) != 0U ? O_NOFOLLOW : 0;
    how |= (flags & no_block) != 0U ? O_NONBLOCK : 0;
    const int fd = ::open(path.c_str(), how, static_cast<mode_t>(mode));
    if (fd < 0) {
        return last_error();
    }
    Fd out(fd);
    if ((flags & no_block) != 0U) {
        // Only the open may not wait; reads of the file then block as usual.
        const int now = ::fcntl(fd, F_GETFL);
        if (now < 0 || ::fcntl(fd, F_SETFL, now & ~O_NONBLOCK) != 0) {
            return last_error();
        }
    }
    return out;
}

Sys<Fd> open_directory(const fs::path& path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) {
        return last_error();
    }
    return fd;
}

Sys<> set_mode(const Fd& fd, unsigned mode)
{
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) {
        return last_error();
    }
    return {};
}

Sys<Fd> duplicate(const Fd& fd)
{
    Fd out(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!out) {
        return last_error();
    }
    return out;
}

Sys<Lock> try_lock(const Fd& fd)
{
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
        return Lock::taken;
    }
    if (errno == EWOULDBLOCK || errno == EINTR) {
        return Lock::held;
    }
    if (locks_unsupported(errno)) {
        return Lock::unsupported;
    }
    return last_error();
}

Sys<> rename(const fs::path& from, const fs::path& to)
{
    if (::rename(from.c_str(), to.c_str()) != 0) {
        return last_error();
    }
    return {};
}

Sys<> remove_file(const fs::path& path)
{
    if (::unlink(path.c_str()) != 0) {
        return last_error();
    }
    return {};
}

Sys<> remove_directory(const fs::path& path)
{
    if (::rmdir(path.c_str()) != 0) {
        return last_error();
    }
    return {};
}

Sys<> make_directory(const fs::path& path, unsigned mode)
{
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0) {
        return last_error();
    }
    return {};
}

bool set_direct_io(Fd& fd, bool on)
{
    const int flags = ::fcntl(fd.get(), F_GETFL);
    return flags >= 0
           && ::fcntl(fd.get(), F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT)) == 0;
}

Sys<> truncate(const Fd& fd)
{
    if (::ftruncate(fd.get(), 0) != 0) {
        return last_error();
    }
    return {};
}

Sys<bool> wait_readable(const Fd& fd, int milliseconds)
{
    struct pollfd ready{fd.get(), POLLIN, 0};
    const int n = ::poll(&ready, 1, milliseconds);
    if (n < 0) {
        return last_error();
    }
    return n > 0;
}

Sys<> sync(const Fd& fd)
{
    if (::fsync(fd.get()) != 0) {
        return last_error();
    }
    return {};
}

Sys<> sync_directory(const fs::path& dir)
{
    const auto fd = open_directory(dir);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    return sync(*fd);
}

bool can_sync_file_system()
{
#if defined(__linux__)
    return true;
#else
    return false;
#endif
}

Sys<> sync_file_system([[maybe_unused]] const Fd& fd)
{
#if defined(__linux__)
    if (::syncfs(fd.get()) != 0) {
        return last_error();
    }
    return {};
#else
    return std::unexpected(std::make_error_code(std::errc::not_supported));
#endif
}

Sys<std::size_t> read(const Fd& fd, std::span<char> buffer)
{
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
        return last_error();
    }
    return static_cast<std::size_t>(n);
}

Sys<std::size_t> write(const Fd& fd, std::span<const char> data)
{
    const ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0) {
        return last_error();
    }
    return static_cast<std::size_t>(n);
}

void close(int fd) noexcept
{
    ::close(fd);
}

std::string message(const std::error_code& error)
{
    return std::strerror(error.value());
}

} // namespace airlock::os
