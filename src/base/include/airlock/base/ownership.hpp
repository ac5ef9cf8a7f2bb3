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
// bundle part before the switch) is held by that run with an exclusive flock until it is
// renamed into place or removed. The kernel drops the lock when the process ends, however it
// ends (kill -9, power cut before the next boot), so a later run tells debris (unlocked) from a
// concurrent run's work in progress (locked) without trusting pids, clocks or host names.

// A fresh random suffix for temporary names: 10 characters of [a-z0-9].
std::string unique_suffix();

// `.NAME.KIND-SUFFIX` beside NAME, e.g. `.index.json.tmp-k3v9...`: hidden, and never a name that
// airlock or an OCI tool would read as content.
std::string temporary_name(std::string_view final_name, std::string_view kind);

// True for names that temporary_name(_, "tmp") or temporary_name(_, "old") makes.
bool is_temporary_name(std::string_view name);

// Takes the owner's lock on `path`, which this process has just created and opened as `fd`.
// False when a reclaiming run got there first (it locked or removed the new entry in the instant
// between creation and locking): the caller then creates another name. Errc::io otherwise.
Result<bool> lock_as_owner(const Fd& fd, const std::filesystem::path& path);

// Opens the directory `path` (just created by this process) and takes the owner's lock on it.
// Nothing when a reclaiming run got there first, as for lock_as_owner.
Result<std::optional<Fd>> lock_new_directory(const std::filesystem::path& path);

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

// Removes the entries of `dir` whose names `is_ours` accepts and whose owner is gone (no lock
// held on them), with everything inside; never follows a symlink, never touches a locked
// entry. Best effort: what cannot be removed now is left for a later run.
Reclaimed reclaim_abandoned(const std::filesystem::path& dir,
                            const std::function<bool(std::string_view name)>& is_ours);

// Reclaims the abandoned temporary files of one destination: `.NAME.tmp-*` in `temp_dir`, where
// AtomicFile writes them (not the `.NAME.old-*` backups of a switch, which
// restore_interrupted_switch may need).
Reclaimed reclaim_temporaries_of(const std::filesystem::path& final_path,
                                 const std::filesystem::path& temp_dir);

// Tells the user what was reclaimed in `where` (nothing when nothing was).
void report_reclaimed(const Reclaimed& reclaimed, std::string_view where, Reporter& reporter);

} // namespace airlock
