// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

namespace airlock::manifest {

using nlohmann::json;

namespace {

Result<std::string> string_field(const json& object, std::string_view key, std::string_view what)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return fail(Errc::format, str_cat(what, ": missing or non-string \"", key, "\""));
    }
    return it->get<std::string>();
}

std::string optional_string(const json& object, std::string_view key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Annotations> string_map(const json& object, std::string_view key, std::string_view what)
{
    Annotations out;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return out;
    }
    if (!it->is_object()) {
        return fail(Errc::format, str_cat(what, ": \"", key, "\" is not an object"));
    }
    for (const auto& [k, v] : it->items()) {
        if (!v.is_string()) {
            return fail(Errc::format,
                        str_cat(what, ": \"", key, "\" value of \"", k, "\" is not a string"));
        }
        out.emplace(k, v.get<std::string>());
    }
    return out;
}

Result<> check_schema_version(const json& doc, std::string_view what)
{
    const auto it = doc.find("schemaVersion");
    if (it == doc.end() || !it->is_number_integer()) {
        return fail(Errc::format, str_cat(what, ": missing schemaVersion"));
    }
    if (it->get<std::int64_t>() == 1) {
        return fail(Errc::unsupported,
                    str_cat(what,
                            ": Docker schema 1 manifests are deprecated and not supported; "
                            "re-push the image with a current client"));
    }
    if (it->get<std::int64_t>() != 2) {
        return fail(Errc::format, str_cat(what, ": unknown schemaVersion ", it->dump()));
    }
    return {};
}

Result<Platform> parse_platform(const json& p)
{
    if (!p.is_object()) {
        return fail(Errc::format, "descriptor platform is not an object");
    }
    Platform out;
    out.os = optional_string(p, "os");
    out.architecture = optional_string(p, "architecture");
    out.variant = optional_string(p, "variant");
    out.os_version = optional_string(p, "os.version");
    if (out.os.empty() || out.architecture.empty()) {
        return fail(Errc::format, "descriptor platform lacks os or architecture");
    }
    return out;
}

} // namespace

std::string Descriptor::annotation(std::string_view key) const
{
    const auto it = annotations.find(std::string(key));
    return it == annotations.end() ? std::string() : it->second;
}

Result<Descriptor> parse_descriptor(const json& object)
{
    if (!object.is_object()) {
        return fail(Errc::format, "descriptor is not a JSON object");
    }
    AIRLOCK_TRY_ASSIGN(std::string media_type, string_field(object, "mediaType", "descriptor"));
    AIRLOCK_TRY_ASSIGN(const std::string digest_text, string_field(object, "digest", "descriptor"));
    AIRLOCK_TRY_ASSIGN(Digest digest, Digest::parse(digest_text));
    Descriptor d{.media_type = std::move(media_type),
                 .digest = std::move(digest),
                 .size = 0,
                 .platform = {},
                 .urls = {},
                 .annotations = {}};
    const auto size = object.find("size");
    if (size == object.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0) {
        return fail(Errc::format,
                    str_cat("descriptor ", digest_text, ": missing or negative size"));
    }
    d.size = size->get<std::uint64_t>();
    if (const auto p = object.find("platform"); p != object.end()) {
        AIRLOCK_TRY_ASSIGN(d.platform, parse_platform(*p));
    }
    if (const auto urls = object.find("urls"); urls != object.end() && urls->is_array()) {
        for (const auto& u : *urls) {
            if (u.is_string()) {
                d.urls.push_back(u.get<std::string>());
            }
        }
    }
    AIRLOCK_TRY_ASSIGN(d.annotations,
                       string_map(object, "annotations", str_cat("descriptor ", digest_text)));
    return d;
}

Result<std::string> sniff_media_type(std::string_view bytes, std::string_view declared)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "manifest"));
    if (!doc.is_object()) {
        return fail(Errc::format, "manifest is not a JSON object");
    }
    std::string type = optional_string(doc, "mediaType");
    if (type.empty()) {
        type = std::string(declared);
    }
    if (type.empty()) {
        // OCI allows omitting mediaType; the shape tells which document it is.
        type = std::string(doc.contains("manifests") ? media_type::oci_index
                                                     : media_type::oci_manifest);
    }
    return type;
}

