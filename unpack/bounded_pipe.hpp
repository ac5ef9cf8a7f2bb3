// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/bounded_queue.hpp>
#include <airlock/base/error.hpp>

#include <algorithm>
#include <functional>
#include <optional>
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
        if (!m_chunks.push(std::vector<char>(data.begin(), data.end()))) {
            return fail(Errc::network, "the upload stopped");
        }
        return {};
    }

    void close()
    {
        m_chunks.close();
    }

    void abort()
    {
        m_chunks.cancel();
    }

    // Called by the upload's thread only.
    Result<std::size_t> read(std::span<char> out)
    {
        while (m_offset == m_current.size()) { // an empty chunk is not the end
            std::optional<std::vector<char>> next = m_chunks.pop();
            if (!next) {
                if (m_chunks.cancelled()) {
                    return fail(Errc::cancelled, "the bundle stream failed");
                }
                return std::size_t{0};
            }
            m_current = std::move(*next);
            m_offset = 0;
        }
        const std::size_t n = std::min(out.size(), m_current.size() - m_offset);
        std::copy_n(m_current.data() + m_offset, n, out.data());
        m_offset += n;
        return n;
    }

  private:
    BoundedQueue<std::vector<char>> m_chunks{k_pipe_chunks};
    std::vector<char> m_current; // being read by the upload
    std::size_t m_offset = 0;
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
