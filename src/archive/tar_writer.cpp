// SPDX-License-Identifier: Apache-2.0
//
// The bundle's byte stream. libarchive writes the tar records (pax restricted: plain ustar
// headers unless a name or size needs an extended header) with blocking turned off, so every
// header and data write reaches `on_write` at once and entry boundaries are known. Those bytes
// go either straight to the file or through one ZSTD_CCtx. Whenever the level wanted for the
// next entry differs from the current one, the current zstd frame is ended and a new frame
// started: zstd frames concatenate, so `zstd -d < bundle | tar -x` still sees one tar stream.
// Nothing in the output depends on time, user or thread count, only on the entries written.

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/c_deleter.hpp>
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <zstd.h>

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

namespace airlock::archive {

namespace {

using ArchiveWritePtr = std::unique_ptr<struct archive, CDeleter<archive_write_free>>;
using ArchiveEntryPtr = std::unique_ptr<struct archive_entry, CDeleter<archive_entry_free>>;
using ZstdCCtxPtr = std::unique_ptr<ZSTD_CCtx, CDeleter<ZSTD_freeCCtx>>;

constexpr int k_fastest_level = -1;
constexpr std::size_t k_copy_buffer = 1U << 20U;

} // namespace

struct TarWriter::Impl
{
    std::optional<AtomicFile> file;
    std::function<Result<>(std::span<const char>)> sink_fn;
    Compression compression;
    std::int64_t mtime = 0;
    ArchiveWritePtr archive;
    ZstdCCtxPtr zstd;
    int current_level = 0;
    bool frame_has_data = false;
    std::vector<char> zstd_out;
    std::uint64_t bytes_out = 0;
    std::uint64_t entry_remaining = 0;
    bool in_entry = false;
    std::optional<Error> callback_error;
    bool abandoned = false;

    explicit Impl(std::optional<AtomicFile> f)
        : file(std::move(f))
    {
    }

    std::string target() const
    {
        return file ? file->path().string() : std::string("the output stream");
    }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // libarchive flushes through `on_write` when freed; an abandoned writer must not feed the
    // zstd context or the file (both go away), so drop those bytes and free the archive first.
    ~Impl()
    {
        abandoned = true;
        // Closed explicitly: after a failed write libarchive's free skips the close, and with it
        // the release of the client's block buffer (a leak in libarchive 3.6).
        if (archive) {
            archive_write_close(archive.get());
        }
        archive.reset();
    }

    Result<> check(la_ssize_t status, std::string_view what)
    {
        if (status >= ARCHIVE_OK) {
            return {};
        }
        if (callback_error) {
            return std::unexpected(*callback_error);
        }
        return fail(Errc::io,
                    str_cat("cannot write ",
                            what,
                            " to ",
                            target(),
                            ": ",
                            archive_error_string(archive.get())));
    }

    Result<> emit(std::span<const char> data)
    {
        bytes_out += data.size();
        if (!file) {
            return sink_fn(data);
        }
        return file->write(std::string_view(data.data(), data.size()));
    }

    // Feeds `input` to zstd with `mode`, writing whatever it produces.
    Result<> compress(std::span<const char> input, ZSTD_EndDirective mode)
    {
        ZSTD_inBuffer in{input.data(), input.size(), 0};
        while (true) {
            ZSTD_outBuffer out{zstd_out.data(), zstd_out.size(), 0};
            const std::size_t rest = ZSTD_compressStream2(zstd.get(), &out, &in, mode);
            if (ZSTD_isError(rest) != 0U) {
                return fail(Errc::internal,
                            str_cat("zstd compression failed: ", ZSTD_getErrorName(rest)));
            }
            AIRLOCK_TRY(emit(std::span<const char>(zstd_out.data(), out.pos)));
            const bool input_done = in.pos == in.size;
            if (mode == ZSTD_e_continue ? input_done : (input_done && rest == 0)) {
                return {};
            }
        }
    }

