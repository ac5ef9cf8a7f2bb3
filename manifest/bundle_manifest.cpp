// SPDX-License-Identifier: Apache-2.0
//
// bundle.json and signatures.json: the signed table of contents of a bundle (docs/format.md).
// Parsing is strict: unknown format versions, malformed digests, duplicate blobs and images
// whose manifest is not listed are refused, because everything an importer trusts comes from
// here once the signature is checked.

#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace airlock::manifest {

using nlohmann::json;

namespace {

json blob_to_json(const BundleBlob& b)
{
    return {{"digest", b.digest.str()}, {"size", b.size}, {"mediaType", b.media_type}};
}

Result<std::string>
get_string(const json& o, std::string_view key, std::string_view what, bool required = true)
{
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
        if (required) {
            return fail(Errc::format, str_cat("bundle.json: ", what, " lacks \"", key, "\""));
        }
        return std::string();
    }
    if (!it->is_string()) {
        return fail(Errc::format, str_cat("bundle.json: ", what, " \"", key, "\" is not a string"));
    }
    return it->get<std::string>();
}

// No blob, image or count comes near 2^53 (8 PiB); the bound keeps every sum of them from
// wrapping around, and keeps the numbers exact for JSON readers that use doubles.
constexpr std::uint64_t k_max_number = 1ULL << 53U;

// Signatures (and checked keys) one image may carry: a vendor signs a manifest a few times.
constexpr std::size_t k_max_image_signatures = 256;

Result<std::uint64_t> get_size(const json& o, std::string_view key, std::string_view what)
{
    const auto it = o.find(key);
    if (it == o.end() || !it->is_number_unsigned()) {
        return fail(Errc::format,
                    str_cat("bundle.json: ", what, " \"", key, "\" is not a non-negative integer"));
    }
    const auto value = it->get<std::uint64_t>();
    if (value > k_max_number) {
        return fail(Errc::format,
                    str_cat("bundle.json: ", what, " \"", key, "\" is ", value, ", beyond 2^53"));
    }
    return value;
}

// A time airlock wrote: RFC 3339, a date that exists.
Result<> check_time(const std::string& text, std::string_view key)
{
    if (!text.empty() && !parse_rfc3339(text)) {
        return fail(Errc::format,
                    str_cat("bundle.json: \"", key, "\" is not an RFC 3339 time: '", text, "'"));
    }
    return {};
}

Result<Digest> get_digest(const json& o, std::string_view what)
{
    AIRLOCK_TRY_ASSIGN(const std::string text, get_string(o, "digest", what));
    auto digest = Digest::parse(text);
    if (!digest) {
        return fail(Errc::format, str_cat("bundle.json: ", what, ": ", digest.error().message));
    }
    if (digest->algorithm() != "sha256") {
        return fail(Errc::unsupported,
                    str_cat("bundle.json: ", what, ": only sha256 blobs are supported"));
    }
    return digest;
}

Result<std::vector<BundleBlob>> get_blobs(const json& doc, std::string_view key)
{
    std::vector<BundleBlob> out;
    const auto it = doc.find(key);
    if (it == doc.end()) {
        return out;
    }
    if (!it->is_array()) {
        return fail(Errc::format, str_cat("bundle.json: \"", key, "\" is not an array"));
    }
    std::set<Digest> seen;
    std::uint64_t total = 0;
    for (const auto& entry : *it) {
        if (!entry.is_object()) {
            return fail(Errc::format,
                        str_cat("bundle.json: an entry of \"", key, "\" is not an object"));
        }
        AIRLOCK_TRY_ASSIGN(Digest digest, get_digest(entry, key));
        const std::string what = str_cat("blob ", digest.str());
        AIRLOCK_TRY_ASSIGN(const std::uint64_t size, get_size(entry, "size", what));
        AIRLOCK_TRY_ASSIGN(std::string media_type, get_string(entry, "mediaType", what));
        if (!seen.insert(digest).second) {
            return fail(Errc::format,
                        str_cat("bundle.json: blob ", digest.str(), " is listed twice"));
        }
        total += size;
        if (total > k_max_number) {
            return fail(Errc::format,
                        str_cat("bundle.json: the sizes of \"", key, "\" add up beyond 2^53"));
        }
        out.push_back(BundleBlob{
            .digest = std::move(digest), .size = size, .media_type = std::move(media_type)});
    }
    return out;
}

