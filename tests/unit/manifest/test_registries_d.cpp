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
    CHECK(lookaside_for(config, "registry.example.com/ns/app").lookaside
          == "https://sigs.example.com/ns");
    CHECK(lookaside_for(config, "registry.example.com/ns/app").lookaside_staging
          == "file:///srv/sigstore/ns");
    CHECK(lookaside_for(config, "quay.io/x/y").lookaside == "file:///var/lib/sigs");
    CHECK(lookaside_for(config, "registry.example.com/other").lookaside
          == "file:///var/lib/containers/sigstore");
    CHECK(signature_url("file:///s/", "registry.example.com/ns/app", "sha256:ab", 2)
          == "file:///s/ns/app@sha256=ab/signature-2");
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
