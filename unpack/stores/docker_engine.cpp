// SPDX-License-Identifier: Apache-2.0
//
// import --to docker-engine. The Engine API's only way in for image content is POST
// /images/load with a docker-archive (`docker save` format: manifest.json naming a config file
// and layer files per image); Docker 20.10 cannot load OCI archives. So the archive is written
// while the bundle streams: each needed config and layer goes from the tar reader through a
// TarWriter into a bounded pipe that the HTTP upload drains on its own thread, and
// manifest.json closes the archive (the engine reads the whole archive before it imports
// anything, so entry order does not matter). RepoTags stay empty: tags are applied one by one
// afterwards, with the same rules as every store, once the load reported success.
//
// The API is HTTP/1.1 over the engine's unix socket, or on Windows its named pipe
// \\.\pipe\docker_engine, both through http::LocalTransport: the same calls on every host.

#include "../bounded_pipe.hpp"
#include "../bundle_policy.hpp"
#include "../store_identity.hpp"
#include "engine_connection.hpp"
#include "kinds.hpp"

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/http/client.hpp>
#include <airlock/http/local_transport.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/manifest/version.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>
#include <thread>

namespace airlock::unpack {

namespace media_type = manifest::media_type;
using manifest::Descriptor;
using nlohmann::json;

namespace {

// What the engine gets of one bundle image: one platform's manifest.
struct EngineImage
{
    std::size_t index = 0; // in bundle.images
    manifest::ImageManifest manifest;
    bool present = false; // the engine already has this image (by config digest = image ID)
};

// Writes the docker-archive of what the engine lacks into the load, as the bundle streams.
class EngineSink final : public bundle::BlobSink
{
  public:
    EngineSink(EngineConnection& engine,
               const manifest::BundleManifest& bundle,
               manifest::Platform platform,
               const Documents& documents,
               Reporter& reporter)
        : m_engine(engine)
        , m_bundle(bundle)
        , m_platform(std::move(platform))
        , m_documents(documents)
        , m_reporter(reporter)
    {
    }

    EngineSink(const EngineSink&) = delete;
    EngineSink& operator=(const EngineSink&) = delete;

    ~EngineSink() override
    {
        abort();
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        m_in_entry = false;
        if (media_type::is_index(blob.media_type) || media_type::is_manifest(blob.media_type)) {
            return {};
        }
        if (!m_selected) {
            AIRLOCK_TRY(select());
        }
        if (!m_writer || !m_needed.contains(blob.digest)) {
            return {};
        }
        AIRLOCK_TRY(m_writer->begin_entry(
            blob.digest.layout_path(), blob.size, archive::EntryContent::uncompressed));
        m_in_entry = true;
        ++m_blobs_sent;
        m_bytes_sent += blob.size;
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        if (m_in_entry) {
            AIRLOCK_TRY(m_writer->write(data)); // carries the engine's error when the load stopped
        }
        return {};
    }

    Result<> end(bool verified) override
    {
        if (m_in_entry) {
            m_in_entry = false;
            if (!verified) {
                abort(); // the engine must not load what did not verify
                return {};
            }
            AIRLOCK_TRY(m_writer->end_entry());
        }
        return {};
    }

    // Closes the archive with manifest.json and waits for the engine's verdict.
    Result<> finish_load()
    {
        if (!m_selected) {
            AIRLOCK_TRY(select());
        }
        if (m_aborted) {
            return fail(Errc::digest_mismatch,
                        "the load into Docker Engine was cut: a blob did not verify");
        }
        if (!m_writer) {
            return {};
        }
        json entries = json::array();
        for (const auto& image : m_images) {
            if (image.present) {
                continue;
            }
            json layers = json::array();
            for (const auto& layer : image.manifest.layers) {
                layers.push_back(layer.digest.layout_path());
            }
            entries.push_back({{"Config", image.manifest.config.digest.layout_path()},
                               {"RepoTags", json::array()},
                               {"Layers", layers}});
        }
        const std::string text = entries.dump();
        AIRLOCK_TRY(m_writer->add("manifest.json", text, archive::EntryContent::metadata));
        AIRLOCK_TRY(m_writer->finish());
        m_writer.reset();
        AIRLOCK_TRY(m_upload->finish());
        // The engine's answer is a stream of messages whose errors take several forms: what
        // counts is that it now has every image it was sent.
        for (const auto& image : m_images) {
            if (image.present) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const auto loaded,
                               m_engine.inspect(image.manifest.config.digest.str()));
            if (!loaded) {
                return fail(Errc::http_status,
                            str_cat("Docker Engine answered the load without error but does not "
                                    "have image ",
                                    m_bundle.images[image.index].name,
                                    " (",
                                    image.manifest.config.digest.str(),
                                    ")"));
            }
        }
        return {};
    }

