// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

namespace airlock::unpack {

constexpr std::size_t k_pipe_chunks = 8;

// Hands chunks from the reader thread to an upload's read callback; bounded, so memory stays
// at a few MiB whatever the blob size.
class BoundedPipe
{
  public:
    Result<> push(std::span<const char> data)
    {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] { return m_chunks.size() < k_pipe_chunks || m_aborted; });
        if (m_aborted) {
            return fail(Errc::network, "the upload stopped");
        }
        m_chunks.emplace_back(data.begin(), data.end());
        m_ready.notify_one();
        return {};
    }

    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_ready.notify_all();
    }

    void abort()
    {
        const std::lock_guard lock(m_mutex);
        m_aborted = true;
        m_ready.notify_all();
        m_space.notify_all();
    }

    Result<std::size_t> read(std::span<char> out)
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_chunks.empty() || m_closed || m_aborted; });
        if (m_aborted) {
            return fail(Errc::cancelled, "the bundle stream failed");
        }
        if (m_chunks.empty()) {
            return std::size_t{0};
        }
        auto& front = m_chunks.front();
        const std::size_t n = std::min(out.size(), front.size() - m_offset);
        std::copy_n(front.data() + m_offset, n, out.data());
        m_offset += n;
        if (m_offset == front.size()) {
            m_chunks.pop_front();
            m_offset = 0;
            m_space.notify_one();
        }
        return n;
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_space;
    std::deque<std::vector<char>> m_chunks;
    std::size_t m_offset = 0;
    bool m_closed = false;
    bool m_aborted = false;
};

} // namespace airlock::unpack
