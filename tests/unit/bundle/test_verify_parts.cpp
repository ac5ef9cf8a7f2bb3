// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/file.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/crypto/keys.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/parts_manifest.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace airlock;
using namespace airlock::bundle;

namespace fs = std::filesystem;

namespace {

// Writes s.bundle.001..003 and s.bundle.parts.json signed by `key` into `dir`.
void write_split_bundle(const fs::path& dir, const crypto::PrivateKey& key)
{
    manifest::PartsManifest list;
    list.bundle = "s.bundle";
    for (const std::string name : {"s.bundle.001", "s.bundle.002", "s.bundle.003"}) {
        const std::string content = "content of " + name;
        REQUIRE(write_file_atomic(dir / name, content));
        list.parts.push_back({name, content.size(), crypto::sha256_hex(content)});
        list.size += content.size();
    }
    list.sha256 = crypto::sha256_hex("not checked here");
    list.bundle_json_sha256 = list.sha256;
    const auto signed_bytes = manifest::parts_manifest_to_json(list);
    REQUIRE(signed_bytes);
    const auto public_key = key.public_key();
    REQUIRE(public_key);
    const auto value = key.sign(*signed_bytes);
    REQUIRE(value);
    const manifest::Signature signature{
        std::string(crypto::key_type_name(key.type())), public_key->id(), *value};
    const auto parts_file = manifest::parts_file_to_json(list, {signature});
    REQUIRE(parts_file);
    REQUIRE(write_file_atomic(dir / "s.bundle.parts.json", *parts_file));
}

TrustedKeys trust(const fs::path& dir, const crypto::PrivateKey& key)
{
    const auto public_key = key.public_key();
    REQUIRE(public_key);
    const auto pem = public_key->to_pem();
    REQUIRE(pem);
    const fs::path file = dir / "trusted.pub";
    REQUIRE(write_file_atomic(file, *pem));
    auto keys = TrustedKeys::load({file}, {});
    REQUIRE(keys);
    return std::move(*keys);
}

} // namespace

TEST_CASE("bundle::verify_parts")
{
    const test::Scratch scratch;
    const fs::path stick1 = scratch.path() / "stick1";
    const fs::path stick2 = scratch.path() / "stick2";
    fs::create_directories(stick1);
    fs::create_directories(stick2);
    const auto key = crypto::PrivateKey::generate(crypto::KeyType::ed25519);
    REQUIRE(key);
    write_split_bundle(stick1, *key);
    const TrustedKeys keys = trust(scratch.path(), *key);
    const fs::path parts_file = stick1 / "s.bundle.parts.json";

    SUBCASE("a whole bundle has no parts")
    {
        const auto report = verify_parts(scratch.path() / "x.bundle", keys);
        REQUIRE(report);
        CHECK(!report->has_value());
    }
    SUBCASE("every part here and intact")
    {
        const auto report = verify_parts(stick1 / "s.bundle.002", keys);
        REQUIRE(report);
        REQUIRE(report->has_value());
        CHECK((*report)->bundle == "s.bundle");
        CHECK((*report)->intact == 3);
        CHECK((*report)->complete());
    }
    SUBCASE("a part on another medium is missing here, found with its directory")
    {
        fs::rename(stick1 / "s.bundle.002", stick2 / "s.bundle.002");
        auto report = verify_parts(parts_file, keys);
        REQUIRE(report);
        REQUIRE(report->has_value());
        CHECK((*report)->intact == 2);
        CHECK((*report)->missing == 1);
        CHECK(!(*report)->complete());
        CHECK((*report)->parts[1].state == PartCheck::State::missing);
        report = verify_parts(parts_file, keys, 1, {stick2});
        REQUIRE(report);
        CHECK((*report)->complete());
    }
    SUBCASE("a damaged part is named")
    {
        REQUIRE(write_file_atomic(stick1 / "s.bundle.003", "content of s.bundle.00X"));
        const auto report = verify_parts(parts_file, keys);
        REQUIRE(report);
        REQUIRE(report->has_value());
        CHECK((*report)->damaged == 1);
        CHECK((*report)->parts[2].name == "s.bundle.003");
        CHECK((*report)->parts[2].state == PartCheck::State::damaged);
        CHECK(!(*report)->complete());
    }
    SUBCASE("the parts file must be signed by a trusted key")
    {
        const auto other = crypto::PrivateKey::generate(crypto::KeyType::ed25519);
        REQUIRE(other);
        const TrustedKeys strangers = trust(scratch.path(), *other);
        const auto report = verify_parts(parts_file, strangers);
        REQUIRE(!report);
        CHECK(report.error().code == Errc::signature_invalid);
        CHECK(report.error().context.back() == "in " + parts_file.string());
    }
}
