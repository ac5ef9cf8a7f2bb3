// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/reporter.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace airlock {

// Whatever a run writes under a temporary name (a staging directory, `.index.json.tmp-*`, a
// bundle part before the switch) is held by that run with an exclusive lock until it is renamed
// into place or removed: on the file itself, or for a directory D on the file `D.owner` beside
// it, created before D and removed after it. The kernel
// drops the lock when the process ends, however it ends, so a later run tells debris (unlocked)
// from a concurrent run's work in progress (locked) without trusting pids, clocks or host
// names. Files are locked through descriptors open for writing, which NFS needs to lock them
// across hosts. On a file system without locks nothing is locked and nothing is reclaimed.

// A fresh random suffix for temporary names: 10 characters of [a-z0-9].
std::string unique_suffix();

// `.NAME.KIND-SUFFIX` beside NAME, e.g. `.index.json.tmp-k3v9...`: hidden, and never a name that
// airlock or an OCI tool would read as content.
std::string temporary_name(std::string_view final_name, std::string_view kind);

// True for `.NAME.KIND-SUFFIX` as temporary_name makes it, with KIND "tmp" or "old"; when
// `final_name` is given, only for that NAME.
bool is_temporary_name(std::string_view name, std::optional<std::string_view> final_name = {});

// True for `PREFIX` followed by a unique_suffix(), e.g. a staging directory's name.
bool has_unique_suffix(std::string_view name, std::string_view prefix);

// Takes the owner's lock on `path`, which this process has just created and opened for writing
// as `fd`. False when a reclaiming run got there first (it locked or removed the new entry in
// the instant between creation and locking): the caller then creates another name. True, with
// nothing locked, on a file system without locks. Errc::io otherwise.
Result<bool> lock_as_owner(const Fd& fd, const std::filesystem::path& path);

// Creates and locks the owner file `path.owner`, then the directory `path` (mode 0700); returns
// the owner file, to be held until remove_owned_directory(). Nothing when either name is taken
// or a reclaiming run got there first: the caller then tries another name.
Result<std::optional<Fd>> create_owned_directory(const std::filesystem::path& path);

// Removes the directory `path` with everything in it, then its owner file.
void remove_owned_directory(const std::filesystem::path& path);

struct Reclaimed
{
    std::size_t entries = 0;
    std::uint64_t bytes = 0;

    Reclaimed& operator+=(const Reclaimed& other)
    {
        entries += other.entries;
        bytes += other.bytes;
        return *this;
    }
};

// What reclaim_abandoned may remove.
enum class Debris {
    files,       // temporary files (AtomicFile's, a switch's moved-aside files)
    directories, // ScopedDirectory's directories and their owner files
};

// Removes the entries of `dir` of kind `kind` whose names `is_ours` accepts and whose owner is
// gone (its lock is free), never following a symlink and never touching a locked entry. Best
// effort: what cannot be removed now is left for a later run.
Reclaimed reclaim_abandoned(const std::filesystem::path& dir,
                            Debris kind,
                            const std::function<bool(std::string_view name)>& is_ours);

// Reclaims the abandoned temporary files of one destination: `.NAME.tmp-*` in `temp_dir`, where
// AtomicFile writes them (not the `.NAME.old-*` backups of a switch, which
// restore_interrupted_switch may need).
Reclaimed reclaim_temporaries_of(const std::filesystem::path& final_path,
                                 const std::filesystem::path& temp_dir);

// Tells the user what was reclaimed in `where` (nothing when nothing was).
void report_reclaimed(const Reclaimed& reclaimed, std::string_view where, Reporter& reporter);

} // namespace airlock
