// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/parts_manifest.hpp>

#include <algorithm>

namespace airlock::manifest {

using nlohmann::json;

namespace {

// Parts are numbered with three digits (BUNDLE.001 ... BUNDLE.999).

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

// A name that can only mean a file in the directory at hand, on Linux and on Windows, and that
// shows as what it is (no control characters or bidirectional overrides to disguise it).
bool safe_name(const std::string& name)
{
    if (name.empty() || name.size() > 255 || name == "." || name == ".."
        || has_hidden_characters(name)) {
        return false;
    }
    return name.find_first_of("/\\:") == std::string::npos;
}

bool is_sha256_hex(const std::string& text)
{
    return Digest::parse("sha256:" + text).has_value();
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
    AIRLOCK_TRY_ASSIGN(const json sig_doc, parse_bounded_json(sigs, "signatures"));
    return canonical_dump(
        {{"manifest", manifest_json(parts)}, {"signatures", sig_doc["signatures"]}});
}

Result<PartsFile> parse_parts_file(std::string_view bytes)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "parts file"));
    const auto m = doc.is_object() ? doc.find("manifest") : doc.end();
    const auto signatures = doc.is_object() ? doc.find("signatures") : doc.end();
    if (m == doc.end() || !m->is_object() || signatures == doc.end()) {
        return fail(Errc::format, "parts file: expected {\"manifest\": ..., \"signatures\": ...}");
    }
    if (json_string(*m, "format") != "airlock-parts" || json_integer(*m, "formatVersion") != 1) {
        return fail(Errc::format, "parts file: not an airlock parts file of format version 1");
    }
    PartsFile out;
    AIRLOCK_TRY_ASSIGN(out.manifest_bytes, canonical_dump(*m));
    const auto bundle = json_string(*m, "bundle");
    const auto size = json_unsigned(*m, "size");
    const auto sha256 = json_string(*m, "sha256");
    const auto bundle_json = json_string(*m, "bundleJson");
    const auto parts = m->find("parts");
    if (!bundle || !size || !sha256 || !bundle_json || parts == m->end() || !parts->is_array()) {
        return fail(Errc::format,
                    "parts file: manifest needs \"bundle\", \"size\", \"sha256\", "
                    "\"bundleJson\" and a \"parts\" array of the right types");
    }
    if (!safe_name(*bundle)) {
        return fail(Errc::unsafe_entry,
                    str_cat("parts file: bundle name '", *bundle, "' is not a plain file name"));
    }
    if (!is_sha256_hex(*sha256) || !is_sha256_hex(*bundle_json)) {
        return fail(Errc::format, "parts file: a sha256 is not 64 lower-case hex digits");
    }
    if (parts->empty()) {
        return fail(Errc::format, "parts file: lists no parts");
    }
    if (parts->size() > k_max_bundle_parts) {
        return fail(
            Errc::format,
            str_cat("parts file: lists ", parts->size(), " parts, more than ", k_max_bundle_parts));
    }
    out.manifest.bundle = *bundle;
    out.manifest.size = *size;
    out.manifest.sha256 = *sha256;
    out.manifest.bundle_json_sha256 = *bundle_json;
    std::uint64_t total = 0;
    for (const auto& part : *parts) {
        const auto name = json_string(part, "name");
        const auto part_size = json_unsigned(part, "size");
        const auto part_sha256 = json_string(part, "sha256");
        if (!name || !part_size || !part_sha256) {
            return fail(Errc::format,
                        "parts file: a part needs \"name\", \"size\" and \"sha256\" of the "
                        "right types");
        }
        if (!safe_name(*name)) {
            return fail(Errc::unsafe_entry,
                        str_cat("parts file: part name '", *name, "' is not a plain file name"));
        }
        if (!is_sha256_hex(*part_sha256)) {
            return fail(
                Errc::format,
                str_cat("parts file: the sha256 of part '", *name, "' is not 64 hex digits"));
        }
        if (std::any_of(out.manifest.parts.begin(),
                        out.manifest.parts.end(),
                        [&](const BundlePart& p) { return p.name == *name; })) {
            return fail(Errc::format, str_cat("parts file: part '", *name, "' is listed twice"));
        }
        if (*part_size > out.manifest.size - total) {
            return fail(Errc::format,
                        str_cat("parts file: the parts are larger than the bundle's ",
                                out.manifest.size,
                                " bytes"));
        }
        total += *part_size;
        out.manifest.parts.push_back(BundlePart{*name, *part_size, *part_sha256});
    }
    if (total != out.manifest.size) {
        return fail(Errc::format,
                    str_cat("parts file: the parts add up to ",
                            total,
                            " bytes, not the bundle's ",
                            out.manifest.size));
    }
    AIRLOCK_TRY_ASSIGN(out.signatures, parse_signatures(json{{"signatures", *signatures}}.dump()));
    return out;
}

} // namespace airlock::manifest
