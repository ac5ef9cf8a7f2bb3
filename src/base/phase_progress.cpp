// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/phase_progress.hpp>

#include <algorithm>

namespace airlock {

PhaseProgress::PhaseProgress(Reporter& reporter,
                             std::string_view phase,
                             std::uint64_t total_bytes,
                             std::uint64_t total_items)
    : m_reporter(reporter)
    , m_phase(phase)
    , m_total(total_bytes)
    , m_items_total(total_items)
{
}

PhaseProgress::~PhaseProgress()
{
    end();
}

void PhaseProgress::add_bytes(std::uint64_t bytes)
{
    m_done.fetch_add(bytes, std::memory_order_relaxed);
    m_reporter.progress(snapshot());
}

void PhaseProgress::add_total(std::uint64_t bytes)
{
    m_total.fetch_add(bytes, std::memory_order_relaxed);
}

void PhaseProgress::item_done()
{
    m_items_done.fetch_add(1, std::memory_order_relaxed);
    m_reporter.progress(snapshot());
}

void PhaseProgress::end()
{
    if (!m_ended.exchange(true)) {
        m_reporter.phase_end(snapshot());
    }
}

Progress PhaseProgress::snapshot() const
{
    Progress out{m_phase,
                 m_done.load(std::memory_order_relaxed),
                 m_total.load(std::memory_order_relaxed),
                 m_items_done.load(std::memory_order_relaxed),
                 m_items_total};
    // Bytes counted twice or not at all (a transfer that started over, a blob fetched by
    // another process) never show more than all, and all once every item is done.
    if (out.complete()) {
        out.done = out.total;
    } else if (out.total > 0) {
        out.done = std::min(out.done, out.total);
    }
    return out;
}

} // namespace airlock
