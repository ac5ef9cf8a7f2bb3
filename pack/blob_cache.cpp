// SPDX-License-Identifier: Apache-2.0
#include "blob_cache.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/registry/retry.hpp>

#include <cstring>
#include <vector>

namespace airlock::pack {

namespace fs = std::filesystem;

namespace {

// Hashes the bytes already in a partial file, so a resumed download still verifies end to end.
Result<std::uint64_t> rehash(const fs::path& file, crypto::Sha256& hasher)
{
    auto fd = open_for_reading(file);
    if (!fd) {
        return std::uint64_t{0};
    }
    std::vector<char> buffer(1U << 20U);
    std::uint64_t total = 0;
    while (true) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, read_some(*fd, buffer, file.string()));
        if (n == 0) {
            return total;
        }
        hasher.update(std::string_view(buffer.data(), n));
        total += n;
    }
}

// What one fetch is about, for its steps and their messages.
struct FetchJob
{
    const manifest::Descriptor& blob;
    const DownloadPolicy& policy;
    std::string_view what;
    fs::path partial;                  // DIR/partial/<hex>
    PhaseProgress* progress = nullptr; // counts the bytes transferred, when a phase does
    LiveDownloads* live = nullptr;     // follows the partial file, when a reader does

    // The partial file holds `have` bytes now.
    void report(std::uint64_t have) const
    {
        if (live != nullptr) {
            live->appending(blob.digest, partial, have);
        }
    }
};

// The bytes of the partial file that a download will not fetch again after all.
void count_again(const FetchJob& job, std::uint64_t bytes)
{
    if (job.progress != nullptr && bytes > 0) {
        job.progress->add_total(bytes);
    }
}

// The partial file of one download attempt, open for appending, with what it holds hashed.
struct PartialFile
{
    Fd file;
    crypto::Sha256 hasher;
    std::uint64_t have = 0;  // bytes in the file
    std::uint64_t start = 0; // where this attempt's request begins
};

// Opens the partial file for appending, with what it already holds hashed. One that is complete
// but unverified, or too long, starts over.
Result<PartialFile> open_partial(const FetchJob& job)
{
    PartialFile out;
    AIRLOCK_TRY_ASSIGN(out.have, rehash(job.partial, out.hasher));
    AIRLOCK_TRY_ASSIGN(out.file, open_for_appending(job.partial));
    if (out.have >= job.blob.size) {
        AIRLOCK_TRY(truncate_file(out.file, job.partial));
        out.hasher = crypto::Sha256();
        out.have = 0;
    }
    out.start = out.have;
    return out;
}

// The body sink of one attempt: appends to `partial`, hashing on the way; starts the file over
// when the server ignored Range, and refuses more bytes than the blob has.
http::BodySink append_to(PartialFile& partial, const FetchJob& job)
{
    return [&partial, &job, first = true](const http::Response& head,
                                          std::span<const char> chunk) mutable -> Result<> {
        if (job.live != nullptr && job.live->stopped()) {
            return fail(Errc::cancelled,
                        str_cat(job.what, ": download of ", job.blob.digest.str(), " stopped"));
        }
        if (first) {
            first = false;
            if (partial.start > 0 && head.status != 206) {
                // The server sends everything: begin again.
                AIRLOCK_TRY(truncate_file(partial.file, job.partial));
                count_again(job, partial.have);
                partial.hasher = crypto::Sha256();
                partial.have = 0;
                job.report(0);
            }
        }
        if (partial.have + chunk.size() > job.blob.size) {
            return fail(Errc::digest_mismatch,
                        str_cat(job.what,
                                ": blob ",
                                job.blob.digest.str(),
                                " is larger than its ",
                                job.blob.size,
                                " bytes; nothing cached"));
        }
        AIRLOCK_TRY(write_all(partial.file, chunk, job.partial.string()));
        partial.hasher.update(std::string_view(chunk.data(), chunk.size()));
        partial.have += chunk.size();
        job.report(partial.have);
        if (job.progress != nullptr) {
            job.progress->add_bytes(chunk.size());
        }
        return {};
    };
}

