// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <algorithm>
#include <set>

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

bool matches(const Wanted& wanted, const StoredTag& stored)
{
    if (!names_repository(stored, wanted.repository)) {
        return false;
    }
    if (!wanted.digest.empty() && stored.digest.str() != wanted.digest) {
        return false;
    }
    return wanted.tag.empty() || stored.tag == wanted.tag; // REPO:TAG@DIGEST: both must match
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

Result<std::vector<std::string>> removal_repositories(const RemoveRequest& request)
{
    std::vector<std::string> out;
    for (const auto& text : request.refs) {
        AIRLOCK_TRY(parse_wanted(text, request.all_tags));
        // As written: a registry store finds the repository under its prefix by this path.
        std::string name = text.substr(0, text.find('@'));
        const std::size_t slash = name.rfind('/');
        const std::size_t colon = name.rfind(':');
        if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
            name.resize(colon);
        }
        out.push_back(std::move(name));
    }
    return out;
}

bool names_repository(const StoredTag& stored, std::string_view wanted)
{
    return same_repository(stored.repository, wanted)
           || std::any_of(stored.aliases.begin(), stored.aliases.end(), [&](const std::string& a) {
                  return same_repository(a, wanted);
              });
}

Result<std::vector<RemovedTag>> select_removals(const std::vector<StoredTag>& tags,
                                                const RemoveRequest& request,
                                                std::string_view store,
                                                std::string_view lister)
{
    std::vector<Wanted> wanted;
    for (const auto& text : request.refs) {
        auto parsed = parse_wanted(text, request.all_tags);
        if (!parsed) {
            return std::unexpected(std::move(parsed.error()));
        }
        wanted.push_back(std::move(*parsed));
    }
    std::vector<bool> used(wanted.size(), false);
    std::vector<RemovedTag> removed;
    for (const auto& stored : tags) {
        bool remove = false;
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            if (matches(wanted[i], stored)) {
                used[i] = true;
                remove = true;
            }
        }
        if (remove) {
            removed.push_back({stored.repository, stored.tag, stored.digest});
        }
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (!used[i]) {
            return fail(Errc::not_found,
                        str_cat("no image ",
                                wanted[i].text,
                                " in ",
                                store,
                                " (",
                                lister,
                                " lists what it holds); nothing was removed"));
        }
    }
    return removed;
}

Result<std::vector<RemovedTag>>
remove_tags(OciStore& store, const RemoveRequest& request, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock_existing(reporter));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries, store.read_index());
    std::vector<StoredTag> tags;
    for (const auto& entry : entries) {
        if (const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name))) {
            tags.push_back({ref->repository, {}, ref->tag, entry.digest, {}, {}, {}});
        }
    }
    AIRLOCK_TRY_ASSIGN(std::vector<RemovedTag> removed,
                       select_removals(tags, request, "oci:" + store.root().string()));
    std::set<std::pair<std::string, std::string>> names;
    for (const auto& r : removed) {
        names.emplace(r.repository, r.tag);
    }
    std::vector<manifest::Descriptor> kept;
    for (const auto& entry : entries) {
        const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name));
        if (!ref || !names.contains({ref->repository, ref->tag})) {
            kept.push_back(entry);
        }
    }
    AIRLOCK_TRY(store.write_index(kept));
    return removed;
}

} // namespace airlock::unpack
