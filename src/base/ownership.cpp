// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/ownership.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

bool same_entry(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// True when `fd` is still what `path` names: not removed or replaced since it was opened.
bool still_named(const Fd& fd, const fs::path& path)
{
    struct stat opened{};
    struct stat named{};
    return ::fstat(fd.get(), &opened) == 0 && ::lstat(path.c_str(), &named) == 0
           && same_entry(opened, named);
}

std::uint64_t tree_bytes(const fs::path& path, bool directory)
{
    std::error_code ec;
    if (!directory) {
        const auto size = fs::file_size(path, ec);
        return ec ? 0 : size;
    }
    std::uint64_t total = 0;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            total += it->file_size(ec);
        }
    }
    return total;
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

bool is_temporary_name(std::string_view name)
{
    // ".X.tmp-" + suffix at least: a leading dot, one character of name, the marker, the suffix.
    constexpr std::size_t k_marker = 5; // ".tmp-" or ".old-"
    if (name.size() < 2 + k_marker + k_suffix_length || name.front() != '.') {
        return false;
    }
    const std::string_view suffix = name.substr(name.size() - k_suffix_length);
    const std::string_view marker = name.substr(name.size() - k_suffix_length - k_marker, k_marker);
    for (const char c : suffix) {
        if (!is_suffix_char(c)) {
            return false;
        }
    }
    return marker == ".tmp-" || marker == ".old-";
}

Result<bool> lock_as_owner(const Fd& fd, const fs::path& path)
{
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK || errno == EINTR) {
            return false;
        }
        return fail(Errc::io, str_cat("cannot lock ", path.string(), ": ", std::strerror(errno)));
    }
    // A reclaiming run may have locked, removed and released it before we locked it.
    return still_named(fd, path);
}

Result<std::optional<Fd>> lock_new_directory(const fs::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::optional<Fd>{};
        }
        return fail(Errc::io, str_cat("cannot open ", path.string(), ": ", std::strerror(errno)));
    }
    Fd owned(fd);
    AIRLOCK_TRY_ASSIGN(const bool locked, lock_as_owner(owned, path));
    if (!locked) {
        return std::optional<Fd>{};
    }
    return std::optional<Fd>(std::move(owned));
}

Reclaimed reclaim_abandoned(const fs::path& dir,
                            const std::function<bool(std::string_view name)>& is_ours)
{
    Reclaimed out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path path = it->path();
        if (!is_ours(path.filename().string())) {
            continue;
        }
        // O_NOFOLLOW: a symlink with a temporary-looking name is not ours to follow or remove.
        // O_NONBLOCK: a FIFO planted under such a name must not stall the run.
        const int raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (raw < 0) {
            continue;
        }
        const Fd fd(raw);
        struct stat info{};
        if (::fstat(fd.get(), &info) != 0 || !(S_ISREG(info.st_mode) || S_ISDIR(info.st_mode))) {
            continue;
        }
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 || !still_named(fd, path)) {
            continue; // its owner is alive, or another run is reclaiming it right now
        }
        const bool directory = S_ISDIR(info.st_mode);
        const std::uint64_t bytes = tree_bytes(path, directory);
        std::error_code removed;
        if (directory) {
            fs::remove_all(path, removed);
        } else {
            fs::remove(path, removed);
        }
        if (!removed) {
            ++out.entries;
            out.bytes += bytes;
        }
    }
    return out;
}

Reclaimed reclaim_temporaries_of(const fs::path& final_path, const fs::path& temp_dir)
{
    const std::string prefix = str_cat(".", final_path.filename().string(), ".tmp-");
    return reclaim_abandoned(temp_dir, [&](std::string_view name) {
        return name.starts_with(prefix) && is_temporary_name(name)
               && name.size() == prefix.size() + k_suffix_length;
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
