// SPDX-License-Identifier: Apache-2.0
#include <airlock/pack/image_list.hpp>

#include <doctest/doctest.h>

using namespace airlock;
using namespace airlock::pack;

TEST_CASE("pack::parse_image_list")
{
    const auto list = parse_image_list(R"(# monthly base images
mcr.microsoft.com/windows/servercore:ltsc2022  platform=windows/amd64:10.0.20348  tags=ltsc2022,2026-11

alpine:3.19 platform=linux/amd64,linux/arm64   # two platforms
oci:/images/sample:1.0 platform=all
registry.local:5000/app@sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
)",
                                       "images.txt");
    REQUIRE(list);
    REQUIRE(list->size() == 4);
    CHECK((*list)[0].reference == "mcr.microsoft.com/windows/servercore:ltsc2022");
    CHECK((*list)[0].platforms.at(0).os_version == "10.0.20348");
    CHECK((*list)[0].tags == std::vector<std::string>{"ltsc2022", "2026-11"});
    CHECK((*list)[1].platforms.size() == 2);
    CHECK((*list)[2].all_platforms);
    CHECK((*list)[3].platforms.empty());

    const auto error = [](std::string_view text) {
        return parse_image_list(text, "l.txt").error().message;
    };
    CHECK(error("a\nb tags=bad/tag\n") == "l.txt:2: invalid tag 'bad/tag'");
    CHECK(error("a colour=blue")
          == "l.txt:1: unknown key 'colour' (use platform=, tags= or require-signature=)");
    CHECK(error("a platform=") == "l.txt:1: expected key=value, got 'platform='");
    CHECK(error("a platform=linux").starts_with("l.txt:1: invalid platform 'linux'"));
    CHECK(error("a platform=all,linux/amd64")
          == "l.txt:1: platform=all and a named platform exclude each other");
    CHECK(parse_image_list("# only comments\n\n", "x")->empty());
}