    Result<> sink(std::span<const char> data)
    {
        if (compression.codec == Codec::none) {
            return emit(data);
        }
        frame_has_data = frame_has_data || !data.empty();
        return compress(data, ZSTD_e_continue);
    }

    // Closes the current zstd frame, if it holds anything (an empty frame would be noise).
    Result<> end_frame()
    {
        if (!frame_has_data) {
            return {};
        }
        frame_has_data = false;
        return compress({}, ZSTD_e_end);
    }

    Result<> select_level(EntryContent content)
    {
        if (compression.codec != Codec::zstd) {
            return {};
        }
        const int wanted = content == EntryContent::compressed
                               ? std::min(compression.level, k_fastest_level)
                               : compression.level;
        if (wanted == current_level) {
            return {};
        }
        AIRLOCK_TRY(end_frame());
        ZSTD_CCtx_setParameter(zstd.get(), ZSTD_c_compressionLevel, wanted);
        current_level = wanted;
        return {};
    }

    static la_ssize_t
    on_write(struct archive* /*a*/, void* client, const void* buffer, size_t length) noexcept
    {
        auto* self = static_cast<Impl*>(client);
        if (self->abandoned) {
            return static_cast<la_ssize_t>(length);
        }
        try {
            auto result =
                self->sink(std::span<const char>(static_cast<const char*>(buffer), length));
            if (!result) {
                self->callback_error = std::move(result.error());
                return -1;
            }
            return static_cast<la_ssize_t>(length);
        } catch (...) {
            self->callback_error = Error{Errc::internal, "unexpected exception while writing", {}};
            return -1;
        }
    }
};

TarWriter::TarWriter(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

TarWriter::TarWriter(TarWriter&&) noexcept = default;
TarWriter::~TarWriter() = default;

Result<TarWriter>
TarWriter::create(const std::filesystem::path& path, Compression compression, std::int64_t mtime)
{
    AIRLOCK_TRY_ASSIGN(AtomicFile file, AtomicFile::create(path));
    return start(std::make_unique<Impl>(std::move(file)), compression, mtime);
}

Result<TarWriter> TarWriter::create_to_sink(std::function<Result<>(std::span<const char>)> sink,
                                            Compression compression,
                                            std::int64_t mtime)
{
    auto impl = std::make_unique<Impl>(std::nullopt);
    impl->sink_fn = std::move(sink);
    return start(std::move(impl), compression, mtime);
}

Result<TarWriter>
TarWriter::start(std::unique_ptr<Impl> impl, Compression compression, std::int64_t mtime)
{
    impl->compression = compression;
    impl->mtime = mtime;
    if (compression.codec == Codec::zstd) {
        impl->zstd.reset(ZSTD_createCCtx());
        if (!impl->zstd) {
            return fail(Errc::internal, "cannot create a zstd context");
        }
        const unsigned threads = compression.threads != 0
                                     ? compression.threads
                                     : std::max(1U, std::thread::hardware_concurrency());
        ZSTD_CCtx_setParameter(impl->zstd.get(), ZSTD_c_compressionLevel, compression.level);
        ZSTD_CCtx_setParameter(impl->zstd.get(), ZSTD_c_checksumFlag, 1);
        // Always at least one worker: zstd's output is then the same for any worker count.
        const std::size_t set = ZSTD_CCtx_setParameter(
            impl->zstd.get(), ZSTD_c_nbWorkers, static_cast<int>(std::max(1U, threads)));
        if (ZSTD_isError(set) != 0U) {
            return fail(Errc::unsupported, "this zstd library was built without multi-threading");
        }
        impl->current_level = compression.level;
        impl->zstd_out.resize(ZSTD_CStreamOutSize());
    }
    impl->archive.reset(archive_write_new());
    if (!impl->archive) {
        return fail(Errc::internal, "cannot create a libarchive writer");
    }
    struct archive* a = impl->archive.get();
    AIRLOCK_TRY(impl->check(archive_write_set_format_pax_restricted(a), "tar format"));
    AIRLOCK_TRY(impl->check(archive_write_set_bytes_per_block(a, 0), "tar block size"));
    AIRLOCK_TRY(impl->check(archive_write_open(a, impl.get(), nullptr, &Impl::on_write, nullptr),
                            "tar stream"));
    return TarWriter(std::move(impl));
}

Result<> TarWriter::begin_entry(std::string_view name, std::uint64_t size, EntryContent content)
{
    if (m_impl->in_entry) {
        return fail(Errc::internal, "tar entry started inside another");
    }
    AIRLOCK_TRY(m_impl->select_level(content));
    const ArchiveEntryPtr entry(archive_entry_new());
    const std::string path(name);
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    archive_entry_set_mtime(entry.get(), m_impl->mtime, 0);
    AIRLOCK_TRY(m_impl->check(archive_write_header(m_impl->archive.get(), entry.get()),
                              str_cat("header of ", name)));
    m_impl->in_entry = true;
    m_impl->entry_remaining = size;
    return {};
}

Result<> TarWriter::write(std::span<const char> data)
{
    if (data.size() > m_impl->entry_remaining) {
        return fail(Errc::internal, "more data than the tar entry declared");
    }
    const la_ssize_t n = archive_write_data(m_impl->archive.get(), data.data(), data.size());
    AIRLOCK_TRY(m_impl->check(n, "entry data"));
    m_impl->entry_remaining -= data.size();
    return {};
}

Result<> TarWriter::end_entry()
{
    if (m_impl->entry_remaining != 0) {
        return fail(Errc::internal, "tar entry ended before its declared size");
    }
    AIRLOCK_TRY(m_impl->check(archive_write_finish_entry(m_impl->archive.get()), "entry padding"));
    m_impl->in_entry = false;
    return {};
}

Result<> TarWriter::add(std::string_view name, std::string_view content, EntryContent kind)
{
    AIRLOCK_TRY(begin_entry(name, content.size(), kind));
    AIRLOCK_TRY(write(std::span<const char>(content.data(), content.size())));
    return end_entry();
}

Result<std::uint64_t> TarWriter::add_file_entry(std::string_view name,
                                                const std::filesystem::path& path,
                                                EntryContent kind,
                                                const ChunkObserver& observe)
{
    AIRLOCK_TRY_ASSIGN(const Fd fd, open_regular_for_reading(path, FollowSymlinks::no));
    const auto size = regular_file_size(fd);
    if (!size) {
        return fail(Errc::io, str_cat("cannot tell the size of ", path.string()));
    }
    AIRLOCK_TRY(begin_entry(name, *size, kind));
    std::vector<char> buffer(k_copy_buffer);
    std::uint64_t left = *size;
    while (left > 0) {
        AIRLOCK_TRY(check_cancel());
        AIRLOCK_TRY_ASSIGN(const std::size_t got, read_some(fd, buffer, path.string()));
        // The header is out already: a file that shrank or grew cannot be fixed up.
        if (got == 0 || got > left) {
            return fail(Errc::digest_mismatch,
                        str_cat(path.string(), " changed size while it was archived"));
        }
        const std::span<const char> chunk(buffer.data(), got);
        if (observe) {
            observe(chunk);
        }
        AIRLOCK_TRY(write(chunk));
        left -= got;
    }
    AIRLOCK_TRY(end_entry());
    return *size;
}

Result<> TarWriter::finish()
{
    AIRLOCK_TRY(m_impl->select_level(EntryContent::metadata));
    AIRLOCK_TRY(m_impl->check(archive_write_close(m_impl->archive.get()), "end of archive"));
    if (m_impl->compression.codec == Codec::zstd) {
        AIRLOCK_TRY(m_impl->end_frame());
    }
    return m_impl->file ? m_impl->file->commit() : Result<>{};
}

std::uint64_t TarWriter::bytes_out() const
{
    return m_impl->bytes_out;
}

} // namespace airlock::archive
