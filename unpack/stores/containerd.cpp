// SPDX-License-Identifier: Apache-2.0
//
// import --to containerd. containerd's own interface for bringing in image archives is its
// Import service, which `ctr images import` drives; the alternative, its gRPC API, would need a
// gRPC and protobuf stack that airlock does not carry. So airlock streams an OCI archive into
// `ctr -a SOCKET -n NAMESPACE images import --all-platforms -`: containerd writes each blob to
// its content store checked against the digest in its name, and creates the images named in
// index.json (by `io.containerd.image.name`) only when the archive ends well. The archive is
// built while the bundle streams: a blob that fails airlock's verification kills ctr before
// the archive is complete, so no image appears. index.json comes last, once every tag decision
// (including `latest`, judged against what containerd holds now) is made.

#include "../bundle_policy.hpp"
#include "../image_closure.hpp"
#include "../store_identity.hpp"
#include "ctr.hpp"
#include "kinds.hpp"

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/version.hpp>
#include <airlock/unpack/inventory.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <map>
#include <set>
#include <sstream>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;

namespace {

// The version of the image `digest` containerd holds; empty when unknown.
Result<std::string> containerd_version(const Ctr& ctr, const std::string& digest)
{
    AIRLOCK_TRY_ASSIGN(const std::string bytes, ctr.content(digest));
    AIRLOCK_TRY_ASSIGN(const std::string type, manifest::sniff_media_type(bytes, ""));
    return stored_image_version(
        bytes, type, [&](const Descriptor& d) -> Result<std::optional<std::string>> {
            auto content = ctr.content(d.digest.str());
            if (!content) {
                return std::optional<std::string>(); // not held here (another platform)
            }
            return std::optional<std::string>(std::move(*content));
        });
}

// Streams every blob into the archive going to ctr.
class ArchiveSink final : public bundle::BlobSink
{
  public:
    explicit ArchiveSink(archive::TarWriter& writer)
        : m_writer(writer)
    {
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        return m_writer.begin_entry(
            blob.digest.layout_path(), blob.size, archive::EntryContent::uncompressed);
    }

    Result<> write(std::span<const char> data) override
    {
        return m_writer.write(data);
    }

    Result<> end(bool verified) override
    {
        if (!verified) {
            return {}; // the reader reports which blob and why; ctr is then killed mid-archive
        }
        return m_writer.end_entry();
    }

  private:
    archive::TarWriter& m_writer;
};

// A containerd namespace as a store. Its tags are decided before the stream, against what
// containerd holds when the import starts, because they are written into the archive's
// index.json; when no tag would change, nothing is sent and the pass only verifies.
class ContainerdStore final : public Store
{
  public:
    explicit ContainerdStore(ContainerdTarget target)
        : m_target(std::move(target))
        , m_ctr(m_target)
    {
    }

    std::string name() const override
    {
        return containerd_store_name(m_target);
    }

    std::string identity() const override
    {
        return str_cat(
            "containerd:", resolved_path(m_target.socket), "?namespace=", m_target.namespace_name);
    }

    std::string ledger_name() const override
    {
        return str_cat("containerd-", resolved_path(m_target.socket), "-", m_target.namespace_name);
    }

    // containerd's import takes blobs its content store has from the store, not the archive.
    bool accepts_differential() const override
    {
        return true;
    }

    Result<> ensure_required(const Documents& documents) override
    {
        if (m_bundle->required.empty()) {
            return {};
        }
        AIRLOCK_TRY_ASSIGN(m_content, m_ctr.blobs());
        for (const auto& blob : m_bundle->required) {
            if (!m_content.contains(blob.digest.str())) {
                return std::unexpected(missing_required_blob(
                    *m_bundle, image_using(*m_bundle, documents, blob.digest), blob, name()));
            }
        }
        return {};
    }

    bool holds(const manifest::Digest& digest) const override
    {
        return m_content.contains(digest.str());
    }

    Result<std::string> read_document(const manifest::Digest& digest) const override
    {
        return m_ctr.content(digest.str());
    }

    Result<> prepare(const IncomingBundle& bundle,
                     ChannelGuard& /*channel*/,
                     Reporter& /*reporter*/) override
    {
        m_bundle = &bundle.manifest;
        AIRLOCK_TRY_ASSIGN(m_held, m_ctr.images());
        return {};
    }

