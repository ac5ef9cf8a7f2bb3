// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <cstdint>
#include <filesystem>
#include <span>

namespace airlock {

// A new file written front to back, for blobs of any size. Chunks that are page-aligned in
// address and length go straight to the disk (O_DIRECT): importing many GiB then neither copies
// every byte into the page cache nor evicts what the host had cached. Anything else (a short
// tail, a filesystem without direct I/O such as tmpfs) goes through the page cache.
class SequentialFileWriter
{
  public:
    // Creates `path`, which must not exist (mode 0644). Errc::io naming the path.
    static Result<SequentialFileWriter> create(const std::filesystem::path& path);

    Result<> write(std::span<const char> data);

    // Makes the content durable (fsync) and closes the file.
    Result<> sync_and_close();

    std::uint64_t bytes_written() const
    {
        return m_written;
    }

  private:
    SequentialFileWriter(Fd fd, std::filesystem::path path, bool direct);
    Result<> write_buffered(std::span<const char> data);
    void stop_direct();

    Fd m_fd;
    std::filesystem::path m_path;
    bool m_direct = false;
    std::uint64_t m_written = 0;
};

} // namespace airlock
