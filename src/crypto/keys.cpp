// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/c_deleter.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/keys.hpp>
#include <airlock/crypto/sha256.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>

namespace airlock::crypto {

namespace {

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, CDeleter<EVP_PKEY_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, CDeleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, CDeleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, CDeleter<BN_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CDeleter<EVP_PKEY_CTX_free>>;

// Drains OpenSSL's error queue into one line, so errors never leak into later calls.
std::string openssl_errors()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> buffer{};
        ERR_error_string_n(code, buffer.data(), buffer.size());
        if (!text.empty()) {
            text += "; ";
        }
        text += buffer.data();
    }
    return text.empty() ? "unknown OpenSSL error" : text;
}

Result<KeyType> type_of(const EVP_PKEY* key, std::string_view source)
{
    if (EVP_PKEY_is_a(key, "ED25519") == 1) {
        return KeyType::ed25519;
    }
    if (EVP_PKEY_is_a(key, "EC") == 1) {
        std::array<char, 64> group{};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, "group", group.data(), group.size(), &length) == 1
            && std::string_view(group.data(), length) == "prime256v1") {
            return KeyType::ecdsa_p256;
        }
        return fail(Errc::unsupported,
                    str_cat(source, ": only the P-256 curve is supported for ECDSA keys"));
    }
    return fail(Errc::unsupported,
                str_cat(source, ": unsupported key type (use ed25519 or ecdsa-p256)"));
}

BioPtr memory_bio(std::string_view data)
{
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bio_contents(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return {data, static_cast<std::size_t>(length)};
}

// The EVP digest to pair with a key: Ed25519 signs the message itself (no pre-hash).
const EVP_MD* digest_for(KeyType type)
{
    return type == KeyType::ed25519 ? nullptr : EVP_sha256();
}

} // namespace

std::string_view key_type_name(KeyType type)
{
    return type == KeyType::ed25519 ? "ed25519" : "ecdsa-p256";
}

Result<KeyType> parse_key_type(std::string_view name)
{
    if (name == "ed25519") {
        return KeyType::ed25519;
    }
    if (name == "ecdsa-p256") {
        return KeyType::ecdsa_p256;
    }
    return fail(Errc::usage, str_cat("unknown key type '", name, "' (use ed25519 or ecdsa-p256)"));
}

struct PrivateKey::Impl
{
    EvpPkeyPtr key;
    KeyType type = KeyType::ed25519;
};

struct PublicKey::Impl
{
    EvpPkeyPtr key;
    KeyType type = KeyType::ed25519;
    std::string id;
};

namespace {

// OPENSSL_free is a macro; CDeleter needs a function.
void openssl_free(unsigned char* data)
{
    OPENSSL_free(data);
}

Result<std::string> spki_der(const EVP_PKEY* key)
{
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0) {
        return fail(Errc::internal, str_cat("cannot encode public key: ", openssl_errors()));
    }
    const std::unique_ptr<unsigned char, CDeleter<openssl_free>> owned(der);
    return std::string(reinterpret_cast<const char*>(owned.get()),
                       static_cast<std::size_t>(length));
}

// The same public key rebuilt from its bare key material, so that it encodes one way only. A
// P-256 key can arrive with a compressed or uncompressed point and with named or explicit curve
// parameters, each giving other DER bytes (and, hashed as given, another key id for one key);
// rebuilt, it is always the named curve prime256v1 with an uncompressed point. An Ed25519 key
// has one encoding already and is rebuilt from its 32 raw bytes all the same.
Result<EvpPkeyPtr> canonical_public_key(const EVP_PKEY* key, KeyType type)
{
    if (type == KeyType::ed25519) {
        std::array<unsigned char, 32> raw{};
        std::size_t length = raw.size();
        if (EVP_PKEY_get_raw_public_key(key, raw.data(), &length) != 1 || length != raw.size()) {
            return fail(Errc::format,
                        str_cat("cannot read an Ed25519 public key: ", openssl_errors()));
        }
        EvpPkeyPtr out(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), length));
        if (!out) {
            return fail(Errc::internal, str_cat("cannot rebuild a public key: ", openssl_errors()));
        }
        return out;
    }
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    const int got_x = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x);
    const int got_y = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
    const BignumPtr owned_x(x);
    const BignumPtr owned_y(y);
    // 0x04 || X || Y: SEC 1's uncompressed point, each coordinate 32 bytes big-endian.
    std::array<unsigned char, 65> point{};
    point[0] = 0x04;
    if (got_x != 1 || got_y != 1 || BN_bn2binpad(x, point.data() + 1, 32) != 32
        || BN_bn2binpad(y, point.data() + 33, 32) != 32) {
        return fail(Errc::format, str_cat("cannot read a P-256 public point: ", openssl_errors()));
    }
    std::array<char, 16> group = {"prime256v1"};
    const std::array<OSSL_PARAM, 3> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end(),
    };
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* rebuilt = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(
               ctx.get(), &rebuilt, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params.data()))
               != 1) {
        return fail(Errc::internal, str_cat("cannot rebuild a public key: ", openssl_errors()));
    }
    return EvpPkeyPtr(rebuilt);
}

