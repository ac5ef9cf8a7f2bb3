// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/windows.hpp>

#include <doctest/doctest.h>

using namespace airlock::manifest;

TEST_CASE("manifest::windows_fit")
{
    struct Case
    {
        const char* image;
        const char* host;
        WindowsFit fit;
    };

    const Case cases[] = {
        {"10.0.20348.2849",
         "10.0.20348.2762",
         WindowsFit::process_isolation}, // same build, other revision
        {"10.0.20348.2849", "10.0.25398.1", WindowsFit::process_isolation}, // 23H2 host, stable ABI
        {"10.0.20348.2849", "10.0.26100.2314", WindowsFit::process_isolation}, // 2025 host
        {"10.0.17763.6532", "10.0.20348.2849", WindowsFit::hyperv_only},       // 2019 image on 2022
        {"10.0.17763.6532", "10.0.17763.1", WindowsFit::process_isolation},
        {"10.0.26100.1", "10.0.20348.2849", WindowsFit::too_new},
        {"10.0.20348.1", "10.0.17763.6532", WindowsFit::too_new},
    };
    for (const auto& c : cases) {
        CAPTURE(c.image);
        CAPTURE(c.host);
        CHECK(windows_fit(c.image, c.host) == c.fit);
    }
    CHECK_FALSE(windows_fit("", "10.0.20348.1"));
    CHECK_FALSE(windows_fit("10.0", "10.0.20348.1"));
    CHECK(windows_build("10.0.20348.2849") == 20348UL);
    CHECK(windows_build("10.0.20348") == 20348UL);
    CHECK_FALSE(windows_build("10.0.x.1"));
}
