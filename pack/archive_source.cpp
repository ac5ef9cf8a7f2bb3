// SPDX-License-Identifier: Apache-2.0
//
// docker-archive: and oci-archive: sources. The tar is unpacked into a private directory rather
// than read in place: layers are many GiB, an image's blobs are read in the order the bundle
// needs them (not the archive's), and the bundle writer streams from files. Both kinds end up
// as an OCI layout there, so OciLayoutSource reads the documents and blobs, verifying each.

#include "archive_source.hpp"

#include "archive_unpack.hpp"
#include "oci_layout_source.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/http/client.hpp>
#include <airlock/http/local_transport.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace airlock::pack {

namespace fs = std::filesystem;
using manifest::Descriptor;
using nlohmann::json;

namespace {

constexpr std::string_view k_docker_archive = "docker-archive:";
constexpr std::string_view k_oci_archive = "oci-archive:";
constexpr std::string_view k_docker_daemon = "docker-daemon:";
// containers-storage (podman, CRI-O, buildah), through podman.
constexpr std::array<std::string_view, 2> k_podman = {"podman:", "containers-storage:"};
// A save says nothing until the engine has gathered the image's layers.
constexpr std::chrono::minutes k_engine_idle{30};
constexpr std::uint64_t k_max_manifest_json = 16ULL << 20U;

struct ArchiveReference
{
    bool docker = false;
    fs::path file;
    std::string ref;
};

Result<ArchiveReference> parse_reference(std::string_view reference)
{
    ArchiveReference out;
    out.docker = reference.starts_with(k_docker_archive);
    const std::string_view rest =
        reference.substr(out.docker ? k_docker_archive.size() : k_oci_archive.size());
    PathAndRef parts = split_path_and_ref(rest);
    out.file = std::move(parts.path);
    out.ref = std::move(parts.ref);
    if (out.file.empty()) {
        return fail(Errc::usage,
                    str_cat("'",
                            reference,
                            "': expected ",
                            out.docker ? "docker" : "oci",
                            "-archive:FILE[:REF]"));
    }
    return out;
}

// The media type of a layer as stored, by its first bytes.
Result<std::string> layer_media_type(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 4> magic{};
    in.read(reinterpret_cast<char*>(magic.data()), magic.size());
    if (in.gcount() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        return std::string("application/vnd.oci.image.layer.v1.tar+gzip");
    }
    if (in.gcount() == 4 && magic == std::array<unsigned char, 4>{0x28, 0xb5, 0x2f, 0xfd}) {
        return std::string("application/vnd.oci.image.layer.v1.tar+zstd");
    }
    return std::string("application/vnd.oci.image.layer.v1.tar");
}

// One image of a docker-archive, as an OCI manifest written into the unpacked layout.
struct DockerImage
{
    Descriptor manifest;
    std::vector<std::string> tags; // fully qualified "docker.io/library/alpine:3.19"
};

// `docker save NAME` from the local Docker Engine ($DOCKER_HOST, else its usual socket or pipe),
// streamed into `file`.
Result<> save_from_engine(const std::string& name, const fs::path& file)
{
    AIRLOCK_TRY_ASSIGN(const http::LocalEndpoint endpoint, http::docker_engine_endpoint({}));
    http::LocalTransport transport(endpoint, k_engine_idle);
    http::Request request;
    request.url = str_cat("http://docker/v1.41/images/", http::url_encode(name), "/get");
    AIRLOCK_TRY_ASSIGN(SequentialFileWriter out, SequentialFileWriter::create(file));
    const auto response = transport.stream(
        request, [&out](const http::Response& /*head*/, std::span<const char> chunk) -> Result<> {
            AIRLOCK_TRY(check_cancel());
            return out.write(chunk);
        });
    if (!response) {
        if (response.error().code == Errc::network) {
            return fail(Errc::network,
                        str_cat("cannot reach the Docker Engine at ",
                                endpoint.address(),
                                " (is dockerd running? ",
                                response.error().message,
                                ")"));
        }
        return std::unexpected(response.error());
    }
    if (response->status == 404) {
        return fail(Errc::not_found,
                    str_cat("the Docker Engine at ", endpoint.address(), " has no image ", name));
    }
    if (response->status != 200) {
        return fail(Errc::http_status,
                    str_cat("the Docker Engine at ",
                            endpoint.address(),
                            " answered ",
                            response->status,
                            " to saving ",
                            name));
    }
    return out.sync_and_close();
}

// `podman save NAME` in the docker-archive format, which keeps the image's config (podman's
// image ID) as stored; the oci-archive format would convert it.
Result<> save_from_podman(const std::string& name, const fs::path& file)
{
    auto saved = run_command(
        {"podman", "save", "--quiet", "--format", "docker-archive", "-o", file.string(), name});
    if (!saved) {
        if (saved.error().code == Errc::not_found) {
            return fail(
                Errc::not_found,
                "podman is not installed: containers-storage is read through 'podman save'");
        }
        return fail(Errc::not_found,
                    str_cat("podman cannot save ", name, ": ", saved.error().message));
    }
    return {};
}

std::optional<std::string_view> podman_prefix(std::string_view reference)
{
    for (const auto prefix : k_podman) {
        if (reference.starts_with(prefix)) {
            return prefix;
        }
    }
    return std::nullopt;
}

} // namespace

