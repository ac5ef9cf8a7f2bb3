// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace airlock {

// Where one long phase stands. `phase` is a stable name that scripts read ("download",
// "write", "verify", "import"); the command line chooses the words people see.
struct Progress
{
    std::string_view phase;
    std::uint64_t done = 0;        // bytes
    std::uint64_t total = 0;       // bytes; 0 when unknown
    std::uint64_t items_done = 0;  // blobs, when the phase counts them
    std::uint64_t items_total = 0; // 0 when the phase does not count items

    // Everything the phase set out to do is done.
    bool complete() const
    {
        return items_total > 0 ? items_done >= items_total : total > 0 && done >= total;
    }
};

// How libraries tell the user what happens without printing themselves; the command line
// decides where (stderr, JSON lines) and how often (progress only on a terminal). Called from
// several threads at once (the pipeline's sink, parallel downloads): implementations must be
// thread-safe, and `progress` cheap, since it may come with every chunk of a blob.
class Reporter
{
  public:
    virtual ~Reporter() = default;

    // A line of information ("packing localhost/sample:1.0").
    virtual void info(std::string_view message) = 0;

    // Something the user should know about that does not stop the run.
    virtual void warn(std::string_view message) = 0;

    // A phase moved on. Values from parallel threads may arrive slightly out of order.
    virtual void progress(const Progress& progress) = 0;

    // The phase ended, complete or not (an error, an interruption); `last` is where it stopped.
    virtual void phase_end(const Progress& last) = 0;
};

// A reporter that drops everything (tests, --quiet).
class NullReporter final : public Reporter
{
  public:
    void info(std::string_view /*message*/) override {}

    void warn(std::string_view /*message*/) override {}

    void progress(const Progress& /*progress*/) override {}

    void phase_end(const Progress& /*last*/) override {}
};

} // namespace airlock
