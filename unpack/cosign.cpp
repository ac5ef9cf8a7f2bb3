// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/cosign.hpp>

#include <algorithm>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t k_max_key_file = 1U << 20U;
constexpr std::uint64_t k_max_cosign_file = 1U << 20U;

} // namespace

Result<CosignResult> cosign_bundle(const fs::path& bundle,
                                   const fs::path& key_file,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   std::size_t required_signatures,
                                   const std::vector<fs::path>& parts_dirs)
{
    AIRLOCK_TRY_ASSIGN(const std::string pem, read_file(key_file, k_max_key_file));
    AIRLOCK_TRY_ASSIGN(const crypto::PrivateKey key,
                       crypto::PrivateKey::from_pem(pem, key_file.string()));
    AIRLOCK_TRY_ASSIGN(const crypto::PublicKey pub, key.public_key());
    CosignResult result;
    AIRLOCK_TRY_ASSIGN(result.verified,
                       verify_bundle(bundle, trusted, reporter, required_signatures, parts_dirs));
    const VerifyReport& report = result.verified;
    if (!report.ok()) {
        const Error& first = report.content.problems.empty() ? report.closure.front()
                                                             : report.content.problems.front();
        return std::unexpected(
            Error{first.code,
                  first.message,
                  {str_cat("refusing to co-sign ",
                           bundle.string(),
                           ": it does not verify (",
                           report.content.problems.size() + report.content.problems_not_kept
                               + report.closure.size(),
                           " problem(s); run 'airlock verify')")}});
    }
    result.key_id = pub.id();
    result.file = report.header.cosignature_file;
    // Only a signature that verifies with this very key counts: an entry merely claiming its id
    // is no reason to withhold a real one.
    const auto& existing = report.header.signatures;
    result.already_signed =
        std::any_of(existing.begin(), existing.end(), [&](const manifest::Signature& s) {
            return s.key_id == result.key_id && pub.verify(report.header.manifest_bytes, s.value);
        });
    if (result.already_signed) {
        return result;
    }
    AIRLOCK_TRY_ASSIGN(std::string value, key.sign(report.header.manifest_bytes));
    std::vector<manifest::Signature> cosignatures;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(result.file, ec))) {
        AIRLOCK_TRY_ASSIGN(const std::string text, read_file(result.file, k_max_cosign_file));
        AIRLOCK_TRY_ASSIGN(cosignatures, manifest::parse_signatures(text));
    }
    std::erase_if(cosignatures,
                  [&](const manifest::Signature& s) { return s.key_id == result.key_id; });
    cosignatures.push_back(
        {std::string(crypto::key_type_name(key.type())), result.key_id, std::move(value)});
    AIRLOCK_TRY_ASSIGN(const std::string json, manifest::signatures_to_json(cosignatures));
    AIRLOCK_TRY(write_file_atomic(result.file, json));
    return result;
}

} // namespace airlock::unpack
