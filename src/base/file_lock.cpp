// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace airlock {

namespace {

// How often a waiting run looks again: the latency of both getting a freed lock and of Ctrl-C.
constexpr auto k_poll_interval = std::chrono::milliseconds(100);

enum class Locked { yes, unsupported };

// Polls rather than blocking in flock(): a signal wakes a blocked flock() only when it is
// delivered to this very thread, and not if it lands just before the call.
Result<Locked> wait_for_lock(const Fd& fd,
                             const std::filesystem::path& path,
                             Reporter* reporter,
                             std::string_view holder)
{
    bool said = false;
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EBADF || errno == ENOLCK || errno == EOPNOTSUPP || errno == EINVAL) {
            return Locked::unsupported;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            return fail(Errc::io,
                        str_cat("cannot lock ", path.string(), ": ", std::strerror(errno)));
        }
        if (!said && reporter != nullptr) {
            reporter->info(str_cat("waiting for ",
                                   holder.empty() ? std::string_view("another airlock") : holder,
                                   " to finish (lock ",
                                   path.string(),
                                   ")"));
            said = true;
        }
        AIRLOCK_TRY(check_cancel());
        std::this_thread::sleep_for(k_poll_interval);
        AIRLOCK_TRY(check_cancel());
    }
    // A signal that came while the lock was being taken still wins: a run told to stop must
    // not go on to change the store because the lock happened to come free at that moment.
    AIRLOCK_TRY(check_cancel());
    return Locked::yes;
}

} // namespace

Result<FileLock>
FileLock::acquire(const std::filesystem::path& path, Reporter* reporter, std::string_view holder)
{
    while (true) {
        AIRLOCK_TRY(check_cancel());
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            return fail(
                Errc::io,
                str_cat("cannot open lock file ", path.string(), ": ", std::strerror(errno)));
        }
        Fd owned(fd);
        AIRLOCK_TRY_ASSIGN(const Locked locked, wait_for_lock(owned, path, reporter, holder));
        if (locked == Locked::unsupported) {
            return fail(
                Errc::io,
                str_cat("cannot lock ", path.string(), ": its file system has no file locks"));
        }
        // The holder may have removed the lock file before releasing it (the blob cache does):
        // then this lock guards nothing and a newcomer may hold one on a new file of that name.
        struct stat opened{};
        struct stat named{};
        if (::fstat(fd, &opened) == 0 && ::lstat(path.c_str(), &named) == 0
            && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino) {
            return FileLock(std::move(owned));
        }
    }
}

Result<FileLock> FileLock::acquire_directory(const std::filesystem::path& path,
                                             Reporter* reporter,
                                             std::string_view holder)
{
    AIRLOCK_TRY(check_cancel());
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return fail(Errc::io,
                    str_cat("cannot open directory ", path.string(), ": ", std::strerror(errno)));
    }
    Fd owned(fd);
    AIRLOCK_TRY_ASSIGN(const Locked locked, wait_for_lock(owned, path, reporter, holder));
    return FileLock(locked == Locked::yes ? std::move(owned) : Fd());
}

} // namespace airlock