// A tar unpacked below a private directory, as an OCI layout.
class UnpackedArchive
{
  public:
    static Result<std::shared_ptr<UnpackedArchive>> unpack(const ArchiveReference& reference,
                                                           const fs::path& work_dir)
    {
        if (!regular_file_size(reference.file)) {
            return fail(Errc::not_found,
                        str_cat("no archive ", reference.file.string(), " (a regular file)"));
        }
        AIRLOCK_TRY(make_directories(work_dir));
        airlock::reclaim_abandoned(work_dir, Debris::directories, [](std::string_view name) {
            return has_unique_suffix(name, "archive-");
        });
        AIRLOCK_TRY_ASSIGN(ScopedDirectory dir,
                           ScopedDirectory::create_unique(work_dir, "archive-"));
        auto out = std::shared_ptr<UnpackedArchive>(new UnpackedArchive(std::move(dir)));
        AIRLOCK_TRY_ASSIGN(out->m_link_targets, unpack_tar(reference.file, out->root()));
        if (reference.docker) {
            AIRLOCK_TRY(out->convert_docker_archive(reference.file));
        }
        return out;
    }

    const fs::path& root() const
    {
        return m_dir.path();
    }

    const std::vector<DockerImage>& images() const
    {
        return m_images;
    }

  private:
    explicit UnpackedArchive(ScopedDirectory dir)
        : m_dir(std::move(dir))
    {
    }

    // The blob that member `value` of manifest.json names, moved to its layout path.
    Result<Descriptor> blob_of(const fs::path& file, const json& value, bool layer)
    {
        const auto member =
            value.is_string() ? member_path(value.get<std::string>()) : std::nullopt;
        if (!member || member->empty()) {
            return fail(Errc::format,
                        str_cat(file.string(),
                                ": manifest.json names a ",
                                layer ? "layer" : "config",
                                " by something that is not a path in the archive"));
        }
        // A link is taken for the file it ends at, so that bytes with several names (docker save
        // names layers by symlinks, images share them) are hashed once.
        const auto link = m_link_targets.find(*member);
        const std::string& file_member = link != m_link_targets.end() ? link->second : *member;
        if (const auto it = m_blobs.find(file_member); it != m_blobs.end()) {
            return it->second;
        }
        const fs::path path = root() / file_member;
        const auto size = regular_file_size(path);
        if (!size) {
            return fail(Errc::format,
                        str_cat(file.string(),
                                ": manifest.json names '",
                                *member,
                                "', which is not in the archive"));
        }
        AIRLOCK_TRY_ASSIGN(const std::string hex, crypto::sha256_file(path));
        std::string media_type(manifest::media_type::oci_config);
        if (layer) {
            AIRLOCK_TRY_ASSIGN(media_type, layer_media_type(path));
        }
        const Descriptor d{media_type, manifest::Digest::sha256(hex), *size, {}, {}, {}};
        const fs::path blob = root() / d.digest.layout_path();
        if (!regular_file_size(blob)) {
            AIRLOCK_TRY(make_directories(blob.parent_path()));
            std::error_code ec;
            fs::create_hard_link(path, blob, ec);
            if (ec) {
                fs::copy_file(path, blob, ec);
            }
            if (ec) {
                return fail(Errc::io, str_cat("cannot make ", blob.string(), ": ", ec.message()));
            }
        }
        return m_blobs.emplace(file_member, d).first->second;
    }

