// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image_plan.hpp"
#include "live_downloads.hpp"
#include "registry_source.hpp"

#include <airlock/base/phase_progress.hpp>
#include <airlock/base/reporter.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace airlock::pack {

// The layers to download, and what the others need. Configs are not among them: they were
// fetched while resolving, and documents come from the manifests endpoint.
struct FetchPlan
{
    std::vector<const PlannedBlob*> downloads;
    std::vector<const PlannedBlob*> local; // files already: only looked for
    std::uint64_t bytes = 0;               // still to transfer, partial files left out
    std::size_t cached = 0;                // in the blob cache already
    std::size_t resumed = 0;               // downloads that continue a partial file
};

FetchPlan plan_fetch(const std::vector<const PlannedBlob*>& blobs);

// Downloads every layer that is neither a local file nor cached, `jobs` at a time in stream
// order, on threads of its own while the bundle is written: the writer follows each download
// through live() and reads its bytes as they arrive, so that a cold pack takes about as long
// as the slower of the two. The first failure stops the other downloads.
class Prefetch
{
  public:
    // Looks for every local layer first, so that one missing is named before the bundle is
    // begun; then starts the downloads.
    static Result<std::unique_ptr<Prefetch>> start(const std::vector<const PlannedBlob*>& blobs,
                                                   unsigned jobs,
                                                   SourceFactory& factory,
                                                   Reporter& reporter);

    Prefetch(const Prefetch&) = delete;
    Prefetch& operator=(const Prefetch&) = delete;
    ~Prefetch(); // stops what still runs

    // The downloads a writer may follow.
    LiveDownloads& live()
    {
        return m_live;
    }

    // Waits for every download to end; the first failure.
    Result<> finish();

    // Stops the downloads still running (the writer failed) and waits for them.
    void stop();

  private:
    Prefetch(FetchPlan plan, SourceFactory& factory, Reporter& reporter);
    void work();
    void join();

    FetchPlan m_plan;
    SourceFactory& m_factory;
    LiveDownloads m_live;
    std::optional<PhaseProgress> m_progress;
    std::atomic<std::size_t> m_next{0};
    std::mutex m_mutex;
    std::optional<Error> m_first_error;
    std::vector<std::thread> m_threads;
};

} // namespace airlock::pack
