// SPDX-License-Identifier: Apache-2.0
#include "oci_layout_source.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace airlock::pack {

namespace fs = std::filesystem;
using manifest::Descriptor;

namespace {

constexpr std::uint64_t k_max_document_size = 16ULL << 20U;

} // namespace

std::string repository_from_path(const fs::path& dir)
{
    std::string base = fs::absolute(dir).lexically_normal().filename().string();
    if (base.empty()) {
        base = fs::absolute(dir).lexically_normal().parent_path().filename().string();
    }
    std::string out;
    for (const char c : base) {
        const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const bool alnum = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (alnum) {
            out.push_back(lower);
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return "localhost/" + (out.empty() ? std::string("image") : out);
}

OciLayoutSource::OciLayoutSource(std::string reference,
                                 fs::path dir,
                                 std::string ref,
                                 fs::path name_from,
                                 std::shared_ptr<const LayoutIndex> index)
    : m_reference(std::move(reference))
    , m_dir(std::move(dir))
    , m_ref(std::move(ref))
    , m_name_from(name_from.empty() ? m_dir : std::move(name_from))
    , m_index(std::move(index))
{
}

Result<Descriptor> OciLayoutSource::find_root(const LayoutIndex& index) const
{
    const std::vector<const Descriptor*> matches = index.named(m_ref);
    if (matches.empty()) {
        return fail(Errc::not_found,
                    str_cat("image '",
                            m_ref,
                            "' not found in ",
                            m_dir.string(),
                            " (available: ",
                            index.available(),
                            ")"));
    }
    if (matches.size() > 1) {
        return fail(Errc::usage,
                    str_cat(m_dir.string(),
                            " holds ",
                            matches.size(),
                            " images; name one as oci:DIR:REF (available: ",
                            index.available(),
                            ")"));
    }
    return *matches.front();
}

Result<ResolvedRoot> OciLayoutSource::resolve()
{
    if (!m_index) {
        AIRLOCK_TRY_ASSIGN(m_index, LayoutIndex::read(m_dir));
    }
    AIRLOCK_TRY_ASSIGN(Descriptor root, find_root(*m_index));
    ResolvedRoot out{.root = std::move(root), .repository = {}, .tag = {}};
    // The name: containerd's full name, else a ref name that is a full reference, else a ref name
    // NAME:TAG as skopeo and umoci write it (`oci:DIR:base:1.0`), which names localhost/NAME as
    // podman does, else the directory's name with the ref name as its tag.
    const std::string ref_name = out.root.annotation(manifest::k_annotation_ref_name);
    m_root_ref = ref_name;
    std::string full_name = out.root.annotation(manifest::k_annotation_containerd_name);
    if (full_name.empty() && ref_name.find('/') != std::string::npos) {
        full_name = ref_name;
    } else if (full_name.empty() && ref_name.find(':') != std::string::npos) {
        full_name = "localhost/" + ref_name;
    }
    if (!full_name.empty()) {
        auto parsed = manifest::Reference::parse(full_name);
        if (!parsed) {
            return std::unexpected(
                std::move(parsed.error()).with_context(str_cat("in ", m_reference)));
        }
        out.repository = parsed->name();
        out.tag = parsed->tag();
    } else {
        out.repository = repository_from_path(m_name_from);
        out.tag = manifest::is_valid_tag(ref_name) ? ref_name : std::string("latest");
    }
    return out;
}

Result<std::vector<AttachedManifest>> OciLayoutSource::attachments(const manifest::Digest& subject)
{
    std::vector<AttachedManifest> out;
    if (!m_index) {
        return out;
    }
    // The image's ref name with the attachment's tag in place of its own.
    const std::size_t slash = m_root_ref.rfind('/');
    const std::size_t colon = m_root_ref.rfind(':');
    const bool has_name =
        colon != std::string::npos && (slash == std::string::npos || colon > slash);
    const std::string prefix = has_name ? m_root_ref.substr(0, colon + 1) : std::string();
    for (const std::string_view suffix : manifest::k_attachment_suffixes) {
        const std::string tag = manifest::attachment_tag(subject, suffix);
        for (const Descriptor* d : m_index->named(prefix + tag)) {
            out.push_back({*d, tag});
        }
    }
    // Read once per layout, whatever number of its images a pack names.
    AIRLOCK_TRY_ASSIGN(
        const LayoutIndex::Referrers* referrers,
        m_index->referrers([this](const Descriptor& d) -> Result<std::optional<manifest::Digest>> {
            if (!manifest::media_type::is_manifest(d.media_type)) {
                return std::optional<manifest::Digest>();
            }
            AIRLOCK_TRY_ASSIGN(const std::string bytes, fetch_document(d));
            const auto doc = manifest::parse_bounded_json(bytes, d.digest.str());
            return doc ? manifest::manifest_subject(*doc) : std::nullopt;
        }));
    const auto [first, last] = referrers->equal_range(subject);
    for (auto it = first; it != last; ++it) {
        out.push_back({it->second, {}});
    }
    return out;
}

Result<fs::path> OciLayoutSource::blob_file(const Descriptor& descriptor)
{
    fs::path path = m_dir / descriptor.digest.layout_path();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return fail(Errc::not_found,
                    str_cat("blob ", descriptor.digest.str(), " is missing from ", m_dir.string()));
    }
    return path;
}

Result<std::string> OciLayoutSource::fetch_document(const Descriptor& descriptor)
{
    if (descriptor.size > k_max_document_size) {
        return fail(Errc::format,
                    str_cat("document ",
                            descriptor.digest.str(),
                            " in ",
                            m_reference,
                            " claims ",
                            descriptor.size,
                            " bytes; manifests and configs are small"));
    }
    AIRLOCK_TRY_ASSIGN(const fs::path path, blob_file(descriptor));
    AIRLOCK_TRY_ASSIGN(std::string bytes, read_file(path, k_max_document_size));
    if (bytes.size() != descriptor.size || crypto::sha256_hex(bytes) != descriptor.digest.hex()) {
        return fail(Errc::digest_mismatch,
                    str_cat("blob ",
                            descriptor.digest.str(),
                            " in ",
                            m_dir.string(),
                            " does not match its digest or size (",
                            bytes.size(),
                            " bytes, expected ",
                            descriptor.size,
                            ")"));
    }
    return bytes;
}

PathAndRef split_path_and_ref(std::string_view text)
{
    const bool drive = text.size() >= 3 && std::isalpha(static_cast<unsigned char>(text[0])) != 0
                       && text[1] == ':' && (text[2] == '\\' || text[2] == '/');
    const auto colon = text.find(':', drive ? 2 : 0);
    return {fs::path(std::string(text.substr(0, colon))),
            colon == std::string_view::npos ? std::string() : std::string(text.substr(colon + 1))};
}

Result<std::unique_ptr<ImageSource>> make_image_source(std::string_view reference)
{
    if (reference.starts_with("oci:")) {
        PathAndRef parts = split_path_and_ref(reference.substr(4));
        if (parts.path.empty()) {
            return fail(Errc::usage, str_cat("'", reference, "': expected oci:DIR[:REF]"));
        }
        return std::make_unique<OciLayoutSource>(
            std::string(reference), std::move(parts.path), std::move(parts.ref));
    }
    // Registry references are SourceFactory's (registry_source.cpp); this is for layouts only.
    return fail(Errc::usage,
                str_cat("'", reference, "' is not an OCI layout: expected oci:DIR[:REF]"));
}

} // namespace airlock::pack
