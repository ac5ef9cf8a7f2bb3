// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/store_fsck.hpp>
#include <airlock/unpack/store_graph.hpp>

#include <algorithm>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// What is wrong with reached blob `digest` on disk, if anything.
Result<std::optional<BrokenBlob>>
check_blob(const OciStore& store, const manifest::Digest& digest, const ReachedBlob& reached)
{
    const fs::path path = store.blob_path(digest);
    const auto size = regular_file_size(path);
    const std::vector<std::string> tags(reached.tags.begin(), reached.tags.end());
    std::error_code ec;
    if (!size) {
        if (fs::exists(fs::symlink_status(path, ec))) {
            return BrokenBlob{BrokenBlob::Kind::corrupt, digest, "not a regular file", tags};
        }
        return BrokenBlob{BrokenBlob::Kind::missing, digest, "no such file", tags};
    }
    // The hash decides whether the file is the blob; a size that differs from a descriptor's
    // while the bytes are right is that descriptor's fault, and the blob stays.
    if (digest.algorithm() == "sha256") {
        AIRLOCK_TRY_ASSIGN(const std::string hex, crypto::sha256_file(path));
        if (hex != digest.hex()) {
            return BrokenBlob{
                BrokenBlob::Kind::corrupt, digest, "its bytes hash to sha256:" + hex, tags};
        }
    }
    if (*size != reached.size) {
        return BrokenBlob{
            BrokenBlob::Kind::unreadable,
            digest,
            str_cat("its ", *size, " bytes match the digest, but a descriptor says ", reached.size),
            tags};
    }
    return std::optional<BrokenBlob>{};
}

Result<> remove_blob(const OciStore& store, const manifest::Digest& digest)
{
    std::error_code ec;
    if (!fs::remove(store.blob_path(digest), ec) && ec) {
        return fail(
            Errc::io,
            str_cat("cannot remove ", store.blob_path(digest).string(), ": ", ec.message()));
    }
    return {};
}

} // namespace

const char* broken_kind_name(BrokenBlob::Kind kind)
{
    switch (kind) {
    case BrokenBlob::Kind::missing:
        return "missing";
    case BrokenBlob::Kind::corrupt:
        return "corrupt";
    case BrokenBlob::Kind::unreadable:
        return "unreadable";
    }
    return "?";
}

Result<FsckReport> fsck_store(OciStore& store, bool repair, Reporter& reporter)
{
    // Under the lock: an import's blobs land before its tags, and would look orphaned.
    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock_existing(reporter));
    AIRLOCK_TRY_ASSIGN(const StoreGraph graph, walk_store(store));
    FsckReport report;
    for (const auto& [digest, reached] : graph.blobs) {
        AIRLOCK_TRY(check_cancel());
        AIRLOCK_TRY_ASSIGN(auto broken, check_blob(store, digest, reached));
        ++report.checked;
        report.bytes_checked += reached.size;
        if (broken) {
            report.broken.push_back(std::move(*broken));
        }
    }
    for (const auto& bad : graph.unreadable) {
        const bool known = std::any_of(report.broken.begin(),
                                       report.broken.end(),
                                       [&](const BrokenBlob& b) { return b.digest == bad.digest; });
        if (!known) {
            const auto& tags = graph.blobs.at(bad.digest).tags;
            report.broken.push_back({BrokenBlob::Kind::unreadable,
                                     bad.digest,
                                     bad.problem,
                                     {tags.begin(), tags.end()}});
        }
    }
    std::sort(report.broken.begin(), report.broken.end(), [](const auto& a, const auto& b) {
        return a.digest < b.digest;
    });
    AIRLOCK_TRY_ASSIGN(const BlobDirectory stored, store.scan_blobs());
    for (const auto& [digest, size] : stored.blobs) {
        if (!graph.blobs.contains(digest)) {
            report.orphans.push_back({digest, size});
        }
    }
    report.strays = stored.strays;
    if (!repair) {
        return report;
    }
    for (auto& broken : report.broken) {
        if (broken.kind == BrokenBlob::Kind::corrupt) {
            AIRLOCK_TRY(remove_blob(store, broken.digest));
            broken.removed = true;
        }
    }
    // A document that cannot be read may use any of them: they stay until it is restored.
    if (graph.unreadable.empty()) {
        for (const auto& orphan : report.orphans) {
            AIRLOCK_TRY(remove_blob(store, orphan.digest));
        }
    } else {
        report.orphans_kept = true;
    }
    report.repaired = true;
    return report;
}

} // namespace airlock::unpack
