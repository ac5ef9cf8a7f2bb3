// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/ownership.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>
#include <random>
#include <system_error>

namespace airlock {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_suffix_length = 10;

bool is_suffix_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Beside a ScopedDirectory D, the file `D.owner` that its owner holds locked. It is created
// before the directory and removed after it, so a directory without one has no owner.
constexpr std::string_view k_owner_suffix = ".owner";

fs::path owner_file(const fs::path& directory)
{
    return directory.string() + std::string(k_owner_suffix);
}

// Opens and locks `path` if its owner is gone; nothing when it is held (or the file system has
// no locks, or it is not a regular file). Opened for writing, as NFS needs for an exclusive
// lock; O_NONBLOCK so that nothing planted under such a name can stall us.
std::optional<Fd> lock_if_abandoned(const fs::path& path)
{
    auto fd = os::open_file(path, os::reading | os::writing | os::no_follow | os::no_block);
    if (!fd) {
        return std::nullopt;
    }
    const auto entry = os::entry_of(*fd);
    if (!entry || entry->kind != os::Kind::regular) {
        return std::nullopt;
    }
    const auto lock = os::try_lock(*fd);
    if (!lock || *lock != os::Lock::taken || !os::still_named(*fd, path)) {
        return std::nullopt;
    }
    return std::move(*fd);
}

Reclaimed remove_debris(const fs::path& path)
{
    const auto bytes = remove_tree(path);
    return bytes ? Reclaimed{1, *bytes} : Reclaimed{};
}

} // namespace

std::string unique_suffix()
{
    static constexpr std::string_view k_chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::uniform_int_distribution<std::size_t> pick(0, k_chars.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < k_suffix_length; ++i) {
        out.push_back(k_chars[pick(device)]);
    }
    return out;
}

std::string temporary_name(std::string_view final_name, std::string_view kind)
{
    return str_cat(".", final_name, ".", kind, "-", unique_suffix());
}

bool has_unique_suffix(std::string_view name, std::string_view prefix)
{
    if (name.size() != prefix.size() + k_suffix_length || !name.starts_with(prefix)) {
        return false;
    }
    return std::all_of(
        name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(), is_suffix_char);
}

bool is_temporary_name(std::string_view name, std::optional<std::string_view> final_name)
{
    // "." + NAME + ".tmp-" or ".old-" + suffix.
    constexpr std::size_t k_marker = 5;
    if (name.size() < 2 + k_marker + k_suffix_length || name.front() != '.') {
        return false;
    }
    const std::string_view head = name.substr(0, name.size() - k_suffix_length);
    const std::string_view marker = head.substr(head.size() - k_marker);
    if ((marker != ".tmp-" && marker != ".old-") || !has_unique_suffix(name, head)) {
        return false;
    }
    return !final_name || head.substr(1, head.size() - 1 - k_marker) == *final_name;
}

Result<bool> lock_as_owner(const Fd& fd, const fs::path& path)
{
    const auto lock = os::try_lock(fd);
    if (!lock) {
        return fail(Errc::io,
                    str_cat("cannot lock ", path.string(), ": ", os::message(lock.error())));
    }
    if (*lock == os::Lock::held) {
        return false;
    }
    // Lock::unsupported: no locks on this file system, and nothing is reclaimed there either
    // (see reclaim). A reclaiming run may have locked, removed and released it before we
    // locked it.
    return os::still_named(fd, path);
}

Result<std::optional<Fd>> create_owned_directory(const fs::path& path)
{
    const fs::path owner = owner_file(path);
    auto fd = os::open_file(
        owner, os::reading | os::writing | os::create | os::exclusive | os::no_follow, 0600);
    if (!fd) {
        if (fd.error() == std::errc::file_exists) {
            return std::optional<Fd>{};
        }
        return fail(Errc::io,
                    str_cat("cannot create ", owner.string(), ": ", os::message(fd.error())));
    }
    AIRLOCK_TRY_ASSIGN(const bool locked, lock_as_owner(*fd, owner));
    if (!locked) {
        return std::optional<Fd>{}; // a reclaiming run took the owner file: another name
    }
    if (auto made = os::make_directory(path, 0700); !made) {
        (void)os::remove_file(owner);
        if (made.error() == std::errc::file_exists) {
            return std::optional<Fd>{};
        }
        return fail(
            Errc::io,
            str_cat("cannot create directory ", path.string(), ": ", os::message(made.error())));
    }
    return std::optional<Fd>(std::move(*fd));
}

void remove_owned_directory(const fs::path& path)
{
    if (remove_tree(path)) {
        (void)remove_tree(owner_file(path)); // last: until then the directory is still ours
    }
}

Reclaimed reclaim_abandoned(const fs::path& dir,
                            Debris kind,
                            const std::function<bool(std::string_view name)>& is_ours)
{
    Reclaimed out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path path = it->path();
        std::string name = path.filename().string();
        const bool owner = kind == Debris::directories && name.ends_with(k_owner_suffix);
        if (owner) {
            name.resize(name.size() - k_owner_suffix.size());
        }
        if (!is_ours(name)) {
            continue;
        }
        const auto info = os::entry_at(path);
        if (!info || info->kind == os::Kind::missing) {
            continue;
        }
        if (kind == Debris::files || owner) {
            // A temporary file, or the owner file of a directory that is gone already.
            if (info->kind != os::Kind::regular) {
                continue;
            }
            if (owner) {
                const auto directory = os::entry_at(dir / name);
                if (!directory || directory->kind != os::Kind::missing) {
                    continue; // its directory is still there: reclaimed with it, below
                }
            }
            if (const auto fd = lock_if_abandoned(path)) {
                out += remove_debris(path);
            }
            continue;
        }
        if (info->kind != os::Kind::directory) {
            continue; // a symlink, FIFO or file under a directory's name is not ours
        }
        const fs::path owner_path = owner_file(path);
        const auto owner_info = os::entry_at(owner_path);
        if (!owner_info) {
            continue;
        }
        if (owner_info->kind == os::Kind::missing) {
            out += remove_debris(path); // never owned, or its owner file was removed
            continue;
        }
        if (const auto fd = lock_if_abandoned(owner_path)) {
            out += remove_debris(path);
            (void)os::remove_file(owner_path);
        }
    }
    return out;
}

Reclaimed reclaim_temporaries_of(const fs::path& final_path, const fs::path& temp_dir)
{
    const std::string prefix = str_cat(".", final_path.filename().string(), ".tmp-");
    return reclaim_abandoned(temp_dir, Debris::files, [&](std::string_view name) {
        return has_unique_suffix(name, prefix);
    });
}

void report_reclaimed(const Reclaimed& reclaimed, std::string_view where, Reporter& reporter)
{
    if (reclaimed.entries > 0) {
        reporter.info(str_cat("reclaimed ",
                              human_size(reclaimed.bytes),
                              " that interrupted runs left in ",
                              where,
                              " (",
                              reclaimed.entries,
                              reclaimed.entries == 1 ? " temporary file or directory)"
                                                     : " temporary files and directories)"));
    }
}

} // namespace airlock
