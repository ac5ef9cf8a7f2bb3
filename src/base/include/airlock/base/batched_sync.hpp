// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <filesystem>
#include <optional>

namespace airlock {

// Many new files in one directory made durable together before any of them is published: one
// sync of their whole file system where the system has it (Linux: syncfs), instead of an fsync
// per file. An import of a catalog writes tens of thousands of small blobs, and each fsync's
// journal commit took ten times as long as writing them (ext4, 12,000 files of 300 bytes:
// 6.2 s with an fsync each, 0.5 s with one syncfs).
//
//   BatchedSync batch = BatchedSync::begin(staging);   // before the first file is written
//   ... write each file; close it with sync_and_close() unless batch.deferred() ...
//   batch.commit();                                      // then rename them into place
class BatchedSync
{
  public:
    // Opens the directory `dir` the files go into. Errc::io.
    static Result<BatchedSync> begin(const std::filesystem::path& dir);

    // Whether files may be closed without a sync of their own, commit() making them durable;
    // false on systems without a file-system-wide sync (Windows), where each file is synced as
    // it is closed and commit() has nothing left to do.
    bool deferred() const
    {
        return m_fd.has_value();
    }

    // Makes every file written into the directory since begin() durable, with its content;
    // reports a write-back error of any of them. Errc::io.
    Result<> commit();

  private:
    BatchedSync(std::filesystem::path dir, std::optional<Fd> fd);

    std::filesystem::path m_dir;
    // Opened before the files are written: write-back errors after its opening are reported to
    // it.
    std::optional<Fd> m_fd;
};

} // namespace airlock
