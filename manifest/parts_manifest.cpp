// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/parts_manifest.hpp>

namespace airlock::manifest {

using nlohmann::json;

namespace {

json manifest_json(const PartsManifest& p)
{
    json parts = json::array();
    for (const auto& part : p.parts) {
        parts.push_back({{"name", part.name}, {"size", part.size}, {"sha256", part.sha256}});
    }
    return {{"format", "airlock-parts"},
            {"formatVersion", 1},
            {"bundle", p.bundle},
            {"size", p.size},
            {"sha256", p.sha256},
            {"bundleJson", p.bundle_json_sha256},
            {"parts", parts}};
}

bool safe_name(const std::string& name)
{
    return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

} // namespace

Result<std::string> parts_manifest_to_json(const PartsManifest& parts)
{
    return canonical_dump(manifest_json(parts));
}

Result<std::string> parts_file_to_json(const PartsManifest& parts,
                                       const std::vector<Signature>& signatures)
{
    AIRLOCK_TRY_ASSIGN(const std::string sigs, signatures_to_json(signatures));
    AIRLOCK_TRY_ASSIGN(const json sig_doc, parse_json(sigs, "signatures"));
    return canonical_dump(
        {{"manifest", manifest_json(parts)}, {"signatures", sig_doc["signatures"]}});
}

Result<PartsFile> parse_parts_file(std::string_view bytes)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_json(bytes, "parts file"));
    if (!doc.is_object() || !doc.contains("manifest") || !doc["manifest"].is_object()
        || !doc.contains("signatures")) {
        return fail(Errc::format, "parts file: expected {\"manifest\": ..., \"signatures\": ...}");
    }
    const json& m = doc["manifest"];
    if (m.value("format", std::string()) != "airlock-parts" || m.value("formatVersion", 0) != 1) {
        return fail(Errc::format, "parts file: not an airlock parts file of format version 1");
    }
    PartsFile out;
    AIRLOCK_TRY_ASSIGN(out.manifest_bytes, canonical_dump(m));
    try {
        out.manifest.bundle = m.at("bundle").get<std::string>();
        out.manifest.size = m.at("size").get<std::uint64_t>();
        out.manifest.sha256 = m.at("sha256").get<std::string>();
        out.manifest.bundle_json_sha256 = m.at("bundleJson").get<std::string>();
        for (const auto& part : m.at("parts")) {
            BundlePart p{part.at("name").get<std::string>(),
                         part.at("size").get<std::uint64_t>(),
                         part.at("sha256").get<std::string>()};
            if (!safe_name(p.name)) {
                return fail(
                    Errc::unsafe_entry,
                    str_cat("parts file: part name '", p.name, "' is not a plain file name"));
            }
            out.manifest.parts.push_back(std::move(p));
        }
    } catch (const json::exception& e) {
        return fail(Errc::format, str_cat("parts file: ", e.what()));
    }
    AIRLOCK_TRY_ASSIGN(out.signatures,
                       parse_signatures(json{{"signatures", doc["signatures"]}}.dump()));
    return out;
}

} // namespace airlock::manifest
