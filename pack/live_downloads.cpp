// SPDX-License-Identifier: Apache-2.0
#include "live_downloads.hpp"

#include <airlock/base/cancel.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace airlock::pack {

namespace {

// How often a waiting reader looks for an interrupt.
constexpr std::chrono::milliseconds k_cancel_poll{100};

} // namespace

LiveDownloads::LiveDownloads(const std::vector<manifest::Digest>& followed)
{
    for (const auto& digest : followed) {
        m_states.emplace(digest, State{});
    }
}

bool LiveDownloads::follows(const manifest::Digest& digest) const
{
    // The set is fixed at construction: no lock needed to look it up.
    return m_states.contains(digest);
}

void LiveDownloads::update(const manifest::Digest& digest,
                           const std::function<void(State&)>& change)
{
    const auto found = m_states.find(digest);
    if (found == m_states.end()) {
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        if (found->second.done) {
            return; // the first end counts (abandon() may come before a download's own)
        }
        change(found->second);
    }
    m_changed.notify_all();
}

void LiveDownloads::appending(const manifest::Digest& digest,
                              const std::filesystem::path& file,
                              std::uint64_t have)
{
    update(digest, [&](State& state) {
        if (state.file.empty()) {
            state.file = file;
        }
        state.have = have;
    });
}

void LiveDownloads::finished(const manifest::Digest& digest,
                             const Result<std::filesystem::path>& result)
{
    update(digest, [&](State& state) {
        state.done = true;
        if (result) {
            state.file = *result;
        } else {
            state.error = result.error();
        }
    });
}

void LiveDownloads::abandon(const Error& error)
{
    {
        const std::lock_guard lock(m_mutex);
        for (auto& [digest, state] : m_states) {
            if (!state.done) {
                state.done = true;
                state.error = error;
            }
        }
    }
    m_changed.notify_all();
}

void LiveDownloads::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_changed.notify_all();
}

bool LiveDownloads::stopped() const
{
    const std::lock_guard lock(m_mutex);
    return m_stopped;
}

Result<LiveDownloads::State> LiveDownloads::await(const manifest::Digest& digest,
                                                  const std::function<bool(const State&)>& ready)
{
    const auto found = m_states.find(digest);
    if (found == m_states.end()) {
        return fail(Errc::internal, "no download of " + digest.str() + " is followed");
    }
    std::unique_lock lock(m_mutex);
    while (!ready(found->second)) {
        if (m_stopped) {
            return fail(Errc::cancelled, "the pack stopped before " + digest.str() + " arrived");
        }
        AIRLOCK_TRY(check_cancel());
        m_changed.wait_for(lock, k_cancel_poll);
    }
    return found->second;
}

FollowedBlob::FollowedBlob(LiveDownloads& live, manifest::Descriptor blob, std::string what)
    : m_live(live)
    , m_blob(std::move(blob))
    , m_what(std::move(what))
{
}

Result<std::size_t> FollowedBlob::read(std::span<char> buffer)
{
    if (m_position >= m_blob.size || buffer.empty()) {
        return 0;
    }
    const std::uint64_t want = std::min<std::uint64_t>(buffer.size(), m_blob.size - m_position);
    const std::uint64_t needed = m_position + want;
    const auto enough = [needed](const LiveDownloads::State& s) {
        return s.done || (!s.file.empty() && s.have >= needed);
    };
    const auto done = [](const LiveDownloads::State& s) { return s.done; };
    while (true) {
        AIRLOCK_TRY_ASSIGN(const LiveDownloads::State state, m_live.await(m_blob.digest, enough));
        if (state.error) {
            return std::unexpected(*state.error);
        }
        if (!m_fd) {
            auto fd = open_for_reading(state.file);
            if (!fd && !state.done) {
                // Renamed into the cache between the report and the open: it is done.
                AIRLOCK_TRY(m_live.await(m_blob.digest, done));
                continue;
            }
            if (!fd) {
                return std::unexpected(std::move(fd.error()));
            }
            m_fd = std::move(*fd);
        }
        AIRLOCK_TRY_ASSIGN(const std::size_t n,
                           read_some(*m_fd, buffer.first(static_cast<std::size_t>(want)), m_what));
        if (n > 0) {
            m_position += n;
            return n;
        }
        if (state.done) {
            return 0; // shorter than its descriptor: the caller's size check says so
        }
        // The download began the file again after the report: wait for it to grow back.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

} // namespace airlock::pack
