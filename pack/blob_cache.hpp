// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_downloads.hpp"

#include <airlock/base/error.hpp>
#include <airlock/base/phase_progress.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/http/client.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/registry/retry.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace airlock::pack {

// Downloads a blob from byte `range_start` (nothing: from the start) into `sink`.
using BlobDownload = std::function<Result<http::Response>(std::optional<std::uint64_t> range_start,
                                                          const http::BodySink& sink)>;

// How a blob download is retried, and who serves it.
struct DownloadPolicy
{
    int attempts = 5;                     // attempts in all, resumptions included
    std::chrono::seconds retry_time{120}; // no resumption starts later after the first failure
    std::string server;                   // for messages: "registry HOST", "host HOST"
    registry::RetryDelays delays;         // the waits before resumptions
};

// A content-addressed blob cache shared by every pack on the machine:
//   DIR/blobs/sha256/<hex>    complete blobs, each verified before it was renamed here (not
//                             fsynced: readers verify them again, and evict what is wrong)
//   DIR/partial/<hex>         interrupted downloads, resumed with Range on the next attempt
// Safe for concurrent use by threads and processes (one download per blob at a time).
class BlobCache
{
  public:
    explicit BlobCache(std::filesystem::path dir)
        : m_dir(std::move(dir))
    {
    }

    // Where `digest` lives when cached.
    std::filesystem::path path(const manifest::Digest& digest) const;

    // True when the blob is cached with the expected size.
    bool has(const manifest::Descriptor& descriptor) const;

    // Removes a cached blob found not to match its digest; whether there was one.
    bool evict(const manifest::Digest& digest);

    // Bytes an interrupted download of `descriptor` left, which the next fetch resumes from.
    std::uint64_t partial_bytes(const manifest::Descriptor& descriptor) const;

    // Every byte downloaded from now on counts in `progress` (nothing: no longer); bytes that
    // must come again (the server ignored Range) add to its total. Not while fetches run.
    void count_downloads_in(PhaseProgress* progress)
    {
        m_progress = progress;
    }

    // Every download from now on reports its progress to `live` and stops when it is stopped
    // (nothing: no longer). Not while fetches run.
    void follow_downloads_in(LiveDownloads* live)
    {
        m_live = live;
    }

    // Returns the cached file for `descriptor`, downloading it first when needed: resumes a
    // partial file with Range (restarting when the server ignores it or answers 416), retries
    // broken or stalled transfers within `policy`'s attempts and time, hashes while writing,
    // and caches it only when digest and size match (else the partial file is deleted:
    // Errc::digest_mismatch). Retries exhausted: Errc::network; a 404: Errc::not_found; 416
    // from the start or another non-2xx status: Errc::http_status. Messages begin with `what`.
    Result<std::filesystem::path> fetch(const manifest::Descriptor& descriptor,
                                        const BlobDownload& download,
                                        const DownloadPolicy& policy,
                                        std::string_view what,
                                        Reporter& reporter);

  private:
    Result<std::filesystem::path> fetch_locked(const manifest::Descriptor& descriptor,
                                               const BlobDownload& download,
                                               const DownloadPolicy& policy,
                                               std::string_view what,
                                               Reporter& reporter);

    std::filesystem::path m_dir;
    PhaseProgress* m_progress = nullptr;
    LiveDownloads* m_live = nullptr;
};

} // namespace airlock::pack
