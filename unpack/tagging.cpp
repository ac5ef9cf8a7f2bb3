// SPDX-License-Identifier: Apache-2.0
#include "tagging.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/version.hpp>

#include <algorithm>
#include <map>

namespace airlock::unpack {

using manifest::Descriptor;

namespace {

constexpr std::string_view k_latest = "latest";

} // namespace

Result<std::vector<TagChange>> apply_plan(TagView& tags,
                                          std::size_t index,
                                          const manifest::BundleImage& image,
                                          const std::string& image_id,
                                          const std::vector<TagPlan>& plan)
{
    std::vector<TagChange> changes;
    for (const auto& planned : plan) {
        AIRLOCK_TRY_ASSIGN(const std::optional<std::string> current,
                           tags.tagged(index, planned.tag));
        AIRLOCK_TRY_ASSIGN(TagChange change, decide_tag(planned, image, image_id, current, [&] {
                               return tags.tagged_version();
                           }));
        if (change.action == TagChange::Action::added
            || change.action == TagChange::Action::moved) {
            AIRLOCK_TRY(tags.set_tag(index, planned.tag));
        }
        changes.push_back(std::move(change));
    }
    return changes;
}

std::optional<std::size_t> IndexTags::find(const std::string& ref_name)
{
    if (!m_positions) {
        m_positions.emplace();
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            // emplace keeps the first of entries named twice, as a search from the front would.
            m_positions->emplace(m_entries[i].annotation(manifest::k_annotation_ref_name), i);
        }
    }
    const auto it = m_positions->find(ref_name);
    if (it == m_positions->end()) {
        return std::nullopt;
    }
    return it->second;
}

Result<std::optional<std::string>> IndexTags::tagged(std::size_t image, const std::string& tag)
{
    const auto position = find(m_images.at(image).name + ":" + tag);
    if (!position) {
        return std::optional<std::string>();
    }
    const Descriptor& entry = m_entries[*position];
    m_version = entry.annotation(manifest::k_annotation_version);
    return std::optional<std::string>(entry.digest.str());
}

Result<std::string> IndexTags::tagged_version()
{
    return m_version;
}

Result<> IndexTags::set_tag(std::size_t image, const std::string& tag)
{
    const manifest::BundleImage& bundle_image = m_images.at(image);
    const std::string ref_name = bundle_image.name + ":" + tag;
    if (const auto position = find(ref_name)) {
        m_entries[*position] = manifest::tagged_descriptor(bundle_image, ref_name);
        return {};
    }
    m_positions->emplace(ref_name, m_entries.size());
    m_entries.push_back(manifest::tagged_descriptor(bundle_image, ref_name));
    return {};
}

std::vector<TagChange> apply_tags(std::vector<Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<std::string>& tags,
                                  LatestPolicy latest)
{
    // `tags` are all named by someone: a "latest" among them is the operator's choice.
    manifest::BundleImage unnamed = image;
    unnamed.tags.clear();
    const std::vector<manifest::BundleImage> images = {image};
    IndexTags index(entries, images);
    // Decisions over index entries cannot fail: every lookup is in memory.
    return *apply_plan(index, 0, image, image.digest.str(), plan_tags(unnamed, tags, true, latest));
}

std::vector<TagPlan> plan_tags(const manifest::BundleImage& image,
                               const std::vector<std::string>& extra_tags,
                               bool latest_candidate,
                               LatestPolicy latest)
{
    const bool named_latest =
        std::find(extra_tags.begin(), extra_tags.end(), k_latest) != extra_tags.end();
    std::vector<TagPlan> plan;
    const auto add = [&](const std::string& tag) {
        if (tag != k_latest && std::none_of(plan.begin(), plan.end(), [&](const TagPlan& p) {
                return p.tag == tag;
            })) {
            plan.push_back({tag, false});
        }
    };
    for (const auto& tag : image.tags) {
        add(tag);
    }
    for (const auto& tag : extra_tags) {
        add(tag);
    }
    if (named_latest || (latest_candidate && latest == LatestPolicy::apply)) {
        plan.push_back({std::string(k_latest), !named_latest});
    }
    return plan;
}

Result<TagChange> decide_tag(const TagPlan& plan,
                             const manifest::BundleImage& image,
                             const std::string& image_id,
                             const std::optional<std::string>& current,
                             const std::function<Result<std::string>()>& current_version)
{
    if (!current) {
        return TagChange{plan.tag, TagChange::Action::added, {}};
    }
    if (*current == image_id) {
        return TagChange{plan.tag, TagChange::Action::unchanged, {}};
    }
    if (plan.guarded) {
        AIRLOCK_TRY_ASSIGN(const std::string version, current_version());
        if (std::string why = latest_must_stay(version, image); !why.empty()) {
            return TagChange{plan.tag, TagChange::Action::kept, std::move(why)};
        }
    }
    return TagChange{plan.tag, TagChange::Action::moved, str_cat("was ", *current)};
}

Result<std::string>
stored_image_version(const std::string& bytes, const std::string& type, const StoredDocument& read)
{
    const auto version_of_manifest = [&](const std::string& manifest_bytes,
                                         const std::string& manifest_type) -> Result<std::string> {
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(manifest_bytes, manifest_type));
        AIRLOCK_TRY_ASSIGN(const std::optional<std::string> config, read(m.config));
        if (!config) {
            return std::string(); // not held here (another platform): unknown
        }
        AIRLOCK_TRY_ASSIGN(const manifest::ImageConfig c, manifest::parse_image_config(*config));
        return manifest::image_version(m, c);
    };
    if (!manifest::media_type::is_index(type)) {
        return version_of_manifest(bytes, type);
    }
    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index, manifest::parse_image_index(bytes, type));
    const auto annotation = index.annotations.find(std::string(manifest::k_annotation_version));
    if (annotation != index.annotations.end()) {
        return manifest::agreed_version(annotation->second, {});
    }
    std::vector<std::string> versions;
    for (const auto& child : index.manifests) {
        AIRLOCK_TRY_ASSIGN(const std::optional<std::string> child_bytes, read(child));
        if (!child_bytes) {
            return fail(Errc::not_found,
                        str_cat("manifest ", child.digest.str(), " is not in the store"));
        }
        AIRLOCK_TRY_ASSIGN(std::string v, version_of_manifest(*child_bytes, child.media_type));
        versions.push_back(std::move(v));
    }
    return manifest::agreed_version("", versions);
}

std::string latest_must_stay(const std::string& current_version, const manifest::BundleImage& image)
{
    if (current_version.empty()) {
        return {};
    }
    if (image.version.empty()) {
        return str_cat(
            "latest stays at version ", current_version, ": this image declares no version");
    }
    if (manifest::compare_versions(image.version, current_version) < 0) {
        return str_cat("latest stays at the newer version ",
                       current_version,
                       " (this image is ",
                       image.version,
                       ")");
    }
    return {};
}

std::set<std::size_t> newest_per_repository(const std::vector<manifest::BundleImage>& images)
{
    std::map<std::string, std::size_t> newest;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const auto [it, inserted] = newest.emplace(images[i].name, i);
        if (!inserted
            && manifest::compare_versions(images[i].version, images[it->second].version) >= 0) {
            it->second = i;
        }
    }
    std::set<std::size_t> out;
    for (const auto& [name, index] : newest) {
        out.insert(index);
    }
    return out;
}

} // namespace airlock::unpack
