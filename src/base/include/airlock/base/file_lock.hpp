// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <filesystem>

namespace airlock {

// An exclusive advisory lock (flock) on a lock file, held until destruction. The kernel drops it
// when the process dies, so a crashed run never leaves a store locked.
class FileLock
{
  public:
    // Creates `path` if needed and blocks until the lock is ours. Errc::io.
    static Result<FileLock> acquire(const std::filesystem::path& path);

  private:
    explicit FileLock(Fd fd)
        : m_fd(std::move(fd))
    {
    }

    Fd m_fd;
};

} // namespace airlock
