// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <filesystem>
#include <functional>
#include <span>
#include <vector>

namespace airlock {

// Replaces a set of files that are only valid together (the parts of a split bundle and the
// parts file that lists them, which readers open first: the "commit point", last in `files`).
// All of them sit in one directory. `files` are written but not committed; `stale` names the
// files of the old set that the new one does not have (asked under the directory's lock).
//
// Nothing at the final names changes until every new file is written and synced. Then, with the
// directory locked against another switch: the old commit point, the old files and the stale
// ones are moved aside to `.NAME.old-*` (locked, see ownership.hpp), the new files renamed in
// with the commit point last, the directory synced, and the old files removed. An error on the
// way, or Ctrl-C before the first rename, puts the old files back, so the old set is whole
// again; once the renames have begun (milliseconds) they are not interrupted. A kill inside
// them leaves the backups for restore_interrupted_switch().
Result<> replace_file_set(std::span<AtomicFile> files,
                          const std::function<std::vector<std::filesystem::path>()>& stale);

// Run before writing a set again, with the directory locked (FileLock::acquire_directory): when
// a switch to `commit_point`'s set was killed before its new commit point was renamed in, moves
// the old files back from their backups (those of the latest switch, should several remain);
// when the switch had finished, leaves the backups to be reclaimed. True when it restored.
Result<bool> restore_interrupted_switch(const std::filesystem::path& commit_point);

} // namespace airlock
