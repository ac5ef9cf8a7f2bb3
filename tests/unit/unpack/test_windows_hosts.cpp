// SPDX-License-Identifier: Apache-2.0
#include "bundle_policy.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace airlock;
using namespace airlock::unpack;

namespace {

class WarningsReporter final : public Reporter
{
  public:
    void info(std::string_view) override {}

    void warn(std::string_view message) override
    {
        warnings.emplace_back(message);
    }

    void progress(const Progress&) override {}

    void phase_end(const Progress&) override {}

    std::vector<std::string> warnings;
};

manifest::BundleManifest bundle_with(std::vector<std::string> platforms)
{
    manifest::BundleManifest bundle;
    bundle.images.push_back(
        manifest::BundleImage{.source = {},
                              .name = "mcr.microsoft.com/windows/servercore",
                              .tags = {},
                              .version = {},
                              .digest = manifest::Digest::sha256(std::string(64, 'a')),
                              .media_type = {},
                              .size = 0,
                              .platforms = std::move(platforms),
                              .created = {}});
    return bundle;
}

} // namespace

TEST_CASE("unpack: the Windows build images are checked against")
{
    // Given beats detected (importing on one machine for other hosts); detected is the default.
    CHECK(windows_host_build("10.0.17763.6532", std::string("10.0.20348.2849"))
          == "10.0.17763.6532");
    CHECK(windows_host_build("", std::string("10.0.20348.2849")) == "10.0.20348.2849");
    CHECK(windows_host_build("", std::nullopt).empty());
}

TEST_CASE("unpack::check_windows_hosts with given host builds")
{
    const auto ltsc2022 = bundle_with({"windows/amd64:10.0.20348.2849"});
    const auto ltsc2019 = bundle_with({"windows/amd64:10.0.17763.6532"});
    const auto both =
        bundle_with({"windows/amd64:10.0.17763.6532", "windows/amd64:10.0.20348.2849"});
    const auto linux_only = bundle_with({"linux/amd64"});

    WarningsReporter r;
    // The same build (any revision from 20348 on): process isolation, nothing to say.
    REQUIRE(check_windows_hosts(ltsc2022, "10.0.20348.1000", true, r));
    REQUIRE(check_windows_hosts(both, "10.0.17763.100", true, r));
    REQUIRE(check_windows_hosts(linux_only, "10.0.17763.100", true, r));
    REQUIRE(check_windows_hosts(ltsc2022, "", true, r)); // no build known: no check
    CHECK(r.warnings.empty());

    // An older image on a newer host: Hyper-V isolation only, a warning even when required.
    REQUIRE(check_windows_hosts(ltsc2019, "10.0.20348.2849", true, r));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("Hyper-V") != std::string::npos);

    // A newer image than the host: a warning, refused with require_compatible.
    r.warnings.clear();
    REQUIRE(check_windows_hosts(ltsc2022, "10.0.17763.6532", false, r));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("cannot run there") != std::string::npos);
    const auto refused = check_windows_hosts(ltsc2022, "10.0.17763.6532", true, r);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::policy);

    CHECK(check_windows_hosts(ltsc2022, "20348", false, r).error().code == Errc::usage);
}

TEST_CASE("unpack::best_platform_entry: the Windows build a host runs best")
{
    const auto entry = [](const std::string& platform) {
        manifest::Descriptor d{"application/vnd.oci.image.manifest.v1+json",
                               manifest::Digest::sha256(std::string(64, 'b')),
                               100,
                               {},
                               {},
                               {}};
        d.platform = manifest::Platform::parse(platform).value();
        return d;
    };
    const std::vector<manifest::Descriptor> servercore = {entry("linux/amd64"),
                                                          entry("windows/amd64:10.0.17763.6532"),
                                                          entry("windows/amd64:10.0.20348.2849"),
                                                          entry("windows/amd64:10.0.26100.1742")};
    const auto windows = manifest::Platform::parse("windows/amd64").value();
    // A 2022 host: its own build (process isolation), not the first Windows entry (17763,
    // Hyper-V only) nor the newest (26100, which cannot run there).
    CHECK(best_platform_entry(servercore, windows, std::string("10.0.20348.3000")) == 2);
    // A 2019 host: 17763, the only one it runs with process isolation.
    CHECK(best_platform_entry(servercore, windows, std::string("10.0.17763.100")) == 1);
    // 2025: both 20348 and 26100 run with process isolation; the newer is taken.
    CHECK(best_platform_entry(servercore, windows, std::string("10.0.26100.1")) == 3);
    // No host build known: the first that fits the platform, as before.
    CHECK(best_platform_entry(servercore, windows, std::nullopt) == 1);
    CHECK(best_platform_entry(
              servercore, manifest::Platform::parse("linux/amd64").value(), std::nullopt)
          == 0);
    CHECK_FALSE(best_platform_entry(
        servercore, manifest::Platform::parse("linux/arm64").value(), std::nullopt));
}
