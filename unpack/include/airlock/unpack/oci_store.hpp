// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/manifest/image.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::unpack {

// The directory of the default store: /var/lib/airlock/store as root, else
// $XDG_DATA_HOME/airlock/store (XDG_DATA_HOME defaulting to ~/.local/share).
std::filesystem::path default_store_path();

// Parses a store argument: "oci:DIR". Errc::usage for other transports.
Result<std::filesystem::path> parse_store_spec(std::string_view spec);

// An OCI image layout directory used as an image store. Tags are index.json entries whose
// `org.opencontainers.image.ref.name` is the full reference "repository:tag". airlock's own
// state lives in `.airlock/` (lock file, staging directories of running imports), which OCI
// readers ignore.
// What blobs/sha256/ holds: blobs by digest (regular files named by 64 hex digits) and the
// names of everything else there (symlinks, directories, other names).
struct BlobDirectory
{
    std::map<manifest::Digest, std::uint64_t> blobs; // digest -> size on disk
    std::vector<std::string> strays;
};

class OciStore
{
  public:
    explicit OciStore(std::filesystem::path root)
        : m_root(std::move(root))
    {
    }

    const std::filesystem::path& root() const
    {
        return m_root;
    }

    // True when the directory holds an OCI layout.
    bool exists() const;

    // The file a blob lives in.
    std::filesystem::path blob_path(const manifest::Digest& digest) const;

    // True when the store holds `digest` as a regular file (a symlink does not count).
    bool has_blob(const manifest::Digest& digest) const;

    // True when the store holds `digest` as a regular file of `size` bytes. Anything else under
    // its name (a symlink, a file of another size) counts as absent, so that import rewrites it.
    bool has_blob(const manifest::Digest& digest, std::uint64_t size) const;

    // Lists blobs/sha256/ without following a symlink; empty when it does not exist. Errc::io.
    Result<BlobDirectory> scan_blobs() const;

    // Succeeds when `.airlock/`, `blobs/` and `blobs/sha256/` are real directories or absent;
    // Errc::io naming the one that is a symbolic link (writes would land where it points).
    Result<> check_directories() const;

    // Reads a small JSON blob (manifest, index, config) from the store, never through a
    // symlink. Errc::not_found, Errc::io.
    Result<std::string> read_document(const manifest::Digest& digest) const;

    // The descriptors of index.json; empty when the store has none yet. Errc::format.
    Result<std::vector<manifest::Descriptor>> read_index() const;

    // Checks the store's directories (check_directories), then creates the directory and
    // `.airlock/` when missing. Errc::io.
    Result<> prepare();

    // Locks the store against other writers until the returned lock dies, saying through
    // `reporter` when it has to wait. Errc::io, Errc::cancelled.
    Result<FileLock> lock(Reporter& reporter) const;

    // lock() of a store that must exist already (rm, prune, fsck, export): Errc::not_found
    // when it does not, Errc::io for a symlinked directory (check_directories).
    Result<FileLock> lock_existing(Reporter& reporter) const;

    // A private staging directory inside the store (same file system, so blobs rename in),
    // locked by this run until it is removed.
    Result<ScopedDirectory> make_staging() const;

    // Removes what interrupted imports left: staging directories and temporary files whose
    // owner is gone (see ownership.hpp). Never touches a live import's staging.
    Reclaimed reclaim_abandoned() const;

    // Checks the store's directories again, then creates an empty index.json, `blobs/sha256/`
    // and `oci-layout` when missing, in that order. Call with the lock held. Errc::io.
    Result<> ensure_layout();

    // Moves a verified file of `size` bytes into the blob directory, unless that blob is
    // already there (has_blob with `size`); replaces a symlink or a file of another size.
    Result<> adopt_blob(const std::filesystem::path& file,
                        const manifest::Digest& digest,
                        std::uint64_t size);

    // Replaces index.json atomically. Call with the lock held.
    Result<> write_index(const std::vector<manifest::Descriptor>& manifests);

  private:
    std::filesystem::path m_root;
};

// A reference name split the way stores keep it: "localhost/sample:1.0" -> repository, tag.
struct RefName
{
    std::string repository;
    std::string tag;
};

// Splits "repo:tag" at the last ':' after the last '/'. Nothing when there is no tag.
std::optional<RefName> split_ref_name(std::string_view ref_name);

} // namespace airlock::unpack