Result<ImageManifest> parse_image_manifest(std::string_view bytes, std::string_view declared_type)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "image manifest"));
    if (!doc.is_object()) {
        return fail(Errc::format, "image manifest is not a JSON object");
    }
    AIRLOCK_TRY(check_schema_version(doc, "image manifest"));
    std::string type = optional_string(doc, "mediaType");
    if (type.empty()) {
        type = declared_type.empty() ? std::string(media_type::oci_manifest)
                                     : std::string(declared_type);
    }
    if (media_type::is_schema1(type)) {
        return fail(Errc::unsupported, "Docker schema 1 manifests are not supported");
    }
    if (!media_type::is_manifest(type)) {
        return fail(Errc::format, str_cat("not an image manifest: media type ", type));
    }
    const auto config = doc.find("config");
    if (config == doc.end()) {
        return fail(Errc::format, "image manifest has no config");
    }
    AIRLOCK_TRY_ASSIGN(Descriptor config_descriptor, parse_descriptor(*config));
    ImageManifest m{.media_type = std::move(type),
                    .config = std::move(config_descriptor),
                    .layers = {},
                    .annotations = {}};
    const auto layers = doc.find("layers");
    if (layers == doc.end() || !layers->is_array()) {
        return fail(Errc::format, "image manifest has no layers array");
    }
    for (const auto& layer : *layers) {
        AIRLOCK_TRY_ASSIGN(Descriptor d, parse_descriptor(layer));
        m.layers.push_back(std::move(d));
    }
    AIRLOCK_TRY_ASSIGN(m.annotations, string_map(doc, "annotations", "image manifest"));
    return m;
}

Result<ImageIndex> parse_image_index(std::string_view bytes, std::string_view declared_type)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "image index"));
    if (!doc.is_object()) {
        return fail(Errc::format, "image index is not a JSON object");
    }
    AIRLOCK_TRY(check_schema_version(doc, "image index"));
    ImageIndex index;
    index.media_type = optional_string(doc, "mediaType");
    if (index.media_type.empty()) {
        index.media_type =
            declared_type.empty() ? std::string(media_type::oci_index) : std::string(declared_type);
    }
    if (!media_type::is_index(index.media_type)) {
        return fail(Errc::format, str_cat("not an image index: media type ", index.media_type));
    }
    const auto manifests = doc.find("manifests");
    if (manifests == doc.end() || !manifests->is_array()) {
        return fail(Errc::format, "image index has no manifests array");
    }
    for (const auto& entry : *manifests) {
        AIRLOCK_TRY_ASSIGN(Descriptor d, parse_descriptor(entry));
        index.manifests.push_back(std::move(d));
    }
    AIRLOCK_TRY_ASSIGN(index.annotations, string_map(doc, "annotations", "image index"));
    return index;
}

Result<ImageConfig> parse_image_config(std::string_view bytes)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "image config"));
    if (!doc.is_object()) {
        return fail(Errc::format, "image config is not a JSON object");
    }
    ImageConfig c;
    c.platform.os = optional_string(doc, "os");
    c.platform.architecture = optional_string(doc, "architecture");
    c.platform.variant = optional_string(doc, "variant");
    c.platform.os_version = optional_string(doc, "os.version");
    c.created = optional_string(doc, "created");
    if (const auto config = doc.find("config"); config != doc.end() && config->is_object()) {
        AIRLOCK_TRY_ASSIGN(c.labels, string_map(*config, "Labels", "image config"));
    }
    return c;
}

json descriptor_to_json(const Descriptor& d)
{
    json out = {{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
    if (d.platform) {
        json p = {{"os", d.platform->os}, {"architecture", d.platform->architecture}};
        if (!d.platform->variant.empty()) {
            p["variant"] = d.platform->variant;
        }
        if (!d.platform->os_version.empty()) {
            p["os.version"] = d.platform->os_version;
        }
        out["platform"] = std::move(p);
    }
    if (!d.urls.empty()) {
        out["urls"] = d.urls;
    }
    if (!d.annotations.empty()) {
        out["annotations"] = d.annotations;
    }
    return out;
}

} // namespace airlock::manifest
