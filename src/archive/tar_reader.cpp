// SPDX-License-Identifier: Apache-2.0
#include <airlock/archive/tar_reader.hpp>
#include <airlock/base/c_deleter.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace airlock::archive {

namespace {

using ArchiveReadPtr = std::unique_ptr<struct archive, CDeleter<archive_read_free>>;

constexpr std::size_t k_read_block = 1U << 20U;

} // namespace

struct TarReader::Impl
{
    std::filesystem::path path;
    Fd fd;
    std::uint64_t size = 0;
    std::vector<Fd> parts; // a split bundle, read in order
    std::size_t current_part = 0;
    std::vector<char> block;
    ArchiveReadPtr archive;

    // A reader for what bundles use, tar plain or zstd: fewer decoders, less attack surface.
    Result<> start()
    {
        archive.reset(archive_read_new());
        if (!archive) {
            return fail(Errc::internal, "cannot create a libarchive reader");
        }
        archive_read_support_filter_zstd(archive.get());
        archive_read_support_format_tar(archive.get());
        return {};
    }

    static la_ssize_t read_parts(struct archive* a, void* client, const void** buffer) noexcept
    {
        auto* self = static_cast<Impl*>(client);
        while (self->current_part < self->parts.size()) {
            const ssize_t n = ::read(
                self->parts[self->current_part].get(), self->block.data(), self->block.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                archive_set_error(a, errno, "cannot read a part of the bundle");
                return -1;
            }
            if (n == 0) {
                ++self->current_part;
                continue;
            }
            *buffer = self->block.data();
            return n;
        }
        return 0;
    }

    Error corrupt(std::string_view what) const
    {
        const char* detail = archive_error_string(archive.get());
        return Error{Errc::format,
                     str_cat(path.string(),
                             ": ",
                             what,
                             ": ",
                             detail != nullptr ? detail : "truncated or corrupt"),
                     {}};
    }
};

TarReader::TarReader(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

TarReader::TarReader(TarReader&&) noexcept = default;
TarReader::~TarReader() = default;

Result<TarReader> TarReader::open(const std::filesystem::path& path)
{
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    AIRLOCK_TRY_ASSIGN(impl->fd, open_for_reading(path));
    struct stat info{};
    if (::fstat(impl->fd.get(), &info) == 0) {
        impl->size = static_cast<std::uint64_t>(info.st_size);
    }
    AIRLOCK_TRY(impl->start());
    if (archive_read_open_fd(impl->archive.get(), impl->fd.get(), k_read_block) != ARCHIVE_OK) {
        return std::unexpected(impl->corrupt("not a tar or tar.zst stream"));
    }
    return TarReader(std::move(impl));
}

Result<std::optional<TarEntry>> TarReader::next()
{
    struct archive_entry* entry = nullptr;
    const int status = archive_read_next_header(m_impl->archive.get(), &entry);
    if (status == ARCHIVE_EOF) {
        return std::optional<TarEntry>{};
    }
    if (status != ARCHIVE_OK) {
        return std::unexpected(m_impl->corrupt("cannot read the next entry"));
    }
    TarEntry out;
    const char* name = archive_entry_pathname(entry);
    out.path = name != nullptr ? name : "";
    const la_int64_t size = archive_entry_size(entry);
    out.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
    if (archive_entry_hardlink(entry) != nullptr) {
        out.type = EntryType::hardlink;
    } else {
        switch (archive_entry_filetype(entry)) {
        case AE_IFREG:
            out.type = EntryType::regular;
            break;
        case AE_IFDIR:
            out.type = EntryType::directory;
            break;
        case AE_IFLNK:
            out.type = EntryType::symlink;
            break;
        default:
            out.type = EntryType::other;
            break;
        }
    }
    return std::optional<TarEntry>(std::move(out));
}

Result<std::size_t> TarReader::read(std::span<char> buffer)
{
    const la_ssize_t n = archive_read_data(m_impl->archive.get(), buffer.data(), buffer.size());
    if (n < 0) {
        return std::unexpected(m_impl->corrupt("cannot read entry data"));
    }
    return static_cast<std::size_t>(n);
}

Result<TarReader> TarReader::open_parts(const std::vector<std::filesystem::path>& parts)
{
    if (parts.empty()) {
        return fail(Errc::usage, "no parts to read");
    }
    auto impl = std::make_unique<Impl>();
    impl->path = parts.front();
    for (const auto& part : parts) {
        auto fd = open_for_reading(part);
        if (!fd) {
            return fail(Errc::not_found,
                        str_cat("part ", part.string(), " cannot be opened: ", fd.error().message));
        }
        struct stat info{};
        if (::fstat(fd->get(), &info) == 0) {
            impl->size += static_cast<std::uint64_t>(info.st_size);
        }
        impl->parts.push_back(std::move(*fd));
    }
    impl->block.resize(k_read_block);
    AIRLOCK_TRY(impl->start());
    struct archive* a = impl->archive.get();
    // One logical stream over all parts, fed by our own callback: libarchive's multi-file
    // reader (archive_read_open_filenames) mishandles switching files under a filter in 3.6.
    if (archive_read_open(a, impl.get(), nullptr, &Impl::read_parts, nullptr) != ARCHIVE_OK) {
        return std::unexpected(impl->corrupt("not a tar or tar.zst stream"));
    }
    return TarReader(std::move(impl));
}

std::uint64_t TarReader::bytes_in() const
{
    const la_int64_t n = archive_filter_bytes(m_impl->archive.get(), -1);
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

std::uint64_t TarReader::file_size() const
{
    return m_impl->size;
}

} // namespace airlock::archive
