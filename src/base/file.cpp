// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <array>
#include <system_error>
#include <vector>

namespace airlock {

namespace fs = std::filesystem;

Fd::Fd(Fd&& other) noexcept
    : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

Fd& Fd::operator=(Fd&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0) {
            os::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0) {
        os::close(m_fd);
    }
}

namespace {

Result<Fd> open_with_flags(const fs::path& path, unsigned flags, FollowSymlinks follow)
{
    auto fd = os::open_file(path, flags | (follow == FollowSymlinks::no ? os::no_follow : 0U));
    if (!fd) {
        const std::error_code err = fd.error();
        if (err == std::errc::interrupted && cancel_requested()) {
            return fail(Errc::cancelled, "interrupted"); // e.g. waiting for a FIFO's writer
        }
        if (err == std::errc::too_many_symbolic_link_levels && follow == FollowSymlinks::no) {
            return fail(Errc::io,
                        str_cat("cannot open ", path.string(), ": it is a symbolic link"));
        }
        return fail(err == std::errc::no_such_file_or_directory ? Errc::not_found : Errc::io,
                    str_cat("cannot open ", path.string(), ": ", os::message(err)));
    }
    return std::move(*fd);
}

} // namespace

Result<Fd> open_for_reading(const fs::path& path, FollowSymlinks follow)
{
    return open_with_flags(path, os::reading, follow);
}

std::optional<std::uint64_t> regular_file_size(const fs::path& path)
{
    const auto entry = os::entry_at(path);
    if (!entry || entry->kind != os::Kind::regular) {
        return std::nullopt;
    }
    return entry->size;
}

Result<> refuse_symlinked_directory(const fs::path& dir)
{
    const auto entry = os::entry_at(dir);
    if (!entry) {
        return fail(Errc::io,
                    str_cat("cannot inspect ", dir.string(), ": ", os::message(entry.error())));
    }
    if (entry->kind == os::Kind::missing) {
        return {};
    }
    if (entry->kind == os::Kind::symlink) {
        return fail(Errc::io,
                    str_cat(dir.string(),
                            " is a symbolic link; refusing to write through it (make it a real "
                            "directory)"));
    }
    if (entry->kind != os::Kind::directory) {
        return fail(Errc::io, str_cat(dir.string(), " is not a directory"));
    }
    return {};
}

std::optional<std::uint64_t> regular_file_size(const Fd& fd)
{
    const auto entry = os::entry_of(fd);
    if (!entry || entry->kind != os::Kind::regular) {
        return std::nullopt;
    }
    return entry->size;
}

Result<Fd> open_for_appending(const fs::path& path)
{
    auto fd = os::open_file(path, os::writing | os::create | os::append);
    if (!fd) {
        return fail(Errc::io,
                    str_cat("cannot write ", path.string(), ": ", os::message(fd.error())));
    }
    return std::move(*fd);
}

Result<> truncate_file(const Fd& fd, const fs::path& path)
{
    if (auto cut = os::truncate(fd); !cut) {
        return fail(Errc::io,
                    str_cat("cannot truncate ", path.string(), ": ", os::message(cut.error())));
    }
    return {};
}

Result<> sync_file(const Fd& fd, const fs::path& path)
{
    if (auto synced = os::sync(fd); !synced) {
        return fail(Errc::io,
                    str_cat("cannot sync ", path.string(), ": ", os::message(synced.error())));
    }
    return {};
}

Result<> rename_replacing(const fs::path& from, const fs::path& to)
{
    if (auto moved = os::rename(from, to); !moved) {
        return fail(Errc::io,
                    str_cat("cannot rename ",
                            from.string(),
                            " to ",
                            to.string(),
                            ": ",
                            os::message(moved.error())));
    }
    return {};
}

bool may_stall(const Fd& fd)
{
    const auto entry = os::entry_of(fd);
    return entry && entry->kind == os::Kind::other;
}

Result<> wait_until_readable(const Fd& fd, std::string_view what)
{
    constexpr int k_poll_ms = 100;
    while (true) {
        AIRLOCK_TRY(check_cancel());
        const auto ready = os::wait_readable(fd, k_poll_ms);
        if (ready && *ready) {
            return {};
        }
        if (!ready && ready.error() != std::errc::interrupted) {
            return fail(Errc::io, str_cat("cannot read ", what, ": ", os::message(ready.error())));
        }
    }
}

