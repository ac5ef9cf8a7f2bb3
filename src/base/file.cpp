// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>

namespace airlock {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int err)
{
    return std::strerror(err);
}

} // namespace

Fd::Fd(Fd&& other) noexcept
    : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

Fd& Fd::operator=(Fd&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

namespace {

Result<Fd> open_with_flags(const fs::path& path, int flags, FollowSymlinks follow)
{
    const int fd = ::open(path.c_str(), flags | (follow == FollowSymlinks::no ? O_NOFOLLOW : 0));
    if (fd < 0) {
        const int err = errno;
        if (err == EINTR && cancel_requested()) {
            return fail(Errc::cancelled, "interrupted"); // e.g. waiting for a FIFO's writer
        }
        if (err == ELOOP && follow == FollowSymlinks::no) {
            return fail(Errc::io,
                        str_cat("cannot open ", path.string(), ": it is a symbolic link"));
        }
        return fail(err == ENOENT ? Errc::not_found : Errc::io,
                    str_cat("cannot open ", path.string(), ": ", errno_text(err)));
    }
    return Fd(fd);
}

} // namespace

Result<Fd> open_for_reading(const fs::path& path, FollowSymlinks follow)
{
    return open_with_flags(path, O_RDONLY | O_CLOEXEC, follow);
}

std::optional<std::uint64_t> regular_file_size(const fs::path& path)
{
    struct stat info{};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(info.st_size);
}

Result<> refuse_symlinked_directory(const fs::path& dir)
{
    struct stat info{};
    if (::lstat(dir.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return {};
        }
        return fail(Errc::io, str_cat("cannot inspect ", dir.string(), ": ", errno_text(errno)));
    }
    if (S_ISLNK(info.st_mode)) {
        return fail(Errc::io,
                    str_cat(dir.string(),
                            " is a symbolic link; refusing to write through it (make it a real "
                            "directory)"));
    }
    if (!S_ISDIR(info.st_mode)) {
        return fail(Errc::io, str_cat(dir.string(), " is not a directory"));
    }
    return {};
}

Result<> refuse_writable_by_others(const fs::path& path)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) {
        return fail(Errc::io, str_cat("cannot inspect ", path.string(), ": ", errno_text(errno)));
    }
    const uid_t me = ::geteuid();
    if (info.st_uid != me && info.st_uid != 0) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " belongs to uid ",
                            info.st_uid,
                            ", neither you (uid ",
                            me,
                            ") nor root, so its owner would choose your settings; take it over "
                            "(chown) or name another file with --config"));
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " is writable by other users, who could choose your settings; run: "
                            "chmod go-w ",
                            path.string()));
    }
    return {};
}

bool may_stall(const Fd& fd)
{
    struct stat info{};
    return ::fstat(fd.get(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISBLK(info.st_mode);
}

Result<> wait_until_readable(const Fd& fd, std::string_view what)
{
    constexpr int k_poll_ms = 100;
    while (true) {
        AIRLOCK_TRY(check_cancel());
        struct pollfd ready{fd.get(), POLLIN, 0};
        const int n = ::poll(&ready, 1, k_poll_ms);
        if (n > 0) {
            return {};
        }
        if (n < 0 && errno != EINTR) {
            return fail(Errc::io, str_cat("cannot read ", what, ": ", errno_text(errno)));
        }
    }
}

Result<std::size_t> read_some(const Fd& fd, std::span<char> buffer, std::string_view what)
{
    const bool waits = may_stall(fd);
    while (true) {
        if (waits) {
            AIRLOCK_TRY(wait_until_readable(fd, what));
        }
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR && errno != EAGAIN) {
            return fail(Errc::io, str_cat("cannot read ", what, ": ", errno_text(errno)));
        }
        AIRLOCK_TRY(check_cancel());
    }
}

Result<> write_all(const Fd& fd, std::span<const char> data, std::string_view what)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(Errc::io, str_cat("cannot write ", what, ": ", errno_text(errno)));
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

Result<Fd> open_regular_for_reading(const fs::path& path, FollowSymlinks follow)
{
    // O_NONBLOCK: opening a FIFO must not wait for a writer that never comes.
    AIRLOCK_TRY_ASSIGN(Fd fd, open_with_flags(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, follow));
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) {
        return fail(Errc::io, str_cat("cannot stat ", path.string(), ": ", errno_text(errno)));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(Errc::io, str_cat(path.string(), " is not a regular file"));
    }
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
        return fail(Errc::io, str_cat("cannot read ", path.string(), ": ", errno_text(errno)));
    }
    return fd;
}

Result<std::string> read_file(const fs::path& path, std::uint64_t max_size, FollowSymlinks follow)
{
    AIRLOCK_TRY_ASSIGN(Fd fd, open_regular_for_reading(path, follow));
    std::string content;
    std::array<char, 65536> buffer{};
    while (true) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, read_some(fd, buffer, path.string()));
        if (n == 0) {
            return content;
        }
        if (content.size() + n > max_size) {
            return fail(
                Errc::format,
                str_cat(path.string(), " is larger than the limit of ", max_size, " bytes"));
        }
        content.append(buffer.data(), n);
    }
}

Result<> make_directories(const fs::path& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(Errc::io,
                    str_cat("cannot create directory ", dir.string(), ": ", ec.message()));
    }
    return {};
}

Result<> fsync_directory(const fs::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return fail(Errc::io,
                    str_cat("cannot open directory ", dir.string(), ": ", errno_text(errno)));
    }
    const Fd guard(fd);
    if (::fsync(fd) != 0) {
        return fail(Errc::io,
                    str_cat("cannot sync directory ", dir.string(), ": ", errno_text(errno)));
    }
    return {};
}