// A key id is the SHA-256 of the canonical DER SubjectPublicKeyInfo (above): one key, one id,
// however its file is encoded. Keys written by `key generate` are already in canonical form.
Result<std::string> public_key_id(const EVP_PKEY* key, KeyType type)
{
    AIRLOCK_TRY_ASSIGN(const EvpPkeyPtr canonical, canonical_public_key(key, type));
    AIRLOCK_TRY_ASSIGN(const std::string der, spki_der(canonical.get()));
    return "sha256:" + sha256_hex(der);
}

} // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::generate(KeyType type)
{
    EvpPkeyPtr key(type == KeyType::ed25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) {
        return fail(Errc::internal, str_cat("cannot generate a key: ", openssl_errors()));
    }
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    impl->type = type;
    return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem, std::string_view source)
{
    const BioPtr bio = memory_bio(pem);
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        ERR_clear_error();
        if (pem.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos) {
            return fail(Errc::usage,
                        str_cat(source,
                                " is a public key: signing needs the private key (NAME.key, "
                                "written beside NAME.pub by 'airlock key generate')"));
        }
        return fail(Errc::usage, str_cat(source, ": not a PEM private key"));
    }
    AIRLOCK_TRY_ASSIGN(const KeyType type, type_of(key.get(), source));
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    impl->type = type;
    return PrivateKey(std::move(impl));
}

KeyType PrivateKey::type() const
{
    return m_impl->type;
}

Result<std::string> PrivateKey::to_pem() const
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio
        || PEM_write_bio_PrivateKey(
               bio.get(), m_impl->key.get(), nullptr, nullptr, 0, nullptr, nullptr)
               != 1) {
        return fail(Errc::internal, str_cat("cannot encode private key: ", openssl_errors()));
    }
    return bio_contents(bio.get());
}

Result<PublicKey> PrivateKey::public_key() const
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_impl->key.get()) != 1) {
        return fail(Errc::internal, str_cat("cannot encode public key: ", openssl_errors()));
    }
    return PublicKey::from_pem(bio_contents(bio.get()), "generated key");
}

Result<std::string> PrivateKey::sign(std::string_view message) const
{
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx
        || EVP_DigestSignInit(
               ctx.get(), nullptr, digest_for(m_impl->type), nullptr, m_impl->key.get())
               != 1) {
        return fail(Errc::internal, str_cat("cannot start signing: ", openssl_errors()));
    }
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    std::size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
        return fail(Errc::internal, str_cat("cannot sign: ", openssl_errors()));
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx.get(),
                       reinterpret_cast<unsigned char*>(signature.data()),
                       &length,
                       data,
                       message.size())
        != 1) {
        return fail(Errc::internal, str_cat("cannot sign: ", openssl_errors()));
    }
    signature.resize(length);
    return signature;
}

PublicKey::PublicKey(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

Result<PublicKey> PublicKey::from_pem(std::string_view pem, std::string_view source)
{
    const BioPtr bio = memory_bio(pem);
    EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        ERR_clear_error();
        return fail(Errc::usage, str_cat(source, ": not a PEM public key"));
    }
    AIRLOCK_TRY_ASSIGN(const KeyType type, type_of(key.get(), source));
    AIRLOCK_TRY_ASSIGN(std::string id, public_key_id(key.get(), type));
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    impl->type = type;
    impl->id = std::move(id);
    return PublicKey(std::move(impl));
}

KeyType PublicKey::type() const
{
    return m_impl->type;
}

const std::string& PublicKey::id() const
{
    return m_impl->id;
}

Result<std::string> PublicKey::to_pem() const
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_impl->key.get()) != 1) {
        return fail(Errc::internal, str_cat("cannot encode public key: ", openssl_errors()));
    }
    return bio_contents(bio.get());
}

bool PublicKey::verify(std::string_view message, std::string_view signature) const
{
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx
        || EVP_DigestVerifyInit(
               ctx.get(), nullptr, digest_for(m_impl->type), nullptr, m_impl->key.get())
               != 1) {
        ERR_clear_error();
        return false;
    }
    const int ok = EVP_DigestVerify(ctx.get(),
                                    reinterpret_cast<const unsigned char*>(signature.data()),
                                    signature.size(),
                                    reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size());
    ERR_clear_error();
    return ok == 1;
}

} // namespace airlock::crypto
