// SPDX-License-Identifier: Apache-2.0
#include "tagging.hpp"

#include <airlock/unpack/oci_store.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace airlock;
using namespace airlock::unpack;
using manifest::Descriptor;

namespace {

manifest::BundleImage image(char digest, std::string version)
{
    return manifest::BundleImage{.source = {},
                                 .name = "localhost/base",
                                 .tags = {},
                                 .version = std::move(version),
                                 .digest = manifest::Digest::sha256(std::string(64, digest)),
                                 .media_type = "application/vnd.oci.image.manifest.v1+json",
                                 .size = 100,
                                 .platforms = {},
                                 .created = {}};
}

std::string target(const std::vector<Descriptor>& entries, const std::string& ref)
{
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const Descriptor& d) {
        return d.annotation(manifest::k_annotation_ref_name) == ref;
    });
    return it == entries.end() ? std::string() : it->digest.hex().substr(0, 1);
}

TagChange::Action latest_action(const std::vector<TagChange>& changes)
{
    return std::find_if(
               changes.begin(), changes.end(), [](const TagChange& c) { return c.tag == "latest"; })
        ->action;
}

} // namespace

TEST_CASE("unpack::apply_tags")
{
    std::vector<Descriptor> entries;
    auto changes = apply_tags(entries, image('a', "1.0.3"), {"1.0", "1.0.3"}, LatestPolicy::apply);
    CHECK(changes.size() == 3);
    CHECK(target(entries, "localhost/base:latest") == "a");
    CHECK(entries[0].annotation(manifest::k_annotation_version) == "1.0.3");

    SUBCASE("a newer version moves latest")
    {
        changes = apply_tags(entries, image('b', "1.0.10"), {"1.0"}, LatestPolicy::apply);
        CHECK(latest_action(changes) == TagChange::Action::moved);
        CHECK(target(entries, "localhost/base:latest") == "b");
        CHECK(target(entries, "localhost/base:1.0") == "b");
        CHECK(target(entries, "localhost/base:1.0.3") == "a");
    }
    SUBCASE("an older version never moves latest back")
    {
        changes = apply_tags(entries, image('c', "1.0.2"), {"1.0.2"}, LatestPolicy::apply);
        CHECK(latest_action(changes) == TagChange::Action::kept);
        CHECK(target(entries, "localhost/base:latest") == "a");
        CHECK(target(entries, "localhost/base:1.0.2") == "c");
    }
    SUBCASE("an image without a version does not replace a versioned latest")
    {
        changes = apply_tags(entries, image('d', ""), {"dev"}, LatestPolicy::apply);
        CHECK(latest_action(changes) == TagChange::Action::kept);
    }
    SUBCASE("--no-latest leaves latest alone")
    {
        changes = apply_tags(entries, image('e', "9.9"), {"9.9"}, LatestPolicy::skip);
        CHECK(changes.size() == 1);
        CHECK(target(entries, "localhost/base:latest") == "a");
    }
    SUBCASE("an explicit latest tag is the operator's choice")
    {
        changes = apply_tags(entries, image('f', "0.1"), {"latest"}, LatestPolicy::skip);
        CHECK(latest_action(changes) == TagChange::Action::moved);
        CHECK(target(entries, "localhost/base:latest") == "f");
    }
    SUBCASE("re-applying is a no-op")
    {
        changes = apply_tags(entries, image('a', "1.0.3"), {"1.0", "1.0.3"}, LatestPolicy::apply);
        for (const auto& c : changes) {
            CHECK(c.action == TagChange::Action::unchanged);
        }
        CHECK(entries.size() == 3);
    }
}

TEST_CASE("unpack::split_ref_name")
{
    CHECK(split_ref_name("localhost/sample:1.0")->repository == "localhost/sample");
    CHECK(split_ref_name("localhost:5000/sample:1.0")->tag == "1.0");
    CHECK_FALSE(split_ref_name("localhost:5000/sample"));
    CHECK_FALSE(split_ref_name("1.0:"));
    CHECK(split_ref_name("x:y")->repository == "x");
}

TEST_CASE("unpack::parse_store_spec")
{
    CHECK(parse_store_spec("oci:/srv/store").value() == "/srv/store");
    CHECK(parse_store_spec("docker://x").error().code == Errc::usage);
    CHECK(parse_store_spec("oci:").error().code == Errc::usage);
}

TEST_CASE("unpack::plan_tags")
{
    auto i = image('a', "1.2");
    i.tags = {"1", "1.2", "latest"};
    auto plan = plan_tags(i, {"site", "1"}, true, LatestPolicy::apply);
    REQUIRE(plan.size() == 4);
    CHECK(plan[0].tag == "1");
    CHECK(plan[1].tag == "1.2");
    CHECK(plan[2].tag == "site");
    CHECK(plan[3].tag == "latest");
    CHECK(plan[3].guarded);
    CHECK(plan_tags(i, {}, false, LatestPolicy::apply).size() == 2); // not the newest: no latest
    CHECK(plan_tags(i, {}, true, LatestPolicy::skip).size() == 2);   // --no-latest
    plan = plan_tags(i, {"latest"}, false, LatestPolicy::skip);      // --tag latest: unguarded
    REQUIRE(plan.size() == 3);
    CHECK_FALSE(plan.back().guarded);
}