    Result<> convert_docker_archive(const fs::path& file)
    {
        auto text = read_file(root() / "manifest.json", k_max_manifest_json, FollowSymlinks::no);
        if (!text) {
            return fail(Errc::format,
                        str_cat(file.string(),
                                " is not a docker-archive (no manifest.json: ",
                                text.error().message,
                                ")"));
        }
        AIRLOCK_TRY_ASSIGN(const json doc,
                           manifest::parse_bounded_json(*text, file.string() + " manifest.json"));
        if (!doc.is_array() || doc.empty()) {
            return fail(Errc::format, str_cat(file.string(), ": manifest.json lists no image"));
        }
        for (const auto& entry : doc) {
            if (!entry.is_object() || !entry.contains("Config") || !entry.contains("Layers")
                || !entry["Layers"].is_array()) {
                return fail(
                    Errc::format,
                    str_cat(file.string(), ": a manifest.json entry lacks Config or Layers"));
            }
            AIRLOCK_TRY_ASSIGN(const Descriptor config, blob_of(file, entry["Config"], false));
            json layers = json::array();
            for (const auto& layer : entry["Layers"]) {
                AIRLOCK_TRY_ASSIGN(const Descriptor d, blob_of(file, layer, true));
                layers.push_back(manifest::descriptor_to_json(d));
            }
            AIRLOCK_TRY_ASSIGN(
                const std::string bytes,
                manifest::canonical_dump({{"schemaVersion", 2},
                                          {"mediaType", manifest::media_type::oci_manifest},
                                          {"config", manifest::descriptor_to_json(config)},
                                          {"layers", std::move(layers)}}));
            DockerImage image{Descriptor{std::string(manifest::media_type::oci_manifest),
                                         manifest::Digest::sha256(crypto::sha256_hex(bytes)),
                                         bytes.size(),
                                         {},
                                         {},
                                         {}},
                              {}};
            const fs::path path = root() / image.manifest.digest.layout_path();
            AIRLOCK_TRY(make_directories(path.parent_path()));
            AIRLOCK_TRY(write_file_atomic(path, bytes));
            if (const auto it = entry.find("RepoTags"); it != entry.end() && it->is_array()) {
                for (const auto& tag : *it) {
                    auto parsed = tag.is_string()
                                      ? manifest::Reference::parse(tag.get<std::string>())
                                      : fail(Errc::format, "not a string");
                    if (!parsed) {
                        return fail(Errc::format,
                                    str_cat(file.string(),
                                            ": RepoTags holds ",
                                            tag.dump(),
                                            ", which is not an image reference"));
                    }
                    image.tags.push_back(parsed->str());
                }
            }
            m_images.push_back(std::move(image));
        }
        return {};
    }

    ScopedDirectory m_dir;
    LinkTargets m_link_targets;
    std::map<std::string, Descriptor> m_blobs; // by the member path of a regular file
    std::vector<DockerImage> m_images;
};

namespace {

// An image of an unpacked archive. The layout source reads and verifies its documents and blobs;
// a docker-archive's image is resolved here, from manifest.json's order and RepoTags.
class ArchiveImageSource final : public ImageSource
{
  public:
    ArchiveImageSource(std::string reference,
                       ArchiveReference parsed,
                       std::shared_ptr<UnpackedArchive> archive)
        : m_reference(reference)
        , m_parsed(std::move(parsed))
        , m_archive(std::move(archive))
        , m_layout(std::move(reference),
                   m_archive->root(),
                   m_parsed.docker ? std::string() : m_parsed.ref,
                   m_parsed.file.parent_path() / m_parsed.file.stem())
    {
    }

    const std::string& reference() const override
    {
        return m_reference;
    }

    Result<ResolvedRoot> resolve() override
    {
        if (!m_parsed.docker) {
            return m_layout.resolve();
        }
        const auto& images = m_archive->images();
        std::string available;
        for (std::size_t i = 0; i < images.size(); ++i) {
            available += str_cat(available.empty() ? "" : ", ", "@", i);
            for (const auto& tag : images[i].tags) {
                available += " " + tag;
            }
        }
        std::optional<std::size_t> chosen;
        std::string tag;
        if (m_parsed.ref.empty()) {
            if (images.size() > 1) {
                return fail(Errc::usage,
                            str_cat(m_parsed.file.string(),
                                    " holds ",
                                    images.size(),
                                    " images; name one as docker-archive:FILE:REF (available: ",
                                    available,
                                    ")"));
            }
            chosen = 0;
            tag = images[0].tags.empty() ? std::string() : images[0].tags[0];
        } else if (m_parsed.ref.starts_with('@')) {
            const std::string digits = m_parsed.ref.substr(1);
            if (!digits.empty() && digits.size() < 6
                && digits.find_first_not_of("0123456789") == std::string::npos
                && std::stoul(digits) < images.size()) {
                chosen = std::stoul(digits);
                tag = images[*chosen].tags.empty() ? std::string() : images[*chosen].tags[0];
            }
        } else if (const auto wanted = manifest::Reference::parse(m_parsed.ref)) {
            for (std::size_t i = 0; i < images.size() && !chosen; ++i) {
                for (const auto& t : images[i].tags) {
                    if (t == wanted->str()) {
                        chosen = i;
                        tag = t;
                    }
                }
            }
        }
        if (!chosen) {
            return fail(Errc::not_found,
                        str_cat("image '",
                                m_parsed.ref,
                                "' not found in ",
                                m_parsed.file.string(),
                                " (available: ",
                                available,
                                ")"));
        }
        ResolvedRoot out{images[*chosen].manifest, {}, {}};
        if (tag.empty()) {
            out.repository =
                repository_from_path(m_parsed.file.parent_path() / m_parsed.file.stem());
            out.tag = "latest";
        } else {
            AIRLOCK_TRY_ASSIGN(const manifest::Reference parsed, manifest::Reference::parse(tag));
            out.repository = parsed.name();
            out.tag = parsed.tag();
        }
        return out;
    }