    const std::vector<EngineImage>& images() const
    {
        return m_images;
    }

    std::uint64_t blobs_sent() const
    {
        return m_blobs_sent;
    }

    std::uint64_t bytes_sent() const
    {
        return m_bytes_sent;
    }

    // Picks each image's manifest for the engine's platform and learns which images the engine
    // has already; nothing is sent.
    Result<> plan()
    {
        m_selected = true;
        for (std::size_t i = 0; i < m_bundle.images.size(); ++i) {
            AIRLOCK_TRY_ASSIGN(std::optional<manifest::ImageManifest> m, platform_manifest(i));
            if (!m) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(const auto existing, m_engine.inspect(m->config.digest.str()));
            EngineImage engine_image{i, std::move(*m), existing.has_value()};
            if (!engine_image.present) {
                m_needed.insert(engine_image.manifest.config.digest);
                for (const auto& layer : engine_image.manifest.layers) {
                    m_needed.insert(layer.digest);
                }
            }
            m_images.push_back(std::move(engine_image));
        }
        return {};
    }

    // What the load would send (written, bytes) and what the engine has (present,
    // bytes_present), by the configs and layers of the selected manifests.
    BlobCounts planned_counts() const
    {
        BlobCounts counts;
        std::set<manifest::Digest> seen;
        for (const auto& image : m_images) {
            std::vector<Descriptor> blobs = image.manifest.layers;
            blobs.push_back(image.manifest.config);
            for (const auto& blob : blobs) {
                if (!seen.insert(blob.digest).second) {
                    continue;
                }
                const bool sent = m_needed.contains(blob.digest);
                (sent ? counts.written : counts.present) += 1;
                (sent ? counts.bytes : counts.bytes_present) += blob.size;
            }
        }
        return counts;
    }

  private:
    // plan(), then the load when anything is missing from the engine. All manifests precede
    // the configs and layers in a bundle, so this runs at the first config or layer.
    Result<> select()
    {
        AIRLOCK_TRY(plan());
        if (m_needed.empty()) {
            return {};
        }
        return start_load();
    }

    // The manifest of bundle image `index` for the engine's platform; nothing (with a warning)
    // when the image has none.
    Result<std::optional<manifest::ImageManifest>> platform_manifest(std::size_t index)
    {
        const auto& image = m_bundle.images[index];
        const auto doc = m_documents.find(image.digest);
        if (doc == m_documents.end()) {
            return fail(Errc::format,
                        str_cat("image ", image.name, ": its manifest is not in the bundle"));
        }
        Descriptor chosen{image.media_type, image.digest, image.size, {}, {}, {}};
        if (media_type::is_index(image.media_type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index_doc,
                               manifest::parse_image_index(doc->second, image.media_type));
            const auto best = best_platform_entry(index_doc.manifests,
                                                  m_platform,
                                                  m_platform.os == "windows" ? host_windows_build()
                                                                             : std::nullopt);
            if (!best) {
                m_reporter.warn(str_cat(
                    image.name, ": no ", m_platform.str(), " image in this bundle; not loaded"));
                return std::optional<manifest::ImageManifest>();
            }
            chosen = index_doc.manifests[*best];
        }
        const auto bytes = m_documents.find(chosen.digest);
        if (bytes == m_documents.end()) {
            return fail(Errc::format,
                        str_cat("image ",
                                image.name,
                                ": manifest ",
                                chosen.digest.str(),
                                " is not in the bundle"));
        }
        AIRLOCK_TRY_ASSIGN(manifest::ImageManifest m,
                           manifest::parse_image_manifest(bytes->second, chosen.media_type));
        return std::optional<manifest::ImageManifest>(std::move(m));
    }

    // Starts POST /images/load on its own thread, fed by the archive written as blobs pass.
    Result<> start_load()
    {
        m_upload =
            std::make_unique<PipedUpload>([this](const PipedUpload::Source& source) -> Result<> {
                AIRLOCK_TRY_ASSIGN(const http::Response response, m_engine.load(source));
                return check_load_response(response);
            });
        AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                           archive::TarWriter::create_to_sink(
                               [this](std::span<const char> data) { return m_upload->push(data); },
                               archive::Compression{archive::Codec::none, 0, 1},
                               0));
        m_writer.emplace(std::move(writer));
        return {};
    }

