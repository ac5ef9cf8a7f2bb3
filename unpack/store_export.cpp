// SPDX-License-Identifier: Apache-2.0
//
// export: a docker-archive is what `docker save` writes (manifest.json naming each image's
// config and layers by path, with RepoTags); an oci-archive is the store's own
// layout cut down to the images asked for. Blobs keep their layout paths (blobs/sha256/HEX) in
// both, so each is written once however many images share it.

#include "bundle_policy.hpp"

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/aligned_buffer.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/store_export.hpp>
#include <airlock/unpack/store_graph.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace airlock::unpack {

namespace fs = std::filesystem;
namespace media_type = manifest::media_type;
using nlohmann::json;

namespace {

// The index.json entries the refs name, in the order given; each ref must match.
Result<std::vector<manifest::Descriptor>> select_entries(const OciStore& store,
                                                         const std::vector<std::string>& refs)
{
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries, store.read_index());
    std::vector<manifest::Descriptor> out;
    for (const auto& text : refs) {
        const auto wanted = split_ref_name(text);
        bool found = false;
        for (const auto& entry : entries) {
            const auto ref = split_ref_name(entry.annotation(manifest::k_annotation_ref_name));
            if (wanted && ref && ref->tag == wanted->tag
                && same_repository(ref->repository, wanted->repository)) {
                out.push_back(entry);
                found = true;
                break;
            }
        }
        if (!found) {
            return fail(Errc::not_found,
                        str_cat("no image ",
                                text,
                                " in oci:",
                                store.root().string(),
                                " (airlock images lists what it holds; give REPOSITORY:TAG)"));
        }
    }
    return out;
}

// Copies blob `digest` of `size` bytes from the store into the archive, hashing as it goes.
Result<> copy_blob(const OciStore& store,
                   archive::TarWriter& writer,
                   const manifest::Digest& digest,
                   std::uint64_t size)
{
    const fs::path path = store.blob_path(digest);
    if (regular_file_size(path) != size) {
        return fail(Errc::digest_mismatch,
                    str_cat("blob ",
                            digest.str(),
                            " of oci:",
                            store.root().string(),
                            " is missing or not ",
                            size,
                            " bytes (airlock fsck tells more)"));
    }
    crypto::Sha256 hash;
    AIRLOCK_TRY_ASSIGN(const std::uint64_t copied,
                       writer.add_file_entry(digest.layout_path(),
                                             path,
                                             archive::EntryContent::compressed,
                                             [&hash](std::span<const char> chunk) {
                                                 hash.update(
                                                     std::string_view(chunk.data(), chunk.size()));
                                             }));
    if (copied != size) {
        return fail(Errc::digest_mismatch,
                    str_cat("blob ", digest.str(), " changed size while it was exported"));
    }
    if (hash.finish_hex() != digest.hex()) {
        return fail(Errc::digest_mismatch,
                    str_cat("blob ",
                            digest.str(),
                            " of oci:",
                            store.root().string(),
                            " does not match its digest; nothing was exported (airlock fsck "
                            "--repair removes it, a re-import restores it)"));
    }
    return {};
}

// The single-platform manifest of `entry` that a docker-archive carries.
Result<manifest::Descriptor> platform_manifest(const OciStore& store,
                                               const manifest::Descriptor& entry,
                                               const manifest::Platform& platform)
{
    if (!media_type::is_index(entry.media_type)) {
        return entry;
    }
    AIRLOCK_TRY_ASSIGN(const std::string bytes, store.read_document(entry.digest));
    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                       manifest::parse_image_index(bytes, entry.media_type));
    const auto chosen = best_platform_entry(
        index.manifests,
        platform,
        platform.os == "windows" ? host_windows_build() : std::optional<std::string>{});
    if (!chosen) {
        return fail(Errc::not_found,
                    str_cat(entry_name(entry),
                            " has no ",
                            platform.str(),
                            " image: a docker-archive holds one platform (--platform chooses)"));
    }
    return index.manifests[*chosen];
}

// "alpine:3.19" for docker.io/library/alpine, as `docker save` writes RepoTags.
std::string repo_tag(const std::string& ref_name)
{
    const auto ref = split_ref_name(ref_name);
    const auto parsed = manifest::Reference::parse(ref ? ref->repository : ref_name);
    return parsed && ref ? str_cat(parsed->familiar_name(), ":", ref->tag) : ref_name;
}

struct Archive
{
    std::vector<manifest::Descriptor> roots; // what the archive's index names
    std::string metadata_name;               // manifest.json or index.json
    std::string metadata;
    std::vector<std::pair<std::string, std::string>> extra; // other small files
};