AtomicFile::AtomicFile(fs::path path, fs::path temp_path, Fd fd, Fd owner)
    : m_path(std::move(path))
    , m_temp_path(std::move(temp_path))
    , m_writer(std::make_unique<SequentialFileWriter>(std::move(fd), m_temp_path))
    , m_owner(std::move(owner))
{
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_temp_path(std::move(other.m_temp_path))
    , m_writer(std::move(other.m_writer))
    , m_owner(std::move(other.m_owner))
    , m_synced(other.m_synced)
    , m_committed(other.m_committed)
{
    other.m_committed = true; // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile()
{
    if (!m_committed && !m_temp_path.empty()) {
        ::unlink(m_temp_path.c_str());
    }
}

Result<AtomicFile> AtomicFile::create(const fs::path& path, unsigned mode, const fs::path& temp_dir)
{
    const fs::path parent = !temp_dir.empty()        ? temp_dir
                            : path.has_parent_path() ? path.parent_path()
                                                     : fs::path(".");
    // Whoever writes a name again clears what interrupted writers of that name left.
    (void)reclaim_temporaries_of(path, parent);
    for (int attempt = 0; attempt < 16; ++attempt) {
        fs::path temp = parent / temporary_name(path.filename().string(), "tmp");
        const int fd = ::open(
            temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
        if (fd < 0 && errno == EEXIST) {
            continue;
        }
        if (fd < 0) {
            return fail(
                Errc::io,
                str_cat("cannot create a file in ", parent.string(), ": ", errno_text(errno)));
        }
        Fd owned(fd);
        // The umask may have narrowed `mode`; the caller's choice wins.
        if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
            const int err = errno;
            ::unlink(temp.c_str());
            return fail(Errc::io,
                        str_cat("cannot set mode of ", temp.string(), ": ", errno_text(err)));
        }
        // The lock lives on a second descriptor of the same open file, so that it is held from
        // here until after the rename, although the writer closes its descriptor before that.
        Fd owner(::dup(fd));
        if (!owner) {
            const int err = errno;
            ::unlink(temp.c_str());
            return fail(Errc::io, str_cat("cannot duplicate a descriptor: ", errno_text(err)));
        }
        AIRLOCK_TRY_ASSIGN(const bool locked, lock_as_owner(owner, temp));
        if (locked) {
            return AtomicFile(path, std::move(temp), std::move(owned), std::move(owner));
        }
    }
    return fail(Errc::io, str_cat("cannot create a unique temporary file in ", parent.string()));
}

Result<> AtomicFile::write(std::string_view data)
{
    return m_writer->write(std::span<const char>(data.data(), data.size()));
}

Result<> AtomicFile::sync()
{
    if (!m_synced) {
        AIRLOCK_TRY(m_writer->sync_and_close());
        m_synced = true;
    }
    return {};
}

Result<> AtomicFile::install()
{
    AIRLOCK_TRY(sync());
    if (::rename(m_temp_path.c_str(), m_path.c_str()) != 0) {
        return fail(Errc::io,
                    str_cat("cannot rename ",
                            m_temp_path.string(),
                            " to ",
                            m_path.string(),
                            ": ",
                            errno_text(errno)));
    }
    m_committed = true;
    m_owner = Fd();
    return {};
}

Result<> AtomicFile::commit()
{
    AIRLOCK_TRY(install());
    auto synced = fsync_directory(m_path.has_parent_path() ? m_path.parent_path() : fs::path("."));
    if (!synced) {
        // The new content is what readers see now; only its durability is in doubt.
        return std::unexpected(std::move(synced.error())
                                   .with_context(str_cat(m_path.string(),
                                                         " is written and in place, but may not "
                                                         "survive a power loss")));
    }
    return {};
}

Result<> write_file_atomic(const fs::path& path,
                           std::string_view content,
                           unsigned mode,
                           const fs::path& temp_dir)
{
    AIRLOCK_TRY_ASSIGN(AtomicFile file, AtomicFile::create(path, mode, temp_dir));
    AIRLOCK_TRY(file.write(content));
    return file.commit();
}

ScopedDirectory::ScopedDirectory(fs::path path, Fd owner)
    : m_path(std::move(path))
    , m_owner(std::move(owner))
{
}

ScopedDirectory::ScopedDirectory(ScopedDirectory&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_owner(std::move(other.m_owner))
{
    other.m_path.clear();
}

ScopedDirectory::~ScopedDirectory()
{
    if (!m_path.empty()) {
        remove_owned_directory(m_path); // still locked: no other run reclaims it meanwhile
    }
}

Result<ScopedDirectory> ScopedDirectory::create_unique(const fs::path& parent,
                                                       std::string_view prefix)
{
    for (int attempt = 0; attempt < 16; ++attempt) {
        fs::path candidate = parent / str_cat(prefix, unique_suffix());
        AIRLOCK_TRY_ASSIGN(std::optional<Fd> owner, create_owned_directory(candidate));
        if (owner) {
            return ScopedDirectory(std::move(candidate), std::move(*owner));
        }
    }
    return fail(Errc::io, str_cat("cannot create a unique directory in ", parent.string()));
}

Result<> remove_tree(const fs::path& path)
{
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) {
        return fail(Errc::io, str_cat("cannot remove ", path.string(), ": ", ec.message()));
    }
    return {};
}

} // namespace airlock
