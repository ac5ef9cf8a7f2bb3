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
    CHECK(part_path("x.bundle", 999) == "x.bundle.999");
    CHECK(part_path("x.bundle", 7, 4) == "x.bundle.0007");
    CHECK(parts_file_path("media/x.bundle") == "media/x.bundle.parts.json");
    CHECK(cosignature_path("media/x.bundle") == "media/x.bundle.cosign.json");
}

TEST_CASE("bundle::part_bundle_name takes exactly the names part_path makes")
{
    for (std::size_t n = 1; n <= 999; ++n) {
        CHECK(part_bundle_name(part_path("x.bundle", n).filename().string()) == "x.bundle");
    }
    CHECK(part_bundle_name(part_path("x.bundle", 1000, 4).filename().string()) == "x.bundle");
    CHECK(part_bundle_name(part_path("x.bundle", 5, 9).filename().string()) == "x.bundle");
    CHECK(part_bundle_name("x.bundle.0123456789") == "");
    CHECK(part_bundle_name("x.bundle") == "");
    CHECK(part_bundle_name("x.bundle.v2") == "");
    CHECK(part_bundle_name("x.bundle.01") == "");
    CHECK(part_bundle_name("x.bundle.0a1") == "");
    CHECK(part_bundle_name("x.bundle.parts.json") == "");
}

TEST_CASE("bundle::part_number_digits: every number of a set has the same width, at least three")
{
    CHECK(part_number_digits(1) == 3);
    CHECK(part_number_digits(999) == 3);
    CHECK(part_number_digits(1000) == 4);
    CHECK(part_number_digits(9999) == 4);
    CHECK(part_number_digits(10000) == 5);
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
    CHECK(is_pack_temporary(temporary_name("x.bundle.1000", "tmp"), "x.bundle"));
    CHECK(is_pack_temporary(temporary_name("x.bundle.0001", "old"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary(temporary_name("x.bundle.01", "tmp"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary(temporary_name("x.bundle.001x", "tmp"), "x.bundle"));
    CHECK_FALSE(is_pack_temporary(".x.bundle.", "x.bundle"));
    CHECK_FALSE(is_pack_temporary("x.bundle.001", "x.bundle"));
    CHECK_FALSE(is_pack_temporary(".x.bundle.001", "x.bundle"));
}
