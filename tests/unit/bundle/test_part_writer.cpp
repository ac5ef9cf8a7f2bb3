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
