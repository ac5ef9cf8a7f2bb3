// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/registries_d.hpp>

#include <doctest/doctest.h>

using namespace airlock;
using namespace airlock::manifest;

TEST_CASE("registries.d: scopes, default-docker, older key names, comments and quotes")
{
    RegistriesD config;
    REQUIRE(parse_registries_d(R"(# comment
docker:
  registry.example.com/ns:
    lookaside: https://sigs.example.com/ns   # read
    lookaside-staging: "file:///srv/sigstore/ns"
  'quay.io':
    sigstore: file:///var/lib/sigs
    use-sigstore-attachments: true
default-docker:
  lookaside: file:///var/lib/containers/sigstore
dir:
  /some/where:
    lookaside: file:///ignored
)",
                               "a.yaml",
                               config));
    CHECK(lookaside_url(config, "registry.example.com/ns/app", false)
          == "https://sigs.example.com/ns");
    CHECK(lookaside_url(config, "registry.example.com/ns/app", true) == "file:///srv/sigstore/ns");
    CHECK(lookaside_url(config, "quay.io/x/y", false) == "file:///var/lib/sigs");
    CHECK(lookaside_url(config, "quay.io/x/y", true) == "file:///var/lib/sigs");
    CHECK(lookaside_url(config, "registry.example.com/other", false)
          == "file:///var/lib/containers/sigstore");
    CHECK(signature_url("file:///s/", "registry.example.com/ns/app", "sha256:ab", 2)
          == "file:///s/ns/app@sha256=ab/signature-2");
}

TEST_CASE("registries.d: a scope without a lookaside falls through; a BOM; file URLs")
{
    RegistriesD config;
    REQUIRE(parse_registries_d("\xEF\xBB\xBF"
                               "docker:\n  a.io/vendor:\n    use-sigstore-attachments: false\n"
                               "default-docker:\n  lookaside: file://localhost/srv/sig%20store\n",
                               "a.yaml",
                               config));
    const std::string url = lookaside_url(config, "a.io/vendor/app", false);
    CHECK(url == "file://localhost/srv/sig%20store");
    CHECK(lookaside_directory(url) == std::filesystem::path("/srv/sig store"));
    CHECK_FALSE(lookaside_directory("file://elsewhere/srv"));
    CHECK_FALSE(lookaside_directory("https://a.io/x"));
}

TEST_CASE("registries.d: a scope configured twice, lists, tabs and deep nesting are refused")
{
    RegistriesD config;
    REQUIRE(parse_registries_d("docker:\n  a.io:\n    lookaside: x\n", "a.yaml", config));
    CHECK(parse_registries_d("docker:\n  a.io:\n    lookaside: y\n", "b.yaml", config).error().code
          == Errc::format);
    RegistriesD other;
    CHECK_FALSE(parse_registries_d("docker:\n  - a\n", "c.yaml", other));
    CHECK_FALSE(parse_registries_d("docker:\n\ta.io: {}\n", "c.yaml", other));
    CHECK_FALSE(parse_registries_d("a:\n b:\n  c:\n   d:\n    e:\n     f: 1\n", "c.yaml", other));
    CHECK_FALSE(parse_registries_d("docker:\n  a.io:\n    lookaside: \"x\n", "c.yaml", other));
}
