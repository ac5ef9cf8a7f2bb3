// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/detached_signature.hpp>
#include <airlock/bundle/signer.hpp>

namespace airlock::bundle {

namespace {

// DER ECDSA P-256 signatures are at most 72 bytes, Ed25519's 64; anything larger is not one.
constexpr std::uint64_t k_max_signature_file = 1024;

} // namespace

std::filesystem::path detached_signature_path(const std::filesystem::path& file)
{
    std::filesystem::path out = file;
    out += ".sig";
    return out;
}

Result<std::string> sign_detached(const std::filesystem::path& file,
                                  const std::filesystem::path& key_file,
                                  const std::filesystem::path& signature)
{
    AIRLOCK_TRY_ASSIGN(const Signer signer, Signer::load({key_file}));
    AIRLOCK_TRY_ASSIGN(const std::string bytes, read_file(file, k_max_detached_signed_file));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Signature> signatures, signer.sign(bytes));
    AIRLOCK_TRY(write_file_atomic(signature, signatures.front().value, 0644));
    return signatures.front().key_id;
}

Result<std::string> verify_detached(const std::filesystem::path& file,
                                    const std::filesystem::path& signature,
                                    const TrustedKeys& trusted)
{
    AIRLOCK_TRY_ASSIGN(const std::string bytes, read_file(file, k_max_detached_signed_file));
    AIRLOCK_TRY_ASSIGN(const std::string value, read_file(signature, k_max_signature_file));
    AIRLOCK_TRY(require_trusted_keys(trusted));
    for (const crypto::PublicKey& key : trusted.keys()) {
        if (key.verify(bytes, value)) {
            return key.id();
        }
    }
    return fail(Errc::signature_invalid,
                str_cat(signature.string(),
                        " is not a valid signature of ",
                        file.string(),
                        " by any of the ",
                        trusted.size(),
                        " trusted key(s)"));
}

} // namespace airlock::bundle
