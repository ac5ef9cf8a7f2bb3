// SPDX-License-Identifier: Apache-2.0
//
// prune: retention first (index.json rewritten once, atomically), then the blobs nothing
// reaches any more. In that order a crash between the two leaves only unreachable blobs, which
// the next prune takes.

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/version.hpp>
#include <airlock/unpack/store_graph.hpp>
#include <airlock/unpack/store_images.hpp>
#include <airlock/unpack/store_prune.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// One image of a repository with every tag it has there.
struct Version
{
    manifest::Digest digest;
    std::optional<std::int64_t> created; // newest config's, when known
    std::string version;
    std::vector<std::string> tags;
    bool kept = false; // latest's or a protected tag's target
};

bool newer(const Version& a, const Version& b)
{
    if (a.created != b.created) {
        return a.created.value_or(-1) > b.created.value_or(-1);
    }
    if (const int order = manifest::compare_versions(a.version, b.version); order != 0) {
        return order > 0;
    }
    return a.digest < b.digest;
}

// The repository's versions that retention removes.
std::vector<const Version*> retired(std::vector<Version>& versions, const PruneOptions& options)
{
    std::sort(versions.begin(), versions.end(), newer);
    std::vector<const Version*> out;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const Version& v = versions[i];
        if (v.kept || (options.keep && i < *options.keep)) {
            continue;
        }
        // A version of unknown age (its config unreadable, an attachment) is never retired:
        // its place among the others is not known.
        if (!v.created) {
            continue;
        }
        // A version of unknown age is never "older than" anything.
        if (options.older_than && (!v.created || *v.created > options.now - *options.older_than)) {
            continue;
        }
        out.push_back(&v);
    }
    return out;
}

// The tags retention takes away from the OCI store, by the entries of index.json.
Result<std::vector<RemovedTag>> apply_retention(const OciStore& store, const PruneOptions& options)
{
    AIRLOCK_TRY_ASSIGN(const std::vector<StoreImage> images, list_store_images(store));
    std::vector<StoredTag> tags;
    for (const auto& image : images) {
        tags.push_back({image.repository,
                        {},
                        image.tag,
                        image.digest,
                        parse_rfc3339(image.created),
                        image.version,
                        {}});
    }
    return select_retired(tags, options, "oci:" + store.root().string());
}

std::vector<manifest::Descriptor> without(const std::vector<manifest::Descriptor>& entries,
                                          const std::vector<RemovedTag>& removed)
{
    std::set<std::string> names;
    for (const auto& r : removed) {
        names.insert(str_cat(r.repository, ":", r.tag));
    }
    std::vector<manifest::Descriptor> kept;
    for (const auto& entry : entries) {
        if (!names.contains(entry.annotation(manifest::k_annotation_ref_name))) {
            kept.push_back(entry);
        }
    }
    return kept;
}

} // namespace

Result<std::vector<RemovedTag>> select_retired(const std::vector<StoredTag>& tags,
                                               const PruneOptions& options,
                                               std::string_view store)
{
    std::set<std::pair<std::string, manifest::Digest>> protected_versions;
    for (const auto& stored : tags) {
        if (stored.tag == "latest") {
            protected_versions.emplace(stored.repository, stored.digest);
        }
    }
    for (const auto& ref : options.protect) {
        const auto split = split_ref_name(ref);
        bool found = false;
        for (const auto& stored : tags) {
            if (split && stored.tag == split->tag && names_repository(stored, split->repository)) {
                protected_versions.emplace(stored.repository, stored.digest);
                found = true;
            }
        }
        if (!found) {
            return fail(Errc::not_found,
                        str_cat("--protect ",
                                ref,
                                ": no such tag in ",
                                store,
                                " (give REPOSITORY:TAG as airlock images lists it)"));
        }
    }
    std::map<std::string, std::vector<Version>> repositories;
    // Each repository's tags, so that the work per repository is its own (a catalog's store
    // has tens of thousands of repositories).
    std::map<std::string, std::vector<const StoredTag*>> repository_tags;
    for (const auto& stored : tags) {
        repository_tags[stored.repository].push_back(&stored);
        auto& versions = repositories[stored.repository];
        auto it = std::find_if(versions.begin(), versions.end(), [&](const Version& v) {
            return v.digest == stored.digest;
        });
        if (it == versions.end()) {
            versions.push_back({stored.digest,
                                stored.created,
                                stored.version,
                                {},
                                protected_versions.contains({stored.repository, stored.digest})});
            it = std::prev(versions.end());
        }
        // Where the store keeps no version annotation, the highest version-like tag stands in.
        if (stored.version.empty() && stored.tag != "latest"
            && manifest::compare_versions(stored.tag, it->version) > 0) {
            it->version = stored.tag;
        }
        it->tags.push_back(stored.tag);
    }
    std::vector<RemovedTag> out;
    for (auto& [repository, versions] : repositories) {
        const std::vector<const Version*> gone = retired(versions, options);
        std::set<manifest::Digest> gone_digests;
        for (const Version* v : gone) {
            gone_digests.insert(v->digest);
        }
        // A manifest a kept version's index uses is part of that version, whatever tags it has.
        std::set<manifest::Digest> used;
        for (const StoredTag* stored : repository_tags[repository]) {
            if (!gone_digests.contains(stored->digest)) {
                used.insert(stored->children.begin(), stored->children.end());
            }
        }
        for (const Version* v : gone) {
            if (used.contains(v->digest)) {
                continue;
            }
            for (const auto& tag : v->tags) {
                out.push_back({repository, tag, v->digest});
            }
        }
    }
    return out;
}

