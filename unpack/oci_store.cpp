// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/ownership.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_state_dir = ".airlock";
constexpr std::uint64_t k_max_document = 16ULL << 20U;

} // namespace

fs::path default_store_path()
{
    return data_dir() / "store";
}

Result<fs::path> parse_store_spec(std::string_view spec)
{
    if (spec.starts_with("oci:") && spec.size() > 4) {
        return fs::path(spec.substr(4));
    }
    return fail(Errc::usage, str_cat("unsupported store '", spec, "': expected oci:DIR"));
}

std::optional<RefName> split_ref_name(std::string_view ref_name)
{
    const auto colon = ref_name.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == ref_name.size()) {
        return std::nullopt;
    }
    const auto slash = ref_name.rfind('/');
    if (slash != std::string_view::npos && slash > colon) {
        return std::nullopt;
    }
    return RefName{std::string(ref_name.substr(0, colon)), std::string(ref_name.substr(colon + 1))};
}

bool OciStore::exists() const
{
    std::error_code ec;
    return fs::is_regular_file(m_root / "oci-layout", ec);
}

fs::path OciStore::blob_path(const manifest::Digest& digest) const
{
    return m_root / digest.layout_path();
}

bool OciStore::has_blob(const manifest::Digest& digest) const
{
    return regular_file_size(blob_path(digest)).has_value();
}

bool OciStore::has_blob(const manifest::Digest& digest, std::uint64_t size) const
{
    return regular_file_size(blob_path(digest)) == size;
}

Result<BlobDirectory> OciStore::scan_blobs() const
{
    BlobDirectory out;
    const fs::path dir = m_root / "blobs" / "sha256";
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec))) {
        return out;
    }
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const auto digest = manifest::Digest::parse("sha256:" + name);
        const auto size = regular_file_size(it->path());
        if (digest && size && digest->hex() == name) {
            out.blobs.emplace(*digest, *size);
        } else {
            out.strays.push_back(name);
        }
    }
    if (ec) {
        return fail(Errc::io, str_cat("cannot list ", dir.string(), ": ", ec.message()));
    }
    std::sort(out.strays.begin(), out.strays.end());
    return out;
}

Result<> OciStore::check_directories() const
{
    AIRLOCK_TRY(refuse_symlinked_directory(m_root / k_state_dir));
    AIRLOCK_TRY(refuse_symlinked_directory(m_root / "blobs"));
    return refuse_symlinked_directory(m_root / "blobs" / "sha256");
}

Result<std::string> OciStore::read_document(const manifest::Digest& digest) const
{
    auto bytes = read_file(blob_path(digest), k_max_document, FollowSymlinks::no);
    if (!bytes) {
        return fail(
            bytes.error().code,
            str_cat(
                "store ", m_root.string(), ": blob ", digest.str(), ": ", bytes.error().message));
    }
    // What is read is what the digest names, or nothing: a document altered in the store
    // must not steer an export, a prune or an import's closure check.
    if (digest.algorithm() == "sha256" && crypto::sha256_hex(*bytes) != digest.hex()) {
        return fail(
            Errc::digest_mismatch,
            str_cat(
                "store ", m_root.string(), ": blob ", digest.str(), " does not match its digest"));
    }
    return bytes;
}

Result<std::vector<manifest::Descriptor>> OciStore::read_index() const
{
    const fs::path path = m_root / "index.json";
    std::error_code ec;
    // lstat: a dangling symlink is not "no index" (that would read as a store without tags).
    if (!fs::exists(fs::symlink_status(path, ec))) {
        return std::vector<manifest::Descriptor>{};
    }
    AIRLOCK_TRY_ASSIGN(const std::string bytes,
                       read_file(path, k_max_document * 4, FollowSymlinks::no));
    auto index = manifest::parse_image_index(bytes, manifest::media_type::oci_index);
    if (!index) {
        return std::unexpected(
            std::move(index.error()).with_context(str_cat("while reading ", path.string())));
    }
    return std::move(index->manifests);
}

Result<> OciStore::prepare()
{
    AIRLOCK_TRY(check_directories());
    return make_directories(m_root / k_state_dir);
}

Result<FileLock> OciStore::lock(Reporter& reporter) const
{
    return FileLock::acquire(m_root / k_state_dir / "lock",
                             &reporter,
                             str_cat("another import into oci:", m_root.string()));
}

Result<FileLock> OciStore::lock_existing(Reporter& reporter) const
{
    AIRLOCK_TRY(check_directories());
    if (!exists()) {
        return fail(Errc::not_found, str_cat("no store at oci:", m_root.string()));
    }
    // A store airlock made always has one: without it every blob would look unused.
    if (!regular_file_size(m_root / "index.json")) {
        return fail(
            Errc::format,
            str_cat("oci:",
                    m_root.string(),
                    " has no index.json (or it is not a regular file); nothing was changed"));
    }
    // A layout another tool made (skopeo, umoci) has no state directory yet.
    AIRLOCK_TRY(make_directories(m_root / k_state_dir));
    return lock(reporter);
}

Result<ScopedDirectory> OciStore::make_staging() const
{
    return ScopedDirectory::create_unique(m_root / k_state_dir, "staging-");
}

Result<> OciStore::ensure_layout()
{
    AIRLOCK_TRY(check_directories());
    if (!exists()) {
        // `oci-layout` last, which makes the directory a layout for every tool: a crash before
        // it leaves no layout yet, never a layout without its index or blob directory.
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(m_root / "index.json", ec))) {
            AIRLOCK_TRY(write_index({}));
        }
        AIRLOCK_TRY(make_directories(m_root / "blobs" / "sha256"));
        return write_file_atomic(
            m_root / "oci-layout", manifest::k_oci_layout_text, 0644, m_root / k_state_dir);
    }
    return make_directories(m_root / "blobs" / "sha256");
}

Reclaimed OciStore::reclaim_abandoned() const
{
    const fs::path state = m_root / k_state_dir;
    // Only names airlock makes, in its own directory, and in the root only the temporary files
    // that versions before it wrote there: the root may be a directory of the user's.
    Reclaimed out =
        airlock::reclaim_abandoned(state, Debris::directories, [](std::string_view name) {
            return has_unique_suffix(name, "staging-");
        });
    out += airlock::reclaim_abandoned(
        state, Debris::files, [](std::string_view name) { return is_temporary_name(name); });
    out += airlock::reclaim_abandoned(m_root, Debris::files, [](std::string_view name) {
        return is_temporary_name(name, "index.json") || is_temporary_name(name, "oci-layout");
    });
    return out;
}

Result<>
OciStore::adopt_blob(const fs::path& file, const manifest::Digest& digest, std::uint64_t size)
{
    const fs::path target = blob_path(digest);
    if (has_blob(digest, size)) {
        return {}; // content-addressed: what is there is the same bytes
    }
    // Anything else under that name (a symlink, a truncated file) is replaced: rename() swaps
    // the name itself and never writes through a symlink.
    return rename_replacing(file, target);
}

Result<> OciStore::write_index(const std::vector<manifest::Descriptor>& manifests)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : manifests) {
        list.push_back(manifest::descriptor_to_json(d));
    }
    const nlohmann::json index = {{"schemaVersion", 2},
                                  {"mediaType", manifest::media_type::oci_index},
                                  {"manifests", std::move(list)}};
    AIRLOCK_TRY_ASSIGN(const std::string text, manifest::canonical_dump(index));
    // Its temporary file in .airlock/: a crash leaves nothing a tool would see in the root.
    return write_file_atomic(m_root / "index.json", text, 0644, m_root / k_state_dir);
}

} // namespace airlock::unpack
