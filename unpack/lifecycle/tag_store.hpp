// SPDX-License-Identifier: Apache-2.0
#pragma once

// rm and prune on the stores that keep their own blobs: a registry, Docker Engine, containerd,
// podman. What they share (choosing tags, retention) is written once in store_lifecycle.cpp
// against this interface; each file of this folder speaks one store's API. The OCI store has
// its own rm and prune (store_remove.cpp, store_prune.cpp): one atomic index.json under its
// lock, and a garbage collector of its own.

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/unpack/store_remove.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace airlock::unpack {

// The tags of one image of one repository that one removal takes away.
struct Untag
{
    std::string repository;
    manifest::Digest digest;
    std::vector<std::string> tags;
    // These are every tag the repository has on the image, and no tag that stays reaches it
    // through an index: the image itself may go (a registry's DELETE by digest).
    bool whole = false;
};

// Told of each tag as it goes, so that a failure part way can say what is gone already.
using TagRemoved = std::function<void(const std::string& tag)>;

class TagStore
{
  public:
    virtual ~TagStore() = default;

    // The store as messages name it.
    virtual std::string name() const = 0;

    // Every tag the store holds; `created` and `version` filled in when `with_created`
    // (retention needs them, and they cost a read of each image's config). `repositories`,
    // when given, are the only ones asked for (as rm names them), for stores that list
    // repository by repository.
    virtual Result<std::vector<StoredTag>>
    list_tags(bool with_created, const std::vector<std::string>& repositories) = 0;

    // Takes the tags of `untag` away, calling `removed` for each as it goes.
    virtual Result<> untag(const Untag& untag, const TagRemoved& removed) = 0;

    // The command that lists what the store holds, for messages.
    virtual std::string lister() const = 0;

    // Reclaims, the store's own way, what no tag reaches any more (or says what it would, for
    // a dry run); returns one sentence saying what happened to it.
    virtual Result<std::string> reclaim(bool dry_run) = 0;
};

// The TagStore for a store spec other than oci:. Errc::usage for an unknown kind.
Result<std::unique_ptr<TagStore>>
open_tag_store(std::string_view spec, const StoreOptions& options, Reporter& reporter);

Result<std::unique_ptr<TagStore>>
open_registry_tags(std::string_view spec, const StoreOptions& options, Reporter& reporter);
Result<std::unique_ptr<TagStore>> open_engine_tags(std::string_view spec);
Result<std::unique_ptr<TagStore>> open_containerd_tags(std::string_view spec);
Result<std::unique_ptr<TagStore>> open_podman_tags(std::string_view spec);

} // namespace airlock::unpack
