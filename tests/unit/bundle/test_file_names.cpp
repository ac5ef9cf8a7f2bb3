// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/ownership.hpp>
#include <airlock/bundle/file_names.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::bundle;

TEST_CASE("bundle::part_path")
{
    CHECK(part_path("OUT", 7) == "OUT.007");
    CHECK(part_path("media/x.bundle", 12) == "media/x.bundle.012");
    CHECK(part_path("x.bundle", k_max_part_number) == "x.bundle.999");
    CHECK(parts_file_path("media/x.bundle") == "media/x.bundle.parts.json");
    CHECK(cosignature_path("media/x.bundle") == "media/x.bundle.cosign.json");
}

TEST_CASE("bundle::part_bundle_name takes exactly the names part_path makes")
{
    for (std::size_t n = 1; n <= k_max_part_number; ++n) {
        CHECK(part_bundle_name(part_path("x.bundle", n).filename().string()) == "x.bundle");
    }
    CHECK(part_bundle_name("x.bundle") == "");
    CHECK(part_bundle_name("x.bundle.v2") == "");
    CHECK(part_bundle_name("x.bundle.01") == "");
    CHECK(part_bundle_name("x.bundle.0a1") == "");
    CHECK(part_bundle_name("x.bundle.parts.json") == "");
    // Past the three digits the writer's names grow a digit, which no reader takes for a part.
    CHECK(part_path("x.bundle", k_max_part_number + 1) == "x.bundle.1000");
    CHECK(part_bundle_name("x.bundle.1000") == "");
}

TEST_CASE("bundle::is_pack_temporary")
{
    for (const std::string final_name :
         {"x.bundle", "x.bundle.001", "x.bundle.999", "x.bundle.parts.json"}) {
        CHECK(is_pack_temporary(temporary_name(final_name, "tmp"), "x.bundle"));
        CHECK(is_pack_temporary(temporary_name(final_name, "old"), "x.bundle"));
    }
    CHECK(is_pack_temporary(temporary_name("x.bundle.cosign.json", "tmp"), "x.bundle"));
    // Another bundle's in the same directory, or not a temporary name at all.
    CHECK_FALSE(is_pack_temporary(temporary_name("x.bundle.v2", "tmp"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary(temporary_name("y.bundle.001", "tmp"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary(temporary_name("x.bundle.1000", "tmp"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary("x.bundle.001", "x.bundle"));
    CHECK_FALSE(is_pack_temporary(".x.bundle.001", "x.bundle"));
}
