// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/reporter.hpp>

#include <atomic>
#include <cstdint>
#include <string_view>

namespace airlock {

// Counts one phase's bytes and items from any number of threads and reports every step; the
// reporter decides what to show and how often, so a call per chunk costs a relaxed atomic
// addition and a virtual call. The phase ends (Reporter::phase_end) at end() or, on an early
// return, when this goes out of scope.
class PhaseProgress
{
  public:
    // `phase` must outlive this (a literal: "download", "write", ...).
    PhaseProgress(Reporter& reporter,
                  std::string_view phase,
                  std::uint64_t total_bytes,
                  std::uint64_t total_items = 0);
    ~PhaseProgress();
    PhaseProgress(const PhaseProgress&) = delete;
    PhaseProgress& operator=(const PhaseProgress&) = delete;

    // `bytes` more are done.
    void add_bytes(std::uint64_t bytes);

    // There is more to do than planned (a download that has to start over).
    void add_total(std::uint64_t bytes);

    // One more item is done. When it is the last, the phase reports all its bytes done too:
    // byte counts that drifted (a blob another process fetched meanwhile) end exact.
    void item_done();

    // Ends the phase; once, whoever calls it first.
    void end();

    // Where the phase stands.
    Progress snapshot() const;

  private:
    Reporter& m_reporter;
    std::string_view m_phase;
    std::atomic<std::uint64_t> m_done{0};
    std::atomic<std::uint64_t> m_total;
    std::atomic<std::uint64_t> m_items_done{0};
    std::uint64_t m_items_total;
    std::atomic<bool> m_ended{false};
};

} // namespace airlock
