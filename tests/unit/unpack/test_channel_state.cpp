// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"
#include "channel_state.hpp"
#include "registry_channel_state.hpp"
#include "store_identity.hpp"
#include "stores/store.hpp"

#include <airlock/base/file.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::unpack;

namespace {

const std::string k_digest_a = "sha256:" + std::string(64, 'a');
const std::string k_digest_b = "sha256:" + std::string(64, 'b');

manifest::BundleManifest channel_bundle(const std::string& channel, std::uint64_t sequence)
{
    manifest::BundleManifest bundle;
    bundle.channel = channel;
    bundle.sequence = sequence;
    return bundle;
}

} // namespace

TEST_CASE("unpack::ChannelLedgerFile")
{
    const test::Scratch scratch;
    const auto file = scratch.path() / "channels.json";
    ChannelLedgerFile ledger(file);

    SUBCASE("a missing ledger is no record; writing keeps other channels")
    {
        CHECK_FALSE(ledger.read("monthly").value().has_value());
        REQUIRE(ledger.write("monthly", {5, k_digest_a, "2026-11-27T00:00:00Z"}));
        REQUIRE(ledger.write("weekly", {9, k_digest_b, "2026-11-27T00:00:00Z"}));
        CHECK(ledger.read("monthly").value()->sequence == 5);
        CHECK(ledger.read("weekly").value()->bundle == k_digest_b);
    }
    SUBCASE("an unusable ledger fails closed and is never rewritten")
    {
        for (const std::string& bad : {std::string("garbage{"),
                                       std::string(R"(["monthly", 7])"),
                                       std::string(R"({"monthly": "7"})"),
                                       std::string(R"({"monthly": {"sequence": "7"}})"),
                                       std::string(R"({"monthly": {"sequence": -1}})"),
                                       std::string(R"({"m": {"sequence": 7, "bundle": 3}})"),
                                       std::string(5U << 20U, ' ')}) {
            CAPTURE(bad.substr(0, 40));
            REQUIRE(write_file_atomic(file, bad));
            const auto read = ledger.read("monthly");
            REQUIRE_FALSE(read);
            CHECK(read.error().code == Errc::policy);
            CHECK(read.error().message.find(file.string()) != std::string::npos);
            CHECK(read.error().message.find("restore it from a backup") != std::string::npos);
            CHECK(ledger.write("monthly", {8, k_digest_a, ""}).error().code == Errc::policy);
            CHECK(read_file(file, 8U << 20U).value() == bad);
        }
    }
    SUBCASE("a symlinked ledger is not followed")
    {
        const auto real = scratch.path() / "real.json";
        REQUIRE(write_file_atomic(real, "{}"));
        if (test::make_symlink(real, file)) {
            CHECK(ledger.read("monthly").error().code == Errc::policy);
        }
    }
}

TEST_CASE("unpack::ChannelGuard")
{
    const test::Scratch scratch;
    const auto file = scratch.path() / "channels.json";
    REQUIRE(ChannelLedgerFile(file).write("weekly", {3, k_digest_b, ""}));
    // The bundles outlive the guards that refer to them.
    const auto b5 = channel_bundle("monthly", 5);
    const auto b4 = channel_bundle("monthly", 4);
    ChannelGuard first(b5, k_digest_a, false);
    first.add(std::make_unique<ChannelLedgerFile>(file));
    REQUIRE(first.check());
    REQUIRE(first.record());
    ChannelGuard older(b4, k_digest_a, false);
    older.add(std::make_unique<ChannelLedgerFile>(file));
    CHECK(older.check().error().code == Errc::policy);
    ChannelGuard forced(b4, k_digest_a, true);
    forced.add(std::make_unique<ChannelLedgerFile>(file));
    REQUIRE(forced.check());
    REQUIRE(forced.record());
    ChannelGuard other(b5, k_digest_b, false);
    other.add(std::make_unique<ChannelLedgerFile>(file));
    CHECK(other.check().error().code == Errc::policy); // same sequence, another bundle
    CHECK(ChannelLedgerFile(file).read("monthly").value()->sequence == 5);
    CHECK(ChannelLedgerFile(file).read("weekly").value()->sequence == 3);
}

TEST_CASE("unpack::normalise_registry_host")
{
    CHECK(normalise_registry_host("localhost:5000") == "localhost:5000");
    CHECK(normalise_registry_host("127.0.0.1:5000") == "localhost:5000");
    CHECK(normalise_registry_host("[::1]:5000") == "localhost:5000");
    CHECK(normalise_registry_host("LocalHost.:5000") == "localhost:5000");
    CHECK(normalise_registry_host("::1") == "localhost");
    CHECK(normalise_registry_host("Reg.Example.com:443") == "reg.example.com");
    CHECK(normalise_registry_host("reg.example.com:80") == "reg.example.com");
    CHECK(normalise_registry_host("index.docker.io") == "docker.io");
    CHECK(normalise_registry_host("10.0.0.1:5000") == "10.0.0.1:5000");
}

TEST_CASE("unpack::Store::identity")
{
    const auto open = [](std::string_view spec) { return open_store(spec, {}).value(); };
    const auto a = open("docker://127.0.0.1:5000/site/");
    const auto b = open("docker://localhost:5000/site");
    CHECK(a->identity() == "docker://localhost:5000/site");
    CHECK(a->identity() == b->identity());
    CHECK(local_ledger_path(*a) == local_ledger_path(*b));
    CHECK(local_ledger_path(*b).filename() == "docker-localhost_5000-site.json");
    CHECK(local_ledger_path(*open("docker://localhost:5000/other")) != local_ledger_path(*b));
    CHECK(open("oci:/srv/store")->identity() == "oci:/srv/store");
    CHECK(open("containerd?namespace=k8s.io")->identity().ends_with("?namespace=k8s.io"));
}

TEST_CASE("unpack::open_store")
{
    CHECK(open_store("oci:", {}).error().code == Errc::usage);
    CHECK(open_store("ftp://x", {}).error().code == Errc::usage);
    CHECK(open_store("docker:/x", {}).error().code == Errc::usage);
    CHECK(open_store("containerdx", {}).error().code == Errc::usage);
    StoreOptions local;
    local.channel_state = ChannelStatePlace::local;
    CHECK(open_store("oci:/x", local).error().code == Errc::usage); // docker:// only
    CHECK(open_store("docker://reg.local/site", local));
    CHECK(open_store("", {}).value()->name().starts_with("oci:"));
    CHECK(open_store("docker-engine:unix:///run/docker.sock", {}).value()->name()
          == "docker-engine:unix:///run/docker.sock");
}

TEST_CASE("unpack::store_spec_starts")
{
    // What completion offers for --to: each start, completed as an operator would, opens a
    // store of its kind (opening reads and connects nothing).
    const std::vector<std::string_view> starts = store_spec_starts();
    CHECK(starts
          == std::vector<std::string_view>{
              "oci:", "docker://", "docker-engine", "containerd", "podman", "containers-storage"});
    for (const std::string_view start : starts) {
        const std::string spec =
            std::string(start) + (start.ends_with(':') || start.ends_with('/') ? "reg.local" : "");
        CHECK_MESSAGE(open_store(spec, {}), spec);
    }
}

TEST_CASE("unpack::channel_record_tag")
{
    CHECK(channel_record_tag("monthly") == "channel-monthly");
    CHECK(channel_record_tag("a/b").starts_with("channel-sha256-"));
    CHECK(channel_record_tag("a/b").size() == 15 + 40);
    CHECK(channel_state_repository("") == "airlock-state");
    CHECK(channel_state_repository("mirror") == "mirror/airlock-state");
}
