// SPDX-License-Identifier: Apache-2.0
//
// rm and prune on a containerd namespace, through ctr: an image name goes by `ctr images rm`,
// and containerd's garbage collector then takes the content no image references (--sync waits
// for it, so the prune's report is what the store holds afterwards).

#include "../stores/ctr.hpp"
#include "image_facts.hpp"
#include "tag_store.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/unpack/oci_store.hpp>

namespace airlock::unpack {

namespace {

class ContainerdTags final : public TagStore
{
  public:
    explicit ContainerdTags(ContainerdTarget target)
        : m_target(std::move(target))
        , m_ctr(m_target)
    {
    }

    std::string name() const override
    {
        return containerd_store_name(m_target);
    }

    Result<std::vector<StoredTag>>
    list_tags(bool with_created, const std::vector<std::string>& /*repositories*/) override
    {
        AIRLOCK_TRY_ASSIGN(const auto images, m_ctr.images());
        std::vector<StoredTag> out;
        for (const auto& [ref_name, digest_text] : images) {
            // CRI keeps records named REPO@sha256:... and sha256:ID beside the tags: they are
            // how pods find an image by digest, not tags of their own.
            const auto ref = split_ref_name(ref_name);
            if (!ref || ref_name.find('@') != std::string::npos
                || ref_name.starts_with("sha256:")) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const manifest::Digest digest, manifest::Digest::parse(digest_text));
            StoredTag stored{ref->repository, {}, ref->tag, digest, {}, {}, {}};
            if (with_created) {
                AIRLOCK_TRY(check_cancel());
                AIRLOCK_TRY_ASSIGN(const std::string bytes, m_ctr.content(digest_text));
                AIRLOCK_TRY_ASSIGN(const std::string type, manifest::sniff_media_type(bytes, ""));
                AIRLOCK_TRY_ASSIGN(
                    const ImageFacts facts,
                    stored_image_facts(
                        bytes,
                        type,
                        [&](const manifest::Descriptor& d) -> Result<std::optional<std::string>> {
                            auto content = m_ctr.content(d.digest.str());
                            if (!content) {
                                return std::optional<std::string>(); // another platform's
                            }
                            return std::optional<std::string>(std::move(*content));
                        }));
                stored.created = facts.created;
                stored.version = facts.version;
            }
            out.push_back(std::move(stored));
        }
        return out;
    }

    std::string lister() const override
    {
        return "ctr images ls";
    }

    Result<> untag(const Untag& u, const TagRemoved& removed) override
    {
        std::vector<std::string> argv = m_ctr.command({"images", "rm", "--sync"});
        for (const auto& tag : u.tags) {
            argv.push_back(str_cat(u.repository, ":", tag));
        }
        auto out = run_command(argv);
        if (!out) {
            return fail(Errc::network,
                        str_cat("containerd at ",
                                m_target.socket,
                                " did not remove ",
                                u.repository,
                                ": ",
                                out.error().message));
        }
        for (const auto& tag : u.tags) {
            removed(tag);
        }
        return {};
    }

    Result<std::string> reclaim(bool dry_run) override
    {
        return std::string(dry_run ? "containerd's garbage collector would take the content no "
                                     "image uses"
                                   : "containerd's garbage collector took the content no image "
                                     "uses");
    }

  private:
    ContainerdTarget m_target;
    Ctr m_ctr;
};

} // namespace

Result<std::unique_ptr<TagStore>> open_containerd_tags(std::string_view spec)
{
    AIRLOCK_TRY_ASSIGN(ContainerdTarget target, parse_containerd_target(spec));
    return std::make_unique<ContainerdTags>(std::move(target));
}

} // namespace airlock::unpack
