// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/trust.hpp>

#include <algorithm>

namespace airlock::bundle {

namespace fs = std::filesystem;

namespace {

// "DIR", or "DIR (no such directory)": a mistyped --trusted-keys-dir shows.
std::string directory_state(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_directory(dir, ec) ? dir.string() : dir.string() + " (no such directory)";
}

} // namespace

std::filesystem::path default_trusted_keys_dir()
{
    return system_config_dir() / "trusted-keys";
}

Result<TrustedKeys> TrustedKeys::load(const std::vector<fs::path>& files, const fs::path& dir)
{
    std::vector<fs::path> paths = files;
    std::error_code ec;
    if (!dir.empty() && fs::is_directory(dir, ec)) {
        // Every key in the directory is trusted without being named: whoever may add one or
        // change one decides what airlock imports. Fails closed, as for the settings file.
        const TrustedPath why{"make airlock trust their key",
                              "name another directory with --trusted-keys-dir"};
        const auto refuse = [](Error e) {
            return std::unexpected(std::move(e).with_context("while loading trusted keys"));
        };
        if (auto safe = refuse_writable_by_others(dir, why); !safe) {
            return refuse(std::move(safe.error()));
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.path().extension() == ".pub" && entry.is_regular_file(ec)) {
                if (auto safe = refuse_writable_by_others(entry.path(), why); !safe) {
                    return refuse(std::move(safe.error()));
                }
                found.push_back(entry.path());
            }
        }
        std::sort(found.begin(), found.end());
        paths.insert(paths.end(), found.begin(), found.end());
    }
    TrustedKeys out;
    out.m_dir = dir;
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

Result<> require_trusted_keys(const TrustedKeys& trusted)
{
    if (!trusted.empty()) {
        return {};
    }
    return fail(
        Errc::signature_invalid,
        str_cat("no trusted keys: give --trusted-key PUB or install keys (*.pub) in ",
                directory_state(trusted.directory().empty() ? default_trusted_keys_dir()
                                                            : trusted.directory()),
                trusted.directory_origin().empty()
                    ? ""
                    : str_cat(" (the directory is set by ", trusted.directory_origin(), ")")));
}

Result<SignatureCheck> check_signatures(std::string_view signed_bytes,
                                        const std::vector<manifest::Signature>& signatures,
                                        const TrustedKeys& trusted,
                                        std::size_t required,
                                        std::string_view document)
{
    AIRLOCK_TRY(require_trusted_keys(trusted));
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

} // namespace airlock::bundle
