// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/unpack/oci_store.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// What `airlock prune` keeps. A version is one image (manifest or index digest) of a
// repository with all its tags; versions are ordered newest first by their config's creation
// time, then by version. With neither `keep` nor `older_than`, no tag is removed.
struct PruneOptions
{
    std::optional<std::size_t> keep;        // the N newest versions of each repository stay
    std::optional<std::int64_t> older_than; // only versions created longer ago (seconds) go
    std::vector<std::string> protect;       // "REPO:TAG": their versions always stay
    bool dry_run = false;
    std::int64_t now = 0; // seconds since the epoch, for older_than
};

struct PrunedBlob
{
    manifest::Digest digest;
    std::uint64_t size = 0;
};

struct PruneReport
{
    std::vector<RemovedTag> untagged;
    // Attached manifests (sigstore attachments: tag set; referrers: tag empty) whose subject no
    // image of the store has any more.
    std::vector<RemovedTag> detached;
    std::vector<PrunedBlob> blobs; // no tag or untagged entry reaches them
    std::uint64_t bytes = 0;       // of `blobs`
    Reclaimed debris;              // what interrupted runs left in .airlock/
};

// The tags retention takes away from `tags` (every tag of a store called `store`): per
// repository, the versions beyond options.keep and older than options.older_than, never the
// target of a `latest` tag or of a protected tag. Errc::not_found for a protected tag that is
// not among them.
Result<std::vector<RemovedTag>> select_retired(const std::vector<StoredTag>& tags,
                                               const PruneOptions& options,
                                               std::string_view store);

// Applies retention to every repository, then removes the blobs index.json no longer reaches
// and what interrupted imports left, all under the store lock (an import streaming meanwhile
// keeps every blob it found in the store: it holds a link to each in its staging). The target
// of every `latest` tag and of each protected tag is never removed. Fails closed: a document
// that cannot be read means its blobs are unknown, so nothing is removed (Errc::format naming
// it; airlock fsck tells more). Errc::not_found for a protected tag the store does not have.
Result<PruneReport> prune_store(OciStore& store, const PruneOptions& options, Reporter& reporter);

} // namespace airlock::unpack
