// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/http/client.hpp>
#include <airlock/manifest/image.hpp>

#include <filesystem>
#include <functional>
#include <optional>

namespace airlock::pack {

// Downloads a blob from byte `range_start` (nothing: from the start) into `sink`.
using BlobDownload = std::function<Result<http::Response>(std::optional<std::uint64_t> range_start,
                                                          const http::BodySink& sink)>;

// A content-addressed blob cache shared by every pack on the machine:
//   DIR/blobs/sha256/<hex>    complete blobs, each verified before it was renamed here
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

    // Returns the cached file for `descriptor`, downloading it first when needed: resumes a
    // partial file with Range (restarting when the server ignores it), retries broken or
    // stalled transfers `attempts` times, hashes while writing, and caches it only when digest
    // and size match (else the partial file is deleted: Errc::digest_mismatch). A 404 or other
    // non-2xx status is returned as Errc::not_found / Errc::http_status.
    Result<std::filesystem::path> fetch(const manifest::Descriptor& descriptor,
                                        const BlobDownload& download,
                                        int attempts,
                                        std::string_view what,
                                        Reporter& reporter);

  private:
    Result<std::filesystem::path> fetch_locked(const manifest::Descriptor& descriptor,
                                               const BlobDownload& download,
                                               int attempts,
                                               std::string_view what,
                                               Reporter& reporter);

    std::filesystem::path m_dir;
};

} // namespace airlock::pack