// After a transfer broke with `error` at byte `have`: waits to resume when it was the network
// and `limit` allows another attempt. Any other error ends the fetch, a digest mismatch also
// dropping the partial file.
Result<> wait_to_resume(const Error& error,
                        registry::RetryLimit& limit,
                        const FetchJob& job,
                        std::uint64_t have,
                        Reporter& reporter)
{
    if (error.code == Errc::digest_mismatch) {
        std::error_code ignored; // the mismatch is the error to report
        fs::remove(job.partial, ignored);
        return std::unexpected(error);
    }
    if (error.code != Errc::network) {
        return std::unexpected(error);
    }
    if (!limit.another(job.policy.delays.before(limit.failures() + 1))) {
        return fail(Errc::network,
                    str_cat(job.what,
                            ": transfer of blob ",
                            job.blob.digest.str(),
                            " from ",
                            job.policy.server,
                            " broke ",
                            limit.failures(),
                            limit.failures() == 1 ? " time" : " times",
                            " (last: ",
                            error.message,
                            "); ",
                            limit.gave_up()));
    }
    reporter.info(str_cat(job.what,
                          ": transfer of ",
                          job.blob.digest.str(),
                          " broke at ",
                          have,
                          " of ",
                          job.blob.size,
                          " bytes; resuming (",
                          error.message,
                          ")"));
    return registry::wait_for_retry(job.policy.delays.before(limit.failures()));
}

// What a finished transfer's status leaves to do.
enum class AfterStatus {
    verify, // 2xx: the body is all there
    retry,  // 416 to a resumed request: the partial file was dropped, ask from the start
};

// Reads the status of a transfer that began at byte `start`; `refused` collects the requests
// answered 416, for the message. Errc::not_found, Errc::http_status.
Result<AfterStatus> check_status(long status,
                                 std::uint64_t start,
                                 registry::RetryLimit& limit,
                                 std::string& refused,
                                 const FetchJob& job)
{
    if (status == 404) {
        return fail(Errc::not_found,
                    str_cat(job.what, ": blob ", job.blob.digest.str(), " not found"));
    }
    if (status == 416) {
        // Our partial file is not a prefix the server knows: start over, once. A 416 to a
        // request for the whole blob leaves nothing else to ask.
        refused += str_cat(refused.empty() ? "" : ", then ",
                           start > 0 ? str_cat("from byte ", start) : "from the start");
        if (limit.another(std::chrono::milliseconds(0)) && start > 0) {
            std::error_code ignored; // opened and cut again (or replaced) by the retry
            std::filesystem::resize_file(job.partial, 0, ignored);
            job.report(0);
            count_again(job, start);
            return AfterStatus::retry;
        }
        return fail(Errc::http_status,
                    str_cat(job.what,
                            ": ",
                            job.policy.server,
                            " answered 416 (range not satisfiable) to every request for blob ",
                            job.blob.digest.str(),
                            ", ",
                            refused,
                            "; ",
                            limit.gave_up()));
    }
    if (status < 200 || status > 299) {
        return fail(
            Errc::http_status,
            str_cat(job.what, ": blob ", job.blob.digest.str(), ": server answered ", status));
    }
    return AfterStatus::verify;
}

