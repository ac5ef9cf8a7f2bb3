// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace airlock {

// Owns a POSIX file descriptor; move-only; closes on destruction.
class Fd
{
  public:
    Fd() = default;

    explicit Fd(int fd)
        : m_fd(fd)
    {
    }

    Fd(Fd&& other) noexcept;
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    int get() const
    {
        return m_fd;
    }

    explicit operator bool() const
    {
        return m_fd >= 0;
    }

  private:
    int m_fd = -1;
};

// Whether opening a file may follow a symbolic link in its last component.
enum class FollowSymlinks {
    yes,
    no, // O_NOFOLLOW: files inside a store, which a symlink must not redirect
};

// Opens `path` read-only. Errc::not_found or Errc::io naming the path (a symlink refused by
// FollowSymlinks::no is Errc::io).
Result<Fd> open_for_reading(const std::filesystem::path& path,
                            FollowSymlinks follow = FollowSymlinks::yes);

// Opens a file that must be a regular file (not a FIFO, device or directory), without waiting
// on a FIFO. Errc::not_found, Errc::io ("... is not a regular file").
Result<Fd> open_regular_for_reading(const std::filesystem::path& path,
                                    FollowSymlinks follow = FollowSymlinks::yes);

// True for a FIFO, socket, terminal or anything else whose data may never come (not a regular
// file or block device).
bool may_stall(const Fd& fd);

// Waits until `fd` has data, looking for Ctrl-C every 100 ms: a signal interrupts a blocked
// read() only in the thread it is delivered to, and not if it comes just before the call.
// Errc::cancelled, Errc::io naming `what`.
Result<> wait_until_readable(const Fd& fd, std::string_view what);

// Reads up to `buffer.size()` bytes; 0 at end of file. Waits as wait_until_readable does where
// data may stall. Errc::io naming `what`, Errc::cancelled.
Result<std::size_t> read_some(const Fd& fd, std::span<char> buffer, std::string_view what);

// Writes all of `data`. Errc::io naming `what`.
Result<> write_all(const Fd& fd, std::span<const char> data, std::string_view what);

// Reads a whole regular file of at most `max_size` bytes (Errc::format when larger; Errc::io for
// a FIFO, device or directory, see open_regular_for_reading).
Result<std::string> read_file(const std::filesystem::path& path,
                              std::uint64_t max_size = 64ULL << 20U,
                              FollowSymlinks follow = FollowSymlinks::yes);

// The size of `path` when it is a regular file itself (lstat: a symlink is not), else nothing.
std::optional<std::uint64_t> regular_file_size(const std::filesystem::path& path);

// The size of the open file `fd` when it is a regular file, else nothing (a FIFO, a device).
std::optional<std::uint64_t> regular_file_size(const Fd& fd);

// Opens `path` for appending, creating it (mode 0644) if needed. Errc::io naming it.
Result<Fd> open_for_appending(const std::filesystem::path& path);

// Cuts the open file `fd` (named `path` in messages) to nothing. Errc::io.
Result<> truncate_file(const Fd& fd, const std::filesystem::path& path);

// Makes what was written to `fd` (named `path` in messages) durable. Errc::io.
Result<> sync_file(const Fd& fd, const std::filesystem::path& path);

// Renames `from` to `to`, replacing what `to` names (the name itself: never writing through a
// symlink there) in one step: a reader sees the old entry or the new, nothing between.
// Errc::io naming both.
Result<> rename_replacing(const std::filesystem::path& from, const std::filesystem::path& to);

// Succeeds when `dir` is absent or a real directory; Errc::io naming it when it is a symbolic
// link (which would redirect writes elsewhere) or something else.
Result<> refuse_symlinked_directory(const std::filesystem::path& dir);

// True where files have POSIX permission bits (the `mode` of AtomicFile::create); on Windows
// a new file has its directory's inherited access list instead.
bool files_have_permission_bits();

// What another user could do with a file that steers trust decisions, for the messages of
// refuse_writable_by_others: "choose your settings", "name another file with --config".
struct TrustedPath
{
    std::string_view consequence;
    std::string_view alternative;
};

