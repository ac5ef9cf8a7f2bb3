// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/aligned_buffer.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace airlock {

namespace {

bool is_aligned(std::span<const char> data)
{
    return reinterpret_cast<std::uintptr_t>(data.data()) % k_direct_io_alignment == 0
           && data.size() % k_direct_io_alignment == 0;
}

} // namespace

SequentialFileWriter::SequentialFileWriter(Fd fd, std::filesystem::path path, bool direct)
    : m_fd(std::move(fd))
    , m_path(std::move(path))
    , m_direct(direct)
{
}

Result<SequentialFileWriter> SequentialFileWriter::create(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail(Errc::io, str_cat("cannot create ", path.string(), ": ", std::strerror(errno)));
    }
    Fd owned(fd);
    // Set after creating, not at open: some filesystems refuse O_DIRECT only after creating.
    const int flags = ::fcntl(fd, F_GETFL);
    const bool direct = flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
    return SequentialFileWriter(std::move(owned), path, direct);
}

void SequentialFileWriter::stop_direct()
{
    const int flags = ::fcntl(m_fd.get(), F_GETFL);
    if (flags >= 0) {
        ::fcntl(m_fd.get(), F_SETFL, flags & ~O_DIRECT);
    }
    m_direct = false;
}

Result<> SequentialFileWriter::write_buffered(std::span<const char> data)
{
    AIRLOCK_TRY(write_all(m_fd, data, m_path.string()));
    m_written += data.size();
    return {};
}

Result<> SequentialFileWriter::write(std::span<const char> data)
{
    if (m_direct && !is_aligned(data)) {
        stop_direct(); // a tail: every later write would be at an unaligned offset anyway
    }
    if (!m_direct) {
        return write_buffered(data);
    }
    while (!data.empty()) {
        const ssize_t n = ::write(m_fd.get(), data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EINVAL) {
            // The filesystem wants a larger alignment than a page: the page cache it is.
            stop_direct();
            return write_buffered(data);
        }
        if (n < 0) {
            return fail(Errc::io,
                        str_cat("cannot write ", m_path.string(), ": ", std::strerror(errno)));
        }
        m_written += static_cast<std::uint64_t>(n);
        data = data.subspan(static_cast<std::size_t>(n));
        if (!is_aligned(data)) {
            stop_direct();
            return write_buffered(data);
        }
    }
    return {};
}

Result<> SequentialFileWriter::sync_and_close()
{
    if (::fsync(m_fd.get()) != 0) {
        return fail(Errc::io, str_cat("cannot sync ", m_path.string(), ": ", std::strerror(errno)));
    }
    m_fd = Fd();
    return {};
}

} // namespace airlock
