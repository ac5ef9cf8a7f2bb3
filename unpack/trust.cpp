// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/trust.hpp>

#include <algorithm>

namespace airlock::unpack {

namespace fs = std::filesystem;

Result<TrustedKeys> TrustedKeys::load(const std::vector<fs::path>& files, const fs::path& dir)
{
    std::vector<fs::path> paths = files;
    std::error_code ec;
    if (!dir.empty() && fs::is_directory(dir, ec)) {
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.path().extension() == ".pub" && entry.is_regular_file(ec)) {
                found.push_back(entry.path());
            }
        }
        std::sort(found.begin(), found.end());
        paths.insert(paths.end(), found.begin(), found.end());
    }
    TrustedKeys out;
    for (const auto& path : paths) {
        auto pem = read_file(path, 1U << 20U);
        if (!pem) {
            return std::unexpected(
                std::move(pem.error()).with_context("while loading trusted keys"));
        }
        AIRLOCK_TRY_ASSIGN(crypto::PublicKey key, crypto::PublicKey::from_pem(*pem, path.string()));
        if (out.find(key.id()) == nullptr) {
            out.m_keys.push_back(std::move(key));
        }
    }
    return out;
}

const crypto::PublicKey* TrustedKeys::find(std::string_view id) const
{
    for (const auto& key : m_keys) {
        if (key.id() == id) {
            return &key;
        }
    }
    return nullptr;
}

Result<SignatureCheck> check_signatures(std::string_view signed_bytes,
                                        const std::vector<manifest::Signature>& signatures,
                                        const TrustedKeys& trusted,
                                        std::size_t required,
                                        std::string_view document)
{
    if (trusted.empty()) {
        return fail(Errc::signature_invalid,
                    str_cat("no trusted keys: give --trusted-key PUB or install keys in ",
                            k_default_trusted_keys_dir));
    }
    if (signatures.empty()) {
        return fail(Errc::signature_invalid, "the bundle is not signed");
    }
    SignatureCheck check;
    for (const auto& signature : signatures) {
        const crypto::PublicKey* key = trusted.find(signature.key_id);
        if (key == nullptr) {
            check.unknown_signers.push_back(signature.key_id);
            continue;
        }
        if (crypto::key_type_name(key->type()) != signature.algorithm
            || !key->verify(signed_bytes, signature.value)) {
            return fail(Errc::signature_invalid,
                        str_cat("signature by trusted key ",
                                signature.key_id,
                                " does not match ",
                                document,
                                " (it was altered after signing)"));
        }
        if (std::find(check.trusted_signers.begin(), check.trusted_signers.end(), signature.key_id)
            == check.trusted_signers.end()) {
            check.trusted_signers.push_back(signature.key_id);
        }
    }
    if (check.trusted_signers.empty()) {
        std::string ids;
        for (const auto& id : check.unknown_signers) {
            ids += (ids.empty() ? "" : ", ") + id;
        }
        return fail(Errc::signature_invalid,
                    str_cat("no signature by a trusted key; signed by: ", ids));
    }
    if (check.trusted_signers.size() < required) {
        return fail(Errc::signature_invalid,
                    str_cat("the bundle needs signatures by ",
                            required,
                            " trusted keys and has ",
                            check.trusted_signers.size(),
                            " (add one with 'airlock sign')"));
    }
    return check;
}

Result<std::string> cosign_bundle(const fs::path& bundle, const fs::path& key_file)
{
    AIRLOCK_TRY_ASSIGN(const std::string pem, read_file(key_file, 1U << 20U));
    AIRLOCK_TRY_ASSIGN(const crypto::PrivateKey key,
                       crypto::PrivateKey::from_pem(pem, key_file.string()));
    AIRLOCK_TRY_ASSIGN(const crypto::PublicKey pub, key.public_key());
    AIRLOCK_TRY_ASSIGN(const BundleReader reader, BundleReader::open(bundle));
    AIRLOCK_TRY_ASSIGN(std::string value, key.sign(reader.header().manifest_bytes));
    const fs::path file = cosignature_path(bundle);
    std::vector<manifest::Signature> cosignatures;
    std::error_code ec;
    if (fs::exists(file, ec)) {
        AIRLOCK_TRY_ASSIGN(const std::string text, read_file(file, 1U << 20U));
        AIRLOCK_TRY_ASSIGN(cosignatures, manifest::parse_signatures(text));
    }
    std::erase_if(cosignatures, [&](const manifest::Signature& s) { return s.key_id == pub.id(); });
    cosignatures.push_back(
        {std::string(crypto::key_type_name(key.type())), pub.id(), std::move(value)});
    AIRLOCK_TRY_ASSIGN(const std::string json, manifest::signatures_to_json(cosignatures));
    AIRLOCK_TRY(write_file_atomic(file, json));
    return pub.id();
}

} // namespace airlock::unpack
