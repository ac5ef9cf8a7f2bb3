// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/bundle/signer.hpp>

#include <algorithm>

namespace airlock::bundle {

namespace {

constexpr std::uint64_t k_max_key_file = 1U << 20U;

} // namespace

Result<Signer> Signer::load(const std::vector<std::filesystem::path>& key_files)
{
    Signer signer;
    for (const auto& path : key_files) {
        AIRLOCK_TRY_ASSIGN(const std::string pem, read_file(path, k_max_key_file));
        AIRLOCK_TRY_ASSIGN(crypto::PrivateKey key,
                           crypto::PrivateKey::from_pem(pem, path.string()));
        AIRLOCK_TRY_ASSIGN(crypto::PublicKey pub, key.public_key());
        signer.m_keys.push_back({std::move(key), std::move(pub)});
    }
    return signer;
}

Result<std::vector<manifest::Signature>> Signer::sign(std::string_view bytes) const
{
    std::vector<manifest::Signature> out;
    for (const auto& key : m_keys) {
        AIRLOCK_TRY_ASSIGN(std::string value, key.private_key.sign(bytes));
        out.push_back({std::string(crypto::key_type_name(key.private_key.type())),
                       key.public_key.id(),
                       std::move(value)});
    }
    return out;
}

bool Signer::has_signed(std::string_view bytes,
                        const std::vector<manifest::Signature>& signatures) const
{
    return std::all_of(m_keys.begin(), m_keys.end(), [&](const Key& key) {
        return std::any_of(signatures.begin(), signatures.end(), [&](const manifest::Signature& s) {
            return s.key_id == key.public_key.id() && key.public_key.verify(bytes, s.value);
        });
    });
}

std::vector<std::string> Signer::key_ids() const
{
    std::vector<std::string> out;
    for (const auto& key : m_keys) {
        out.push_back(key.public_key.id());
    }
    return out;
}

} // namespace airlock::bundle
