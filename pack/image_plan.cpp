// SPDX-License-Identifier: Apache-2.0
#include "image_plan.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>

#include <set>

namespace airlock::pack {

using manifest::Descriptor;
namespace media_type = manifest::media_type;

namespace {

struct ManifestFacts
{
    std::string platform; // empty for non-image manifests (attestations)
    std::string version;
};

class Planner
{
  public:
    Planner(ImageSource& source, PlannedImage& out)
        : m_source(source)
        , m_out(out)
    {
    }

    Result<> add_blob(const Descriptor& d, BlobRole role)
    {
        if (m_seen.insert(d.digest.str()).second) {
            m_out.blobs.push_back(PlannedBlob{d, &m_source, role});
            m_out.image.total_size += d.size;
        }
        return {};
    }

    // Reads one image manifest and its config.
    Result<ManifestFacts> add_manifest(const Descriptor& d, std::string_view bytes)
    {
        auto parsed = manifest::parse_image_manifest(bytes, d.media_type);
        if (!parsed) {
            return std::unexpected(
                std::move(parsed.error()).with_context(str_cat("in manifest ", d.digest.str())));
        }
        AIRLOCK_TRY(add_blob(d, BlobRole::document));
        AIRLOCK_TRY_ASSIGN(const std::string config_bytes, m_source.fetch_document(parsed->config));
        AIRLOCK_TRY(add_blob(parsed->config, BlobRole::config));
        ManifestFacts facts;
        if (media_type::is_json_document(parsed->config.media_type)) {
            auto config = manifest::parse_image_config(config_bytes);
            if (!config) {
                return std::unexpected(
                    std::move(config.error())
                        .with_context(str_cat("in config ", parsed->config.digest.str())));
            }
            manifest::Platform platform = config->platform;
            if (platform.os.empty() && d.platform) {
                platform = *d.platform;
            }
            if (!platform.os.empty() && platform.os != "unknown") {
                facts.platform = platform.str();
            }
            if (platform.os == "windows" && !platform.os_version.empty()) {
                facts.version = platform.os_version;
            } else if (const auto it =
                           parsed->annotations.find(std::string(manifest::k_annotation_version));
                       it != parsed->annotations.end()) {
                facts.version = it->second;
            } else if (const auto label =
                           config->labels.find(std::string(manifest::k_annotation_version));
                       label != config->labels.end()) {
                facts.version = label->second;
            }
            if (const auto seconds = parse_rfc3339(config->created);
                seconds && (!m_out.created_seconds || *seconds > *m_out.created_seconds)) {
                m_out.created_seconds = seconds;
                m_out.image.created = config->created;
            }
        }
        m_layers.insert(m_layers.end(), parsed->layers.begin(), parsed->layers.end());
        if (!m_out.single) {
            m_out.single = std::move(*parsed);
        }
        return facts;
    }

    Result<> finish_layers()
    {
        for (const auto& layer : m_layers) {
            AIRLOCK_TRY(add_blob(layer, BlobRole::layer));
        }
        return {};
    }

  private:
    ImageSource& m_source;
    PlannedImage& m_out;
    std::set<std::string> m_seen;
    std::vector<Descriptor> m_layers;
};

} // namespace

Result<PlannedImage> plan_image(ImageSource& source, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const ResolvedRoot root, source.resolve());
    if (media_type::is_schema1(root.root.media_type)) {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": Docker schema 1 images are not supported"));
    }
    PlannedImage out;
    Planner planner(source, out);
    AIRLOCK_TRY_ASSIGN(const std::string root_bytes, source.fetch_document(root.root));
    AIRLOCK_TRY_ASSIGN(const std::string type,
                       manifest::sniff_media_type(root_bytes, root.root.media_type));
    out.image.source = source.reference();
    out.image.name = root.repository;
    out.image.digest = root.root.digest;
    out.image.size = root.root.size;
    out.image.media_type = type;

    std::vector<ManifestFacts> facts;
    std::string index_version;
    if (media_type::is_index(type)) {
        auto index = manifest::parse_image_index(root_bytes, type);
        if (!index) {
            return std::unexpected(
                std::move(index.error()).with_context(str_cat("in ", source.reference())));
        }
        AIRLOCK_TRY(planner.add_blob(root.root, BlobRole::document));
        if (const auto it = index->annotations.find(std::string(manifest::k_annotation_version));
            it != index->annotations.end()) {
            index_version = it->second;
        }
        for (const auto& child : index->manifests) {
            if (!media_type::is_manifest(child.media_type)) {
                return fail(Errc::unsupported,
                            str_cat(source.reference(),
                                    ": index entry ",
                                    child.digest.str(),
                                    " has media type ",
                                    child.media_type,
                                    "; only image manifests are supported inside an index"));
            }
            AIRLOCK_TRY_ASSIGN(const std::string bytes, source.fetch_document(child));
            AIRLOCK_TRY_ASSIGN(ManifestFacts f, planner.add_manifest(child, bytes));
            facts.push_back(std::move(f));
        }
        out.single.reset();
    } else if (media_type::is_manifest(type)) {
        AIRLOCK_TRY_ASSIGN(ManifestFacts f, planner.add_manifest(root.root, root_bytes));
        facts.push_back(std::move(f));
    } else if (media_type::is_schema1(type)) {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": Docker schema 1 images are not supported"));
    } else {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": unsupported media type ", type));
    }
    AIRLOCK_TRY(planner.finish_layers());

    // The image's version: the index's own annotation, else the one all its platforms agree on.
    std::string version = index_version;
    if (version.empty()) {
        for (const auto& f : facts) {
            if (f.platform.empty()) {
                continue;
            }
            if (version.empty()) {
                version = f.version;
            } else if (f.version != version) {
                version.clear();
                break;
            }
        }
    }
    for (const auto& f : facts) {
        if (!f.platform.empty()) {
            out.image.platforms.push_back(f.platform);
        }
    }
    out.image.version = version;
    if (!root.tag.empty()) {
        out.image.tags.push_back(root.tag);
    }
    if (!version.empty() && manifest::is_valid_tag(version) && version != root.tag) {
        out.image.tags.push_back(version);
    } else if (!version.empty() && !manifest::is_valid_tag(version)) {
        reporter.warn(str_cat(
            source.reference(), ": version '", version, "' is not a valid tag; not tagging it"));
    }
    return out;
}

} // namespace airlock::pack