Result<std::vector<std::string>>
get_string_array(const json& o, std::string_view key, std::string_view what)
{
    std::vector<std::string> out;
    const auto it = o.find(key);
    if (it == o.end()) {
        return out;
    }
    if (!it->is_array()) {
        return fail(Errc::format, str_cat("bundle.json: ", what, " \"", key, "\" is not an array"));
    }
    for (const auto& v : *it) {
        if (!v.is_string()) {
            return fail(Errc::format,
                        str_cat("bundle.json: ", what, " \"", key, "\" holds a non-string"));
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

// Attachments (sigstore tags, OCI referrers) one image may carry: a few per manifest.
constexpr std::size_t k_max_image_attachments = 256;

// Calls `read` for each entry of the array `key` of `o` (none when there is no such key), each
// an object, at most `most` of them.
Result<> for_each_object(const json& o,
                         std::string_view key,
                         std::string_view what,
                         std::size_t most,
                         const std::function<Result<>(const json&)>& read)
{
    const auto list = o.find(key);
    if (list == o.end()) {
        return {};
    }
    if (!list->is_array() || list->size() > most) {
        return fail(
            Errc::format,
            str_cat("bundle.json: ", what, " \"", key, "\" is not an array of at most ", most));
    }
    for (const auto& entry : *list) {
        if (!entry.is_object()) {
            return fail(
                Errc::format,
                str_cat("bundle.json: ", what, ": an entry of \"", key, "\" is not an object"));
        }
        AIRLOCK_TRY(read(entry));
    }
    return {};
}

// The digest in string member `key` (what a signature signs, an attachment's subject).
Result<Digest> get_named_digest(const json& o, std::string_view key, std::string_view what)
{
    AIRLOCK_TRY_ASSIGN(const std::string text, get_string(o, key, what));
    auto digest = Digest::parse(text);
    if (!digest) {
        return fail(Errc::format,
                    str_cat("bundle.json: ", what, ": \"", key, "\": ", digest.error().message));
    }
    return digest;
}

// An attachment is a manifest (stores push it as one), and its tag is the one its kind
// gives its subject: a tag the bundle chose freely could overwrite an image's.
Result<> check_attachment(const ImageAttachment& a, std::string_view what)
{
    if (!media_type::is_manifest(a.media_type)) {
        return fail(Errc::format,
                    str_cat("bundle.json: ",
                            what,
                            ": attachment ",
                            a.digest.str(),
                            " is not a manifest (",
                            a.media_type,
                            ")"));
    }
    if (a.tag.empty()) {
        return {};
    }
    for (const std::string_view suffix : k_attachment_suffixes) {
        if (a.tag == attachment_tag(a.subject, suffix)) {
            return {};
        }
    }
    return fail(Errc::format,
                str_cat("bundle.json: ",
                        what,
                        ": attachment ",
                        a.digest.str(),
                        " has the tag '",
                        a.tag,
                        "', not one sigstore gives an attachment of ",
                        a.subject.str()));
}

// Names and tags become store keys and terminal output: they must be what `pack` writes, a
// fully qualified repository name and tags of Docker's grammar, nothing else.
Result<> check_names(const BundleImage& image)
{
    const auto ref = Reference::parse(image.name);
    if (!ref || ref->name() != image.name) {
        return fail(Errc::format,
                    str_cat("bundle.json: image name '",
                            image.name,
                            "' is not a fully qualified repository name"));
    }
    for (const auto& tag : image.tags) {
        if (!is_valid_tag(tag)) {
            return fail(
                Errc::format,
                str_cat("bundle.json: image ", image.name, " has an invalid tag '", tag, "'"));
        }
    }
    if (!image.version.empty() && !is_valid_tag(image.version)) {
        return fail(Errc::format,
                    str_cat("bundle.json: image ",
                            image.name,
                            " has an invalid version '",
                            image.version,
                            "'"));
    }
    return {};
}

Result<BundleImage> get_image(const json& o)
{
    if (!o.is_object()) {
        return fail(Errc::format, "bundle.json: an image entry is not an object");
    }
    AIRLOCK_TRY_ASSIGN(std::string name, get_string(o, "name", "image"));
    const std::string what = str_cat("image ", name);
    AIRLOCK_TRY_ASSIGN(std::string source, get_string(o, "source", what));
    AIRLOCK_TRY_ASSIGN(std::vector<std::string> tags, get_string_array(o, "tags", what));
    AIRLOCK_TRY_ASSIGN(std::string version, get_string(o, "version", what, false));
    AIRLOCK_TRY_ASSIGN(Digest digest, get_digest(o, what));
    BundleImage image{.source = std::move(source),
                      .name = std::move(name),
                      .tags = std::move(tags),
                      .version = std::move(version),
                      .digest = std::move(digest),
                      .media_type = {},
                      .platforms = {},
                      .created = {}};
    AIRLOCK_TRY_ASSIGN(image.media_type, get_string(o, "mediaType", what));
    AIRLOCK_TRY_ASSIGN(image.size, get_size(o, "size", what));
    AIRLOCK_TRY_ASSIGN(image.platforms, get_string_array(o, "platforms", what));
    AIRLOCK_TRY_ASSIGN(image.created, get_string(o, "created", what, false));
    AIRLOCK_TRY_ASSIGN(image.total_size, get_size(o, "totalSize", what));
    const auto read_signature = [&](const json& entry) -> Result<> {
        AIRLOCK_TRY_ASSIGN(Digest signed_digest, get_named_digest(entry, "manifest", what));
        AIRLOCK_TRY_ASSIGN(Digest blob, get_digest(entry, what));
        AIRLOCK_TRY_ASSIGN(const std::uint64_t size, get_size(entry, "size", what));
        image.signatures.push_back({std::move(signed_digest), std::move(blob), size});
        return {};
    };
    const auto read_check = [&](const json& entry) -> Result<> {
        AIRLOCK_TRY_ASSIGN(Digest signed_digest, get_named_digest(entry, "manifest", what));
        AIRLOCK_TRY_ASSIGN(std::string key, get_string(entry, "key", what));
        image.verified_by.push_back({std::move(signed_digest), std::move(key)});
        return {};
    };
    const auto read_attachment = [&](const json& entry) -> Result<> {
        AIRLOCK_TRY_ASSIGN(Digest subject, get_named_digest(entry, "subject", what));
        AIRLOCK_TRY_ASSIGN(Digest manifest_digest, get_digest(entry, what));
        ImageAttachment attachment{.subject = std::move(subject),
                                   .digest = std::move(manifest_digest),
                                   .media_type = {},
                                   .size = 0,
                                   .artifact_type = {},
                                   .tag = {}};
        AIRLOCK_TRY_ASSIGN(attachment.media_type, get_string(entry, "mediaType", what));
        AIRLOCK_TRY_ASSIGN(attachment.size, get_size(entry, "size", what));
        AIRLOCK_TRY_ASSIGN(attachment.artifact_type,
                           get_string(entry, "artifactType", what, false));
        AIRLOCK_TRY_ASSIGN(attachment.tag, get_string(entry, "tag", what, false));
        AIRLOCK_TRY(check_attachment(attachment, what));
        image.attachments.push_back(std::move(attachment));
        return {};
    };
    AIRLOCK_TRY(for_each_object(o, "signatures", what, k_max_image_signatures, read_signature));
    AIRLOCK_TRY(for_each_object(o, "verifiedBy", what, k_max_image_signatures, read_check));
    AIRLOCK_TRY(for_each_object(o, "attachments", what, k_max_image_attachments, read_attachment));
    AIRLOCK_TRY(check_names(image));
    return image;
}

} // namespace

std::string attachment_tag(const Digest& subject, std::string_view suffix)
{
    std::string tag = str_cat(subject.algorithm(), "-", subject.hex());
    if (!suffix.empty()) {
        tag += str_cat(".", suffix);
    }
    return tag;
}

std::optional<Digest> manifest_subject(const json& manifest)
{
    if (!manifest.is_object()) {
        return std::nullopt;
    }
    const auto subject = manifest.find("subject");
    if (subject == manifest.end() || !subject->is_object()) {
        return std::nullopt;
    }
    const auto digest = subject->find("digest");
    if (digest == subject->end() || !digest->is_string()) {
        return std::nullopt;
    }
    auto parsed = Digest::parse(digest->get<std::string>());
    return parsed ? std::optional<Digest>(std::move(*parsed)) : std::nullopt;
}

json attachment_to_json(const ImageAttachment& a)
{
    json item = {{"subject", a.subject.str()},
                 {"digest", a.digest.str()},
                 {"mediaType", a.media_type},
                 {"size", a.size}};
    if (!a.artifact_type.empty()) {
        item["artifactType"] = a.artifact_type;
    }
    if (!a.tag.empty()) {
        item["tag"] = a.tag;
    }
    return item;
}

bool is_attachment_tag(std::string_view tag)
{
    constexpr std::size_t k_hex = 64;
    constexpr std::string_view k_prefix = "sha256-";
    if (!tag.starts_with(k_prefix) || tag.size() < k_prefix.size() + k_hex) {
        return false;
    }
    const std::string_view hex = tag.substr(k_prefix.size(), k_hex);
    if (hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return false;
    }
    const std::string_view suffix = tag.substr(k_prefix.size() + k_hex);
    return suffix.empty()
           || std::any_of(k_attachment_suffixes.begin(),
                          k_attachment_suffixes.end(),
                          [&](std::string_view kind) {
                              return suffix.size() == kind.size() + 1 && suffix[0] == '.'
                                     && suffix.substr(1) == kind;
                          });
}

Descriptor tagged_descriptor(const BundleImage& image, const std::string& ref_name)
{
    Descriptor d{.media_type = image.media_type,
                 .digest = image.digest,
                 .size = image.size,
                 .platform = {},
                 .urls = {},
                 .annotations = {}};
    d.annotations[std::string(k_annotation_ref_name)] = ref_name;
    d.annotations[std::string(k_annotation_containerd_name)] = ref_name;
    if (!image.version.empty()) {
        d.annotations[std::string(k_annotation_version)] = image.version;
    }
    return d;
}

const BundleBlob* BundleManifest::find_blob(const Digest& digest) const
{
    for (const auto& b : blobs) {
        if (b.digest == digest) {
            return &b;
        }
    }
    return nullptr;
}

Result<std::string> bundle_manifest_to_json(const BundleManifest& m)
{
    json doc = {
        {"format", k_bundle_format},
        {"formatVersion", m.format_version},
        {"created", m.created},
        {"tool", m.tool},
    };
    if (!m.channel.empty()) {
        doc["channel"] = m.channel;
    }
    if (m.sequence) {
        doc["sequence"] = *m.sequence;
    }
    if (!m.expires.empty()) {
        doc["expires"] = m.expires;
    }
    json images = json::array();
    for (const auto& image : m.images) {
        json entry = {
            {"source", image.source},
            {"name", image.name},
            {"tags", image.tags},
            {"digest", image.digest.str()},
            {"mediaType", image.media_type},
            {"size", image.size},
            {"platforms", image.platforms},
            {"totalSize", image.total_size},
        };
        if (!image.version.empty()) {
            entry["version"] = image.version;
        }
        if (!image.created.empty()) {
            entry["created"] = image.created;
        }
        if (!image.signatures.empty()) {
            json list = json::array();
            for (const auto& sig : image.signatures) {
                list.push_back({{"manifest", sig.manifest.str()},
                                {"digest", sig.digest.str()},
                                {"size", sig.size}});
            }
            entry["signatures"] = std::move(list);
        }
        if (!image.attachments.empty()) {
            json list = json::array();
            for (const auto& a : image.attachments) {
                list.push_back(attachment_to_json(a));
            }
            entry["attachments"] = std::move(list);
        }
        if (!image.verified_by.empty()) {
            json list = json::array();
            for (const auto& check : image.verified_by) {
                list.push_back(json{{"manifest", check.manifest.str()}, {"key", check.key}});
            }
            entry["verifiedBy"] = std::move(list);
        }
        images.push_back(std::move(entry));
    }
    doc["images"] = std::move(images);
    json files = json::array();
    for (const auto& f : m.layout_files) {
        files.push_back({{"path", f.path}, {"digest", f.digest.str()}, {"size", f.size}});
    }
    doc["layoutFiles"] = std::move(files);
    json blobs = json::array();
    for (const auto& b : m.blobs) {
        blobs.push_back(blob_to_json(b));
    }
    doc["blobs"] = std::move(blobs);
    if (!m.since.empty()) {
        doc["since"] = m.since;
    }
    if (!m.required.empty()) {
        json required = json::array();
        for (const auto& b : m.required) {
            required.push_back(blob_to_json(b));
        }
        doc["required"] = std::move(required);
    }
    return canonical_dump(doc);
}

Result<BundleManifest> parse_bundle_manifest(std::string_view bytes)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "bundle.json"));
    if (!doc.is_object()) {
        return fail(Errc::format, "bundle.json is not a JSON object");
    }
    AIRLOCK_TRY_ASSIGN(const std::string format, get_string(doc, "format", "document"));
    if (format != k_bundle_format) {
        return fail(Errc::format,
                    str_cat("bundle.json: format is '", format, "', not ", k_bundle_format));
    }
    BundleManifest m;
    const auto version = json_integer(doc, "formatVersion");
    if (!version) {
        return fail(Errc::format, "bundle.json: missing formatVersion");
    }
    if (*version != k_bundle_format_version) {
        return fail(Errc::unsupported,
                    str_cat("bundle.json: format version ",
                            *version,
                            " is not supported by this airlock (supports ",
                            k_bundle_format_version,
                            "); upgrade airlock"));
    }
    m.format_version = k_bundle_format_version;
    AIRLOCK_TRY_ASSIGN(m.created, get_string(doc, "created", "document"));
    AIRLOCK_TRY_ASSIGN(m.tool, get_string(doc, "tool", "document"));
    AIRLOCK_TRY_ASSIGN(m.channel, get_string(doc, "channel", "document", false));
    AIRLOCK_TRY_ASSIGN(m.expires, get_string(doc, "expires", "document", false));
    AIRLOCK_TRY(check_time(m.created, "created"));
    AIRLOCK_TRY(check_time(m.expires, "expires"));
    if (doc.contains("sequence")) {
        AIRLOCK_TRY_ASSIGN(m.sequence, get_size(doc, "sequence", "document"));
    }
    const auto images = doc.find("images");
    if (images == doc.end() || !images->is_array()) {
        return fail(Errc::format, "bundle.json: missing images array");
    }
    for (const auto& entry : *images) {
        AIRLOCK_TRY_ASSIGN(BundleImage image, get_image(entry));
        m.images.push_back(std::move(image));
    }
    AIRLOCK_TRY_ASSIGN(m.blobs, get_blobs(doc, "blobs"));
    AIRLOCK_TRY_ASSIGN(m.required, get_blobs(doc, "required"));
    AIRLOCK_TRY_ASSIGN(m.since, get_string(doc, "since", "document", false));
    if (const auto files = doc.find("layoutFiles"); files != doc.end()) {
        if (!files->is_array()) {
            return fail(Errc::format, "bundle.json: \"layoutFiles\" is not an array");
        }
        std::set<std::string> seen;
        for (const auto& entry : *files) {
            if (!entry.is_object()) {
                return fail(Errc::format, "bundle.json: a layoutFiles entry is not an object");
            }
            AIRLOCK_TRY_ASSIGN(std::string path, get_string(entry, "path", "layout file"));
            const std::string what = str_cat("layout file ", path);
            AIRLOCK_TRY_ASSIGN(Digest digest, get_digest(entry, what));
            AIRLOCK_TRY_ASSIGN(const std::uint64_t size, get_size(entry, "size", what));
            LayoutFile f{.path = std::move(path), .digest = std::move(digest), .size = size};
            if (f.path != "oci-layout" && f.path != "index.json" && f.path != "manifest.json") {
                return fail(Errc::format,
                            str_cat("bundle.json: unexpected layout file '", f.path, "'"));
            }
            if (!seen.insert(f.path).second) {
                return fail(Errc::format,
                            str_cat("bundle.json: layout file ", f.path, " listed twice"));
            }
            m.layout_files.push_back(std::move(f));
        }
    }
    // By digest, once: a catalog's bundle lists tens of thousands of images and blobs.
    std::map<Digest, const BundleBlob*> listed;
    for (const auto& b : m.blobs) {
        listed.emplace(b.digest, &b);
    }
    std::set<Digest> required;
    for (const auto& b : m.required) {
        required.insert(b.digest);
    }
    const auto find = [&](const Digest& digest) -> const BundleBlob* {
        const auto it = listed.find(digest);
        return it == listed.end() ? nullptr : it->second;
    };
    for (const auto& image : m.images) {
        if (find(image.digest) == nullptr && !required.contains(image.digest)) {
            return fail(Errc::format,
                        str_cat("bundle.json: image ",
                                image.name,
                                " (",
                                image.digest.str(),
                                ") is not among the blobs"));
        }
        for (const auto& a : image.attachments) {
            const BundleBlob* blob = find(a.digest);
            if (blob == nullptr || blob->media_type != a.media_type || blob->size != a.size) {
                return fail(Errc::format,
                            str_cat("bundle.json: image ",
                                    image.name,
                                    ": its attachment ",
                                    a.digest.str(),
                                    " is not among the blobs as a manifest of that size"));
            }
        }
        for (const auto& sig : image.signatures) {
            const BundleBlob* blob = find(sig.digest);
            if (blob == nullptr || blob->media_type != media_type::simple_signing
                || blob->size != sig.size) {
                return fail(Errc::format,
                            str_cat("bundle.json: image ",
                                    image.name,
                                    ": its signature ",
                                    sig.digest.str(),
                                    " is not among the blobs as a signature of that size"));
            }
        }
    }
    return m;
}

