// SPDX-License-Identifier: Apache-2.0
#include "lookaside_store.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/registries_d.hpp>

namespace airlock::unpack {

namespace {

// A signature file is at most 4 MiB (what pack reads); the count bounds a directory filled
// by someone else.
constexpr std::uint64_t k_max_signature = 4ULL << 20U;
constexpr unsigned k_max_signatures = 1000;

} // namespace

Result<bool> write_lookaside_signature(const std::filesystem::path& dir,
                                       std::string_view path,
                                       std::string_view digest,
                                       const std::string& bytes)
{
    // signature_url lays out "BASE/PATH@sha256=HEX/signature-N"; with a host-less path and an
    // empty base it gives the relative file name.
    for (unsigned n = 1; n <= k_max_signatures; ++n) {
        const std::string relative =
            manifest::signature_url("", str_cat("host/", path), digest, n).substr(1);
        const std::filesystem::path file = dir / relative;
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(file, ec))) {
            auto existing = read_file(file, k_max_signature);
            if (existing && *existing == bytes) {
                return false;
            }
            continue;
        }
        AIRLOCK_TRY(make_directories(file.parent_path()));
        AIRLOCK_TRY(write_file_atomic(file, bytes));
        return true;
    }
    return fail(Errc::io,
                str_cat(dir.string(),
                        " has more than ",
                        k_max_signatures,
                        " signatures of ",
                        path,
                        "@",
                        digest));
}

} // namespace airlock::unpack
