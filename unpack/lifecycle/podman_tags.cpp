// SPDX-License-Identifier: Apache-2.0
//
// rm and prune on podman's storage (containers-storage), through podman: a name goes by
// `podman untag`, and images no name is left on by `podman image prune` (dangling only).

#include "../stores/podman_command.hpp"
#include "listed_image.hpp"
#include "tag_store.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace airlock::unpack {

namespace {

using nlohmann::json;

Result<json> podman_images(const std::vector<std::string>& filters)
{
    std::vector<std::string> args = {"images", "--format", "json"};
    args.insert(args.end(), filters.begin(), filters.end());
    AIRLOCK_TRY_ASSIGN(const std::string out, podman(args));
    AIRLOCK_TRY_ASSIGN(json images, manifest::parse_bounded_json(out, "podman's image list"));
    if (images.is_null()) {
        return json::array();
    }
    if (!images.is_array()) {
        return fail(Errc::format, "podman's image list is not an array");
    }
    return images;
}

class PodmanTags final : public TagStore
{
  public:
    std::string name() const override
    {
        return "podman";
    }

    Result<std::vector<StoredTag>>
    list_tags(bool /*with_created*/, const std::vector<std::string>& /*repositories*/) override
    {
        AIRLOCK_TRY_ASSIGN(const json images, podman_images({}));
        std::vector<StoredTag> out;
        std::set<std::string> seen; // podman lists an image once for each of its names
        for (const auto& image : images) {
            if (!image.is_object() || !image.contains("Id") || !image["Id"].is_string()) {
                return fail(Errc::format, "podman listed an image without an Id");
            }
            const std::string id = image["Id"].get<std::string>();
            if (!seen.insert(id).second) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(
                const manifest::Digest digest,
                manifest::Digest::parse(id.starts_with("sha256:") ? id : "sha256:" + id));
            const ListedAge age = listed_age(image);
            const auto names = image.find("Names");
            if (names == image.end() || !names->is_array()) {
                continue;
            }
            for (const auto& name : *names) {
                const auto ref =
                    name.is_string() ? split_ref_name(name.get<std::string>()) : std::nullopt;
                if (ref) {
                    out.push_back(
                        {ref->repository, {}, ref->tag, digest, age.created, age.version, {}});
                }
            }
        }
        return out;
    }

    std::string lister() const override
    {
        return "podman images";
    }

    Result<> untag(const Untag& u, const TagRemoved& removed) override
    {
        for (const auto& tag : u.tags) {
            AIRLOCK_TRY(check_cancel());
            AIRLOCK_TRY(podman({"untag", u.digest.hex(), str_cat(u.repository, ":", tag)}));
            removed(tag);
        }
        return {};
    }

    Result<std::string> reclaim(bool dry_run) override
    {
        if (dry_run) {
            AIRLOCK_TRY_ASSIGN(const json dangling, podman_images({"--filter", "dangling=true"}));
            return str_cat("podman would remove ", dangling.size(), " image(s) no name is left on");
        }
        AIRLOCK_TRY_ASSIGN(const std::string out, podman({"image", "prune", "--force"}));
        std::size_t removed = 0;
        for (const char c : out) {
            removed += c == '\n' ? 1 : 0;
        }
        return str_cat("podman removed ", removed, " image(s) no name is left on");
    }
};

} // namespace

Result<std::unique_ptr<TagStore>> open_podman_tags(std::string_view spec)
{
    if (spec != "podman" && spec != "containers-storage") {
        return fail(Errc::usage,
                    str_cat("store '",
                            spec,
                            "': podman's own storage is named podman (or containers-storage), "
                            "without options; set another storage with CONTAINERS_STORAGE_CONF"));
    }
    return std::make_unique<PodmanTags>();
}

} // namespace airlock::unpack
