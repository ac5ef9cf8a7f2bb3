// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/cosignatures.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/bundle/signer.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/cosign.hpp>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// A co-signer vouches for the parts file too: it must be the verified bundle's (its bundleJson
// the SHA-256 of the bundle.json just verified), signed like it, and every part must match it,
// so that no part hash edited into it can be signed along.
Result<> check_parts_file(const fs::path& bundle,
                          const bundle::PartsSet& parts,
                          const VerifyReport& verified,
                          const bundle::TrustedKeys& trusted,
                          const VerifyPolicy& policy,
                          const std::vector<fs::path>& parts_dirs)
{
    if (parts.file.manifest.bundle_json_sha256
        != crypto::sha256_hex(verified.header.manifest_bytes)) {
        return fail(Errc::signature_invalid,
                    str_cat("refusing to co-sign ",
                            bundle.string(),
                            ": ",
                            parts.parts_file.string(),
                            " describes another bundle.json than the one its parts hold"));
    }
    AIRLOCK_TRY_ASSIGN(
        const std::optional<bundle::PartsReport> report,
        bundle::verify_parts(bundle, trusted, policy.required_signatures, parts_dirs));
    if (!report || !report->complete()) {
        return fail(Errc::digest_mismatch,
                    str_cat("refusing to co-sign ",
                            bundle.string(),
                            ": not every part matches ",
                            parts.parts_file.string(),
                            " (run 'airlock verify')"));
    }
    return {};
}

} // namespace

Result<CosignResult> cosign_bundle(const fs::path& bundle,
                                   const fs::path& key_file,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   const VerifyPolicy& policy,
                                   const std::vector<fs::path>& parts_dirs)
{
    AIRLOCK_TRY_ASSIGN(const bundle::Signer signer, bundle::Signer::load({key_file}));
    CosignResult result;
    AIRLOCK_TRY_ASSIGN(result.verified,
                       verify_bundle(bundle, trusted, reporter, policy, parts_dirs));
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
    result.key_id = signer.key_ids().front();
    result.file = report.header.cosignature_file;
    // A split bundle's parts manifest is signed too, so that each stick verifies with the same
    // keys as the whole bundle.
    AIRLOCK_TRY_ASSIGN(const std::optional<bundle::PartsSet> parts,
                       bundle::find_parts(bundle, parts_dirs));
    std::vector<manifest::Signature> parts_signatures;
    if (parts) {
        AIRLOCK_TRY(check_parts_file(bundle, *parts, report, trusted, policy, parts_dirs));
        parts_signatures = parts->file.signatures;
        AIRLOCK_TRY_ASSIGN(manifest::Cosignatures earlier, bundle::read_cosignatures(result.file));
        bundle::add_signatures(parts_signatures, std::move(earlier.parts));
    }
    // Only a signature that verifies with this very key counts: an entry merely claiming its id
    // is no reason to withhold a real one.
    const bool signed_bundle =
        signer.has_signed(report.header.manifest_bytes, report.header.signatures);
    const bool signed_parts =
        !parts || signer.has_signed(parts->file.manifest_bytes, parts_signatures);
    result.already_signed = signed_bundle && signed_parts;
    if (result.already_signed) {
        return result;
    }
    manifest::Cosignatures added;
    if (!signed_bundle) {
        AIRLOCK_TRY_ASSIGN(added.bundle, signer.sign(report.header.manifest_bytes));
    }
    if (!signed_parts) {
        AIRLOCK_TRY_ASSIGN(added.parts, signer.sign(parts->file.manifest_bytes));
    }
    AIRLOCK_TRY(bundle::add_cosignatures(result.file, std::move(added)));
    return result;
}

} // namespace airlock::unpack
