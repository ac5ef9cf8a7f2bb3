// SPDX-License-Identifier: Apache-2.0
#include <airlock/archive/tar_reader.hpp>
#include <airlock/base/c_deleter.hpp>
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

namespace airlock::archive {

namespace {

using ArchiveReadPtr = std::unique_ptr<struct archive, CDeleter<archive_read_free>>;

constexpr std::size_t k_read_block = 1U << 20U;

} // namespace

struct TarReader::Impl
{
    struct Part
    {
        std::filesystem::path path;
        Fd fd;
    };

    std::filesystem::path path;
    std::uint64_t size = 0;
    std::vector<Part> parts; // one for a plain bundle; a split bundle's parts in order
    std::size_t current_part = 0;
    std::vector<char> block;
    ArchiveReadPtr archive;
    // Why the last read failed, when it was not the stream's content: libarchive only passes
    // on a message, and these must not be reported as a corrupt bundle.
    std::optional<Error> read_error;

    Result<> add_part(const std::filesystem::path& part, Fd fd)
    {
        size += regular_file_size(fd).value_or(0);
        parts.push_back({part, std::move(fd)});
        return {};
    }

    // A reader for what bundles use, tar plain or zstd: fewer decoders, less attack surface.
    // Fed by our own callback: libarchive's multi-file reader (archive_read_open_filenames)
    // mishandles switching files under a filter in 3.6, and its fd reader retries EINTR forever.
    Result<> start()
    {
        block.resize(k_read_block);
        archive.reset(archive_read_new());
        if (!archive) {
            return fail(Errc::internal, "cannot create a libarchive reader");
        }
        archive_read_support_filter_zstd(archive.get());
        archive_read_support_format_tar(archive.get());
        if (archive_read_open(archive.get(), this, nullptr, &Impl::read_parts, nullptr)
            != ARCHIVE_OK) {
            return std::unexpected(corrupt("not a tar or tar.zst stream"));
        }
        return {};
    }

    Result<std::size_t> read_some()
    {
        while (current_part < parts.size()) {
            const Part& part = parts[current_part];
            // Waits (and heeds Ctrl-C) where data may never come: a FIFO, a terminal.
            AIRLOCK_TRY_ASSIGN(const std::size_t n,
                               airlock::read_some(part.fd, block, part.path.string()));
            if (n == 0) {
                ++current_part;
                continue;
            }
            return n;
        }
        return 0;
    }

    static la_ssize_t read_parts(struct archive* a, void* client, const void** buffer) noexcept
    {
        auto* self = static_cast<Impl*>(client);
        auto n = self->read_some();
        if (!n) {
            archive_set_error(a, EIO, "%s", n.error().message.c_str());
            self->read_error = std::move(n.error());
            return -1;
        }
        *buffer = self->block.data();
        return static_cast<la_ssize_t>(*n);
    }

    Error corrupt(std::string_view what) const
    {
        if (read_error) {
            return *read_error; // an I/O error or an interrupt, not the bundle's fault
        }
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
    AIRLOCK_TRY_ASSIGN(Fd fd, open_for_reading(path));
    AIRLOCK_TRY(impl->add_part(path, std::move(fd)));
    AIRLOCK_TRY(impl->start());
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
    out.sparse = archive_entry_sparse_count(entry) > 0;
    if (const char* target = archive_entry_hardlink(entry); target != nullptr) {
        out.type = EntryType::hardlink;
        out.link_target = target;
    } else {
        switch (archive_entry_filetype(entry)) {
        case AE_IFREG:
            out.type = EntryType::regular;
            break;
        case AE_IFDIR:
            out.type = EntryType::directory;
            break;
        case AE_IFLNK: {
            out.type = EntryType::symlink;
            const char* points_to = archive_entry_symlink(entry);
            out.link_target = points_to != nullptr ? points_to : "";
            break;
        }
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
        AIRLOCK_TRY(impl->add_part(part, std::move(*fd)));
    }
    AIRLOCK_TRY(impl->start());
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
