// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// One tag `airlock rm` took away.
struct RemovedTag
{
    std::string repository;
    std::string tag;
    manifest::Digest digest;
};

// One tag a store holds, as rm and prune choose among them.
struct StoredTag
{
    std::string repository;           // as the store lists it
    std::vector<std::string> aliases; // other names of the repository: a registry store's
                                      // below its prefix and with its host
    std::string tag;
    manifest::Digest digest;             // what the tag points at, as the store names images
    std::optional<std::int64_t> created; // newest config's, seconds; read for retention
    std::string version;                 // airlock's version annotation, where the store keeps it
    std::vector<manifest::Digest> children; // an index's manifests: removing them breaks it
};

// True when `stored` is in the repository `wanted` names (same_repository, or an alias).
bool names_repository(const StoredTag& stored, std::string_view wanted);

// What `airlock rm` names: "REPO:TAG", "REPO@sha256:..." (every tag of REPO on that image), or
// with `all_tags` "REPO" (every tag of it). Repositories match as `airlock images` shows them
// ("alpine") or in full ("docker.io/library/alpine").
struct RemoveRequest
{
    std::vector<std::string> refs;
    bool all_tags = false;
};

// Untags what `request` names, under the store lock, in one atomic replacement of index.json;
// the blobs stay until prune. Either every ref matches a tag and all go, or nothing changes:
// Errc::not_found naming the first that matches none, Errc::usage for a ref without a tag
// (unless all_tags) or one that is not a reference.
Result<std::vector<RemovedTag>>
remove_tags(OciStore& store, const RemoveRequest& request, Reporter& reporter);

// The tags of `tags` that `request` names, for a store called `store` in messages (`lister`:
// the command that lists what it holds). All or nothing: Errc::not_found naming the first ref
// that matches none, Errc::usage as remove_tags.
Result<std::vector<RemovedTag>> select_removals(const std::vector<StoredTag>& tags,
                                                const RemoveRequest& request,
                                                std::string_view store,
                                                std::string_view lister = "airlock images");

// The repositories `request` names, as given. Errc::usage as remove_tags.
Result<std::vector<std::string>> removal_repositories(const RemoveRequest& request);

// True when repository `stored` (as index.json has it) is the one `wanted` names, spelled in
// full or as `docker images` shows it.
bool same_repository(std::string_view stored, std::string_view wanted);

} // namespace airlock::unpack
