// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/registry/options.hpp>
#include <airlock/unpack/oci_store.hpp>
#include <airlock/unpack/store_prune.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace airlock::unpack {

// A blob index.json reaches that is not what its digest says.
struct BrokenBlob
{
    enum class Kind {
        missing,    // no regular file under its name
        corrupt,    // another size or other bytes than its digest
        unreadable, // the right bytes, but not the index or manifest its descriptor says
    } kind = Kind::missing;
    manifest::Digest digest;
    std::string detail;
    std::vector<std::string> tags; // "repository:tag" of every tag it breaks
    bool removed = false;          // --repair removed it (corrupt only)
};

const char* broken_kind_name(BrokenBlob::Kind kind);

struct FsckReport
{
    std::size_t checked = 0; // reachable blobs re-hashed
    std::uint64_t bytes_checked = 0;
    std::vector<BrokenBlob> broken;  // sorted by digest
    std::vector<PrunedBlob> orphans; // in blobs/sha256/, reached by nothing
    std::vector<std::string> strays; // other names in blobs/sha256/
    bool repaired = false;           // corrupt blobs and orphans were removed
    bool orphans_kept = false;       // ... except the orphans: a missing or unreadable
                                     // manifest may use them
};

// Re-hashes every blob the store's index.json reaches, under the store lock, and lists what is
// missing, corrupt, orphaned or stray. With `repair`, removes the corrupt blobs (so the next
// import of a bundle that has them writes them again) and the orphans, unless a manifest or
// index that cannot be read might use them. Errc::not_found when
// there is no store; Errc::format when index.json itself cannot be read.
Result<FsckReport> fsck_store(OciStore& store, bool repair, Reporter& reporter);

// fsck of a registry store "docker://HOST[:PORT][/PREFIX]" through its API: every manifest and
// blob its tags reach, fetched and hashed (missing and corrupt ones, with the tags they
// break). A registry has no orphans or strays airlock can see, and no repair through its API.
Result<FsckReport>
fsck_registry(std::string_view spec, const registry::RegistryOptions& access, Reporter& reporter);

} // namespace airlock::unpack
