// SPDX-License-Identifier: Apache-2.0
#include <airlock/pack/image_source.hpp>

#include <doctest/doctest.h>

using namespace airlock;

namespace {

// The message of resolving `reference`, which names the layout directory it looked in.
std::string resolve_error(std::string_view reference)
{
    auto source = pack::make_image_source(reference);
    REQUIRE(source);
    auto resolved = (*source)->resolve();
    REQUIRE_FALSE(resolved);
    return resolved.error().message;
}

} // namespace

TEST_CASE("pack: oci:DIR[:REF] with a Windows drive in DIR")
{
    // The drive's colon is part of the directory, the next one starts the reference.
    CHECK(resolve_error("oci:C:\\no\\such\\layout:base").starts_with("C:\\no\\such\\layout "));
    CHECK(resolve_error("oci:D:/no/such/layout").starts_with("D:/no/such/layout "));
    // Without a slash after it, a one-letter directory is still a directory.
    CHECK(resolve_error("oci:C:base").starts_with("C "));
    CHECK(pack::make_image_source("oci::ref").error().code == Errc::usage);
}
