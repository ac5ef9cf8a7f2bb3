// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>
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
    auto fd = os::open_file(path, os::writing | os::create | os::exclusive);
    if (!fd) {
        return fail(Errc::io,
                    str_cat("cannot create ", path.string(), ": ", os::message(fd.error())));
    }
    return SequentialFileWriter(std::move(*fd), path);
}

bool SequentialFileWriter::set_direct(bool on)
{
    // Set on the open file, not at open: some filesystems refuse direct I/O only after creating.
    return os::set_direct_io(m_fd, on);
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
        const auto n = os::write(m_fd, data);
        if (!n && n.error() == std::errc::interrupted) {
            continue;
        }
        if (!n && n.error() != std::errc::invalid_argument) {
            return fail(Errc::io,
                        str_cat("cannot write ", m_path.string(), ": ", os::message(n.error())));
        }
        if (!n || !is_aligned(data.subspan(*n))) {
            // EINVAL: the filesystem wants more alignment than a page; or a short write left
            // the rest unaligned. The page cache takes it from here.
            return write_buffered(data.subspan(n ? *n : 0));
        }
        data = data.subspan(*n);
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
    AIRLOCK_TRY(sync_file(m_fd, m_path));
    m_fd = Fd();
    return {};
}

Result<> SequentialFileWriter::close()
{
    if (m_gathered > 0) {
        AIRLOCK_TRY(write_buffered(std::span<const char>(m_gather.data(), m_gathered)));
        m_gathered = 0;
    }
    m_fd = Fd();
    return {};
}

} // namespace airlock
