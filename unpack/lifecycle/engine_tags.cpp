// SPDX-License-Identifier: Apache-2.0
//
// rm and prune on a Docker Engine, through its API: a tag goes by DELETE /images/REPO:TAG (the
// engine removes an image with its last tag, unless a container uses it), and what no tag
// names any more goes by POST /images/prune (dangling images only).

#include "../stores/engine_connection.hpp"
#include "listed_image.hpp"
#include "tag_store.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/unpack/oci_store.hpp>

namespace airlock::unpack {

namespace {

using nlohmann::json;

const std::string k_dangling = http::url_encode(R"({"dangling":["true"]})");

class EngineTags final : public TagStore
{
  public:
    explicit EngineTags(http::LocalEndpoint endpoint)
        : m_engine(std::move(endpoint))
    {
    }

    std::string name() const override
    {
        return "docker-engine:" + m_engine.address();
    }

    Result<std::vector<StoredTag>>
    list_tags(bool /*with_created*/, const std::vector<std::string>& /*repositories*/) override
    {
        AIRLOCK_TRY_ASSIGN(const json images, list("/images/json"));
        std::vector<StoredTag> out;
        for (const auto& image : images) {
            if (!image.is_object() || !image.contains("Id") || !image["Id"].is_string()) {
                return fail(Errc::format, "Docker Engine listed an image without an Id");
            }
            AIRLOCK_TRY_ASSIGN(const manifest::Digest id,
                               manifest::Digest::parse(image["Id"].get<std::string>()));
            const ListedAge age = listed_age(image);
            const auto tags = image.find("RepoTags");
            if (tags == image.end() || !tags->is_array()) {
                continue;
            }
            for (const auto& name : *tags) {
                const auto ref =
                    name.is_string() ? split_ref_name(name.get<std::string>()) : std::nullopt;
                if (ref && ref->repository != "<none>") {
                    out.push_back(
                        {ref->repository, {}, ref->tag, id, age.created, age.version, {}});
                }
            }
        }
        return out;
    }

    std::string lister() const override
    {
        return "docker images";
    }

    Result<> untag(const Untag& u, const TagRemoved& removed) override
    {
        for (const auto& tag : u.tags) {
            AIRLOCK_TRY(check_cancel());
            const std::string ref = str_cat(u.repository, ":", tag);
            AIRLOCK_TRY_ASSIGN(const http::Response r,
                               m_engine.call("DELETE", "/images/" + http::url_encode(ref)));
            if (r.status == 409) {
                return fail(Errc::unsupported,
                            str_cat("Docker Engine keeps ", ref, ": ", engine_message(r.body)));
            }
            if (r.status != 200 && r.status != 404) {
                return fail(Errc::http_status,
                            str_cat("Docker Engine answered ",
                                    r.status,
                                    " removing ",
                                    ref,
                                    ": ",
                                    engine_message(r.body)));
            }
            removed(tag);
        }
        return {};
    }

    Result<std::string> reclaim(bool dry_run) override
    {
        if (dry_run) {
            AIRLOCK_TRY_ASSIGN(const json dangling, list("/images/json?filters=" + k_dangling));
            std::uint64_t bytes = 0;
            for (const auto& image : dangling) {
                if (image.is_object() && image.contains("Size")
                    && image["Size"].is_number_unsigned()) {
                    bytes += image["Size"].get<std::uint64_t>();
                }
            }
            return str_cat("Docker Engine would remove ",
                           dangling.size(),
                           " image(s) no tag names (about ",
                           human_size(bytes),
                           ")");
        }
        AIRLOCK_TRY_ASSIGN(const http::Response r,
                           m_engine.call("POST", "/images/prune?filters=" + k_dangling));
        if (r.status != 200) {
            return fail(Errc::http_status,
                        str_cat("Docker Engine answered ",
                                r.status,
                                " to the prune of untagged images: ",
                                engine_message(r.body)));
        }
        AIRLOCK_TRY_ASSIGN(const json pruned,
                           manifest::parse_bounded_json(r.body, "the engine's prune answer"));
        std::size_t images = 0;
        std::uint64_t bytes = 0;
        if (pruned.is_object()) {
            if (const auto it = pruned.find("ImagesDeleted");
                it != pruned.end() && it->is_array()) {
                images = it->size();
            }
            if (const auto it = pruned.find("SpaceReclaimed");
                it != pruned.end() && it->is_number_unsigned()) {
                bytes = it->get<std::uint64_t>();
            }
        }
        return str_cat("Docker Engine removed ",
                       images,
                       " layer or image record(s) no tag names, ",
                       human_size(bytes),
                       " reclaimed");
    }

  private:
    Result<json> list(const std::string& path)
    {
        AIRLOCK_TRY_ASSIGN(const http::Response r, m_engine.call("GET", path));
        if (r.status != 200) {
            return fail(Errc::http_status,
                        str_cat("Docker Engine answered ", r.status, " listing its images"));
        }
        AIRLOCK_TRY_ASSIGN(json images, manifest::parse_bounded_json(r.body, "the image list"));
        if (!images.is_array()) {
            return fail(Errc::format, "Docker Engine's image list is not an array");
        }
        return images;
    }

    static std::string engine_message(const std::string& body)
    {
        const auto doc = json::parse(body, nullptr, false);
        if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) {
            return doc["message"].get<std::string>();
        }
        return "no reason given";
    }

    EngineConnection m_engine;
};

} // namespace

Result<std::unique_ptr<TagStore>> open_engine_tags(std::string_view spec)
{
    AIRLOCK_TRY_ASSIGN(EngineTarget target, parse_engine_target(spec));
    return std::make_unique<EngineTags>(std::move(target.endpoint));
}

} // namespace airlock::unpack
