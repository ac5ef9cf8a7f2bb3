// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace airlock {

// A queue between two threads that holds at most `capacity` items, so that a fast producer
// waits for a slow consumer instead of buffering a whole blob.
template<class T> class BoundedQueue
{
  public:
    explicit BoundedQueue(std::size_t capacity)
        : m_capacity(capacity)
    {
    }

    // Waits for room; false (and the item dropped) once the queue is cancelled.
    bool push(T item)
    {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_items.size() < m_capacity || m_cancelled; });
        if (m_cancelled) {
            return false;
        }
        m_items.push_back(std::move(item));
        m_not_empty.notify_one();
        return true;
    }

    // Waits for an item; nothing once the queue is closed and drained, or cancelled.
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed || m_cancelled; });
        if (m_cancelled || m_items.empty()) {
            return std::nullopt;
        }
        T item = std::move(m_items.front());
        m_items.pop_front();
        m_not_full.notify_one();
        return item;
    }

    // No more items will come; the consumer still gets those already queued.
    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
    }

    // Both sides stop now: pushes fail, pops return nothing, queued items are dropped.
    void cancel()
    {
        const std::lock_guard lock(m_mutex);
        m_cancelled = true;
        m_items.clear();
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

    bool cancelled() const
    {
        const std::lock_guard lock(m_mutex);
        return m_cancelled;
    }

  private:
    mutable std::mutex m_mutex;
    std::condition_variable m_not_empty;
    std::condition_variable m_not_full;
    std::deque<T> m_items;
    std::size_t m_capacity;
    bool m_closed = false;
    bool m_cancelled = false;
};

} // namespace airlock
