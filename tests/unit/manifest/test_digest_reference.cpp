// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/digest.hpp>
#include <airlock/manifest/reference.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::manifest;

namespace {

const std::string k_hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

} // namespace

TEST_CASE("manifest::Digest::parse")
{
    const auto ok = Digest::parse("sha256:" + k_hex);
    REQUIRE(ok);
    CHECK(ok->algorithm() == "sha256");
    CHECK(ok->hex() == k_hex);
    CHECK(ok->str() == "sha256:" + k_hex);
    CHECK(ok->layout_path() == "blobs/sha256/" + k_hex);
    CHECK(Digest::parse("sha512:" + k_hex + k_hex));

    const std::string bad[] = {
        "",                                                                        // empty
        k_hex,                                                                     // no algorithm
        "sha256:" + k_hex.substr(1),                                               // 63 digits
        "sha256:" + k_hex + "0",                                                   // 65 digits
        "sha256:" + k_hex.substr(0, 63) + "G",                                     // not hex
        "SHA256:" + k_hex,                                                         // algorithm case
        "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", // upper hex
        "md5:d41d8cd98f00b204e9800998ecf8427e", // unknown algorithm
        "sha512:" + k_hex,                      // wrong length for sha512
        "sha256:../../etc/passwd",              // path characters
    };
    for (const auto& text : bad) {
        CAPTURE(text);
        const auto parsed = Digest::parse(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::format);
    }
}

TEST_CASE("manifest::Reference::parse")
{
    struct Case
    {
        const char* input;
        const char* normalized; // nullptr: must be rejected
        const char* familiar;
    };

    const std::string digest = "sha256:" + k_hex;
    const Case cases[] = {
        {"ubuntu", "docker.io/library/ubuntu:latest", "ubuntu"},
        {"ubuntu:22.04", "docker.io/library/ubuntu:22.04", "ubuntu"},
        {"library/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu"},
        {"docker.io/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu"},
        {"index.docker.io/library/ubuntu:1", "docker.io/library/ubuntu:1", "ubuntu"},
        {"bitnami/redis", "docker.io/bitnami/redis:latest", "bitnami/redis"},
        {"mcr.microsoft.com/windows/servercore:ltsc2022",
         "mcr.microsoft.com/windows/servercore:ltsc2022",
         "mcr.microsoft.com/windows/servercore"},
        {"mcr.microsoft.com/windows/nanoserver:10.0.20348.2849",
         "mcr.microsoft.com/windows/nanoserver:10.0.20348.2849",
         "mcr.microsoft.com/windows/nanoserver"},
        {"localhost/sample:1.0", "localhost/sample:1.0", "localhost/sample"},
        {"localhost:5000/team/app", "localhost:5000/team/app:latest", "localhost:5000/team/app"},
        {"127.0.0.1:5000/app:v1", "127.0.0.1:5000/app:v1", "127.0.0.1:5000/app"},
        {"quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd"},
        {"registry.example.com:443/a/b/c:tag_1",
         "registry.example.com:443/a/b/c:tag_1",
         "registry.example.com:443/a/b/c"},
        {"foo/bar__baz.qux-quux",
         "docker.io/foo/bar__baz.qux-quux:latest",
         "foo/bar__baz.qux-quux"},
        {"a---b", "docker.io/library/a---b:latest", "a---b"},
        {"[::1]:5000/app", "[::1]:5000/app:latest", "[::1]:5000/app"},
        {"Example.com/app", "Example.com/app:latest", "Example.com/app"},
        {"ubuntu:", nullptr, nullptr},
        {"Ubuntu", nullptr, nullptr},
        {"ubuntu:-bad", nullptr, nullptr},
        {"ubuntu::1", nullptr, nullptr},
        {"a__-b", nullptr, nullptr},
        {"-leading", nullptr, nullptr},
        {"trailing-", nullptr, nullptr},
        {"a//b", nullptr, nullptr},
        {"", nullptr, nullptr},
        {":tag", nullptr, nullptr},
        {"ubuntu@sha256:abc", nullptr, nullptr},
        {"host:notaport/app", nullptr, nullptr},
    };
    for (const auto& c : cases) {
        CAPTURE(c.input);
        const auto ref = Reference::parse(c.input);
        if (c.normalized == nullptr) {
            REQUIRE_FALSE(ref);
            CHECK(ref.error().code == Errc::format);
            CHECK(ref.error().message.find(c.input) != std::string::npos);
            continue;
        }
        REQUIRE(ref);
        CHECK(ref->str() == c.normalized);
        CHECK(ref->familiar_name() == c.familiar);
    }

    SUBCASE("digests")
    {
        const auto by_digest = Reference::parse("alpine@" + digest);
        REQUIRE(by_digest);
        CHECK(by_digest->tag().empty());
        CHECK(by_digest->digest() == digest);
        CHECK(by_digest->str() == "docker.io/library/alpine@" + digest);
        const auto both = Reference::parse("alpine:3.19@" + digest);
        REQUIRE(both);
        CHECK(both->str() == "docker.io/library/alpine:3.19@" + digest);
    }
    SUBCASE("tag grammar")
    {
        CHECK(is_valid_tag("latest"));
        CHECK(is_valid_tag("10.0.20348.2849"));
        CHECK(is_valid_tag("_private"));
        CHECK_FALSE(is_valid_tag(".hidden"));
        CHECK_FALSE(is_valid_tag(std::string(129, 'a')));
        CHECK(is_valid_tag(std::string(128, 'a')));
        CHECK_FALSE(is_valid_tag("a/b"));
    }
}
