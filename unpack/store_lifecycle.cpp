// SPDX-License-Identifier: Apache-2.0
//
// rm and prune on stores that keep their own blobs (lifecycle/tag_store.hpp). The tags are
// chosen exactly as for the OCI store; only the removal and the reclaiming are the store's.

#include "lifecycle/tag_store.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_lifecycle.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace airlock::unpack {

namespace {

// The removals grouped by image, those that leave other tags on their image first: a store
// that cannot take one tag alone (a registry deleting by digest only) refuses before anything
// has changed.
std::vector<Untag> group(const std::vector<RemovedTag>& removed, const std::vector<StoredTag>& all)
{
    std::map<std::pair<std::string, manifest::Digest>, Untag> groups;
    std::set<std::pair<std::string, std::string>> going;
    for (const auto& r : removed) {
        auto it = groups.find({r.repository, r.digest});
        if (it == groups.end()) {
            it = groups
                     .emplace(std::pair{r.repository, r.digest},
                              Untag{r.repository, r.digest, {}, false})
                     .first;
        }
        if (going.emplace(r.repository, r.tag).second) {
            it->second.tags.push_back(r.tag);
        }
    }
    std::vector<Untag> out;
    std::vector<Untag> whole; // after the others
    for (auto& [key, u] : groups) {
        std::set<std::string> on_image;
        bool reached_otherwise = false;
        for (const auto& t : all) {
            if (t.repository != u.repository) {
                continue;
            }
            if (t.digest == u.digest) {
                on_image.insert(t.tag);
            } else if (!going.contains({t.repository, t.tag})
                       && std::find(t.children.begin(), t.children.end(), u.digest)
                              != t.children.end()) {
                reached_otherwise = true; // a platform of an index that stays
            }
        }
        u.whole = on_image.size() == u.tags.size() && !reached_otherwise;
        (u.whole ? whole : out).push_back(std::move(u));
    }
    std::move(whole.begin(), whole.end(), std::back_inserter(out));
    return out;
}

Result<>
apply(TagStore& store, const std::vector<RemovedTag>& removed, const std::vector<StoredTag>& all)
{
    std::vector<std::string> done;
    for (const Untag& u : group(removed, all)) {
        auto untagged = check_cancel();
        if (untagged) {
            untagged = store.untag(u, [&](const std::string& tag) {
                done.push_back(str_cat(u.repository, ":", tag));
            });
        }
        if (!untagged) {
            std::string list;
            for (const auto& d : done) {
                list += (list.empty() ? "" : ", ") + d;
            }
            return std::unexpected(
                std::move(untagged.error())
                    .with_context(
                        done.empty() ? str_cat("nothing was removed from ", store.name())
                                     : str_cat("already removed from ", store.name(), ": ", list)));
        }
    }
    return {};
}

} // namespace

bool is_tag_store_spec(std::string_view spec)
{
    return !spec.empty() && !spec.starts_with("oci:");
}

Result<LifecycleReport> remove_from_store(std::string_view spec,
                                          const StoreOptions& options,
                                          const RemoveRequest& request,
                                          Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const std::vector<std::string> repositories, removal_repositories(request));
    AIRLOCK_TRY_ASSIGN(const auto store, open_tag_store(spec, options, reporter));
    LifecycleReport report{store->name(), {}, {}};
    AIRLOCK_TRY_ASSIGN(const std::vector<StoredTag> all, store->list_tags(false, repositories));
    AIRLOCK_TRY_ASSIGN(report.untagged,
                       select_removals(all, request, store->name(), store->lister()));
    AIRLOCK_TRY(apply(*store, report.untagged, all));
    return report;
}

Result<LifecycleReport> prune_tag_store(std::string_view spec,
                                        const StoreOptions& options,
                                        const PruneOptions& prune,
                                        Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const auto store, open_tag_store(spec, options, reporter));
    LifecycleReport report{store->name(), {}, {}};
    if (prune.keep || prune.older_than) {
        AIRLOCK_TRY_ASSIGN(const std::vector<StoredTag> all, store->list_tags(true, {}));
        AIRLOCK_TRY_ASSIGN(report.untagged, select_retired(all, prune, store->name()));
        if (!prune.dry_run) {
            AIRLOCK_TRY(apply(*store, report.untagged, all));
        }
    }
    AIRLOCK_TRY_ASSIGN(report.reclaimed, store->reclaim(prune.dry_run));
    return report;
}

Result<std::unique_ptr<TagStore>>
open_tag_store(std::string_view spec, const StoreOptions& options, Reporter& reporter)
{
    const std::string_view word = spec.substr(0, spec.find_first_of(":?"));
    if (word == "docker") {
        return open_registry_tags(spec, options, reporter);
    }
    if (word == "docker-engine") {
        return open_engine_tags(spec);
    }
    if (word == "containerd") {
        return open_containerd_tags(spec);
    }
    if (word == "podman" || word == "containers-storage") {
        return open_podman_tags(spec);
    }
    return fail(
        Errc::usage,
        str_cat("unsupported store '",
                spec,
                "': expected oci:DIR, docker://HOST[:PORT][/PREFIX], docker-engine[:ADDRESS], "
                "containerd[:SOCKET][?namespace=NS] or podman"));
}

} // namespace airlock::unpack
