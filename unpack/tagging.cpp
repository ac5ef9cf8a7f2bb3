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

TagChange set_tag(std::vector<Descriptor>& entries,
                  const manifest::BundleImage& image,
                  const std::string& tag)
{
    const std::string ref_name = image.name + ":" + tag;
    const auto it = find_ref(entries, ref_name);
    if (it == entries.end()) {
        entries.push_back(manifest::tagged_descriptor(image, ref_name));
        return {tag, TagChange::Action::added, {}};
    }
    if (it->digest == image.digest) {
        return {tag, TagChange::Action::unchanged, {}};
    }
    std::string note = str_cat("was ", it->digest.str());
    *it = manifest::tagged_descriptor(image, ref_name);
    return {tag, TagChange::Action::moved, std::move(note)};
}

} // namespace

std::vector<TagChange> apply_tags(std::vector<Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<std::string>& tags,
                                  LatestPolicy latest)
{
    std::vector<TagChange> changes;
    std::vector<std::string> seen;
    for (const auto& tag : tags) {
        if (tag == k_latest || std::find(seen.begin(), seen.end(), tag) != seen.end()) {
            continue;
        }
        seen.push_back(tag);
        changes.push_back(set_tag(entries, image, tag));
    }
    const bool explicit_latest = std::find(tags.begin(), tags.end(), k_latest) != tags.end();
    if (latest == LatestPolicy::skip && !explicit_latest) {
        return changes;
    }
    const std::string ref_name = image.name + ":" + std::string(k_latest);
    const auto it = find_ref(entries, ref_name);
    if (it != entries.end() && it->digest != image.digest && !explicit_latest) {
        if (std::string why =
                latest_must_stay(it->annotation(manifest::k_annotation_version), image);
            !why.empty()) {
            changes.push_back({std::string(k_latest), TagChange::Action::kept, std::move(why)});
            return changes;
        }
    }
    changes.push_back(set_tag(entries, image, std::string(k_latest)));
    return changes;
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
