// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/unpack/oci_store.hpp>

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

// True when repository `stored` (as index.json has it) is the one `wanted` names, spelled in
// full or as `docker images` shows it.
bool same_repository(std::string_view stored, std::string_view wanted);

} // namespace airlock::unpack
