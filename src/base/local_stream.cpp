// SPDX-License-Identifier: Apache-2.0
// What LocalStream does the same on every system; connecting, reading, writing and closing are
// in local_stream_posix.cpp and local_stream_windows.cpp.
#include <airlock/base/local_stream.hpp>

#include <utility>

namespace airlock {

LocalStream::LocalStream(LocalStream&& other) noexcept
    : m_handle(std::exchange(other.m_handle, -1))
    , m_idle(other.m_idle)
    , m_name(std::move(other.m_name))
{
}

LocalStream& LocalStream::operator=(LocalStream&& other) noexcept
{
    if (this != &other) {
        close();
        m_handle = std::exchange(other.m_handle, -1);
        m_idle = other.m_idle;
        m_name = std::move(other.m_name);
    }
    return *this;
}

LocalStream::~LocalStream()
{
    close();
}

} // namespace airlock
