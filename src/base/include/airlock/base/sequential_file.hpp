// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/aligned_buffer.hpp>
#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <cstdint>
#include <filesystem>
#include <span>

namespace airlock {

// A file written front to back, for blobs and bundles of any size. Once a whole megabyte has
// come, data goes straight to the disk (O_DIRECT): writing many GiB then neither copies every
// byte into the page cache nor evicts what the host had cached there. Page-aligned chunks go
// through without a copy; other writes are gathered into an aligned buffer first. Small files,
// the tail, and filesystems without direct I/O (tmpfs) use the page cache.
class SequentialFileWriter
{
  public:
    // Creates `path`, which must not exist (mode 0644). Errc::io naming the path.
    static Result<SequentialFileWriter> create(const std::filesystem::path& path);

    // Takes over a new, empty file opened for writing; `path` names it in messages.
    SequentialFileWriter(Fd fd, std::filesystem::path path);

    Result<> write(std::span<const char> data);

    // Writes what is still gathered, makes the content durable (fsync) and closes the file.
    Result<> sync_and_close();

    // Writes what is still gathered and closes the file without a sync of its own: for files a
    // BatchedSync makes durable.
    Result<> close();

    // Bytes accepted so far.
    std::uint64_t size() const
    {
        return m_size;
    }

  private:
    enum class Direct { untried, on, off };

    Result<> write_direct(std::span<const char> data);
    Result<> write_buffered(std::span<const char> data);
    bool set_direct(bool on);

    Fd m_fd;
    std::filesystem::path m_path;
    Direct m_direct = Direct::untried;
    AlignedBuffer m_gather; // allocated on the first write that needs it
    std::size_t m_gathered = 0;
    std::uint64_t m_size = 0;
};

} // namespace airlock
