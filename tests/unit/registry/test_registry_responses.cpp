// SPDX-License-Identifier: Apache-2.0
#include <airlock/registry/responses.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace airlock;
using namespace airlock::registry;

namespace {

// Bodies a hostile or broken registry might send: every type where another is expected.
const std::vector<std::string> k_hostile = {
    "",
    "null",
    "5",
    "\"x\"",
    "[]",
    "[1]",
    "{}",
    "{\"errors\": 1}",
    "{\"errors\": \"x\"}",
    "{\"errors\": {}}",
    "{\"errors\": []}",
    "{\"errors\": [1]}",
    "{\"errors\": [null]}",
    "{\"errors\": [[\"code\"]]}",
    "{\"errors\": [{\"code\": 5, \"message\": 6}]}",
    "{\"errors\": [{\"code\": [], \"message\": {}}]}",
    "{\"token\": 5}",
    "{\"token\": null, \"access_token\": []}",
    "{\"access_token\": {}}",
    "{\"token\": \"\"}",
    "{\"token\": true, \"expires_in\": \"soon\"}",
    "{\"schemaVersion\": \"1\"}",
    "{\"schemaVersion\": 1.5}",
    "{\"schemaVersion\": []}",
    "{\"schemaVersion\": null}",
    "{\"tags\": 5, \"repositories\": {}}",
    "{\"errors\": [{\"code\": \"A\"",
};

} // namespace

TEST_CASE("registry::registry_error_text")
{
    for (const auto& body : k_hostile) {
        CAPTURE(body);
        std::string text;
        CHECK_NOTHROW(text = registry_error_text(body));
        CHECK(text.empty());
    }
    CHECK(registry_error_text(R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]})")
          == "MANIFEST_UNKNOWN: unknown");
    CHECK(registry_error_text(R"({"errors":[{"code":7,"message":"only this"}]})") == "only this");
    CHECK(registry_error_text(R"({"errors":[{"code":"DENIED"}, 5]})") == "DENIED");
    SUBCASE("one printable line of bounded length")
    {
        const std::string text =
            registry_error_text(R"({"errors":[{"code":"X","message":"a\u001b[31mb\nc"}]})");
        CHECK(text == "X: a [31mb c");
        const std::string long_text =
            registry_error_text(R"({"errors":[{"message":")" + std::string(5000, 'm') + R"("}]})");
        CHECK(long_text.size() < 400);
        CHECK(long_text.ends_with("..."));
    }
}

TEST_CASE("registry::parse_token_response")
{
    for (const auto& body : k_hostile) {
        CAPTURE(body);
        Result<std::string> token;
        CHECK_NOTHROW(token = parse_token_response(body, "reg.example"));
        REQUIRE_FALSE(token);
        CHECK(token.error().code == Errc::auth);
        CHECK(token.error().message.find("reg.example") != std::string::npos);
    }
    CHECK(parse_token_response(R"({"token":"abc","expires_in":"soon"})", "h").value() == "abc");
    CHECK(parse_token_response(R"({"token":5,"access_token":"def"})", "h").value() == "def");
    CHECK(parse_token_response(R"({"access_token":"ghi","expires_in":[]})", "h").value() == "ghi");
    SUBCASE("a token that would break out of its HTTP header")
    {
        CHECK_FALSE(parse_token_response(R"({"token":"abc\r\nX-Injected: 1"})", "h"));
        CHECK_FALSE(parse_token_response(R"({"token":"a b"})", "h"));
    }
}

TEST_CASE("registry::is_schema1_document")
{
    for (const auto& body : k_hostile) {
        CAPTURE(body);
        bool schema1 = true;
        CHECK_NOTHROW(schema1 = is_schema1_document(body));
        CHECK_FALSE(schema1);
    }
    CHECK(is_schema1_document(R"({"schemaVersion":1,"fsLayers":[]})"));
    CHECK_FALSE(is_schema1_document(R"({"schemaVersion":2})"));
}