    // containerd's content store says which of the bundle's blobs it has.
    Result<BlobCounts> preview(const Documents& documents) override
    {
        AIRLOCK_TRY(ensure_required(documents));
        AIRLOCK_TRY_ASSIGN(const std::set<std::string> held, m_ctr.blobs());
        BlobCounts counts;
        for (const auto& blob : m_bundle->blobs) {
            if (media_type::is_signature(blob.media_type)) {
                continue; // kept apart by keep_signatures, not a blob of the store
            }
            const bool present = held.contains(blob.digest.str());
            (present ? counts.present : counts.written) += 1;
            (present ? counts.bytes_present : counts.bytes) += blob.size;
        }
        return counts;
    }

    bool decides_tags_first() const override
    {
        return true;
    }

    Result<bundle::BlobSink*> receiver(const Documents& /*documents*/) override
    {
        if (m_entries.empty()) {
            return nullptr; // nothing to change: the pass only verifies
        }
        AIRLOCK_TRY_ASSIGN(
            ChildProcess child,
            ChildProcess::spawn(m_ctr.command({"images", "import", "--all-platforms", "-"})));
        m_child.emplace(std::move(child));
        AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                           archive::TarWriter::create_to_sink(
                               [this](std::span<const char> data) { return m_child->write(data); },
                               archive::Compression{archive::Codec::none, 0, 1},
                               0));
        m_writer.emplace(std::move(writer));
        AIRLOCK_TRY(m_writer->add(
            "oci-layout", manifest::k_oci_layout_text, archive::EntryContent::metadata));
        m_sink.emplace(*m_writer);
        return &*m_sink;
    }

    Result<> received(Result<bundle::ContentReport> streamed) override
    {
        if (!streamed) {
            abort(); // an incomplete archive: containerd creates no image
            return std::unexpected(std::move(streamed.error())
                                       .with_context(str_cat("no image was created in ", name())));
        }
        if (m_child) {
            m_counts.written = streamed->blobs;
            m_counts.bytes = streamed->blob_bytes;
        }
        return {};
    }

    Result<> publish(const Documents& /*documents*/, ChannelGuard& /*channel*/) override
    {
        return {}; // the blobs are in containerd's content store; images come with index.json
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
        const auto it = m_held.find(image_name(image) + ":" + tag);
        if (it == m_held.end()) {
            return std::optional<std::string>();
        }
        m_current = it->second;
        return std::optional<std::string>(it->second);
    }

    Result<std::string> tagged_version() override
    {
        if (const auto planned = m_planned_versions.find(m_current);
            planned != m_planned_versions.end()) {
            return planned->second; // an image of this bundle, not in containerd yet
        }
        return containerd_version(m_ctr, m_current);
    }

    // Decided before the stream, so later decisions of this import see it as containerd will.
    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        const std::string name = image_name(image) + ":" + tag;
        std::erase_if(m_entries, [&](const Descriptor& d) {
            return d.annotations.contains(std::string(manifest::k_annotation_containerd_name))
                   && d.annotations.at(std::string(manifest::k_annotation_containerd_name)) == name;
        });
        m_entries.push_back(manifest::tagged_descriptor(m_bundle->images.at(image), name));
        m_held[name] = m_bundle->images.at(image).digest.str();
        m_planned_versions[m_held[name]] = m_bundle->images.at(image).version;
        return {};
    }

    // index.json closes the archive; containerd creates the images once it reads it whole.
    Result<> commit() override
    {
        if (!m_child) {
            return {};
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& d : m_entries) {
            list.push_back(manifest::descriptor_to_json(d));
        }
        AIRLOCK_TRY_ASSIGN(
            const std::string index,
            manifest::canonical_dump(
                {{"schemaVersion", 2}, {"mediaType", media_type::oci_index}, {"manifests", list}}));
        AIRLOCK_TRY(m_writer->add("index.json", index, archive::EntryContent::metadata));
        AIRLOCK_TRY(m_writer->finish());
        auto finished = m_child->finish();
        if (!finished) {
            return std::unexpected(
                std::move(finished.error()).with_context(str_cat("while importing into ", name())));
        }
        return {};
    }

    BlobCounts counts() const override
    {
        return m_counts;
    }

    Error abandon(Error error) override
    {
        abort();
        return error;
    }

  private:
    void abort()
    {
        m_sink.reset();
        m_writer.reset();
        if (m_child) {
            m_child->kill();
        }
    }

    ContainerdTarget m_target;
    Ctr m_ctr;
    const manifest::BundleManifest* m_bundle = nullptr;
    std::map<std::string, std::string> m_held; // image name -> digest, when the import began
    std::string m_current;                     // what the last `tagged` found
    std::map<std::string, std::string> m_planned_versions; // digest -> version, of set tags
    std::vector<Descriptor> m_entries;                     // the archive's index.json
    std::set<std::string> m_content;     // containerd's blobs, for a differential bundle
    std::optional<ChildProcess> m_child; // ctr images import, once anything is sent
    std::optional<archive::TarWriter> m_writer;
    std::optional<ArchiveSink> m_sink;
    BlobCounts m_counts;
};

} // namespace

