// SPDX-License-Identifier: Apache-2.0
#include "push_pool.hpp"

#include <airlock/base/cancel.hpp>

#include <chrono>

namespace airlock::unpack {

namespace {

// How often a wait looks for an interrupt: Ctrl-C ends it promptly.
constexpr std::chrono::milliseconds k_poll{100};

} // namespace

PushPool::PushPool(unsigned threads, std::uint64_t byte_budget)
    : m_threads(threads == 0 ? 1 : threads)
    , m_budget(byte_budget)
{
}

PushPool::~PushPool()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_queue.clear();
    }
    m_changed.notify_all();
    for (auto& worker : m_workers) {
        worker.join();
    }
}

Result<> PushPool::failure_locked() const
{
    if (m_failure) {
        return std::unexpected(*m_failure);
    }
    return {};
}

Result<> PushPool::submit(Task task, std::uint64_t bytes)
{
    std::unique_lock lock(m_mutex);
    if (m_workers.empty()) {
        for (unsigned i = 0; i < m_threads; ++i) {
            m_workers.emplace_back([this] { work(); });
        }
    }
    // A task larger than the whole budget still goes, alone.
    while (!m_failure && m_held > 0 && m_held + bytes > m_budget) {
        m_changed.wait_for(lock, k_poll);
        if (auto cancelled = check_cancel(); !cancelled) {
            settle_locked(lock);
            return cancelled;
        }
    }
    if (m_failure) {
        settle_locked(lock);
        return failure_locked();
    }
    m_held += bytes;
    m_queue.push_back({std::move(task), bytes});
    lock.unlock();
    m_changed.notify_all();
    return {};
}

Result<> PushPool::wait()
{
    std::unique_lock lock(m_mutex);
    while (!m_failure && (!m_queue.empty() || m_running > 0)) {
        m_changed.wait_for(lock, k_poll);
        if (auto cancelled = check_cancel(); !cancelled) {
            settle_locked(lock);
            return cancelled;
        }
    }
    settle_locked(lock);
    return failure_locked();
}

void PushPool::settle_locked(std::unique_lock<std::mutex>& lock)
{
    for (const auto& dropped : m_queue) {
        m_held -= dropped.bytes;
    }
    m_queue.clear();
    m_changed.wait(lock, [this] { return m_running == 0; });
}

void PushPool::work()
{
    http::Client http;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_stopping) {
            return;
        }
        Queued next = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_running;
        lock.unlock();
        Result<> done = next.task(http);
        lock.lock();
        --m_running;
        m_held -= next.bytes;
        if (!done && !m_failure) {
            m_failure = std::move(done.error());
            for (const auto& dropped : m_queue) { // the rest would be undone anyway
                m_held -= dropped.bytes;
            }
            m_queue.clear();
        }
        m_changed.notify_all();
    }
}

} // namespace airlock::unpack
