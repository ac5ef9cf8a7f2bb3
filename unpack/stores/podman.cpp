// SPDX-License-Identifier: Apache-2.0
//
// import --to podman (containers-storage: podman, CRI-O, buildah). `podman load` is the way into
// containers-storage that podman supports: the storage itself keeps layers unpacked (vfs,
// overlay) through a library only Go programs have. podman 4 loads one image per OCI archive
// and keeps its manifest digest, so the import:
//   1. streams every blob of the bundle into a private staging directory, verified;
//   2. decides the tags against what podman holds (the same rules as every store);
//   3. per image, streams an OCI archive of just that image from staging into `podman load`
//      (named after its first tag), then `podman tag`s the others.
// Nothing reaches podman before the whole bundle verified; a tampered bundle loads nothing.

#include "../bundle_policy.hpp"
#include "../image_closure.hpp"
#include "../push_pool.hpp"
#include "kinds.hpp"
#include "podman_command.hpp"

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace airlock::unpack {

namespace fs = std::filesystem;
namespace media_type = manifest::media_type;
using manifest::Descriptor;
using nlohmann::json;

namespace {

// Writes the bundle's blobs into staging/blobs/sha256/, keeping those that verified.
class StagingSink final : public bundle::BlobSink
{
  public:
    explicit StagingSink(fs::path dir)
        : m_dir(std::move(dir))
    {
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        m_path = m_dir / blob.digest.layout_path();
        AIRLOCK_TRY(make_directories(m_path.parent_path()));
        AIRLOCK_TRY_ASSIGN(SequentialFileWriter file, SequentialFileWriter::create(m_path));
        m_file.emplace(std::move(file));
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        return m_file->write(data);
    }

    Result<> end(bool verified) override
    {
        if (verified) {
            AIRLOCK_TRY(m_file->sync_and_close());
        }
        m_file.reset();
        if (!verified) {
            std::error_code ec;
            fs::remove(m_path, ec);
        }
        return {};
    }

  private:
    fs::path m_dir;
    fs::path m_path;
    std::optional<SequentialFileWriter> m_file;
};

// Every blob image `root` is made of, as far as the bundle's documents tell.
void closure(const Documents& documents,
             const manifest::Digest& root,
             std::set<manifest::Digest>& out)
{
    if (!out.insert(root).second) {
        return;
    }
    const auto it = documents.find(root);
    if (it == documents.end()) {
        return; // a layer or config
    }
    const auto type = manifest::sniff_media_type(it->second, "");
    if (!type) {
        return;
    }
    if (media_type::is_index(*type)) {
        if (const auto index = manifest::parse_image_index(it->second, *type)) {
            for (const auto& child : index->manifests) {
                closure(documents, child.digest, out);
            }
        }
    } else if (const auto m = manifest::parse_image_manifest(it->second, *type)) {
        out.insert(m->config.digest);
        for (const auto& layer : m->layers) {
            out.insert(layer.digest);
        }
    }
}

class PodmanStore final : public Store
{
  public:
    explicit PodmanStore(unsigned jobs)
        : m_jobs(jobs)
    {
    }

    std::string name() const override
    {
        return "podman";
    }

    std::string identity() const override
    {
        return "podman";
    }

    std::string ledger_name() const override
    {
        return "podman";
    }

    bool accepts_differential() const override
    {
        return false;
    }

    Result<>
    prepare(const IncomingBundle& bundle, ChannelGuard& channel, Reporter& reporter) override
    {
        AIRLOCK_TRY(prepare_preview(bundle, channel, reporter));
        const fs::path parent = cache_dir() / "podman-import";
        AIRLOCK_TRY(make_directories(parent));
        report_reclaimed(airlock::reclaim_abandoned(
                             parent,
                             Debris::directories,
                             [](std::string_view n) { return has_unique_suffix(n, "staging-"); }),
                         parent.string(),
                         reporter);
        AIRLOCK_TRY_ASSIGN(ScopedDirectory staging,
                           ScopedDirectory::create_unique(parent, "staging-"));
        m_staging.emplace(std::move(staging));
        return {};
    }

    Result<> prepare_preview(const IncomingBundle& bundle,
                             ChannelGuard& /*channel*/,
                             Reporter& /*reporter*/) override
    {
        m_bundle = &bundle.manifest;
        AIRLOCK_TRY_ASSIGN(
            const std::string listing,
            podman({"images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}"}));
        std::istringstream lines(listing);
        std::string ref;
        std::string digest;
        while (lines >> ref >> digest) {
            m_held[ref] = digest;
        }
        return {};
    }

    Result<BlobCounts> preview(const Documents& documents) override
    {
        m_documents = &documents;
        BlobCounts counts;
        for (const auto& blob : m_bundle->blobs) {
            if (media_type::is_signature(blob.media_type)) {
                continue; // kept apart by keep_signatures, not a blob of the store
            }
            ++counts.written;
            counts.bytes += blob.size;
        }
        return counts;
    }

    Result<bundle::BlobSink*> receiver(const Documents& documents) override
    {
        m_documents = &documents;
        m_sink.emplace(m_staging->path());
        return &*m_sink;
    }

    Result<> received(Result<bundle::ContentReport> streamed) override
    {
        if (!streamed) {
            return std::unexpected(
                std::move(streamed.error()).with_context("nothing was loaded into podman"));
        }
        m_counts.written = streamed->blobs;
        m_counts.bytes = streamed->blob_bytes;
        return {};
    }

    Result<> publish(const Documents& documents, ChannelGuard& /*channel*/) override
    {
        m_documents = &documents;
        return {}; // the images go in at commit, once their tags are decided
    }

    std::optional<std::string> image_id(std::size_t image) const override
    {
        return m_bundle->images.at(image).digest.str();
    }

    std::string image_name(std::size_t image) const override
    {
        return m_bundle->images.at(image).name;
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override
    {
        m_current = image_name(image) + ":" + tag;
        const auto it = m_held.find(m_current);
        if (it == m_held.end()) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(it->second);
    }

    // The version podman's image under that tag declares (its label or annotation).
    Result<std::string> tagged_version() override
    {
        if (const auto planned = m_planned_versions.find(m_held[m_current]);
            planned != m_planned_versions.end()) {
            return planned->second;
        }
        AIRLOCK_TRY_ASSIGN(const std::string text, podman({"image", "inspect", m_current}));
        AIRLOCK_TRY_ASSIGN(const json doc,
                           manifest::parse_bounded_json(text, "podman image inspect"));
        if (!doc.is_array() || doc.empty() || !doc[0].is_object()) {
            return std::string();
        }
        for (const char* field : {"Annotations", "Labels"}) {
            const auto found = manifest::json_string(doc[0].value(field, json::object()),
                                                     manifest::k_annotation_version);
            if (found && !found->empty()) {
                return *found;
            }
        }
        return std::string();
    }

    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        const std::string ref = image_name(image) + ":" + tag;
        m_tags[image].push_back(ref);
        m_held[ref] = m_bundle->images.at(image).digest.str();
        m_planned_versions[m_held[ref]] = m_bundle->images.at(image).version;
        return {};
    }

    // Images load independently of one another: `--jobs` `podman load`s run at once (podman
    // locks its storage itself), each image's other tags right after its own load. The first
    // failure stops the loads not begun.
    Result<> commit() override
    {
        PushPool pool(m_jobs, 0);
        for (const auto& [image, refs] : m_tags) {
            const auto load_and_tag = [this, image, &refs](http::Client& /*unused*/) -> Result<> {
                AIRLOCK_TRY(load(image, refs.front()));
                for (std::size_t i = 1; i < refs.size(); ++i) {
                    AIRLOCK_TRY(podman({"tag", refs.front(), refs[i]}));
                }
                return {};
            };
            AIRLOCK_TRY(pool.submit(load_and_tag));
        }
        return pool.wait();
    }

    BlobCounts counts() const override
    {
        return m_counts;
    }

    Error abandon(Error error) override
    {
        m_sink.reset();
        m_staging.reset();
        return error;
    }

  private:
    // Streams an OCI archive of bundle image `image` alone, named `ref`, into `podman load`.
    Result<> load(std::size_t image, const std::string& ref)
    {
        const manifest::BundleImage& bundle_image = m_bundle->images.at(image);
        std::set<manifest::Digest> blobs;
        closure(*m_documents, bundle_image.digest, blobs);
        AIRLOCK_TRY_ASSIGN(ChildProcess child, ChildProcess::spawn({"podman", "load", "-q"}));
        AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                           archive::TarWriter::create_to_sink(
                               [&child](std::span<const char> data) { return child.write(data); },
                               archive::Compression{archive::Codec::none, 0, 1},
                               0));
        AIRLOCK_TRY(
            writer.add("oci-layout", manifest::k_oci_layout_text, archive::EntryContent::metadata));
        for (const auto& digest : blobs) {
            const fs::path path = m_staging->path() / digest.layout_path();
            if (!regular_file_size(path)) {
                continue; // not in the bundle (another platform, a foreign layer)
            }
            AIRLOCK_TRY(writer.add_file_entry(
                digest.layout_path(), path, archive::EntryContent::compressed));
        }
        AIRLOCK_TRY_ASSIGN(
            const std::string index,
            manifest::canonical_dump({{"schemaVersion", 2},
                                      {"mediaType", media_type::oci_index},
                                      {"manifests",
                                       json::array({manifest::descriptor_to_json(
                                           manifest::tagged_descriptor(bundle_image, ref))})}}));
        AIRLOCK_TRY(writer.add("index.json", index, archive::EntryContent::metadata));
        AIRLOCK_TRY(writer.finish());
        auto finished = child.finish();
        if (!finished) {
            return std::unexpected(
                std::move(finished.error())
                    .with_context(str_cat("while loading ", ref, " into podman")));
        }
        return {};
    }

    unsigned m_jobs = 1; // podman loads at once
    const manifest::BundleManifest* m_bundle = nullptr;
    const Documents* m_documents = nullptr;
    std::optional<ScopedDirectory> m_staging;
    std::optional<StagingSink> m_sink;
    std::map<std::string, std::string> m_held;              // "name:tag" -> manifest digest
    std::string m_current;                                  // what the last `tagged` looked up
    std::map<std::string, std::string> m_planned_versions;  // digest -> version, of set tags
    std::map<std::size_t, std::vector<std::string>> m_tags; // image -> refs to set, in order
    BlobCounts m_counts;
};

} // namespace

Result<std::unique_ptr<Store>> open_podman_store(std::string_view spec, const StoreOptions& options)
{
    if (spec != "podman" && spec != "containers-storage") {
        return fail(
            Errc::usage,
            str_cat("unsupported store '",
                    spec,
                    "': podman's storage is --to podman (its configuration chooses which)"));
    }
    return std::make_unique<PodmanStore>(std::max(1U, options.podman_jobs));
}

} // namespace airlock::unpack
