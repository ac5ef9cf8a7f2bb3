// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/file_set.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/str_cat.hpp>

#include <functional>
#include <string>
#include <system_error>

namespace airlock {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_backup_marker = ".old-";

fs::path directory_of(const fs::path& path)
{
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

bool present(const fs::path& path)
{
    const auto entry = os::entry_at(path);
    return entry && entry->kind != os::Kind::missing;
}

// A descriptor holding the owner's lock on `path` (a regular file), so that reclaiming runs
// leave it alone under its backup name; empty for anything else, which is moved all the same.
Fd lock_existing(const fs::path& path)
{
    auto fd = os::open_file(path, os::reading | os::writing | os::no_follow | os::no_block);
    if (!fd) {
        return Fd();
    }
    (void)os::try_lock(*fd);
    return std::move(*fd);
}

struct Backup
{
    fs::path final_path;
    fs::path backup_path;
    Fd lock;
};

// The old files, moved aside, and the new ones renamed in so far: enough to undo either.
class Switch
{
  public:
    Switch(fs::path dir, std::string suffix)
        : m_dir(std::move(dir))
        , m_suffix(std::move(suffix))
    {
    }

    Switch(const Switch&) = delete;
    Switch& operator=(const Switch&) = delete;

    ~Switch()
    {
        if (!m_done) {
            roll_back();
        }
    }

    Result<> move_aside(const fs::path& final_path)
    {
        if (!present(final_path)) {
            return {};
        }
        Backup backup{final_path,
                      m_dir
                          / str_cat(".", final_path.filename().string(), k_backup_marker, m_suffix),
                      lock_existing(final_path)};
        if (auto moved = os::rename(final_path, backup.backup_path); !moved) {
            return fail(Errc::io,
                        str_cat("cannot move ",
                                final_path.string(),
                                " aside: ",
                                os::message(moved.error()),
                                "; the earlier files are as they were"));
        }
        m_backups.push_back(std::move(backup));
        return {};
    }

    Result<> install(AtomicFile& file)
    {
        auto installed = file.install();
        if (!installed) {
            return std::unexpected(
                std::move(installed.error()).with_context("the earlier files are as they were"));
        }
        m_installed.push_back(file.path());
        return {};
    }

    // The new set is in place: the old files go.
    void finish()
    {
        m_done = true;
        for (const auto& backup : m_backups) {
            (void)os::remove_file(backup.backup_path);
        }
    }

  private:
    void roll_back()
    {
        for (auto it = m_installed.rbegin(); it != m_installed.rend(); ++it) {
            (void)os::remove_file(*it);
        }
        for (auto it = m_backups.rbegin(); it != m_backups.rend(); ++it) {
            (void)os::rename(it->backup_path, it->final_path);
        }
        (void)fsync_directory(m_dir);
    }

    fs::path m_dir;
    std::string m_suffix;
    std::vector<Backup> m_backups;
    std::vector<fs::path> m_installed;
    bool m_done = false;
};

// ".old-SUFFIX" of a backup's name; empty for other temporary names.
std::string_view backup_tail(std::string_view name)
{
    constexpr std::size_t k_suffix = 10;
    const std::size_t tail = k_backup_marker.size() + k_suffix;
    if (name.size() < tail
        || name.substr(name.size() - tail, k_backup_marker.size()) != k_backup_marker) {
        return {};
    }
    return name.substr(name.size() - tail);
}

// "x.bundle.001" from ".x.bundle.001.old-SUFFIX"; empty when `name` is not a backup.
std::string backed_up_name(std::string_view name, std::string_view suffix)
{
    const std::string tail = str_cat(k_backup_marker, suffix);
    if (!is_temporary_name(name) || !name.ends_with(tail)) {
        return {};
    }
    return std::string(name.substr(1, name.size() - 1 - tail.size()));
}

} // namespace

Result<> replace_file_set(std::span<AtomicFile> files,
                          const std::function<std::vector<fs::path>()>& stale)
{
    if (files.empty()) {
        return {};
    }
    for (auto& file : files) {
        AIRLOCK_TRY(file.sync());
    }
    const fs::path dir = directory_of(files.back().path());
    AIRLOCK_TRY_ASSIGN(const FileLock lock,
                       FileLock::acquire_directory(dir, nullptr, "another airlock writing there"));
    AIRLOCK_TRY(check_cancel()); // the last point where stopping leaves nothing to undo
    Switch change(dir, unique_suffix());
    // The commit point goes first and comes back last: while it is away, a reader finds no
    // set at all rather than one that mixes old and new files.
    AIRLOCK_TRY(change.move_aside(files.back().path()));
    for (std::size_t i = 0; i + 1 < files.size(); ++i) {
        AIRLOCK_TRY(change.move_aside(files[i].path()));
    }
    for (const auto& path : stale()) { // looked up under the lock: no other switch adds any
        AIRLOCK_TRY(change.move_aside(path));
    }
    for (auto& file : files) {
        AIRLOCK_TRY(change.install(file));
    }
    auto synced = fsync_directory(dir);
    change.finish();
    if (!synced) {
        return std::unexpected(
            std::move(synced.error())
                .with_context(str_cat("the new ",
                                      files.back().path().filename().string(),
                                      " and its files are in place, but may not survive a power "
                                      "loss")));
    }
    return {};
}

Result<bool> restore_interrupted_switch(const fs::path& commit_point)
{
    const fs::path dir = directory_of(commit_point);
    const std::string name = commit_point.filename().string();
    if (present(commit_point)) {
        return false; // the switch got as far as its new commit point: the backups are debris
    }
    // The switch whose commit point was moved aside last, should debris of an older one
    // remain: rename() sets a file's ctime, not its mtime.
    std::error_code ec;
    std::string suffix;
    std::int64_t newest = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (!is_temporary_name(entry, name) || backup_tail(entry).empty()) {
            continue;
        }
        const auto info = os::entry_at(it->path());
        if (!info || info->kind != os::Kind::regular) {
            continue;
        }
        if (suffix.empty() || info->changed > newest) {
            suffix =
                entry.substr(entry.size() - backup_tail(entry).size() + k_backup_marker.size());
            newest = info->changed;
        }
    }
    if (suffix.empty()) {
        return false;
    }
    std::vector<std::pair<fs::path, fs::path>> moves;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string restored = backed_up_name(it->path().filename().string(), suffix);
        if (!restored.empty()) {
            moves.emplace_back(it->path(), dir / restored);
        }
    }
    // Parts first, the commit point last, as a switch would.
    for (const bool last : {false, true}) {
        for (const auto& [from, to] : moves) {
            if ((to.filename() == name) != last) {
                continue;
            }
            if (auto moved = os::rename(from, to); !moved) {
                return fail(Errc::io,
                            str_cat("cannot restore ",
                                    to.string(),
                                    " from ",
                                    from.string(),
                                    " after an interrupted run: ",
                                    os::message(moved.error())));
            }
        }
    }
    AIRLOCK_TRY(fsync_directory(dir));
    return true;
}

} // namespace airlock