// Succeeds when the file or directory `path` (symlinks followed) can be changed only by the
// running user and root (on Windows: administrators and SYSTEM): owned by one of them and
// writable by no one else. Errc::usage naming the path, what another user could do and the fix
// otherwise. Errc::io when it cannot be inspected.
Result<> refuse_writable_by_others(const std::filesystem::path& path, const TrustedPath& why);

// Creates `dir` and its missing parents. Errc::io naming the directory.
Result<> make_directories(const std::filesystem::path& dir);

// Flushes a directory's entries to disk so that renames into it survive a crash.
Result<> fsync_directory(const std::filesystem::path& dir);

class SequentialFileWriter;

// A file written under a temporary name beside its destination (`.NAME.tmp-*`, locked by this
// run, see ownership.hpp) and renamed into place by an explicit `commit()`; removed on
// destruction otherwise, so readers never see it half-written.
// Written through a SequentialFileWriter, so that a large one (a bundle) bypasses the page cache.
class AtomicFile
{
  public:
    // Creates the temporary file for `path` with permission bits `mode`, beside `path` or in
    // `temp_dir` (on the same file system: where a reader must never see a stray file, such as
    // a store's root). Errc::io.
    static Result<AtomicFile> create(const std::filesystem::path& path,
                                     unsigned mode = 0644,
                                     const std::filesystem::path& temp_dir = {});

    AtomicFile(AtomicFile&& other) noexcept;
    AtomicFile& operator=(AtomicFile&&) = delete;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    // Appends `data`. Errc::io.
    Result<> write(std::string_view data);

    // fsyncs, then renames the temporary file onto the destination and syncs the directory.
    // Errc::io.
    Result<> commit();

    // The steps of commit() for a caller that switches several files together: makes the
    // content durable and closes it; then renames it into place (the directory not synced).
    Result<> sync();
    Result<> install();

    const std::filesystem::path& path() const
    {
        return m_path;
    }

  private:
    AtomicFile(std::filesystem::path path, std::filesystem::path temp_path, Fd fd, Fd owner);

    std::filesystem::path m_path;
    std::filesystem::path m_temp_path;
    std::unique_ptr<SequentialFileWriter> m_writer;
    Fd m_owner; // holds the owner's lock (see ownership.hpp) until the rename
    bool m_synced = false;
    bool m_committed = false;
};

// Writes `content` to `path` atomically (temp file, fsync, rename). Errc::io.
Result<> write_file_atomic(const std::filesystem::path& path,
                           std::string_view content,
                           unsigned mode = 0644,
                           const std::filesystem::path& temp_dir = {});

// A directory that is removed with everything in it on destruction, locked by this run until
// then (see ownership.hpp) so that another run can tell it from an interrupted run's debris.
class ScopedDirectory
{
  public:
    // Creates a fresh directory named `prefix` + random suffix inside `parent`. Errc::io.
    static Result<ScopedDirectory> create_unique(const std::filesystem::path& parent,
                                                 std::string_view prefix);

    ScopedDirectory(ScopedDirectory&& other) noexcept;
    ScopedDirectory& operator=(ScopedDirectory&&) = delete;
    ScopedDirectory(const ScopedDirectory&) = delete;
    ScopedDirectory& operator=(const ScopedDirectory&) = delete;
    ~ScopedDirectory();

    const std::filesystem::path& path() const
    {
        return m_path;
    }

  private:
    ScopedDirectory(std::filesystem::path path, Fd owner);

    std::filesystem::path m_path;
    Fd m_owner; // the lock on its owner file (see ownership.hpp), released after the removal
};

// Removes `path` and, when it is a real directory, everything below it, never following a
// symlink or (on Windows) a junction: a link is removed itself, so debris can never steer a
// removal outside it. Returns the bytes of the regular files removed. Errc::io naming what could
// not be removed (what could is gone).
Result<std::uint64_t> remove_tree(const std::filesystem::path& path);

} // namespace airlock
