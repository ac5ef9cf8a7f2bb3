// SPDX-License-Identifier: Apache-2.0
#include <airlock/crypto/keys.hpp>
#include <airlock/crypto/sha256.hpp>

#include <doctest/doctest.h>

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

TEST_CASE("crypto::bad_keys")
{
    CHECK(PublicKey::from_pem("not a key", "x.pub").error().code == Errc::format);
    CHECK(PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                               "x.key")
              .error()
              .code
          == Errc::format);
    CHECK(parse_key_type("rsa").error().code == Errc::usage);
    CHECK(parse_key_type("ecdsa-p256").value() == KeyType::ecdsa_p256);
}