Result<ContainerdTarget> parse_containerd_target(std::string_view spec)
{
    if (spec != "containerd" && !spec.starts_with("containerd:")
        && !spec.starts_with("containerd?")) {
        return fail(Errc::usage, str_cat("unsupported store '", spec, "'"));
    }
    ContainerdTarget target;
    std::string_view rest = spec.substr(10);
    if (const auto query = rest.find('?'); query != std::string_view::npos) {
        const std::string_view params = rest.substr(query + 1);
        rest = rest.substr(0, query);
        if (!params.starts_with("namespace=") || params.size() <= 10) {
            return fail(Errc::usage,
                        str_cat("invalid containerd store '", spec, "': expected ?namespace=NAME"));
        }
        target.namespace_name = std::string(params.substr(10));
    }
    if (rest.starts_with(":")) {
        rest.remove_prefix(1);
        if (rest.starts_with("unix://")) {
            rest.remove_prefix(7);
        }
        if (!rest.empty()) {
            target.socket = std::string(rest);
        }
    }
    return target;
}

Result<std::string> containerd_inventory(std::string_view spec)
{
    AIRLOCK_TRY_ASSIGN(const ContainerdTarget target, parse_containerd_target(spec));
    const Ctr ctr(target);
    AIRLOCK_TRY_ASSIGN(const auto images, ctr.images());
    AIRLOCK_TRY_ASSIGN(const std::set<std::string> content, ctr.blobs());
    std::map<std::string, std::uint64_t> blobs; // the images' blobs containerd holds
    std::set<std::string> read;
    std::vector<Descriptor> pending;
    for (const auto& [name, digest] : images) {
        AIRLOCK_TRY_ASSIGN(manifest::Digest parsed, manifest::Digest::parse(digest));
        pending.push_back(Descriptor{"", std::move(parsed), 0, {}, {}, {}});
    }
    while (!pending.empty()) {
        const Descriptor d = std::move(pending.back());
        pending.pop_back();
        if (!content.contains(d.digest.str())) {
            continue; // a platform containerd did not take
        }
        blobs[d.digest.str()] = d.size;
        if (!read.insert(d.digest.str()).second) {
            continue;
        }
        auto bytes = ctr.content(d.digest.str());
        const auto type = bytes ? manifest::sniff_media_type(*bytes, d.media_type)
                                : Result<std::string>(std::string());
        if (!bytes || !type || type->empty()) {
            continue; // a layer or config
        }
        blobs[d.digest.str()] = bytes->size();
        if (media_type::is_index(*type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                               manifest::parse_image_index(*bytes, *type));
            pending.insert(pending.end(), index.manifests.begin(), index.manifests.end());
        } else if (media_type::is_manifest(*type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                               manifest::parse_image_manifest(*bytes, *type));
            pending.push_back(m.config);
            pending.insert(pending.end(), m.layers.begin(), m.layers.end());
        }
    }
    nlohmann::json blob_list = nlohmann::json::array();
    for (const auto& [digest, size] : blobs) {
        blob_list.push_back({{"digest", digest}, {"size", size}});
    }
    nlohmann::json image_list = nlohmann::json::array();
    for (const auto& [name, digest] : images) {
        const auto split = split_ref_name(name);
        if (split) {
            image_list.push_back(
                {{"name", split->repository}, {"tag", split->tag}, {"digest", digest}});
        }
    }
    return manifest::canonical_dump({{"format", manifest::k_inventory_format},
                                     {"formatVersion", 1},
                                     {"store", containerd_store_name(target)},
                                     {"blobs", blob_list},
                                     {"images", image_list}});
}

Result<std::unique_ptr<Store>> open_containerd_store(std::string_view spec,
                                                     const StoreOptions& /*options*/)
{
    AIRLOCK_TRY_ASSIGN(ContainerdTarget target, parse_containerd_target(spec));
    return std::make_unique<ContainerdStore>(std::move(target));
}

} // namespace airlock::unpack
