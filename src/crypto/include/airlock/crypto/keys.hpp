// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace airlock::crypto {

// The signature algorithms of bundle signatures.
enum class KeyType {
    ed25519,
    ecdsa_p256,
};

// "ed25519" / "ecdsa-p256", as written in signatures and on the command line.
std::string_view key_type_name(KeyType type);

// Parses `key_type_name` output. Errc::usage otherwise.
Result<KeyType> parse_key_type(std::string_view name);

class PublicKey;

// A private signing key. Held in OpenSSL memory only; never logged.
class PrivateKey
{
  public:
    // A fresh key of `type`. Errc::internal when OpenSSL fails.
    static Result<PrivateKey> generate(KeyType type);

    // Parses a PKCS#8 PEM private key; `source` names it in errors. Errc::format,
    // Errc::unsupported.
    static Result<PrivateKey> from_pem(std::string_view pem, std::string_view source);

    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;
    ~PrivateKey();

    KeyType type() const;

    // PKCS#8 PEM of the private key (unencrypted; the caller writes it mode 0600).
    Result<std::string> to_pem() const;

    // The matching public key.
    Result<PublicKey> public_key() const;

    // Signature over `message`: raw Ed25519 (64 bytes) or DER ECDSA over SHA-256.
    Result<std::string> sign(std::string_view message) const;

  private:
    struct Impl;
    explicit PrivateKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// A public verification key.
class PublicKey
{
  public:
    // Parses an SPKI PEM public key; `source` names it in errors. Errc::format, Errc::unsupported.
    static Result<PublicKey> from_pem(std::string_view pem, std::string_view source);

    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;
    PublicKey(const PublicKey&) = delete;
    PublicKey& operator=(const PublicKey&) = delete;
    ~PublicKey();

    KeyType type() const;

    // "sha256:<hex>" of the canonical DER SubjectPublicKeyInfo (P-256: named curve, uncompressed
    // point), so that one key has one id however its PEM file encodes it: how signatures name
    // their key, and how trusted keys are counted.
    const std::string& id() const;

    // SPKI PEM text.
    Result<std::string> to_pem() const;

    // True when `signature` is a valid signature of `message` by this key.
    bool verify(std::string_view message, std::string_view signature) const;

  private:
    friend class PrivateKey;
    struct Impl;
    explicit PublicKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace airlock::crypto