    // /images/load answers 200 and puts errors inside its JSON stream: read the stream.
    static Result<> check_load_response(const http::Response& response)
    {
        if (response.status != 200) {
            return fail(Errc::http_status,
                        str_cat("Docker Engine refused the load (",
                                response.status,
                                "): ",
                                response.body.substr(0, 300)));
        }
        std::size_t start = 0;
        while (start < response.body.size()) {
            const auto end = response.body.find('\n', start);
            const std::string_view line(response.body.data() + start,
                                        (end == std::string::npos ? response.body.size() : end)
                                            - start);
            auto doc = manifest::parse_bounded_json(line, "load response");
            if (doc && doc->is_object()
                && (doc->contains("error") || doc->contains("errorDetail"))) {
                const std::string why =
                    manifest::json_string(*doc, "error")
                        .value_or(doc->contains("error") ? (*doc)["error"].dump()
                                                         : (*doc)["errorDetail"].dump());
                return fail(
                    Errc::http_status,
                    str_cat("Docker Engine could not load the images: ", why.substr(0, 300)));
            }
            start = end == std::string::npos ? response.body.size() : end + 1;
        }
        return {};
    }

    void abort()
    {
        m_aborted = m_aborted || m_writer.has_value();
        m_writer.reset();
        if (m_upload) {
            m_upload->abort();
        }
    }

    EngineConnection& m_engine;
    const manifest::BundleManifest& m_bundle;
    manifest::Platform m_platform;
    const Documents& m_documents;
    Reporter& m_reporter;
    bool m_selected = false;
    bool m_aborted = false; // the load was cut: nothing of it may count as loaded
    bool m_in_entry = false;
    std::vector<EngineImage> m_images;
    std::set<manifest::Digest> m_needed;
    std::uint64_t m_blobs_sent = 0;
    std::uint64_t m_bytes_sent = 0;
    std::unique_ptr<PipedUpload> m_upload; // the load, while the archive is being written
    std::optional<archive::TarWriter> m_writer;
};

// The version the engine's image declares (Windows OsVersion, else the version label).
std::string engine_version(const json& inspect)
{
    if (manifest::json_string(inspect, "Os") == "windows"
        && !manifest::json_string(inspect, "OsVersion").value_or("").empty()) {
        return *manifest::json_string(inspect, "OsVersion");
    }
    const auto config = inspect.find("Config");
    if (config != inspect.end() && config->is_object()) {
        const auto labels = config->find("Labels");
        if (labels != config->end() && labels->is_object()) {
            return manifest::json_string(*labels, manifest::k_annotation_version).value_or("");
        }
    }
    return {};
}

// A Docker Engine as a store. Engines load whole images, so differential bundles are refused.
class DockerEngineStore final : public Store
{
  public:
    explicit DockerEngineStore(EngineTarget target)
        : m_engine(std::move(target.endpoint))
    {
    }

    std::string name() const override
    {
        return "docker-engine:" + m_engine.address();
    }

    std::string identity() const override
    {
        return "docker-engine:" + engine_path();
    }

    std::string ledger_name() const override
    {
        return "docker-engine-" + engine_path();
    }

    // The socket's real path, or the pipe's name (case does not matter to Windows).
    std::string engine_path() const
    {
        const http::LocalEndpoint& endpoint = m_engine.endpoint();
        return endpoint.kind == http::LocalEndpoint::Kind::unix_socket
                   ? resolved_path(endpoint.path)
                   : ascii_lower(endpoint.path);
    }

    bool accepts_differential() const override
    {
        return false;
    }

    // Learns the engine's platform: it loads that platform's manifest of each image.
    Result<>
    prepare(const IncomingBundle& bundle, ChannelGuard& /*channel*/, Reporter& reporter) override
    {
        m_bundle = &bundle.manifest;
        m_bundle_path = bundle.path;
        m_reporter = &reporter;
        AIRLOCK_TRY_ASSIGN(const http::Response version, m_engine.call("GET", "/version"));
        if (version.status != 200) {
            return fail(
                Errc::network,
                str_cat("no Docker Engine API at ", m_engine.address(), " (", version.status, ")"));
        }
        AIRLOCK_TRY_ASSIGN(const json info,
                           manifest::parse_bounded_json(version.body, "engine version"));
        m_platform.os = manifest::json_string(info, "Os").value_or("linux");
        m_platform.architecture = manifest::json_string(info, "Arch").value_or("amd64");
        return {};
    }

