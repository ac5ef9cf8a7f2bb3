// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/parts_manifest.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::manifest;

TEST_CASE("manifest::check_json_shape")
{
    SUBCASE("depth is counted outside strings only")
    {
        CHECK(check_json_shape(std::string(64, '[') + std::string(64, ']'), "x"));
        const auto deep = check_json_shape(std::string(65, '['), "doc");
        REQUIRE(!deep);
        CHECK(deep.error().code == Errc::format);
        CHECK(deep.error().message
              == "doc nests arrays/objects more than 64 deep; refused unparsed");
        CHECK(check_json_shape("[\"" + std::string(1000, '[') + "\"]", "x"));
        CHECK(check_json_shape(
            R"(["\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["])", "x"));
    }
    SUBCASE("elements")
    {
        std::string wide = "[0";
        for (int i = 0; i < 100; ++i) {
            wide += ",0";
        }
        wide += "]";
        CHECK(check_json_shape(wide, "x", {64, 101}));
        CHECK(!check_json_shape(wide, "x", {64, 100}));
    }
    SUBCASE("parse_bounded_json refuses before building a tree")
    {
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        CHECK(!parse_bounded_json(deep, "deep"));
        CHECK(parse_bounded_json(R"({"a": [1, {"b": null}]})", "ok"));
        CHECK(!parse_bounded_json("{", "broken"));
    }
}

TEST_CASE("manifest::json typed lookups never throw")
{
    const auto doc =
        parse_bounded_json(R"({"s": "x", "n": 5, "neg": -1, "big": 18446744073709551615,
                                    "f": 1.5, "a": [], "o": {}})",
                           "doc")
            .value();
    CHECK(json_string(doc, "s") == "x");
    CHECK(!json_string(doc, "n"));
    CHECK(!json_string(doc, "missing"));
    CHECK(!json_string(doc["a"], "s"));
    CHECK(json_unsigned(doc, "n") == 5U);
    CHECK(!json_unsigned(doc, "neg"));
    CHECK(!json_unsigned(doc, "f"));
    CHECK(!json_unsigned(doc, "s"));
    CHECK(json_integer(doc, "neg") == -1);
    CHECK(!json_integer(doc, "big"));
    CHECK(!json_integer(doc, "f"));
}

TEST_CASE("manifest::parse_parts_file refuses wrong types and unsafe names")
{
    const std::string hex(64, 'a');
    const std::string good_manifest = R"({"bundle":"b.bundle","bundleJson":")" + hex
                                      + R"(","format":"airlock-parts","formatVersion":1,)"
                                        R"("parts":[{"name":"b.bundle.001","sha256":")"
                                      + hex + R"(","size":3}],"sha256":")" + hex + R"(","size":3})";
    const auto with = [&](const std::string& manifest) {
        return parse_parts_file(R"({"manifest":)" + manifest + R"(,"signatures":[]})");
    };
    REQUIRE(with(good_manifest));
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string m = good_manifest;
        m.replace(m.find(from), from.size(), to);
        return with(m);
    };
    CHECK(replaced(R"("format":"airlock-parts")", R"("format":1)").error().code == Errc::format);
    CHECK(replaced(R"("formatVersion":1)", R"("formatVersion":"1")").error().code == Errc::format);
    CHECK(replaced(R"("size":3})", R"("size":"3"})").error().code == Errc::format);
    CHECK(replaced(R"("size":3}])", R"("size":-3}])").error().code == Errc::format);
    CHECK(replaced(R"("parts":[)", R"("parts":5,"x":[)").error().code == Errc::format);
    for (const std::string name :
         {"../x", "a/b", "..", ".", "a\\\\b", "c:x", "a\\u001bb", "", "a\\u202eb", "a\\u0085b"}) {
        const auto bad = replaced(R"("bundle":"b.bundle")", R"("bundle":")" + name + R"(")");
        REQUIRE(!bad);
        CHECK(bad.error().code == Errc::unsafe_entry);
    }
    const std::string part = R"({"name":"b.bundle.001","sha256":")" + hex + R"(","size":3})";
    CHECK(replaced(part, part + "," + part).error().message.find("listed twice")
          != std::string::npos);
    CHECK(!replaced(R"("sha256":")" + hex, R"("sha256":"xyz)"));
    CHECK(replaced(part, "").error().message.find("lists no parts") != std::string::npos);
    // Part sizes must add up to the bundle's, and cannot wrap around to do so.
    std::string short_parts = good_manifest;
    short_parts.replace(short_parts.rfind(R"("size":3})"), 9, R"("size":4})");
    CHECK(with(short_parts).error().message.find("add up to 3 bytes, not the bundle's 4")
          != std::string::npos);
    const std::string huge =
        R"({"name":"b.bundle.002","sha256":")" + hex + R"(","size":18446744073709551615})";
    const auto wrapped = [&] {
        std::string m = good_manifest;
        m.replace(m.find(part), part.size(), part + "," + huge + "," + part);
        return with(m);
    }();
    REQUIRE(!wrapped);
    CHECK(wrapped.error().message.find("larger than the bundle") != std::string::npos);
    CHECK(!parse_parts_file(R"({"manifest":[],"signatures":[]})"));
    CHECK(!parse_parts_file(R"([1])"));
    CHECK(!parse_parts_file(R"({"manifest":)" + good_manifest + R"(,"signatures":[1]})"));
    CHECK(!parse_parts_file(R"({"manifest":)" + good_manifest + R"(,"signatures":"x"})"));
}

TEST_CASE("manifest::parse_parts_file takes sets of more than 999 parts, up to k_max_bundle_parts")
{
    const auto set_of = [](std::size_t count) {
        PartsManifest list;
        list.bundle = "b.bundle";
        list.sha256 = std::string(64, 'a');
        list.bundle_json_sha256 = std::string(64, 'b');
        for (std::size_t i = 1; i <= count; ++i) {
            std::string number = std::to_string(i);
            number.insert(0, 6 - number.size(), '0');
            list.parts.push_back({"b.bundle." + number, 1, std::string(64, 'c')});
            list.size += 1;
        }
        return parts_file_to_json(list, {});
    };
    const auto thousand = set_of(1500);
    REQUIRE(thousand);
    const auto parsed = parse_parts_file(*thousand);
    REQUIRE(parsed);
    CHECK(parsed->manifest.parts.size() == 1500);
    const auto too_many = set_of(k_max_bundle_parts + 1);
    REQUIRE(too_many);
    CHECK_FALSE(parse_parts_file(*too_many));
}