Result<Archive> docker_archive(const OciStore& store,
                               const std::vector<manifest::Descriptor>& entries,
                               const manifest::Platform& platform)
{
    Archive out;
    json images = json::array();
    for (const auto& entry : entries) {
        AIRLOCK_TRY_ASSIGN(const manifest::Descriptor chosen,
                           platform_manifest(store, entry, platform));
        AIRLOCK_TRY_ASSIGN(const std::string bytes, store.read_document(chosen.digest));
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(bytes, chosen.media_type));
        json layers = json::array();
        for (const auto& layer : m.layers) {
            layers.push_back(layer.digest.layout_path());
        }
        const std::string tag = repo_tag(entry.annotation(manifest::k_annotation_ref_name));
        images.push_back({{"Config", m.config.digest.layout_path()},
                          {"RepoTags", json::array({tag})},
                          {"Layers", layers}});
        // Only the config and layers: docker load takes no manifests.
        manifest::Descriptor config = m.config;
        out.roots.push_back(config);
        for (const auto& layer : m.layers) {
            out.roots.push_back(layer);
        }
    }
    out.metadata_name = "manifest.json";
    out.metadata = images.dump();
    return out;
}

Result<Archive> oci_archive(const std::vector<manifest::Descriptor>& entries)
{
    Archive out;
    json list = json::array();
    for (const auto& entry : entries) {
        json d = manifest::descriptor_to_json(entry);
        // Docker Engine's load of an OCI layout names images by this annotation.
        d["annotations"][std::string(manifest::k_annotation_containerd_name)] =
            entry.annotation(manifest::k_annotation_ref_name);
        list.push_back(std::move(d));
        out.roots.push_back(entry);
    }
    out.metadata_name = "index.json";
    AIRLOCK_TRY_ASSIGN(out.metadata,
                       manifest::canonical_dump({{"schemaVersion", 2},
                                                 {"mediaType", media_type::oci_index},
                                                 {"manifests", std::move(list)}}));
    out.extra.emplace_back("oci-layout", manifest::k_oci_layout_text);
    return out;
}

} // namespace

Result<ExportReport>
export_images(OciStore& store, const ExportRequest& request, Reporter& reporter)
{
    // Held while the blobs are copied: a prune must not take one midway.
    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock_existing(reporter));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Descriptor> entries,
                       select_entries(store, request.refs));
    Archive archive;
    if (request.format == ExportFormat::docker_archive) {
        AIRLOCK_TRY_ASSIGN(
            archive,
            docker_archive(store, entries, request.platform.value_or(manifest::host_platform())));
    } else {
        AIRLOCK_TRY_ASSIGN(archive, oci_archive(entries));
    }
    // A docker-archive's roots are its configs and layers already; an OCI archive's are
    // manifests and indexes, walked down to theirs.
    std::map<manifest::Digest, std::uint64_t> blobs;
    if (request.format == ExportFormat::docker_archive) {
        for (const auto& d : archive.roots) {
            blobs.emplace(d.digest, d.size);
        }
    } else {
        AIRLOCK_TRY_ASSIGN(const StoreGraph graph, walk_entries(store, archive.roots));
        if (!graph.unreadable.empty()) {
            const auto& bad = graph.unreadable.front();
            return fail(Errc::format,
                        str_cat("cannot read ",
                                bad.digest.str(),
                                " of oci:",
                                store.root().string(),
                                ": ",
                                bad.problem,
                                " (airlock fsck tells more)"));
        }
        for (const auto& [digest, blob] : graph.blobs) {
            blobs.emplace(digest, blob.size);
        }
    }
    // One fixed time, so that exporting the same images twice gives the same bytes.
    AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                       archive::TarWriter::create(request.output, {archive::Codec::none, 0, 1}, 0));
    ExportReport report;
    for (const auto& [digest, size] : blobs) {
        AIRLOCK_TRY(copy_blob(store, writer, digest, size));
        ++report.blobs;
        report.bytes += size;
    }
    for (const auto& [name, content] : archive.extra) {
        AIRLOCK_TRY(writer.add(name, content, archive::EntryContent::metadata));
    }
    AIRLOCK_TRY(
        writer.add(archive.metadata_name, archive.metadata, archive::EntryContent::metadata));
    AIRLOCK_TRY(writer.finish());
    for (const auto& entry : entries) {
        report.images.push_back(entry.annotation(manifest::k_annotation_ref_name));
    }
    return report;
}

} // namespace airlock::unpack
