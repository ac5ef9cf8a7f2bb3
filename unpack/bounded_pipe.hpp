// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
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

// An upload running on its own thread whose body the caller feeds through a BoundedPipe, so
// that reading the bundle and sending overlap with a few MiB in flight. The result is read only
// after the thread has been joined.
class PipedUpload
{
  public:
    using Source = std::function<Result<std::size_t>(std::span<char>)>;

    // Starts `upload`, which reads its body from the source it is given and returns its result.
    explicit PipedUpload(std::function<Result<>(const Source&)> upload)
        : m_thread([this, upload = std::move(upload)] {
            const Source source = [this](std::span<char> out) { return m_pipe.read(out); };
            m_result = upload(source);
            if (!m_result) {
                m_pipe.abort(); // unblock the feeder
            }
        })
    {
    }

    PipedUpload(const PipedUpload&) = delete;
    PipedUpload& operator=(const PipedUpload&) = delete;

    ~PipedUpload()
    {
        abort();
    }

    // Feeds bytes; once the upload has stopped, its error.
    Result<> push(std::span<const char> data)
    {
        if (auto pushed = m_pipe.push(data); !pushed) {
            join();
            return m_result ? std::move(pushed) : std::move(m_result);
        }
        return {};
    }

    // Ends the body and returns the upload's result.
    Result<> finish()
    {
        m_pipe.close();
        join();
        return m_result;
    }

    // Cuts the body (the upload fails) and waits for the thread.
    void abort()
    {
        m_pipe.abort();
        join();
    }

  private:
    void join()
    {
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    BoundedPipe m_pipe;
    Result<> m_result;
    std::thread m_thread; // last: starts once the pipe and result exist
};

} // namespace airlock::unpack
