// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

namespace airlock::archive {

enum class Codec {
    none,
    zstd,
};

// How the tar stream is compressed. zstd output does not depend on `threads` (any value >= 1
// gives the same bytes), so bundles stay reproducible whatever machine packs them.
struct Compression
{
    Codec codec = Codec::zstd;
    int level = 9;
    unsigned threads = 0; // 0: one per hardware thread
};

// What an entry holds, which decides its zstd level: recompressing gzip/zstd layers saves well
// under 1% at any level (docs/benchmarks.md), so they get zstd's fastest regular level (-1);
// everything else the chosen one.
enum class EntryContent {
    metadata,
    compressed,
    uncompressed,
};

// Writes a deterministic tar stream (pax, uid/gid 0, no owner names, mode 0644, one fixed mtime)
// into a file, optionally zstd-compressed as a sequence of frames. The file appears at its path
// only when `finish()` succeeds.
class TarWriter
{
  public:
    // Starts writing to `path`; every entry gets mtime `mtime` (seconds since the epoch).
    static Result<TarWriter>
    create(const std::filesystem::path& path, Compression compression, std::int64_t mtime);

    // Writes the stream to `sink` instead of a file (e.g. an archive built on the fly for an
    // HTTP upload); `finish()` then only flushes.
    static Result<TarWriter> create_to_sink(std::function<Result<>(std::span<const char>)> sink,
                                            Compression compression,
                                            std::int64_t mtime);

    TarWriter(TarWriter&&) noexcept;
    TarWriter& operator=(TarWriter&&) = delete;
    TarWriter(const TarWriter&) = delete;
    TarWriter& operator=(const TarWriter&) = delete;
    ~TarWriter();

    // Starts a regular-file entry of exactly `size` bytes.
    Result<> begin_entry(std::string_view name, std::uint64_t size, EntryContent content);

    // Appends data to the current entry.
    Result<> write(std::span<const char> data);

    // Ends the current entry; Errc::internal when fewer bytes than declared were written.
    Result<> end_entry();

    // A whole entry from memory.
    Result<> add(std::string_view name, std::string_view content, EntryContent kind);

    // Sees each chunk of a file entry before it is written (to hash it on the way).
    using ChunkObserver = std::function<void(std::span<const char>)>;

    // A whole entry streamed from regular file `path` (a symlink is not followed), as large as
    // the file is once open; `observe`, when given, sees every chunk. Returns the entry's size.
    // Errc::not_found, Errc::io (not a regular file, a read error) before the entry is begun;
    // Errc::cancelled; Errc::digest_mismatch when the file changes size while it is copied.
    Result<std::uint64_t> add_file_entry(std::string_view name,
                                         const std::filesystem::path& path,
                                         EntryContent kind,
                                         const ChunkObserver& observe = {});

    // Ends the archive, flushes the compressor and renames the file into place.
    Result<> finish();

    // Bytes written to the file so far.
    std::uint64_t bytes_out() const;

  private:
    struct Impl;
    explicit TarWriter(std::unique_ptr<Impl> impl);
    static Result<TarWriter>
    start(std::unique_ptr<Impl> impl, Compression compression, std::int64_t mtime);
    std::unique_ptr<Impl> m_impl;
};

} // namespace airlock::archive
