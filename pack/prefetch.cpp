// SPDX-License-Identifier: Apache-2.0
#include "prefetch.hpp"

#include <airlock/base/str_cat.hpp>

#include <algorithm>

namespace airlock::pack {

namespace {

std::string layers(std::size_t count)
{
    return str_cat(count, count == 1 ? " layer" : " layers");
}

// "fetching 3 layers (410.0 MiB) with 3 parallel downloads; 5 layers from the cache, 1 resuming
// a partial download"; nothing when every layer is a local file.
std::optional<std::string> describe(const FetchPlan& plan, unsigned jobs)
{
    if (plan.downloads.empty()) {
        if (plan.cached == 0) {
            return std::nullopt;
        }
        return str_cat("nothing to download: ", layers(plan.cached), " from the cache");
    }
    const std::size_t parallel = std::min<std::size_t>(jobs, plan.downloads.size());
    std::string line =
        str_cat("fetching ",
                layers(plan.downloads.size()),
                " (",
                human_size(plan.bytes),
                ")",
                parallel > 1 ? str_cat(" with ", parallel, " parallel downloads") : "");
    std::string_view separator = "; ";
    if (plan.cached > 0) {
        line += str_cat(separator, layers(plan.cached), " from the cache");
        separator = ", ";
    }
    if (plan.resumed > 0) {
        line += str_cat(separator, plan.resumed, " resuming a partial download");
    }
    return line;
}

std::vector<manifest::Digest> digests_of(const std::vector<const PlannedBlob*>& blobs)
{
    std::vector<manifest::Digest> out;
    out.reserve(blobs.size());
    for (const PlannedBlob* blob : blobs) {
        out.push_back(blob->descriptor.digest);
    }
    return out;
}

} // namespace

FetchPlan plan_fetch(const std::vector<const PlannedBlob*>& blobs)
{
    FetchPlan plan;
    for (const PlannedBlob* blob : blobs) {
        if (blob->content || blob->role != BlobRole::layer) {
            continue;
        }
        const BlobAvailability availability = blob->source->availability(blob->descriptor);
        if (availability.origin == BlobAvailability::Origin::cached) {
            ++plan.cached;
        } else if (availability.origin == BlobAvailability::Origin::download) {
            plan.downloads.push_back(blob);
            plan.bytes += blob->descriptor.size - availability.partial_bytes;
            plan.resumed += availability.partial_bytes > 0 ? 1 : 0;
        } else {
            plan.local.push_back(blob);
        }
    }
    return plan;
}

Prefetch::Prefetch(FetchPlan plan, SourceFactory& factory, Reporter& reporter)
    : m_plan(std::move(plan))
    , m_factory(factory)
    , m_live(digests_of(m_plan.downloads))
{
    if (!m_plan.downloads.empty()) {
        m_progress.emplace(reporter, "download", m_plan.bytes, m_plan.downloads.size());
    }
}

Result<std::unique_ptr<Prefetch>> Prefetch::start(const std::vector<const PlannedBlob*>& blobs,
                                                  unsigned jobs,
                                                  SourceFactory& factory,
                                                  Reporter& reporter)
{
    FetchPlan plan = plan_fetch(blobs);
    for (const PlannedBlob* blob : plan.local) {
        AIRLOCK_TRY(blob->source->blob_file(blob->descriptor));
    }
    if (const auto line = describe(plan, jobs)) {
        reporter.info(*line);
    }
    // Not make_unique: the constructor is private.
    std::unique_ptr<Prefetch> prefetch(new Prefetch(std::move(plan), factory, reporter));
    if (prefetch->m_plan.downloads.empty()) {
        return prefetch;
    }
    factory.count_downloads_in(&*prefetch->m_progress);
    factory.follow_downloads_in(&prefetch->m_live);
    const std::size_t threads =
        std::min<std::size_t>(std::max(1U, jobs), prefetch->m_plan.downloads.size());
    for (std::size_t i = 0; i < threads; ++i) {
        prefetch->m_threads.emplace_back([raw = prefetch.get()] { raw->work(); });
    }
    return prefetch;
}

Prefetch::~Prefetch()
{
    stop();
}

void Prefetch::work()
{
    while (!m_live.stopped()) {
        const std::size_t i = m_next.fetch_add(1);
        if (i >= m_plan.downloads.size()) {
            return;
        }
        const PlannedBlob& blob = *m_plan.downloads[i];
        auto path = blob.source->blob_file(blob.descriptor);
        m_live.finished(blob.descriptor.digest, path);
        if (!path) {
            {
                const std::lock_guard lock(m_mutex);
                if (!m_first_error) {
                    m_first_error = path.error();
                }
            }
            // The first failure ends the pack: the other downloads stop, and the writer hears
            // it from any layer still to come.
            m_live.abandon(path.error()); // before stop(): readers hear this error
            m_live.stop();
            return;
        }
        m_progress->item_done();
    }
}

void Prefetch::join()
{
    for (auto& thread : m_threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    m_threads.clear();
    m_factory.count_downloads_in(nullptr);
    m_factory.follow_downloads_in(nullptr);
    if (m_progress) {
        m_progress->end();
    }
}

Result<> Prefetch::finish()
{
    join();
    const std::lock_guard lock(m_mutex);
    if (m_first_error) {
        return std::unexpected(*m_first_error);
    }
    return {};
}

void Prefetch::stop()
{
    if (m_threads.empty()) {
        return;
    }
    m_live.stop();
    m_live.abandon(Error{Errc::cancelled, "the pack stopped before this layer was downloaded", {}});
    join();
}

} // namespace airlock::pack
