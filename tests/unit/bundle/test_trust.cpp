// SPDX-License-Identifier: Apache-2.0
#include <airlock/bundle/trust.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace airlock;
using namespace airlock::bundle;

TEST_CASE("bundle::TrustedKeys counts keys, not files")
{
    const char* data = std::getenv("AIRLOCK_TEST_DATA");
    REQUIRE(data != nullptr);
    const std::filesystem::path dir = std::filesystem::path(data) / "crypto";
    // One P-256 key, PEM-encoded four ways (compressed point, explicit curve parameters).
    const auto keys = TrustedKeys::load({dir / "p256-named-uncompressed.pub",
                                         dir / "p256-named-compressed.pub",
                                         dir / "p256-explicit-uncompressed.pub",
                                         dir / "p256-explicit-compressed.pub"},
                                        {});
    REQUIRE(keys);
    CHECK(keys->size() == 1);
}
