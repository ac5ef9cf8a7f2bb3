// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/unpack/store_prune.hpp>
#include <airlock/unpack/store_remove.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <string>
#include <vector>

namespace airlock::unpack {

// What rm or prune did to a registry, Docker Engine, containerd or podman.
struct LifecycleReport
{
    std::string store;
    std::vector<RemovedTag> untagged;
    std::string reclaimed; // what became of the content no tag reaches (the store's own way)
};

// Whether `spec` names a store other than an OCI layout (rm and prune take their own path).
bool is_tag_store_spec(std::string_view spec);

// airlock rm on such a store. Every ref is matched before anything is removed (Errc::not_found
// for one that matches none); the removals are then one call each, so a failure part way says
// which tags are already gone.
Result<LifecycleReport> remove_from_store(std::string_view spec,
                                          const StoreOptions& options,
                                          const RemoveRequest& request,
                                          Reporter& reporter);

// airlock prune on such a store: retention as for the OCI store (select_retired), then the
// store's own reclaiming of what no tag reaches.
Result<LifecycleReport> prune_tag_store(std::string_view spec,
                                        const StoreOptions& options,
                                        const PruneOptions& prune,
                                        Reporter& reporter);

} // namespace airlock::unpack
