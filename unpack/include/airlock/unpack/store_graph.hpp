// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace airlock::unpack {

// A blob that index.json reaches, through an index, a manifest or directly.
struct ReachedBlob
{
    std::uint64_t size = 0; // as the descriptor that reaches it declares
    std::string media_type;
    std::set<std::string> tags; // "repository:tag" of each tag that reaches it
};

// A document (index or manifest) that is reached but cannot be read or parsed: the blobs it
// names are unknown, so nothing may be collected while it stays so.
struct UnreadableDocument
{
    manifest::Digest digest;
    std::string problem;
};

// Everything the tags and untagged entries of a store's index.json reach.
struct StoreGraph
{
    std::vector<manifest::Descriptor> entries; // index.json as read
    std::map<manifest::Digest, ReachedBlob> blobs;
    std::vector<UnreadableDocument> unreadable;
};

// The name a store entry is known by in messages: its "repository:tag", or "untagged
// manifest sha256:..." for an entry without one.
std::string entry_name(const manifest::Descriptor& entry);

// Walks every entry of the store's index.json down to its configs and layers, each document
// read once. A missing or malformed document is recorded in `unreadable`, not an error; a
// malformed index.json is (Errc::format), and so is nesting deeper than indexes may.
Result<StoreGraph> walk_store(const OciStore& store);

// walk_store over `entries` instead of the store's index.json (what it would be after a change).
Result<StoreGraph> walk_entries(const OciStore& store, std::vector<manifest::Descriptor> entries);

} // namespace airlock::unpack