// Moves the downloaded blob to `final_path` when its size and digest match; else drops it
// (Errc::digest_mismatch). Errc::io.
Result<> store_verified(PartialFile& partial, const FetchJob& job, const fs::path& final_path)
{
    const std::string actual = partial.hasher.finish_hex();
    if (partial.have != job.blob.size || actual != job.blob.digest.hex()) {
        std::error_code ignored; // the mismatch is the error to report
        fs::remove(job.partial, ignored);
        return fail(Errc::digest_mismatch,
                    str_cat(job.what,
                            ": blob ",
                            job.blob.digest.str(),
                            " as served does not match its digest (",
                            partial.have,
                            " bytes hashing to sha256:",
                            actual,
                            "); nothing cached"));
    }
    // Not fsynced: the cache is a cache, and every use of a cached blob hashes it again (the
    // bundle writer, fetch_document), evicting one that a power failure left wrong. Forcing
    // gigabytes to disk here would put a second synchronous write of every layer on a cold
    // pack's path, next to the bundle's own.
    return rename_replacing(job.partial, final_path);
}

} // namespace

fs::path BlobCache::path(const manifest::Digest& digest) const
{
    return m_dir / "blobs" / digest.algorithm() / digest.hex();
}

bool BlobCache::evict(const manifest::Digest& digest)
{
    std::error_code ec;
    return fs::remove(path(digest), ec);
}

bool BlobCache::has(const manifest::Descriptor& descriptor) const
{
    std::error_code ec;
    const auto size = fs::file_size(path(descriptor.digest), ec);
    return !ec && size == descriptor.size;
}

std::uint64_t BlobCache::partial_bytes(const manifest::Descriptor& descriptor) const
{
    std::error_code ec;
    const auto size = fs::file_size(m_dir / "partial" / descriptor.digest.hex(), ec);
    // A partial file as long as the blob or longer is dropped, not resumed (open_partial).
    return ec || size >= descriptor.size ? 0 : size;
}

Result<fs::path> BlobCache::fetch(const manifest::Descriptor& d,
                                  const BlobDownload& download,
                                  const DownloadPolicy& policy,
                                  std::string_view what,
                                  Reporter& reporter)
{
    const fs::path final_path = path(d.digest);
    if (has(d)) {
        return final_path;
    }
    const fs::path partial_dir = m_dir / "partial";
    AIRLOCK_TRY(make_directories(partial_dir));
    AIRLOCK_TRY(make_directories(final_path.parent_path()));
    // Another thread or pack may be fetching the same blob: wait for it, then use its result.
    const fs::path lock_path = partial_dir / (d.digest.hex() + ".lock");
    AIRLOCK_TRY_ASSIGN(const FileLock lock,
                       FileLock::acquire(lock_path,
                                         &reporter,
                                         str_cat("another download of blob ", d.digest.str())));
    auto result = fetch_locked(d, download, policy, what, reporter);
    std::error_code ec;
    fs::remove(lock_path, ec); // whatever happened, no lock file stays behind
    return result;
}

Result<fs::path> BlobCache::fetch_locked(const manifest::Descriptor& d,
                                         const BlobDownload& download,
                                         const DownloadPolicy& policy,
                                         std::string_view what,
                                         Reporter& reporter)
{
    const fs::path final_path = path(d.digest);
    if (has(d)) {
        return final_path;
    }
    const FetchJob job{d, policy, what, m_dir / "partial" / d.digest.hex(), m_progress, m_live};
    registry::RetryLimit limit(policy.attempts, policy.retry_time);
    std::string refused; // the requests answered 416, for the message
    while (true) {
        AIRLOCK_TRY_ASSIGN(PartialFile partial, open_partial(job));
        job.report(partial.have);
        const auto response =
            download(partial.start > 0 ? std::optional<std::uint64_t>(partial.start) : std::nullopt,
                     append_to(partial, job));
        if (!response) {
            AIRLOCK_TRY(wait_to_resume(response.error(), limit, job, partial.have, reporter));
            continue;
        }
        AIRLOCK_TRY_ASSIGN(const AfterStatus next,
                           check_status(response->status, partial.start, limit, refused, job));
        if (next == AfterStatus::retry) {
            continue;
        }
        AIRLOCK_TRY(store_verified(partial, job, final_path));
        return final_path;
    }
}

} // namespace airlock::pack
