// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/file.hpp>
#include <airlock/bundle/file_names.hpp>
#include <airlock/bundle/part_writer.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/bundle/trust.hpp>
#include <airlock/crypto/sha256.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace airlock;
using namespace airlock::bundle;

TEST_CASE("bundle::commit_parts switches in signed parts that find_parts and check_parts accept")
{
    const test::Scratch scratch;
    const auto key = crypto::PrivateKey::generate(crypto::KeyType::ed25519);
    REQUIRE(key);
    REQUIRE(write_file_atomic(scratch.path() / "k.key", *key->to_pem(), 0600));
    REQUIRE(write_file_atomic(scratch.path() / "k.pub", *key->public_key()->to_pem()));
    const auto signer = Signer::load({scratch.path() / "k.key"});
    REQUIRE(signer);

    const auto bundle = scratch.path() / "x.bundle";
    // An earlier, longer set at the same path: its fourth part must go.
    REQUIRE(write_file_atomic(part_path(bundle, 4), "old"));

    const std::string stream = "0123456789";
    PartWriter writer(bundle, 4);
    REQUIRE(writer.write(std::span<const char>(stream.data(), 6)));
    REQUIRE(writer.write(std::span<const char>(stream.data() + 6, 4)));
    const auto names = commit_parts(writer, bundle, "{}", *signer);
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{"x.bundle.001", "x.bundle.002", "x.bundle.003"});
    CHECK(*read_file(part_path(bundle, 1), 100) == "0123");
    CHECK(*read_file(part_path(bundle, 3), 100) == "89");
    CHECK_FALSE(std::filesystem::exists(part_path(bundle, 4)));

    const auto parts = find_parts(part_path(bundle, 2), {});
    REQUIRE(parts);
    REQUIRE(parts->has_value());
    const auto& file = (*parts)->file;
    CHECK(file.manifest.bundle == "x.bundle");
    CHECK(file.manifest.size == stream.size());
    CHECK(file.manifest.sha256 == crypto::sha256_hex(stream));
    CHECK(file.manifest.bundle_json_sha256 == crypto::sha256_hex("{}"));
    const auto trusted = TrustedKeys::load({scratch.path() / "k.pub"}, {});
    REQUIRE(trusted);
    CHECK(
        check_signatures(file.manifest_bytes, file.signatures, *trusted, 1, "x.bundle.parts.json"));
    const auto checks = check_parts(**parts);
    REQUIRE(checks);
    REQUIRE(checks->size() == 3);
    for (const auto& check : *checks) {
        CHECK(check.state == PartCheck::State::intact);
    }
}

TEST_CASE("bundle::PartWriter: a set of more than 999 parts numbers every part with four digits")
{
    const test::Scratch scratch;
    const auto key = crypto::PrivateKey::generate(crypto::KeyType::ed25519);
    REQUIRE(key);
    REQUIRE(write_file_atomic(scratch.path() / "k.key", *key->to_pem(), 0600));
    const auto signer = Signer::load({scratch.path() / "k.key"});
    REQUIRE(signer);
    const auto bundle = scratch.path() / "x.bundle";
    // An earlier three-digit set at the same path: all of it is stale.
    REQUIRE(write_file_atomic(part_path(bundle, 1), "old"));
    REQUIRE(write_file_atomic(part_path(bundle, 2), "old"));

    const std::string stream = "0123456789";
    PartWriter writer(bundle, 4, 1000);
    CHECK(writer.digits() == 4);
    REQUIRE(writer.write(std::span<const char>(stream.data(), stream.size())));
    const auto names = commit_parts(writer, bundle, "{}", *signer);
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{"x.bundle.0001", "x.bundle.0002", "x.bundle.0003"});
    CHECK_FALSE(std::filesystem::exists(part_path(bundle, 1)));
    CHECK_FALSE(std::filesystem::exists(part_path(bundle, 2)));
    const auto parts = find_parts(part_path(bundle, 2, 4), {});
    REQUIRE(parts);
    REQUIRE(parts->has_value());
    const auto checks = check_parts(**parts);
    REQUIRE(checks);
    CHECK(checks->size() == 3);
}

TEST_CASE("bundle::PartWriter refuses to write more parts than planned")
{
    const test::Scratch scratch;
    PartWriter writer(scratch.path() / "x.bundle", 2, 2);
    const std::string stream = "01234";
    const auto written = writer.write(std::span<const char>(stream.data(), stream.size()));
    REQUIRE_FALSE(written);
    CHECK(written.error().message.find("more than the 2 parts planned") != std::string::npos);
}