// The subject an attachment entry of index.json belongs to: the digest its tag names
// (sha256-HEX.sig and the like) or, for an untagged manifest, its `subject`; nothing for an
// image's entry.
std::optional<manifest::Digest> attachment_subject(const OciStore& store,
                                                   const manifest::Descriptor& entry)
{
    const std::string ref = entry.annotation(manifest::k_annotation_ref_name);
    if (!ref.empty()) {
        const auto split = split_ref_name(ref);
        if (!split || !manifest::is_attachment_tag(split->tag)) {
            return std::nullopt;
        }
        auto digest =
            manifest::Digest::parse(str_cat("sha256:", std::string_view(split->tag).substr(7, 64)));
        return digest ? std::optional<manifest::Digest>(std::move(*digest)) : std::nullopt;
    }
    auto bytes = store.read_document(entry.digest);
    if (!bytes) {
        return std::nullopt;
    }
    const auto doc = manifest::parse_bounded_json(*bytes, entry.digest.str());
    return doc ? manifest::manifest_subject(*doc) : std::nullopt;
}

// The attachment entries of `entries` whose subject none of the other entries reaches.
Result<std::vector<RemovedTag>>
detached_attachments(const OciStore& store, const std::vector<manifest::Descriptor>& entries)
{
    std::vector<manifest::Descriptor> images;
    std::vector<std::pair<const manifest::Descriptor*, manifest::Digest>> attachments;
    for (const auto& entry : entries) {
        if (auto subject = attachment_subject(store, entry)) {
            attachments.emplace_back(&entry, std::move(*subject));
        } else {
            images.push_back(entry);
        }
    }
    if (attachments.empty()) {
        return std::vector<RemovedTag>{};
    }
    AIRLOCK_TRY_ASSIGN(const StoreGraph reached, walk_entries(store, images));
    // What the images reach, and the attachments of those (a signature of an SBOM, say),
    // until nothing more is attached to what stays.
    std::set<manifest::Digest> live;
    for (const auto& [digest, blob] : reached.blobs) {
        live.insert(digest);
    }
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [entry, subject] : attachments) {
            if (live.contains(subject) && live.insert(entry->digest).second) {
                grew = true;
            }
        }
    }
    std::vector<RemovedTag> out;
    for (const auto& [entry, subject] : attachments) {
        if (live.contains(subject)) {
            continue;
        }
        const auto split = split_ref_name(entry->annotation(manifest::k_annotation_ref_name));
        out.push_back({split ? split->repository : std::string(),
                       split ? split->tag : std::string(),
                       entry->digest});
    }
    return out;
}

Result<PruneReport> prune_store(OciStore& store, const PruneOptions& options, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock_existing(reporter));
    PruneReport report;
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries, store.read_index());
    if (options.keep || options.older_than) {
        AIRLOCK_TRY_ASSIGN(report.untagged, apply_retention(store, options));
    }
    std::vector<manifest::Descriptor> kept = without(entries, report.untagged);
    AIRLOCK_TRY_ASSIGN(report.detached, detached_attachments(store, kept));
    std::erase_if(kept, [&](const manifest::Descriptor& entry) {
        return std::any_of(
            report.detached.begin(), report.detached.end(), [&](const RemovedTag& d) {
                return d.digest == entry.digest
                       && str_cat(d.repository, d.tag.empty() ? "" : ":", d.tag)
                              == entry.annotation(manifest::k_annotation_ref_name);
            });
    });
    AIRLOCK_TRY_ASSIGN(const StoreGraph graph, walk_entries(store, kept));
    if (!graph.unreadable.empty()) {
        const auto& bad = graph.unreadable.front();
        return fail(Errc::format,
                    str_cat("oci:",
                            store.root().string(),
                            ": cannot read ",
                            bad.digest.str(),
                            " (",
                            bad.problem,
                            "), so what it uses is unknown; nothing was "
                            "removed (airlock fsck tells which tags it breaks)"));
    }
    AIRLOCK_TRY_ASSIGN(const BlobDirectory stored, store.scan_blobs());
    for (const auto& [digest, size] : stored.blobs) {
        if (!graph.blobs.contains(digest)) {
            report.blobs.push_back({digest, size});
            report.bytes += size;
        }
    }
    if (options.dry_run) {
        return report;
    }
    if (!report.untagged.empty() || !report.detached.empty()) {
        AIRLOCK_TRY(store.write_index(kept));
    }
    for (const auto& blob : report.blobs) {
        AIRLOCK_TRY(check_cancel());
        std::error_code ec;
        if (!fs::remove(store.blob_path(blob.digest), ec) && ec) {
            return fail(
                Errc::io,
                str_cat(
                    "cannot remove ", store.blob_path(blob.digest).string(), ": ", ec.message()));
        }
    }
    report.debris = store.reclaim_abandoned();
    return report;
}

} // namespace airlock::unpack
