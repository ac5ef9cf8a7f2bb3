// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/reporter.hpp>

#include <filesystem>
#include <string_view>

namespace airlock {

// An exclusive advisory lock (flock; LockFileEx on Windows) on a lock file, held until destruction.
// The kernel drops it when the process dies, so a crashed run never leaves a store locked.
class FileLock
{
  public:
    // Creates `path` if needed and waits until the lock is ours. While another process holds
    // it, says once through `reporter` that it waits for `holder` ("another import into
    // oci:DIR"). Ctrl-C or SIGTERM end the wait within a fraction of a second: Errc::cancelled.
    // Errc::io.
    static Result<FileLock> acquire(const std::filesystem::path& path,
                                    Reporter* reporter = nullptr,
                                    std::string_view holder = {});

    // The same on a directory itself (no lock file is created in it; Windows, which locks only
    // files, gets a machine-wide named mutex for the directory instead). Released on the thread
    // that took it. On a file system without flock for directories (some network file systems)
    // the result holds no lock.
    static Result<FileLock> acquire_directory(const std::filesystem::path& path,
                                              Reporter* reporter = nullptr,
                                              std::string_view holder = {});

  private:
    explicit FileLock(Fd fd)
        : m_fd(std::move(fd))
    {
    }

    Fd m_fd;
};

} // namespace airlock
