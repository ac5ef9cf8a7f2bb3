// SPDX-License-Identifier: Apache-2.0
#include <airlock/http/client.hpp>

#include <doctest/doctest.h>

using namespace airlock::http;

TEST_CASE("http::redact_url")
{
    CHECK(redact_url("https://user:secret@registry.example.com/v2/")
          == "https://registry.example.com/v2/");
    CHECK(redact_url("https://storage.example.com/blob?X-Amz-Signature=abc&token=t")
          == "https://storage.example.com/blob?...");
    CHECK(redact_url("http://127.0.0.1:5000/v2/") == "http://127.0.0.1:5000/v2/");
}

TEST_CASE("http::origin_of")
{
    CHECK(origin_of("https://Registry.Example.com/v2/x") == "https://registry.example.com:443");
    CHECK(origin_of("https://registry.example.com:443/v2/x") == "https://registry.example.com:443");
    CHECK(origin_of("http://127.0.0.1:5000/v2/") == "http://127.0.0.1:5000");
    CHECK(origin_of("http://127.0.0.1/v2/") == "http://127.0.0.1:80");
    CHECK(origin_of("https://a.example.com/") != origin_of("https://b.example.com/"));
    CHECK(origin_of("http://a.example.com/") != origin_of("https://a.example.com/"));
    CHECK(origin_of("https://user@a.example.com/") == "https://a.example.com:443");
}

TEST_CASE("http::authority_of")
{
    CHECK(authority_of("https://127.0.0.1:5000/token?x=y") == "127.0.0.1:5000");
    CHECK(authority_of("https://auth.docker.io/token") == "auth.docker.io");
}

TEST_CASE("http::resolve_url")
{
    CHECK(resolve_url("https://r.example.com/v2/x/blobs/sha256:1", "https://s3.example.com/b?sig=1")
          == "https://s3.example.com/b?sig=1");
    CHECK(resolve_url("https://r.example.com/v2/x/blobs/sha256:1", "/storage/b")
          == "https://r.example.com/storage/b");
    CHECK(resolve_url("https://r.example.com/v2/x/blobs/a", "b")
          == "https://r.example.com/v2/x/blobs/b");
    CHECK(resolve_url("https://r.example.com/v2/", "//cdn.example.com/b")
          == "https://cdn.example.com/b");
}

TEST_CASE("http::url_encode")
{
    CHECK(url_encode("repository:library/alpine:pull") == "repository%3Alibrary%2Falpine%3Apull");
    CHECK(url_encode("a-b_c.d~") == "a-b_c.d~");
}
