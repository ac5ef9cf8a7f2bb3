// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file_lock.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace airlock {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return fail(Errc::io,
                    str_cat("cannot open lock file ", path.string(), ": ", std::strerror(errno)));
    }
    Fd owned(fd);
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            return fail(Errc::io,
                        str_cat("cannot lock ", path.string(), ": ", std::strerror(errno)));
        }
    }
    return FileLock(std::move(owned));
}

} // namespace airlock