namespace {

json signature_list(const std::vector<Signature>& signatures)
{
    json list = json::array();
    for (const auto& s : signatures) {
        list.push_back({{"algorithm", s.algorithm},
                        {"keyId", s.key_id},
                        {"signature", base64_encode(s.value)}});
    }
    return list;
}

// The array `key` of `doc`, in the format of signatures.json. `document` names the file.
Result<std::vector<Signature>>
parse_signature_list(const json& doc, const char* key, std::string_view document)
{
    const auto list = doc.find(key);
    if (list == doc.end() || !list->is_array()) {
        return fail(Errc::format, str_cat(document, ": missing ", key, " array"));
    }
    std::vector<Signature> out;
    for (const auto& entry : *list) {
        if (!entry.is_object()) {
            return fail(Errc::format, str_cat(document, ": an entry is not an object"));
        }
        Signature s;
        AIRLOCK_TRY_ASSIGN(s.algorithm, get_string(entry, "algorithm", "signature"));
        AIRLOCK_TRY_ASSIGN(s.key_id, get_string(entry, "keyId", "signature"));
        AIRLOCK_TRY_ASSIGN(const std::string encoded, get_string(entry, "signature", "signature"));
        auto decoded = base64_decode(encoded);
        if (!decoded) {
            return fail(
                Errc::format,
                str_cat(document, ": signature by ", s.key_id, ": ", decoded.error().message));
        }
        s.value = std::move(*decoded);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace

Result<std::string> signatures_to_json(const std::vector<Signature>& signatures)
{
    return canonical_dump(json{{"signatures", signature_list(signatures)}});
}

Result<std::vector<Signature>> parse_signatures(std::string_view bytes)
{
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, "signatures.json"));
    if (!doc.is_object()) {
        return fail(Errc::format, "signatures.json: missing signatures array");
    }
    return parse_signature_list(doc, "signatures", "signatures.json");
}

Result<std::string> cosignatures_to_json(const Cosignatures& cosignatures)
{
    json doc{{"signatures", signature_list(cosignatures.bundle)}};
    if (!cosignatures.parts.empty()) {
        doc["partsSignatures"] = signature_list(cosignatures.parts);
    }
    return canonical_dump(doc);
}

Result<Cosignatures> parse_cosignatures(std::string_view bytes)
{
    constexpr std::string_view document = "co-signature file";
    AIRLOCK_TRY_ASSIGN(const json doc, parse_bounded_json(bytes, document));
    if (!doc.is_object()) {
        return fail(Errc::format, str_cat(document, ": not a JSON object"));
    }
    Cosignatures out;
    AIRLOCK_TRY_ASSIGN(out.bundle, parse_signature_list(doc, "signatures", document));
    if (doc.contains("partsSignatures")) {
        AIRLOCK_TRY_ASSIGN(out.parts, parse_signature_list(doc, "partsSignatures", document));
    }
    return out;
}

} // namespace airlock::manifest