Result<std::size_t> read_some(const Fd& fd, std::span<char> buffer, std::string_view what)
{
    const bool waits = may_stall(fd);
    while (true) {
        if (waits) {
            AIRLOCK_TRY(wait_until_readable(fd, what));
        }
        const auto n = os::read(fd, buffer);
        if (n) {
            return *n;
        }
        if (n.error() != std::errc::interrupted
            && n.error() != std::errc::resource_unavailable_try_again) {
            return fail(Errc::io, str_cat("cannot read ", what, ": ", os::message(n.error())));
        }
        AIRLOCK_TRY(check_cancel());
    }
}

Result<> write_all(const Fd& fd, std::span<const char> data, std::string_view what)
{
    while (!data.empty()) {
        const auto n = os::write(fd, data);
        if (!n) {
            if (n.error() == std::errc::interrupted) {
                continue;
            }
            return fail(Errc::io, str_cat("cannot write ", what, ": ", os::message(n.error())));
        }
        data = data.subspan(*n);
    }
    return {};
}

Result<Fd> open_regular_for_reading(const fs::path& path, FollowSymlinks follow)
{
    // no_block: opening a FIFO must not wait for a writer that never comes.
    AIRLOCK_TRY_ASSIGN(Fd fd, open_with_flags(path, os::reading | os::no_block, follow));
    const auto entry = os::entry_of(fd);
    if (!entry) {
        return fail(Errc::io,
                    str_cat("cannot stat ", path.string(), ": ", os::message(entry.error())));
    }
    if (entry->kind != os::Kind::regular) {
        return fail(Errc::io, str_cat(path.string(), " is not a regular file"));
    }
    return fd;
}

Result<std::string> read_file(const fs::path& path, std::uint64_t max_size, FollowSymlinks follow)
{
    AIRLOCK_TRY_ASSIGN(Fd fd, open_regular_for_reading(path, follow));
    std::string content;
    std::array<char, 65536> buffer{};
    while (true) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, read_some(fd, buffer, path.string()));
        if (n == 0) {
            return content;
        }
        if (content.size() + n > max_size) {
            return fail(
                Errc::format,
                str_cat(path.string(), " is larger than the limit of ", max_size, " bytes"));
        }
        content.append(buffer.data(), n);
    }
}

Result<> make_directories(const fs::path& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(Errc::io,
                    str_cat("cannot create directory ", dir.string(), ": ", ec.message()));
    }
    return {};
}

Result<> fsync_directory(const fs::path& dir)
{
    if (auto synced = os::sync_directory(dir); !synced) {
        return fail(
            Errc::io,
            str_cat("cannot sync directory ", dir.string(), ": ", os::message(synced.error())));
    }
    return {};
}

