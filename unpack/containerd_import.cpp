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

#include "containerd_import.hpp"

#include "image_closure.hpp"
#include "tagging.hpp"

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/version.hpp>

#include <map>
#include <set>
#include <sstream>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;

namespace {

class Ctr
{
  public:
    explicit Ctr(const ContainerdTarget& target)
        : m_target(target)
    {
    }

    std::vector<std::string> command(std::initializer_list<std::string> args) const
    {
        std::vector<std::string> argv = {
            "ctr", "-a", m_target.socket, "-n", m_target.namespace_name};
        argv.insert(argv.end(), args);
        return argv;
    }

    // Image name -> target digest, as containerd holds them now.
    Result<std::map<std::string, std::string>> images() const
    {
        auto out = run_command(command({"images", "ls"}));
        if (!out) {
            return fail(out.error().code == Errc::not_found ? Errc::not_found : Errc::network,
                        str_cat("cannot list containerd images at ",
                                m_target.socket,
                                ": ",
                                out.error().message));
        }
        std::map<std::string, std::string> images;
        std::istringstream lines(*out);
        std::string line;
        std::getline(lines, line); // header
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string ref;
            std::string type;
            std::string digest;
            if (fields >> ref >> type >> digest) {
                images[ref] = digest;
            }
        }
        return images;
    }

    Result<std::string> content(const std::string& digest) const
    {
        return run_command(command({"content", "get", digest}));
    }

  private:
    const ContainerdTarget& m_target;
};

// The version of the image `digest` containerd holds; empty when unknown.
Result<std::string> containerd_version(const Ctr& ctr, const std::string& digest)
{
    const auto version_of_manifest = [&](const std::string& bytes,
                                         const std::string& type) -> Result<std::string> {
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(bytes, type));
        auto config = ctr.content(m.config.digest.str());
        if (!config) {
            return std::string(); // config not held here (another platform)
        }
        AIRLOCK_TRY_ASSIGN(const manifest::ImageConfig c, manifest::parse_image_config(*config));
        return manifest::image_version(m, c);
    };
    AIRLOCK_TRY_ASSIGN(const std::string bytes, ctr.content(digest));
    AIRLOCK_TRY_ASSIGN(const std::string type, manifest::sniff_media_type(bytes, ""));
    if (!media_type::is_index(type)) {
        return version_of_manifest(bytes, type);
    }
    AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index, manifest::parse_image_index(bytes, type));
    const auto annotation = index.annotations.find(std::string(manifest::k_annotation_version));
    std::vector<std::string> versions;
    if (annotation == index.annotations.end()) {
        for (const auto& child : index.manifests) {
            AIRLOCK_TRY_ASSIGN(const std::string child_bytes, ctr.content(child.digest.str()));
            AIRLOCK_TRY_ASSIGN(std::string v, version_of_manifest(child_bytes, child.media_type));
            versions.push_back(std::move(v));
        }
    }
    return manifest::agreed_version(annotation == index.annotations.end() ? "" : annotation->second,
                                    versions);
}

// Streams every blob into the archive going to ctr.
class ArchiveSink final : public BlobSink
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

Result<ImportSummary> import_to_containerd(const ImportOptions& options,
                                           BundleReader& reader,
                                           ImportSummary summary,
                                           Reporter& reporter)
{
    const auto& bundle = reader.header().manifest;
    const ContainerdTarget& target = *options.containerd;
    summary.store = str_cat("containerd:", target.socket, "?namespace=", target.namespace_name);
    const Ctr ctr(target);
    AIRLOCK_TRY_ASSIGN(const auto held, ctr.images());

    // Decide every tag first: what containerd holds now is all the decision needs.
    std::vector<Descriptor> entries;
    const std::set<std::size_t> latest_candidates = newest_per_repository(bundle.images);
    bool anything = false;
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        const auto& image = bundle.images[i];
        ImportedImage imported{image.name, image.digest, image.version, {}};
        for (const auto& plan :
             plan_tags(image, options.extra_tags, latest_candidates.contains(i), options.latest)) {
            const std::string ref = image.name + ":" + plan.tag;
            const auto it = held.find(ref);
            const auto current =
                it == held.end() ? std::nullopt : std::optional<std::string>(it->second);
            AIRLOCK_TRY_ASSIGN(TagChange change,
                               decide_tag(plan, image, image.digest.str(), current, [&] {
                                   return containerd_version(ctr, *current);
                               }));
            if (change.action == TagChange::Action::kept) {
                reporter.warn(str_cat(image.name, ": ", change.note));
            }
            if (change.action == TagChange::Action::added
                || change.action == TagChange::Action::moved) {
                entries.push_back(manifest::tagged_descriptor(image, ref));
                anything = true;
            }
            imported.tags.push_back(std::move(change));
        }
        summary.images.push_back(std::move(imported));
    }

    if (!anything) {
        // Nothing to change; still read the whole bundle so that a damaged one is reported.
        DocumentCollector verify_only;
        AIRLOCK_TRY(reader.read_contents(verify_only, OnMismatch::stop, reporter));
        return summary;
    }
    AIRLOCK_TRY_ASSIGN(
        ChildProcess child,
        ChildProcess::spawn(ctr.command({"images", "import", "--all-platforms", "-"})));
    AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                       archive::TarWriter::create_to_sink(
                           [&](std::span<const char> data) { return child.write(data); },
                           archive::Compression{archive::Codec::none, 0, 1},
                           0));
    AIRLOCK_TRY(writer.add(
        "oci-layout", R"({"imageLayoutVersion":"1.0.0"})", archive::EntryContent::metadata));
    ArchiveSink sink(writer);
    auto streamed = reader.read_contents(sink, OnMismatch::stop, reporter);
    if (!streamed) {
        child.kill(); // an incomplete archive: containerd creates no image
        return std::unexpected(
            std::move(streamed.error())
                .with_context(str_cat("no image was created in ", summary.store)));
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : entries) {
        list.push_back(manifest::descriptor_to_json(d));
    }
    AIRLOCK_TRY_ASSIGN(
        const std::string index,
        manifest::canonical_dump(
            {{"schemaVersion", 2}, {"mediaType", media_type::oci_index}, {"manifests", list}}));
    AIRLOCK_TRY(writer.add("index.json", index, archive::EntryContent::metadata));
    AIRLOCK_TRY(writer.finish());
    auto finished = child.finish();
    if (!finished) {
        return std::unexpected(std::move(finished.error())
                                   .with_context(str_cat("while importing into ", summary.store)));
    }
    summary.index_changed = true;
    summary.blobs_written = streamed->blobs;
    summary.bytes_written = streamed->blob_bytes;
    return summary;
}

} // namespace airlock::unpack
