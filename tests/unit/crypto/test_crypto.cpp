// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>
#include <airlock/base/file.hpp>
#include <airlock/crypto/keys.hpp>
#include <airlock/crypto/sha256.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace airlock;
using namespace airlock::crypto;

TEST_CASE("crypto::sha256")
{
    // FIPS 180-2 test vectors.
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    SUBCASE("streaming equals one shot, and the hasher resets")
    {
        Sha256 hasher;
        hasher.update("a");
        hasher.update("b");
        hasher.update("c");
        CHECK(hasher.finish_hex() == sha256_hex("abc"));
        hasher.update("abc");
        CHECK(hasher.finish_hex() == sha256_hex("abc"));
    }
}

TEST_CASE("crypto::sign_verify")
{
    for (const KeyType type : {KeyType::ed25519, KeyType::ecdsa_p256}) {
        CAPTURE(key_type_name(type));
        const auto key = PrivateKey::generate(type);
        REQUIRE(key);
        const auto pub = key->public_key();
        REQUIRE(pub);
        CHECK(pub->type() == type);
        const std::string message = R"({"format":"airlock-bundle"})";
        const auto signature = key->sign(message);
        REQUIRE(signature);
        CHECK(pub->verify(message, *signature));
        CHECK_FALSE(pub->verify(message + " ", *signature));
        std::string flipped = *signature;
        flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
        CHECK_FALSE(pub->verify(message, flipped));

        SUBCASE("PEM round trip keeps the key and its id")
        {
            const auto pem = key->to_pem();
            REQUIRE(pem);
            const auto again = PrivateKey::from_pem(*pem, "test.key");
            REQUIRE(again);
            const auto pub_pem = pub->to_pem();
            REQUIRE(pub_pem);
            const auto pub_again = PublicKey::from_pem(*pub_pem, "test.pub");
            REQUIRE(pub_again);
            CHECK(pub_again->id() == pub->id());
            CHECK(pub_again->verify(message, *again->sign(message)));
        }
        SUBCASE("another key does not verify")
        {
            const auto other = PrivateKey::generate(type);
            REQUIRE(other);
            CHECK(other->public_key()->id() != pub->id());
            CHECK_FALSE(other->public_key()->verify(message, *signature));
        }
    }
}

TEST_CASE("crypto::key_id")
{
    const auto key = PrivateKey::generate(KeyType::ed25519);
    REQUIRE(key);
    const auto id = key->public_key()->id();
    CHECK(id.starts_with("sha256:"));
    CHECK(id.size() == 7 + 64);
}

namespace {

// The DER bytes inside a one-block PEM file.
std::string pem_body(const std::string& pem)
{
    const auto begin = pem.find('\n') + 1;
    const auto end = pem.find("-----END");
    std::string base64;
    for (const char c : pem.substr(begin, end - begin)) {
        if (c != '\n') {
            base64.push_back(c);
        }
    }
    return base64_decode(base64).value();
}

std::filesystem::path test_data(const char* name)
{
    const char* dir = std::getenv("AIRLOCK_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::filesystem::path(dir) / "crypto" / name;
}

} // namespace

TEST_CASE("crypto::key_id_is_canonical")
{
    // One P-256 key written four ways by the openssl CLI (tests/data/crypto/README).
    const auto load = [](const char* name) {
        const auto pem = read_file(test_data(name));
        REQUIRE(pem);
        auto key = PublicKey::from_pem(*pem, name);
        REQUIRE(key);
        return std::move(*key);
    };
    const PublicKey named = load("p256-named-uncompressed.pub");
    CHECK(named.type() == KeyType::ecdsa_p256);
    // The named-curve, uncompressed form is the canonical one: its id is the hash of its DER,
    // as it always was.
    CHECK(named.id() == "sha256:fc0d984793e50b6a44acbb6b3ecac082545094c45f1e44cc799eb1c89747f013");
    for (const char* other : {"p256-named-compressed.pub",
                              "p256-explicit-uncompressed.pub",
                              "p256-explicit-compressed.pub"}) {
        CAPTURE(other);
        const PublicKey key = load(other);
        CHECK(key.type() == KeyType::ecdsa_p256);
        CHECK(key.id() == named.id());
    }
}

TEST_CASE("crypto::key_id_of_generated_keys")
{
    // Generated keys are written in canonical form, so their id is the hash of their PEM's DER
    // (ids of existing keys did not change when ids became canonical).
    for (const KeyType type : {KeyType::ed25519, KeyType::ecdsa_p256}) {
        CAPTURE(key_type_name(type));
        const auto key = PrivateKey::generate(type);
        REQUIRE(key);
        const auto pub = key->public_key();
        REQUIRE(pub);
        const auto pem = pub->to_pem();
        REQUIRE(pem);
        CHECK(pub->id() == "sha256:" + sha256_hex(pem_body(*pem)));
    }
}

TEST_CASE("crypto::bad_keys")
{
    // A key file is the user's input: a bad one is a usage error (exit 2), not a failed check.
    CHECK(PublicKey::from_pem("not a key", "x.pub").error().code == Errc::usage);
    CHECK(PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                               "x.key")
              .error()
              .code
          == Errc::usage);
    CHECK(parse_key_type("rsa").error().code == Errc::usage);
    CHECK(parse_key_type("ecdsa-p256").value() == KeyType::ecdsa_p256);
}
