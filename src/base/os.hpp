// SPDX-License-Identifier: Apache-2.0
#pragma once

// The operating system's file primitives, for src/base only: the one place (with its
// os_posix.cpp / os_windows.cpp and the *_posix.cpp / *_windows.cpp files) that knows which
// system it runs on. The rest of base builds its guarantees (atomic switches, owner locks,
// reclaiming debris) from these, so that they are the same code, and tested the same, on every
// system. Errors are std::error_code values comparable with std::errc on every system.

#include <airlock/base/file.hpp>

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>

namespace airlock::os {

template<class T = void> using Sys = std::expected<T, std::error_code>;

enum class Kind {
    missing, // nothing has that name
    regular,
    directory,
    symlink,      // only from entry_at(), which does not follow one
    block_device, // a disk: read like a file
    other,        // a FIFO, socket, terminal or other device, whose data may never come
};

// What a name or an open file is. `changed` orders status changes (a rename sets it) in
// nanoseconds; `device` and `inode` identify the file itself, whatever its name.
struct Entry
{
    Kind kind = Kind::missing;
    std::uint64_t size = 0;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t changed = 0;
};

// The entry `path` names, not following a symlink there; Kind::missing when there is none.
Sys<Entry> entry_at(const std::filesystem::path& path);

// What the open file is.
Sys<Entry> entry_of(const Fd& fd);

// True when `fd` is still what `path` names: not removed or replaced since it was opened.
bool still_named(const Fd& fd, const std::filesystem::path& path);

// How open_file opens.
enum OpenFlags : unsigned {
    reading = 1U << 0U,
    writing = 1U << 1U,
    create = 1U << 2U,    // create when missing
    exclusive = 1U << 3U, // with create: fail with std::errc::file_exists when present
    append = 1U << 4U,
    no_follow =
        1U
        << 5U, // a symlink in the last component fails (std::errc::too_many_symbolic_link_levels)
    no_block = 1U << 6U, // opening a FIFO does not wait for a writer
};

// Opens `path`; `mode` gives the permission bits of a created file (where the system has them).
Sys<Fd> open_file(const std::filesystem::path& path, unsigned flags, unsigned mode = 0644);

// Opens the directory `path` itself, to lock it (try_lock) or sync it.
Sys<Fd> open_directory(const std::filesystem::path& path);

// Sets the permission bits of an open file (the umask may have narrowed them at creation).
Sys<> set_mode(const Fd& fd, unsigned mode);

// A second descriptor of the same open file: a lock taken on it is held until it is closed,
// whatever happens to the first.
Sys<Fd> duplicate(const Fd& fd);

// The result of try_lock.
enum class Lock {
    taken,       // ours until the descriptor closes (or the process ends, however it ends)
    held,        // someone else holds it
    unsupported, // the file system has no locks
};

// Takes the exclusive lock on `fd` without waiting.
Sys<Lock> try_lock(const Fd& fd);

// Renames `from` onto `to`, replacing what `to` names in one step.
Sys<> rename(const std::filesystem::path& from, const std::filesystem::path& to);

// Removes the file or link `path` (a symlink or junction itself, never what it points to).
Sys<> remove_file(const std::filesystem::path& path);

// Removes the empty directory `path`.
Sys<> remove_directory(const std::filesystem::path& path);

// Creates the directory `path` (not its parents) with permission bits `mode`.
Sys<> make_directory(const std::filesystem::path& path, unsigned mode);

// Turns direct I/O (writes that bypass the page cache, in aligned blocks) on or off for the
// open file `fd`, which may be replaced by another descriptor of the same file at the same
// position. False when the file system does not have it.
bool set_direct_io(Fd& fd, bool on);

// Cuts the open file `fd` to nothing.
Sys<> truncate(const Fd& fd);

// Waits up to `milliseconds` for `fd` to have data: true when it has (or is at its end).
Sys<bool> wait_readable(const Fd& fd, int milliseconds);

// Makes what was written to `fd` durable.
Sys<> sync(const Fd& fd);

// Makes the entries of the directory `dir` (renames into it) durable.
Sys<> sync_directory(const std::filesystem::path& dir);

// Whether sync_file_system can make a whole file system durable in one call (Linux: syncfs);
// elsewhere each file is synced by itself.
bool can_sync_file_system();

// Makes everything written to the file system holding `fd` durable, and reports a write-back
// error of any file there since `fd` was opened (Linux 5.8 and later). std::errc::not_supported
// where can_sync_file_system is false.
Sys<> sync_file_system(const Fd& fd);

// Reads up to `buffer.size()` bytes at the file's position; 0 at the end. Interruptions
// (EINTR, no data yet on a non-blocking descriptor) are std::errc::interrupted and
// std::errc::resource_unavailable_try_again, for the caller to retry.
Sys<std::size_t> read(const Fd& fd, std::span<char> buffer);

// Writes some of `data`; how much.
Sys<std::size_t> write(const Fd& fd, std::span<const char> data);

// Closes a descriptor (Fd's destructor).
void close(int fd) noexcept;

// A message for `error`, as the system words it.
std::string message(const std::error_code& error);

} // namespace airlock::os
