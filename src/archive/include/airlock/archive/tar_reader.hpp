// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace airlock::archive {

enum class EntryType {
    regular,
    directory,
    symlink,
    hardlink,
    other, // devices, fifos, sockets
};

struct TarEntry
{
    std::string path;
    EntryType type = EntryType::regular;
    std::uint64_t size = 0;
    std::string link_target; // symlink: as written; hardlink: the archive path it names
    bool sparse = false;     // a sparse file: its holes would be written out as zeros
};

// Streams a tar file, plain or zstd-compressed (detected from its first bytes), one entry at a
// time; nothing is extracted: callers read each entry's bytes and decide where they go.
class TarReader
{
  public:
    // Opens `path` read-only. Errc::not_found, Errc::io.
    static Result<TarReader> open(const std::filesystem::path& path);

    // Opens numbered parts as one stream, in order (a bundle split for media). Errc::not_found.
    static Result<TarReader> open_parts(const std::vector<std::filesystem::path>& parts);

    TarReader(TarReader&&) noexcept;
    TarReader& operator=(TarReader&&) = delete;
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;
    ~TarReader();

    // The next entry's header, or nothing at the end of the archive. Errc::format when the
    // stream is truncated or corrupt.
    Result<std::optional<TarEntry>> next();

    // Reads the current entry's data; 0 at its end. Errc::format on a truncated stream.
    Result<std::size_t> read(std::span<char> buffer);

    // Bytes consumed from the file so far (for progress).
    std::uint64_t bytes_in() const;

    // Size of the file.
    std::uint64_t file_size() const;

  private:
    struct Impl;
    explicit TarReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace airlock::archive