    Result<std::string> fetch_document(const Descriptor& descriptor) override
    {
        return m_layout.fetch_document(descriptor);
    }

    Result<fs::path> blob_file(const Descriptor& descriptor) override
    {
        return m_layout.blob_file(descriptor);
    }

    BlobAvailability availability(const Descriptor& /*descriptor*/) const override
    {
        return {};
    }

  private:
    std::string m_reference;
    ArchiveReference m_parsed;
    std::shared_ptr<UnpackedArchive> m_archive;
    OciLayoutSource m_layout;
};

} // namespace

ArchiveSources::ArchiveSources(fs::path work_dir)
    : m_work_dir(std::move(work_dir))
{
}

ArchiveSources::~ArchiveSources() = default;

bool ArchiveSources::handles(std::string_view reference)
{
    return reference.starts_with(k_docker_archive) || reference.starts_with(k_oci_archive)
           || reference.starts_with(k_docker_daemon) || podman_prefix(reference);
}

Result<std::unique_ptr<ImageSource>> ArchiveSources::make(std::string_view reference)
{
    if (reference.starts_with(k_docker_daemon)) {
        return make_from_save(reference, k_docker_daemon, save_from_engine);
    }
    if (const auto prefix = podman_prefix(reference)) {
        return make_from_save(reference, *prefix, save_from_podman);
    }
    AIRLOCK_TRY_ASSIGN(ArchiveReference parsed, parse_reference(reference));
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(parsed.file, ec), ec);
    const std::string key = str_cat(parsed.docker ? "docker:" : "oci:", canonical.string());
    auto& archive = m_unpacked[key];
    if (!archive) {
        auto unpacked = UnpackedArchive::unpack(parsed, m_work_dir);
        if (!unpacked) {
            m_unpacked.erase(key);
            return std::unexpected(
                std::move(unpacked.error()).with_context(str_cat("while reading ", reference)));
        }
        archive = std::move(*unpacked);
    }
    return std::make_unique<ArchiveImageSource>(std::string(reference), std::move(parsed), archive);
}

// A save goes to a file of its own next to the unpacked archives, which goes once it is
// unpacked: the layers are then on disk once, not twice.
Result<std::unique_ptr<ImageSource>> ArchiveSources::make_from_save(
    std::string_view reference,
    std::string_view prefix,
    const std::function<Result<>(const std::string&, const fs::path&)>& save)
{
    const auto name = manifest::Reference::parse(reference.substr(prefix.size()));
    if (!name) {
        return fail(
            Errc::usage,
            str_cat(
                "'", reference, "': expected ", prefix, "NAME[:TAG] (", name.error().message, ")"));
    }
    const std::string key = str_cat(prefix, name->str());
    auto& archive = m_unpacked[key];
    if (!archive) {
        auto unpacked = [&]() -> Result<std::shared_ptr<UnpackedArchive>> {
            AIRLOCK_TRY(make_directories(m_work_dir));
            AIRLOCK_TRY_ASSIGN(const ScopedDirectory download,
                               ScopedDirectory::create_unique(m_work_dir, "archive-"));
            const fs::path file = download.path() / "image.tar";
            AIRLOCK_TRY(save(name->str(), file));
            return UnpackedArchive::unpack({true, file, {}}, m_work_dir);
        }();
        if (!unpacked) {
            m_unpacked.erase(key);
            return std::unexpected(
                std::move(unpacked.error()).with_context(str_cat("while reading ", reference)));
        }
        archive = std::move(*unpacked);
    }
    return std::make_unique<ArchiveImageSource>(
        std::string(reference),
        ArchiveReference{true, fs::path(name->path()), name->str()},
        archive);
}

} // namespace airlock::pack
