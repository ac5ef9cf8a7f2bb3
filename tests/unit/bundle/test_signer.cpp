// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/file.hpp>
#include <airlock/bundle/cosignatures.hpp>
#include <airlock/bundle/signer.hpp>
#include <airlock/bundle/trust.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace airlock;
using namespace airlock::bundle;

namespace {

std::filesystem::path
write_key(const std::filesystem::path& dir, const std::string& name, crypto::KeyType type)
{
    auto key = crypto::PrivateKey::generate(type);
    REQUIRE(key);
    auto pem = key->to_pem();
    REQUIRE(pem);
    REQUIRE(write_file_atomic(dir / name, *pem, 0600));
    auto pub = key->public_key();
    REQUIRE(pub);
    auto pub_pem = pub->to_pem();
    REQUIRE(pub_pem);
    REQUIRE(write_file_atomic(dir / (name + ".pub"), *pub_pem));
    return dir / name;
}

} // namespace

TEST_CASE("bundle::Signer signs with every key, and check_signatures accepts it")
{
    const test::Scratch scratch;
    const auto a = write_key(scratch.path(), "a.key", crypto::KeyType::ed25519);
    const auto b = write_key(scratch.path(), "b.key", crypto::KeyType::ecdsa_p256);
    const auto signer = Signer::load({a, b});
    REQUIRE(signer);
    REQUIRE(signer->key_ids().size() == 2);

    const std::string document = R"({"format":"airlock-bundle"})";
    const auto signatures = signer->sign(document);
    REQUIRE(signatures);
    REQUIRE(signatures->size() == 2);
    CHECK((*signatures)[0].algorithm == "ed25519");
    CHECK((*signatures)[0].key_id == signer->key_ids()[0]);
    CHECK((*signatures)[1].key_id == signer->key_ids()[1]);
    CHECK(signer->has_signed(document, *signatures));
    CHECK_FALSE(signer->has_signed(document + " ", *signatures));

    const auto trusted = TrustedKeys::load({a.string() + ".pub", b.string() + ".pub"}, {});
    REQUIRE(trusted);
    const auto check = check_signatures(document, *signatures, *trusted, 2);
    REQUIRE(check);
    CHECK(check->trusted_signers == signer->key_ids());
}

TEST_CASE("bundle::Signer::load names the key file it cannot use")
{
    const test::Scratch scratch;
    REQUIRE(write_file_atomic(scratch.path() / "not-a-key", "hello\n"));
    const auto missing = Signer::load({scratch.path() / "absent.key"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("absent.key") != std::string::npos);
    const auto garbage = Signer::load({scratch.path() / "not-a-key"});
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().message.find("not-a-key") != std::string::npos);
}

TEST_CASE("bundle::add_cosignatures keeps one co-signature per key")
{
    const test::Scratch scratch;
    const auto file = scratch.path() / "x.bundle.cosign.json";
    const auto none = read_cosignatures(file);
    REQUIRE(none);
    CHECK(none->bundle.empty());
    CHECK(none->parts.empty());

    using manifest::Cosignatures;
    REQUIRE(add_cosignatures(file, Cosignatures{{{"ed25519", "sha256:aa", "one"}}, {}}));
    REQUIRE(add_cosignatures(file, Cosignatures{{{"ed25519", "sha256:bb", "two"}}, {}}));
    REQUIRE(add_cosignatures(
        file,
        Cosignatures{{{"ed25519", "sha256:aa", "three"}}, {{"ed25519", "sha256:aa", "parts"}}}));
    const auto all = read_cosignatures(file);
    REQUIRE(all);
    REQUIRE(all->bundle.size() == 2);
    CHECK(all->bundle[0].key_id == "sha256:bb");
    CHECK(all->bundle[1].key_id == "sha256:aa");
    CHECK(all->bundle[1].value == "three");
    REQUIRE(all->parts.size() == 1);
    CHECK(all->parts[0].value == "parts");

    REQUIRE(write_file_atomic(file, "{not json"));
    const auto damaged = read_cosignatures(file);
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().context.front().find(file.string()) != std::string::npos);
}

TEST_CASE("bundle::add_signatures counts a key once and keeps the embedded signature")
{
    std::vector<manifest::Signature> embedded = {{"ed25519", "sha256:aa", "embedded"}};
    CHECK(add_signatures(embedded, {{"ed25519", "sha256:aa", "co"}, {"ed25519", "sha256:bb", "co"}})
          == 1);
    REQUIRE(embedded.size() == 2);
    CHECK(embedded[0].value == "embedded");
    CHECK(embedded[1].key_id == "sha256:bb");
}
