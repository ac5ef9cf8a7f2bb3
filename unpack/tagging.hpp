// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/unpack/import.hpp>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace airlock::unpack {

struct TagPlan;

// A store's tags as the tag rules see them. Images are named by their index in the bundle.
class TagView
{
  public:
    TagView() = default;
    TagView(const TagView&) = delete;
    TagView& operator=(const TagView&) = delete;
    TagView(TagView&&) = delete;
    TagView& operator=(TagView&&) = delete;
    virtual ~TagView() = default;

    // The identity of the image `tag` of image `image`'s repository points at now; nothing
    // when the tag does not exist.
    virtual Result<std::optional<std::string>> tagged(std::size_t image,
                                                      const std::string& tag) = 0;

    // The version of what the last `tagged` found; asked only when a guarded latest would move.
    virtual Result<std::string> tagged_version() = 0;

    // Points `tag` of image `image`'s repository at that image.
    virtual Result<> set_tag(std::size_t image, const std::string& tag) = 0;
};

// Applies `plan` to bundle image `index` (`image`, known in the store as `image_id`): each tag
// is decided by `decide_tag` against what it points at now, and set when added or moved.
// Returns what happened to each tag.
Result<std::vector<TagChange>> apply_plan(TagView& tags,
                                          std::size_t index,
                                          const manifest::BundleImage& image,
                                          const std::string& image_id,
                                          const std::vector<TagPlan>& plan);

// The entries of an OCI index as tags: one entry per "name:tag" (the ref name annotation),
// each keeping the version of its image in an annotation, so that no lookup can fail. Entries
// are found through a map of their ref names made on first use (a catalog's import sets tens of
// thousands of tags): `entries` changes only through this view while it is in use.
class IndexTags final : public TagView
{
  public:
    IndexTags(std::vector<manifest::Descriptor>& entries,
              const std::vector<manifest::BundleImage>& images)
        : m_entries(entries)
        , m_images(images)
    {
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override;
    Result<std::string> tagged_version() override;
    Result<> set_tag(std::size_t image, const std::string& tag) override;

  private:
    // The position in `m_entries` of the first entry named `ref_name`; nothing when none is.
    std::optional<std::size_t> find(const std::string& ref_name);

    std::vector<manifest::Descriptor>& m_entries;
    const std::vector<manifest::BundleImage>& m_images;
    std::string m_version; // of what the last `tagged` found
    std::optional<std::unordered_map<std::string, std::size_t>> m_positions; // ref name -> entry
};

// Points `tags` of `image` at its digest in the store index `entries` (one entry per
// "name:tag"), and `latest` too when `latest` is apply and that does not move it to an older
// version than it points at now. Returns what changed for each tag.
std::vector<TagChange> apply_tags(std::vector<manifest::Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<std::string>& tags,
                                  LatestPolicy latest);

// One tag a store should point at an image.
struct TagPlan
{
    std::string tag;
    bool guarded = false; // `latest` that must not move to an older version
};

// The tags to apply to `image`, each once: the bundle's tags, then `extra_tags` (--tag), then
// `latest` when `latest_candidate` (the newest of its repository in the bundle) and `latest` is
// apply. `latest` comes last and is guarded unless the operator named it with --tag.
std::vector<TagPlan> plan_tags(const manifest::BundleImage& image,
                               const std::vector<std::string>& extra_tags,
                               bool latest_candidate,
                               LatestPolicy latest);

// What should happen to planned tag `plan` of `image`, known in the store as `image_id`:
// `current` is what the tag points at now (nothing: absent); `current_version` is asked only
// when a guarded `latest` would move, for the version of what it points at now. The caller sets
// the tag for `added` and `moved`, and nothing else.
Result<TagChange> decide_tag(const TagPlan& plan,
                             const manifest::BundleImage& image,
                             const std::string& image_id,
                             const std::optional<std::string>& current,
                             const std::function<Result<std::string>()>& current_version);

// Reads a document a store holds (a child manifest or a config, as `descriptor` says); nothing
// when the store does not hold it.
using StoredDocument =
    std::function<Result<std::optional<std::string>>(const manifest::Descriptor& descriptor)>;

// The version of an image a store holds, from its top document `bytes` of media type `type`:
// for an index its own version annotation, else the version its platforms agree on; for a
// manifest the version it and its config declare. A config the store does not hold leaves the
// version unknown (empty); a child manifest it does not hold is Errc::not_found.
Result<std::string>
stored_image_version(const std::string& bytes, const std::string& type, const StoredDocument& read);

// Why `latest`, now at an image of version `current_version`, must not move to `image`; empty
// when it may (no current version, or `image` is at least as new).
std::string latest_must_stay(const std::string& current_version,
                             const manifest::BundleImage& image);

// Within one bundle only the newest image of each repository may take `latest` (the last one
// listed among equals), so that a bundle's images never contend for it. Returns their indexes.
std::set<std::size_t> newest_per_repository(const std::vector<manifest::BundleImage>& images);

} // namespace airlock::unpack
