// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/http/client.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace airlock::unpack {

// Requests that do not depend on one another (a registry's small blobs, manifests of different
// images and tags; podman's image loads), run by a fixed number of threads, each with its own
// connection. Tasks may hold
// memory (a small blob's bytes): submit waits while the queued tasks hold more than the budget,
// so memory stays bounded whatever the bundle. The first failure stops the tasks not yet begun
// and is what submit and wait return from then on. Neither returns a failure (or an interrupt)
// while a task still runs, so a caller may give its tasks references to its own locals.
class PushPool
{
  public:
    using Task = std::function<Result<>(http::Client&)>;

    PushPool(unsigned threads, std::uint64_t byte_budget);
    PushPool(const PushPool&) = delete;
    PushPool& operator=(const PushPool&) = delete;

    // Stops the tasks not begun and waits for the running ones.
    ~PushPool();

    // Queues `task`, which holds `bytes` until it ends; the first failure instead, if any.
    // Errc::cancelled on an interrupt while waiting for room.
    Result<> submit(Task task, std::uint64_t bytes = 0);

    // Waits until every queued task has run; the first failure, or Errc::cancelled on an
    // interrupt (the running requests end on their own check).
    Result<> wait();

  private:
    struct Queued
    {
        Task task;
        std::uint64_t bytes = 0;
    };

    void work();
    Result<> failure_locked() const;
    // Drops the tasks not begun and waits until none runs (the running ones end on their own
    // interrupt checks).
    void settle_locked(std::unique_lock<std::mutex>& lock);

    unsigned m_threads;
    std::uint64_t m_budget;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Queued> m_queue;
    std::uint64_t m_held = 0;  // bytes of queued and running tasks
    std::size_t m_running = 0; // tasks begun and not ended
    bool m_stopping = false;
    std::optional<Error> m_failure;
    std::vector<std::thread> m_workers; // started on the first submit
};

} // namespace airlock::unpack
