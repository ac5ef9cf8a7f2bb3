// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/file.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/credentials.hpp>

#include <doctest/doctest.h>

using namespace airlock;
using namespace airlock::registry;

TEST_CASE("registry::parse_challenge")
{
    auto c = parse_challenge(
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull")");
    CHECK(c["scheme"] == "bearer");
    CHECK(c["realm"] == "https://auth.docker.io/token");
    CHECK(c["service"] == "registry.docker.io");
    CHECK(c["scope"] == "repository:library/alpine:pull");
    c = parse_challenge(R"(Basic realm="Registry Realm")");
    CHECK(c["scheme"] == "basic");
    CHECK(c["realm"] == "Registry Realm");
    c = parse_challenge(R"(Bearer realm="https://x/token", error="invalid_token", scope=a)");
    CHECK(c["error"] == "invalid_token");
    CHECK(c["scope"] == "a");
}

TEST_CASE("registry::find_credentials")
{
    const test::Scratch scratch;
    const auto config = scratch.path() / "config.json";
    // "user:pa:ss" in base64: a password may contain ':'.
    REQUIRE(write_file_atomic(config, R"({"auths":{
        "registry.example.com:5000":{"auth":"dXNlcjpwYTpzcw=="},
        "https://index.docker.io/v1/":{"username":"hub","password":"hubpass"}}})"));
    RegistryOptions options;
    options.auth_file = config;
    auto creds = find_credentials(options, "registry.example.com:5000");
    REQUIRE(creds);
    REQUIRE(creds->has_value());
    CHECK((*creds)->username == "user");
    CHECK((*creds)->password == "pa:ss");
    creds = find_credentials(options, "docker.io");
    REQUIRE(creds);
    CHECK((*creds)->username == "hub");
    creds = find_credentials(options, "quay.io");
    REQUIRE(creds);
    CHECK_FALSE(creds->has_value());

    options.creds = "cli:pw";
    CHECK(find_credentials(options, "quay.io")->value().username == "cli");
    options.creds = "nocolon";
    CHECK(find_credentials(options, "quay.io").error().code == Errc::usage);

    options.creds.clear();
    options.auth_file = scratch.path() / "missing.json";
    CHECK(find_credentials(options, "quay.io").error().code == Errc::not_found);
}

TEST_CASE("registry::tls_for_host")
{
    const test::Scratch scratch;
    std::filesystem::create_directories(scratch.path() / "r.example.com:5000");
    REQUIRE(write_file_atomic(scratch.path() / "r.example.com:5000" / "ca.crt", "pem"));
    RegistryOptions options;
    options.cert_dir = scratch.path();
    options.insecure.insert("insecure.example.com");
    CHECK(tls_for_host(options, "r.example.com:5000").verify);
    CHECK(tls_for_host(options, "r.example.com:5000").ca_file
          == (scratch.path() / "r.example.com:5000" / "ca.crt").string());
    CHECK(tls_for_host(options, "other.example.com").ca_file.empty());
    CHECK_FALSE(tls_for_host(options, "insecure.example.com").verify);
}
