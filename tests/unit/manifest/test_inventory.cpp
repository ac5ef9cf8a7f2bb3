// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/inventory.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::manifest;

namespace {
const std::string k_digest = "sha256:" + std::string(64, 'a');
}

TEST_CASE("manifest::parse_inventory reads blobs and channel marks")
{
    const std::string text = R"({"format":"airlock-inventory","formatVersion":1,"store":"oci:/s",
        "blobs":[{"digest":")"
                             + k_digest + R"(","size":3},{"digest":"nonsense"}],
        "channels":{"m":{"sequence":4,"bundle":"sha256:x"}}})";
    const auto inventory = parse_inventory(text, "inv.json");
    REQUIRE(inventory);
    CHECK(inventory->store == "oci:/s");
    CHECK(inventory->blobs.size() == 1); // the digest that does not parse is left out
    REQUIRE(inventory->channels.contains("m"));
    CHECK(inventory->channels.at("m").sequence == 4);
    CHECK(inventory->channels.at("m").bundle == "sha256:x");
}

TEST_CASE("manifest::parse_inventory: an inventory from before channel marks has none")
{
    const auto inventory =
        parse_inventory(R"({"format":"airlock-inventory","blobs":[]})", "old.json");
    REQUIRE(inventory);
    CHECK(inventory->channels.empty());
}

TEST_CASE("manifest::parse_inventory refuses what is not an inventory, naming the file")
{
    for (const std::string text :
         {R"({"format":"x","blobs":[]})",
          R"({"format":"airlock-inventory"})",
          R"([1,2])",
          R"({"format":"airlock-inventory","blobs":[],"channels":[]})",
          R"({"format":"airlock-inventory","blobs":[],"channels":{"m":{"sequence":-1}}})",
          "{"}) {
        const auto inventory = parse_inventory(text, "inv.json");
        REQUIRE_FALSE(inventory);
        CHECK(inventory.error().code == Errc::format);
        CHECK(inventory.error().message.find("inv.json") != std::string::npos);
    }
}
