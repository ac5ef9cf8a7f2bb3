// SPDX-License-Identifier: Apache-2.0
#include "image_plan.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/manifest/version.hpp>

#include <algorithm>
#include <map>

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

    Result<>
    add_blob(const Descriptor& d, BlobRole role, std::optional<std::string> content = std::nullopt)
    {
        const auto [seen, inserted] = m_seen.emplace(d.digest, d.size);
        if (inserted) {
            m_out.blobs.push_back(PlannedBlob{d, &m_source, role, std::move(content)});
            m_out.image.total_size += d.size;
        } else if (seen->second != d.size) {
            // The blob is carried once, checked against the first size: a manifest that gives
            // another would reach the site untrue.
            return fail(Errc::digest_mismatch,
                        str_cat(m_source.reference(),
                                ": blob ",
                                d.digest.str(),
                                " is declared as ",
                                seen->second,
                                " bytes and as ",
                                d.size,
                                " bytes by its manifests"));
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
            facts.version = manifest::image_version(*parsed, *config);
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
    std::map<manifest::Digest, std::uint64_t> m_seen; // the size first declared
    std::vector<Descriptor> m_layers;
};

// Decides the image's version, platforms and tags from what its manifests said.
Result<PlannedImage> finish_plan(PlannedImage out,
                                 const std::vector<ManifestFacts>& facts,
                                 const std::string& index_version,
                                 const ResolvedRoot& root,
                                 ImageSource& source,
                                 Reporter& reporter)
{
    // The image's version: the index's own annotation, else the one all its platforms agree on.
    std::vector<std::string> versions;
    for (const auto& f : facts) {
        if (!f.platform.empty()) { // attestations and other non-image manifests have no say
            versions.push_back(f.version);
        }
    }
    const std::string version = manifest::agreed_version(index_version, versions);
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

// The original index document with only the kept children (other fields as they were).
Result<std::string> index_document(const manifest::ImageIndex& index, std::string_view original)
{
    AIRLOCK_TRY_ASSIGN(nlohmann::json doc, manifest::parse_bounded_json(original, "image index"));
    if (!doc.is_object()) { // parse_image_index accepted it, so this is a bug, not the input
        return fail(Errc::internal, "image index is not a JSON object");
    }
    nlohmann::json children = nlohmann::json::array();
    for (const auto& d : index.manifests) {
        children.push_back(manifest::descriptor_to_json(d));
    }
    doc["manifests"] = std::move(children);
    return manifest::canonical_dump(doc);
}

std::string describe(const Descriptor& d)
{
    return d.platform ? d.platform->str() : std::string("unknown platform");
}

// The children of `index` that `selection` keeps, each request taking the matching manifest
// with the highest os.version, with a line saying which and why.
Result<std::vector<Descriptor>> select_platforms(const manifest::ImageIndex& index,
                                                 const PlatformSelection& selection,
                                                 const std::string& reference,
                                                 Reporter& reporter)
{
    std::vector<manifest::Platform> requests = selection.platforms;
    if (requests.empty()) {
        requests.push_back(manifest::host_platform());
    }
    std::vector<Descriptor> chosen;
    for (const auto& request : requests) {
        const Descriptor* best = nullptr;
        std::size_t matches = 0;
        for (const auto& child : index.manifests) {
            if (!child.platform || !request.accepts(*child.platform)) {
                continue;
            }
            ++matches;
            if (best == nullptr
                || manifest::compare_versions(child.platform->os_version,
                                              best->platform->os_version)
                       > 0) {
                best = &child;
            }
        }
        if (best == nullptr) {
            std::string available;
            for (const auto& child : index.manifests) {
                available += (available.empty() ? "" : ", ") + describe(child);
            }
            return fail(Errc::not_found,
                        str_cat(reference,
                                ": no image for platform ",
                                request.str(),
                                " (available: ",
                                available,
                                "; use --platform or --all-platforms)"));
        }
        std::string why = matches > 1
                              ? str_cat(", the highest os.version of ", matches, " matching")
                              : std::string();
        reporter.info(str_cat(reference,
                              ": platform ",
                              request.str(),
                              " -> ",
                              best->digest.str(),
                              " (",
                              describe(*best),
                              why,
                              ")"));
        if (std::none_of(chosen.begin(), chosen.end(), [&](const Descriptor& d) {
                return d.digest == best->digest;
            })) {
            chosen.push_back(*best);
        }
    }
    return chosen;
}

// What the bundle carries of an index image: its facts per platform and the index's version.
struct IndexPlan
{
    std::vector<ManifestFacts> facts;
    std::string version;
};

// Plans the platforms of index `root_bytes` the selection keeps: one platform becomes that
// image's own manifest (digest as published), several a new index of just those (a new
// digest), --all-platforms the original index.
Result<IndexPlan> plan_index(ImageSource& source,
                             const ResolvedRoot& root,
                             const std::string& root_bytes,
                             const std::string& type,
                             const PlatformSelection& selection,
                             Planner& planner,
                             PlannedImage& out,
                             Reporter& reporter)
{
    auto index = manifest::parse_image_index(root_bytes, type);
    if (!index) {
        return std::unexpected(
            std::move(index.error()).with_context(str_cat("in ", source.reference())));
    }
    IndexPlan plan;
    if (const auto it = index->annotations.find(std::string(manifest::k_annotation_version));
        it != index->annotations.end()) {
        plan.version = it->second;
    }
    if (!selection.all) {
        AIRLOCK_TRY_ASSIGN(std::vector<Descriptor> chosen,
                           select_platforms(*index, selection, source.reference(), reporter));
        if (chosen.size() == 1) {
            AIRLOCK_TRY_ASSIGN(const std::string bytes, source.fetch_document(chosen.front()));
            out.image.digest = chosen.front().digest;
            out.image.size = chosen.front().size;
            out.image.media_type = chosen.front().media_type;
            AIRLOCK_TRY_ASSIGN(ManifestFacts f, planner.add_manifest(chosen.front(), bytes));
            plan.facts.push_back(std::move(f));
            return plan;
        }
        index->manifests = std::move(chosen);
        AIRLOCK_TRY_ASSIGN(std::string narrowed, index_document(*index, root_bytes));
        Descriptor d = root.root;
        d.digest = manifest::Digest::sha256(crypto::sha256_hex(narrowed));
        d.size = narrowed.size();
        out.image.digest = d.digest;
        out.image.size = d.size;
        AIRLOCK_TRY(planner.add_blob(d, BlobRole::document, std::move(narrowed)));
    } else {
        AIRLOCK_TRY(planner.add_blob(root.root, BlobRole::document));
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
        plan.facts.push_back(std::move(f));
    }
    out.single.reset();
    return plan;
}

} // namespace

Result<PlannedImage>
plan_image(ImageSource& source, const PlatformSelection& selection, Reporter& reporter)
{
    AIRLOCK_TRY_ASSIGN(const ResolvedRoot root, source.resolve());
    if (media_type::is_schema1(root.root.media_type)) {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": Docker schema 1 images are not supported"));
    }
    AIRLOCK_TRY_ASSIGN(const std::string root_bytes, source.fetch_document(root.root));
    AIRLOCK_TRY_ASSIGN(const std::string type,
                       manifest::sniff_media_type(root_bytes, root.root.media_type));
    PlannedImage out{.image = {.source = source.reference(),
                               .name = root.repository,
                               .tags = {},
                               .version = {},
                               .digest = root.root.digest,
                               .media_type = type,
                               .size = root.root.size,
                               .platforms = {},
                               .created = {}},
                     .blobs = {},
                     .single = {},
                     .created_seconds = {}};
    Planner planner(source, out);

    IndexPlan plan;
    if (media_type::is_index(type)) {
        AIRLOCK_TRY_ASSIGN(
            plan, plan_index(source, root, root_bytes, type, selection, planner, out, reporter));
    } else if (media_type::is_manifest(type)) {
        AIRLOCK_TRY_ASSIGN(ManifestFacts f, planner.add_manifest(root.root, root_bytes));
        plan.facts.push_back(std::move(f));
    } else if (media_type::is_schema1(type)) {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": Docker schema 1 images are not supported"));
    } else {
        return fail(Errc::unsupported,
                    str_cat(source.reference(), ": unsupported media type ", type));
    }
    AIRLOCK_TRY(planner.finish_layers());
    return finish_plan(std::move(out), plan.facts, plan.version, root, source, reporter);
}

} // namespace airlock::pack
