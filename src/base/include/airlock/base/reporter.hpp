// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace airlock {

// How libraries tell the user what happens without printing themselves; the command line
// decides where (stderr, JSON lines) and how often (progress only on a terminal). Called from
// several threads at once (the pipeline's sink, parallel downloads): implementations must be
// thread-safe.
class Reporter
{
  public:
    virtual ~Reporter() = default;

    // A line of information ("packing localhost/sample:1.0").
    virtual void info(std::string_view message) = 0;

    // Something the user should know about that does not stop the run.
    virtual void warn(std::string_view message) = 0;

    // Progress of `task`: `done` of `total` bytes (total 0 when unknown).
    virtual void progress(std::string_view task, std::uint64_t done, std::uint64_t total) = 0;
};

// A reporter that drops everything (tests, --quiet).
class NullReporter final : public Reporter
{
  public:
    void info(std::string_view /*message*/) override {}

    void warn(std::string_view /*message*/) override {}

    void
    progress(std::string_view /*task*/, std::uint64_t /*done*/, std::uint64_t /*total*/) override
    {
    }
};

} // namespace airlock
