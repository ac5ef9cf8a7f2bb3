// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace airlock {

namespace {

// Below this a file is not worth direct I/O; above it, writes are this large at least.
constexpr std::size_t k_gather_bytes = 1U << 20U;

bool is_aligned(std::span<const char> data)
{
    return reinterpret_cast<std::uintptr_t>(data.data()) % k_direct_io_alignment == 0
           && data.size() % k_direct_io_alignment == 0;
}

} // namespace

SequentialFileWriter::SequentialFileWriter(Fd fd, std::filesystem::path path)
    : m_fd(std::move(fd))
    , m_path(std::move(path))
{
}

Result<SequentialFileWriter> SequentialFileWriter::create(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail(Errc::io, str_cat("cannot create ", path.string(), ": ", std::strerror(errno)));
    }
    return SequentialFileWriter(Fd(fd), path);
}

bool SequentialFileWriter::set_direct(bool on)
{
    // Set on the open file, not at open: some filesystems refuse O_DIRECT only after creating.
    const int flags = ::fcntl(m_fd.get(), F_GETFL);
    return flags >= 0
           && ::fcntl(m_fd.get(), F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT)) == 0;
}

Result<> SequentialFileWriter::write_buffered(std::span<const char> data)
{
    if (m_direct == Direct::on) {
        set_direct(false);
    }
    m_direct = Direct::off; // every later write would be at an unaligned offset
    return write_all(m_fd, data, m_path.string());
}

Result<> SequentialFileWriter::write_direct(std::span<const char> data)
{
    if (m_direct == Direct::untried) {
        m_direct = set_direct(true) ? Direct::on : Direct::off;
    }
    while (m_direct == Direct::on && !data.empty()) {
        const ssize_t n = ::write(m_fd.get(), data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EINVAL) {
            return fail(Errc::io,
                        str_cat("cannot write ", m_path.string(), ": ", std::strerror(errno)));
        }
        if (n < 0 || !is_aligned(data.subspan(static_cast<std::size_t>(n)))) {
            // EINVAL: the filesystem wants more alignment than a page; or a short write left
            // the rest unaligned. The page cache takes it from here.
            return write_buffered(data.subspan(n < 0 ? 0 : static_cast<std::size_t>(n)));
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return data.empty() ? Result<>{} : write_buffered(data);
}

Result<> SequentialFileWriter::write(std::span<const char> data)
{
    m_size += data.size();
    if (m_direct == Direct::off) {
        return write_buffered(data);
    }
    if (m_gathered == 0 && is_aligned(data)) {
        return write_direct(data); // whole pages in page-aligned memory: no copy needed
    }
    while (!data.empty()) {
        if (m_gather.size() == 0) {
            m_gather = AlignedBuffer(k_gather_bytes);
        }
        const std::size_t n = std::min(data.size(), m_gather.size() - m_gathered);
        std::memcpy(m_gather.data() + m_gathered, data.data(), n);
        m_gathered += n;
        data = data.subspan(n);
        if (m_gathered == m_gather.size()) {
            m_gathered = 0;
            AIRLOCK_TRY(write_direct(m_gather.span()));
            if (m_direct == Direct::off) {
                return write_buffered(data);
            }
        }
    }
    return {};
}

Result<> SequentialFileWriter::sync_and_close()
{
    if (m_gathered > 0) {
        AIRLOCK_TRY(write_buffered(std::span<const char>(m_gather.data(), m_gathered)));
        m_gathered = 0;
    }
    if (::fsync(m_fd.get()) != 0) {
        return fail(Errc::io, str_cat("cannot sync ", m_path.string(), ": ", std::strerror(errno)));
    }
    m_fd = Fd();
    return {};
}

} // namespace airlock
