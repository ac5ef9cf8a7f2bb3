// SPDX-License-Identifier: Apache-2.0
#include "tagging.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/version.hpp>

#include <algorithm>
#include <map>

namespace airlock::unpack {

using manifest::Descriptor;

namespace {

constexpr std::string_view k_latest = "latest";

std::vector<Descriptor>::iterator find_ref(std::vector<Descriptor>& entries,
                                           const std::string& ref_name)
{
    return std::find_if(entries.begin(), entries.end(), [&](const Descriptor& d) {
        return d.annotation(manifest::k_annotation_ref_name) == ref_name;
    });
}

} // namespace

std::vector<TagChange> apply_plan(std::vector<Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<TagPlan>& plan)
{
    std::vector<TagChange> changes;
    for (const auto& planned : plan) {
        const std::string ref_name = image.name + ":" + planned.tag;
        const auto it = find_ref(entries, ref_name);
        const auto current =
            it == entries.end() ? std::nullopt : std::optional<std::string>(it->digest.str());
        // The store keeps each tag's version in its index entry: no lookup can fail.
        auto change =
            decide_tag(planned, image, image.digest.str(), current, [&]() -> Result<std::string> {
                return it->annotation(manifest::k_annotation_version);
            });
        if (change->action == TagChange::Action::added) {
            entries.push_back(manifest::tagged_descriptor(image, ref_name));
        } else if (change->action == TagChange::Action::moved) {
            *it = manifest::tagged_descriptor(image, ref_name);
        }
        changes.push_back(std::move(*change));
    }
    return changes;
}

std::vector<TagChange> apply_tags(std::vector<Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<std::string>& tags,
                                  LatestPolicy latest)
{
    // `tags` are all named by someone: a "latest" among them is the operator's choice.
    manifest::BundleImage unnamed = image;
    unnamed.tags.clear();
    return apply_plan(entries, image, plan_tags(unnamed, tags, true, latest));
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