AtomicFile::AtomicFile(fs::path path, fs::path temp_path, Fd fd, Fd owner)
    : m_path(std::move(path))
    , m_temp_path(std::move(temp_path))
    , m_writer(std::make_unique<SequentialFileWriter>(std::move(fd), m_temp_path))
    , m_owner(std::move(owner))
{
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_temp_path(std::move(other.m_temp_path))
    , m_writer(std::move(other.m_writer))
    , m_owner(std::move(other.m_owner))
    , m_synced(other.m_synced)
    , m_committed(other.m_committed)
{
    other.m_committed = true; // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile()
{
    if (!m_committed && !m_temp_path.empty()) {
        (void)os::remove_file(m_temp_path);
    }
}

Result<AtomicFile> AtomicFile::create(const fs::path& path, unsigned mode, const fs::path& temp_dir)
{
    const fs::path parent = !temp_dir.empty()        ? temp_dir
                            : path.has_parent_path() ? path.parent_path()
                                                     : fs::path(".");
    // Whoever writes a name again clears what interrupted writers of that name left.
    (void)reclaim_temporaries_of(path, parent);
    for (int attempt = 0; attempt < 16; ++attempt) {
        fs::path temp = parent / temporary_name(path.filename().string(), "tmp");
        auto fd = os::open_file(temp, os::writing | os::create | os::exclusive, mode);
        if (!fd && fd.error() == std::errc::file_exists) {
            continue;
        }
        if (!fd) {
            return fail(
                Errc::io,
                str_cat(
                    "cannot create a file in ", parent.string(), ": ", os::message(fd.error())));
        }
        Fd owned = std::move(*fd);
        // The umask may have narrowed `mode`; the caller's choice wins.
        if (auto set = os::set_mode(owned, mode); !set) {
            (void)os::remove_file(temp);
            return fail(
                Errc::io,
                str_cat("cannot set mode of ", temp.string(), ": ", os::message(set.error())));
        }
        // The lock lives on a second descriptor of the same open file, so that it is held from
        // here until after the rename, although the writer closes its descriptor before that.
        auto second = os::duplicate(owned);
        if (!second) {
            (void)os::remove_file(temp);
            return fail(Errc::io,
                        str_cat("cannot duplicate a descriptor: ", os::message(second.error())));
        }
        Fd owner = std::move(*second);
        AIRLOCK_TRY_ASSIGN(const bool locked, lock_as_owner(owner, temp));
        if (locked) {
            return AtomicFile(path, std::move(temp), std::move(owned), std::move(owner));
        }
    }
    return fail(Errc::io, str_cat("cannot create a unique temporary file in ", parent.string()));
}

Result<> AtomicFile::write(std::string_view data)
{
    return m_writer->write(std::span<const char>(data.data(), data.size()));
}

Result<> AtomicFile::sync()
{
    if (!m_synced) {
        AIRLOCK_TRY(m_writer->sync_and_close());
        m_synced = true;
    }
    return {};
}

Result<> AtomicFile::install()
{
    AIRLOCK_TRY(sync());
    AIRLOCK_TRY(rename_replacing(m_temp_path, m_path));
    m_committed = true;
    m_owner = Fd();
    return {};
}

Result<> AtomicFile::commit()
{
    AIRLOCK_TRY(install());
    auto synced = fsync_directory(m_path.has_parent_path() ? m_path.parent_path() : fs::path("."));
    if (!synced) {
        // The new content is what readers see now; only its durability is in doubt.
        return std::unexpected(std::move(synced.error())
                                   .with_context(str_cat(m_path.string(),
                                                         " is written and in place, but may not "
                                                         "survive a power loss")));
    }
    return {};
}

Result<> write_file_atomic(const fs::path& path,
                           std::string_view content,
                           unsigned mode,
                           const fs::path& temp_dir)
{
    AIRLOCK_TRY_ASSIGN(AtomicFile file, AtomicFile::create(path, mode, temp_dir));
    AIRLOCK_TRY(file.write(content));
    return file.commit();
}

ScopedDirectory::ScopedDirectory(fs::path path, Fd owner)
    : m_path(std::move(path))
    , m_owner(std::move(owner))
{
}

ScopedDirectory::ScopedDirectory(ScopedDirectory&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_owner(std::move(other.m_owner))
{
    other.m_path.clear();
}

ScopedDirectory::~ScopedDirectory()
{
    if (!m_path.empty()) {
        remove_owned_directory(m_path); // still locked: no other run reclaims it meanwhile
    }
}

Result<ScopedDirectory> ScopedDirectory::create_unique(const fs::path& parent,
                                                       std::string_view prefix)
{
    for (int attempt = 0; attempt < 16; ++attempt) {
        fs::path candidate = parent / str_cat(prefix, unique_suffix());
        AIRLOCK_TRY_ASSIGN(std::optional<Fd> owner, create_owned_directory(candidate));
        if (owner) {
            return ScopedDirectory(std::move(candidate), std::move(*owner));
        }
    }
    return fail(Errc::io, str_cat("cannot create a unique directory in ", parent.string()));
}

Result<std::uint64_t> remove_tree(const fs::path& path)
{
    const auto entry = os::entry_at(path);
    if (!entry) {
        return fail(Errc::io,
                    str_cat("cannot inspect ", path.string(), ": ", os::message(entry.error())));
    }
    if (entry->kind == os::Kind::missing) {
        return 0;
    }
    std::uint64_t bytes = entry->kind == os::Kind::regular ? entry->size : 0;
    if (entry->kind == os::Kind::directory) {
        std::vector<fs::path> children;
        std::error_code ec;
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            children.push_back(it->path());
        }
        if (ec) {
            return fail(Errc::io, str_cat("cannot list ", path.string(), ": ", ec.message()));
        }
        for (const fs::path& child : children) {
            AIRLOCK_TRY_ASSIGN(const std::uint64_t removed, remove_tree(child));
            bytes += removed;
        }
    }
    const auto removed =
        entry->kind == os::Kind::directory ? os::remove_directory(path) : os::remove_file(path);
    if (!removed) {
        return fail(Errc::io,
                    str_cat("cannot remove ", path.string(), ": ", os::message(removed.error())));
    }
    return bytes;
}

} // namespace airlock
