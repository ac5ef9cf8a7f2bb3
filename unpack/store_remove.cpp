// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <algorithm>

namespace airlock::unpack {

namespace {

// A ref of the command line, split the way it matches index.json.
struct Wanted
{
    std::string text;
    std::string repository;
    std::string tag;    // empty: every tag (all_tags) or those on `digest`
    std::string digest; // empty unless REPO@sha256:...
};

Result<Wanted> parse_wanted(const std::string& text, bool all_tags)
{
    Wanted wanted{text, {}, {}, {}};
    const std::size_t at = text.find('@');
    const std::string name_part = text.substr(0, at);
    const std::size_t slash = name_part.rfind('/');
    const std::size_t colon = name_part.rfind(':');
    const bool has_tag =
        colon != std::string::npos && (slash == std::string::npos || colon > slash);
    AIRLOCK_TRY_ASSIGN(const manifest::Reference ref, manifest::Reference::parse(text));
    wanted.repository = ref.name();
    wanted.digest = ref.digest();
    if (has_tag) {
        wanted.tag = ref.tag();
    }
    if (all_tags && (has_tag || !wanted.digest.empty())) {
        return fail(Errc::usage,
                    str_cat("'", text, "': --all-tags takes a repository without a tag or digest"));
    }
    if (!all_tags && !has_tag && wanted.digest.empty()) {
        return fail(Errc::usage,
                    str_cat("'",
                            text,
                            "' names no tag: give ",
                            text,
                            ":TAG, ",
                            text,
                            "@sha256:..., or --all-tags to remove every tag of it"));
    }
    return wanted;
}

bool matches(const Wanted& wanted, const RefName& ref, const manifest::Digest& digest)
{
    if (!same_repository(ref.repository, wanted.repository)) {
        return false;
    }
    if (!wanted.digest.empty() && digest.str() != wanted.digest) {
        return false;
    }
    return wanted.tag.empty() || ref.tag == wanted.tag; // REPO:TAG@DIGEST: both must match
}

} // namespace

bool same_repository(std::string_view stored, std::string_view wanted)
{
    if (stored == wanted) {
        return true;
    }
    const auto a = manifest::Reference::parse(stored);
    const auto b = manifest::Reference::parse(wanted);
    return a && b && a->name() == b->name();
}

Result<std::vector<RemovedTag>>
remove_tags(OciStore& store, const RemoveRequest& request, Reporter& reporter)
{
    std::vector<Wanted> wanted;
    for (const auto& text : request.refs) {
        auto parsed = parse_wanted(text, request.all_tags);
        if (!parsed) {
            return std::unexpected(std::move(parsed.error()));
        }
        wanted.push_back(std::move(*parsed));
    }
    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock_existing(reporter));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries, store.read_index());
    std::vector<bool> used(wanted.size(), false);
    std::vector<manifest::Descriptor> kept;
    std::vector<RemovedTag> removed;
    for (const auto& entry : entries) {
        const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name));
        bool remove = false;
        for (std::size_t i = 0; ref && i < wanted.size(); ++i) {
            if (matches(wanted[i], *ref, entry.digest)) {
                used[i] = true;
                remove = true;
            }
        }
        if (remove) {
            removed.push_back({ref->repository, ref->tag, entry.digest});
        } else {
            kept.push_back(entry);
        }
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (!used[i]) {
            return fail(Errc::not_found,
                        str_cat("no image ",
                                wanted[i].text,
                                " in oci:",
                                store.root().string(),
                                " (airlock images lists what it holds); nothing was removed"));
        }
    }
    AIRLOCK_TRY(store.write_index(kept));
    return removed;
}

} // namespace airlock::unpack