    Result<bundle::BlobSink*> receiver(const Documents& documents) override
    {
        m_sink.emplace(m_engine, *m_bundle, m_platform, documents, *m_reporter);
        return &*m_sink;
    }

    // The images the engine has are judged by their image IDs, as the load would be.
    Result<BlobCounts> preview(const Documents& documents) override
    {
        m_sink.emplace(m_engine, *m_bundle, m_platform, documents, *m_reporter);
        AIRLOCK_TRY(m_sink->plan());
        return m_sink->planned_counts();
    }

    Result<> received(Result<bundle::ContentReport> streamed) override
    {
        if (!streamed) {
            return std::unexpected(std::move(streamed.error()));
        }
        return {};
    }

    // Closes the archive and waits for the engine to load it.
    Result<> publish(const Documents& /*documents*/, ChannelGuard& /*channel*/) override
    {
        auto loaded = m_sink->finish_load();
        if (!loaded) {
            return std::unexpected(
                std::move(loaded.error())
                    .with_context(
                        str_cat("while loading ", m_bundle_path.string(), " into ", name())));
        }
        return {};
    }

    // The engine knows an image by its config digest (the image ID).
    std::optional<std::string> image_id(std::size_t image) const override
    {
        const EngineImage* loaded = engine_image(image);
        if (loaded == nullptr) {
            return std::nullopt;
        }
        return loaded->manifest.config.digest.str();
    }

    std::string image_name(std::size_t image) const override
    {
        const std::string& name = m_bundle->images.at(image).name;
        auto ref = manifest::Reference::parse(name);
        return ref ? ref->familiar_name() : name;
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override
    {
        AIRLOCK_TRY_ASSIGN(m_current, m_engine.inspect(image_name(image) + ":" + tag));
        if (!m_current) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(manifest::json_string(*m_current, "Id").value_or(""));
    }

    Result<std::string> tagged_version() override
    {
        return engine_version(*m_current);
    }

    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        const std::string repo = image_name(image);
        AIRLOCK_TRY_ASSIGN(const http::Response r,
                           m_engine.call("POST",
                                         str_cat("/images/",
                                                 *image_id(image),
                                                 "/tag?repo=",
                                                 http::url_encode(repo),
                                                 "&tag=",
                                                 http::url_encode(tag))));
        if (r.status != 201 && r.status != 200) {
            return fail(Errc::http_status,
                        str_cat("Docker Engine refused tag ",
                                repo,
                                ":",
                                tag,
                                " (",
                                r.status,
                                "): ",
                                r.body.substr(0, 200)));
        }
        return {};
    }

    // What was sent, and what the engine had (the blobs of the images it held already).
    BlobCounts counts() const override
    {
        BlobCounts counts;
        if (m_sink) {
            counts = m_sink->planned_counts();
            counts.written = m_sink->blobs_sent();
            counts.bytes = m_sink->bytes_sent();
        }
        return counts;
    }

  private:
    const EngineImage* engine_image(std::size_t image) const
    {
        for (const auto& loaded : m_sink->images()) {
            if (loaded.index == image) {
                return &loaded;
            }
        }
        return nullptr;
    }

    EngineConnection m_engine;
    const manifest::BundleManifest* m_bundle = nullptr;
    std::filesystem::path m_bundle_path;
    Reporter* m_reporter = nullptr;
    manifest::Platform m_platform;
    std::optional<EngineSink> m_sink;
    std::optional<json> m_current; // the inspect document of what the last `tagged` found
};

} // namespace

Result<EngineTarget> parse_engine_target(std::string_view spec)
{
    if (spec != "docker-engine" && !spec.starts_with("docker-engine:")) {
        return fail(Errc::usage, str_cat("unsupported store '", spec, "'"));
    }
    AIRLOCK_TRY_ASSIGN(
        http::LocalEndpoint endpoint,
        http::docker_engine_endpoint(spec.size() > 14 ? spec.substr(14) : std::string_view()));
    return EngineTarget{std::move(endpoint)};
}

Result<std::unique_ptr<Store>> open_docker_engine_store(std::string_view spec,
                                                        const StoreOptions& /*options*/)
{
    AIRLOCK_TRY_ASSIGN(EngineTarget target, parse_engine_target(spec));
    return std::make_unique<DockerEngineStore>(std::move(target));
}

} // namespace airlock::unpack
