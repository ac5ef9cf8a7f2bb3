// SPDX-License-Identifier: Apache-2.0
#include "lookaside_store.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/registries_d.hpp>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// A signature file is at most what pack reads (256 KiB); the count bounds a directory filled
// by someone else.
constexpr std::uint64_t k_max_signature = 256ULL << 10U;
constexpr unsigned k_max_signatures = 1000;

// Creates `relative`'s directories under `dir`, each a real directory: a symlink placed in the
// signatures directory must not carry a write elsewhere.
Result<> make_real_directories(const fs::path& dir, const fs::path& relative)
{
    AIRLOCK_TRY(make_directories(dir));
    fs::path at = dir;
    for (const auto& part : relative) {
        at /= part;
        std::error_code ec;
        const auto status = fs::symlink_status(at, ec);
        if (fs::is_symlink(status)) {
            return fail(Errc::unsafe_entry,
                        str_cat(at.string(),
                                " is a symbolic link; signatures are not written "
                                "through one"));
        }
        if (!fs::exists(status)) {
            AIRLOCK_TRY(make_directories(at));
        } else if (!fs::is_directory(status)) {
            return fail(Errc::io, str_cat(at.string(), " is not a directory"));
        }
    }
    return {};
}

} // namespace

Result<bool> write_lookaside_signature(const fs::path& dir,
                                       std::string_view path,
                                       std::string_view digest,
                                       const std::string& bytes)
{
    // signature_url lays out "BASE/PATH@sha256=HEX/signature-N"; with a host-less path and an
    // empty base it gives the relative file name.
    const fs::path first = manifest::signature_url("", str_cat("host/", path), digest, 1).substr(1);
    AIRLOCK_TRY(make_real_directories(dir, first.parent_path()));
    const fs::path folder = dir / first.parent_path();
    // What an import killed here left: its private directory.
    airlock::reclaim_abandoned(folder, Debris::directories, [](std::string_view name) {
        return has_unique_suffix(name, ".incoming-");
    });
    // Written whole under a private name, then linked to the first free signature-N: a link
    // never replaces a file, so two imports at once cannot overwrite each other's.
    AIRLOCK_TRY_ASSIGN(const ScopedDirectory scratch,
                       ScopedDirectory::create_unique(folder, ".incoming-"));
    const fs::path staged = scratch.path() / "signature";
    AIRLOCK_TRY(write_file_atomic(staged, bytes));
    for (unsigned n = 1; n <= k_max_signatures; ++n) {
        const fs::path file = folder / str_cat("signature-", n);
        std::error_code ec;
        const auto status = fs::symlink_status(file, ec);
        if (fs::exists(status)) {
            if (fs::is_regular_file(status)) {
                auto existing = read_file(file, k_max_signature, FollowSymlinks::no);
                if (existing && *existing == bytes) {
                    return false;
                }
            }
            continue;
        }
        fs::create_hard_link(staged, file, ec);
        if (!ec) {
            return true;
        }
        if (ec == std::errc::file_exists) {
            continue; // another import took this number meanwhile
        }
        // A file system without hard links: a rename, which two imports at once could race.
        fs::rename(staged, file, ec);
        if (ec) {
            return fail(Errc::io, str_cat("cannot write ", file.string(), ": ", ec.message()));
        }
        return true;
    }
    return fail(Errc::io,
                str_cat(folder.string(), " has more than ", k_max_signatures, " signatures"));
}

} // namespace airlock::unpack
