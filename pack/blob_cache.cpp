// SPDX-License-Identifier: Apache-2.0
#include "blob_cache.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/registry/retry.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

} // namespace

fs::path BlobCache::path(const manifest::Digest& digest) const
{
    return m_dir / "blobs" / digest.algorithm() / digest.hex();
}

bool BlobCache::has(const manifest::Descriptor& descriptor) const
{
    std::error_code ec;
    const auto size = fs::file_size(path(descriptor.digest), ec);
    return !ec && size == descriptor.size;
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
    const fs::path partial = m_dir / "partial" / d.digest.hex();
    registry::RetryLimit limit(policy.attempts, policy.retry_time);
    std::string refused; // the requests answered 416, for the message
    while (true) {
        crypto::Sha256 hasher;
        AIRLOCK_TRY_ASSIGN(std::uint64_t have, rehash(partial, hasher));
        if (have >= d.size) {
            // Complete but unverified, or too long: start over.
            ::truncate(partial.c_str(), 0);
            hasher = crypto::Sha256();
            have = 0;
        }
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            return fail(Errc::io,
                        str_cat("cannot write ", partial.string(), ": ", std::strerror(errno)));
        }
        const Fd file(fd);
        const std::uint64_t start = have;
        bool first = true;
        const http::BodySink sink = [&](const http::Response& head,
                                        std::span<const char> chunk) -> Result<> {
            if (first) {
                first = false;
                if (start > 0 && head.status != 206) {
                    // The server ignored Range and sends everything: begin again.
                    if (::ftruncate(fd, 0) != 0) {
                        return fail(Errc::io, str_cat("cannot truncate ", partial.string()));
                    }
                    hasher = crypto::Sha256();
                    have = 0;
                }
            }
            if (have + chunk.size() > d.size) {
                return fail(Errc::digest_mismatch,
                            str_cat(what,
                                    ": blob ",
                                    d.digest.str(),
                                    " is larger than its ",
                                    d.size,
                                    " bytes; nothing cached"));
            }
            AIRLOCK_TRY(write_all(file, chunk, partial.string()));
            hasher.update(std::string_view(chunk.data(), chunk.size()));
            have += chunk.size();
            return {};
        };
        auto response =
            download(start > 0 ? std::optional<std::uint64_t>(start) : std::nullopt, sink);
        if (!response) {
            if (response.error().code == Errc::digest_mismatch) {
                fs::remove(partial);
                return std::unexpected(response.error());
            }
            if (response.error().code != Errc::network) {
                return std::unexpected(response.error());
            }
            if (!limit.another(policy.delays.before(limit.failures() + 1))) {
                return fail(Errc::network,
                            str_cat(what,
                                    ": transfer of blob ",
                                    d.digest.str(),
                                    " from ",
                                    policy.server,
                                    " broke ",
                                    limit.failures(),
                                    limit.failures() == 1 ? " time" : " times",
                                    " (last: ",
                                    response.error().message,
                                    "); ",
                                    limit.gave_up()));
            }
            reporter.info(str_cat(what,
                                  ": transfer of ",
                                  d.digest.str(),
                                  " broke at ",
                                  have,
                                  " of ",
                                  d.size,
                                  " bytes; resuming (",
                                  response.error().message,
                                  ")"));
            AIRLOCK_TRY(registry::wait_for_retry(policy.delays.before(limit.failures())));
            continue;
        }
        if (response->status == 404) {
            return fail(Errc::not_found, str_cat(what, ": blob ", d.digest.str(), " not found"));
        }
        if (response->status == 416) {
            // Our partial file is not a prefix the server knows: start over, once. A 416 to a
            // request for the whole blob leaves nothing else to ask.
            refused += str_cat(refused.empty() ? "" : ", then ",
                               start > 0 ? str_cat("from byte ", start) : "from the start");
            if (limit.another(std::chrono::milliseconds(0)) && start > 0) {
                ::truncate(partial.c_str(), 0);
                continue;
            }
            return fail(Errc::http_status,
                        str_cat(what,
                                ": ",
                                policy.server,
                                " answered 416 (range not satisfiable) to every request for blob ",
                                d.digest.str(),
                                ", ",
                                refused,
                                "; ",
                                limit.gave_up()));
        }
        if (response->status < 200 || response->status > 299) {
            return fail(
                Errc::http_status,
                str_cat(what, ": blob ", d.digest.str(), ": server answered ", response->status));
        }
        const std::string actual = hasher.finish_hex();
        if (have != d.size || actual != d.digest.hex()) {
            fs::remove(partial);
            return fail(Errc::digest_mismatch,
                        str_cat(what,
                                ": blob ",
                                d.digest.str(),
                                " as served does not match its digest (",
                                have,
                                " bytes hashing to sha256:",
                                actual,
                                "); nothing cached"));
        }
        if (::fsync(fd) != 0 || ::rename(partial.c_str(), final_path.c_str()) != 0) {
            return fail(
                Errc::io,
                str_cat(
                    "cannot move ", partial.string(), " into the cache: ", std::strerror(errno)));
        }
        return final_path;
    }
}

} // namespace airlock::pack
