// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/platform.hpp>
#include <airlock/manifest/version.hpp>

#include <doctest/doctest.h>

using namespace airlock;
using namespace airlock::manifest;
using nlohmann::json;

namespace {

const std::string k_d1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const std::string k_d2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

std::string
manifest_doc(std::string_view type, std::string_view config_type, std::string_view layer_type)
{
    json doc = {
        {"schemaVersion", 2},
        {"config", {{"mediaType", config_type}, {"digest", k_d1}, {"size", 10}}},
        {"layers", json::array({{{"mediaType", layer_type}, {"digest", k_d2}, {"size", 20}}})}};
    if (!type.empty()) {
        doc["mediaType"] = type;
    }
    return doc.dump();
}

} // namespace

TEST_CASE("manifest::canonical_dump")
{
    const json value =
        json::parse(R"({ "b": [1, 2, {"z": null, "a": true}], "a": "x\u00e9\n", "A": -3 })");
    const auto text = canonical_dump(value);
    REQUIRE(text);
    CHECK(*text == "{\"A\":-3,\"a\":\"x\xc3\xa9\\n\",\"b\":[1,2,{\"a\":true,\"z\":null}]}");
    CHECK(canonical_dump(json::parse(*text)).value() == *text);
    CHECK(canonical_dump(json{{"f", 1.5}}).error().code == Errc::format);
    CHECK(canonical_dump(json(std::string("\xff\xfe"))).error().code == Errc::format);
}

TEST_CASE("manifest::parse_image_manifest")
{
    SUBCASE("OCI")
    {
        const auto m = parse_image_manifest(manifest_doc(media_type::oci_manifest,
                                                         media_type::oci_config,
                                                         media_type::oci_layer_gzip),
                                            "");
        REQUIRE(m);
        CHECK(m->media_type == media_type::oci_manifest);
        CHECK(m->config.digest.str() == k_d1);
        REQUIRE(m->layers.size() == 1);
        CHECK(m->layers[0].size == 20);
    }
    SUBCASE("OCI without mediaType takes the declared one")
    {
        const auto m = parse_image_manifest(
            manifest_doc("", media_type::oci_config, media_type::oci_layer_zstd),
            media_type::oci_manifest);
        REQUIRE(m);
        CHECK(m->media_type == media_type::oci_manifest);
    }
    SUBCASE("Docker schema2 with a foreign layer")
    {
        json doc = json::parse(manifest_doc(media_type::docker_manifest,
                                            media_type::docker_config,
                                            media_type::docker_foreign_layer));
        doc["layers"][0]["urls"] = {"https://example.com/layer"};
        const auto m = parse_image_manifest(doc.dump(), "");
        REQUIRE(m);
        CHECK(m->media_type == media_type::docker_manifest);
        CHECK(m->layers[0].urls.size() == 1);
    }
    SUBCASE("schema 1 is refused")
    {
        const auto m = parse_image_manifest(R"({"schemaVersion":1,"name":"x","fsLayers":[]})", "");
        REQUIRE_FALSE(m);
        CHECK(m.error().code == Errc::unsupported);
        CHECK(m.error().message.find("schema 1") != std::string::npos);
    }
    SUBCASE("malformed")
    {
        CHECK(parse_image_manifest("not json", "").error().code == Errc::format);
        CHECK(parse_image_manifest(R"({"schemaVersion":2})", "").error().code == Errc::format);
        json doc = json::parse(manifest_doc(
            media_type::oci_manifest, media_type::oci_config, media_type::oci_layer_gzip));
        doc["layers"][0]["digest"] = "sha256:short";
        CHECK(parse_image_manifest(doc.dump(), "").error().code == Errc::format);
        doc["layers"][0]["digest"] = k_d2;
        doc["layers"][0]["size"] = -1;
        CHECK(parse_image_manifest(doc.dump(), "").error().code == Errc::format);
    }
}

TEST_CASE("manifest::parse_image_index")
{
    for (const auto type : {media_type::oci_index, media_type::docker_manifest_list}) {
        CAPTURE(type);
        const json doc = {
            {"schemaVersion", 2},
            {"mediaType", type},
            {"manifests",
             json::array({{{"mediaType", media_type::oci_manifest},
                           {"digest", k_d1},
                           {"size", 5},
                           {"platform",
                            {{"os", "windows"},
                             {"architecture", "amd64"},
                             {"os.version", "10.0.20348.2849"}}}},
                          {{"mediaType", media_type::oci_manifest},
                           {"digest", k_d2},
                           {"size", 6},
                           {"platform",
                            {{"os", "linux"}, {"architecture", "arm64"}, {"variant", "v8"}}}}})},
            {"annotations", {{"org.opencontainers.image.version", "1.2"}}}};
        const auto index = parse_image_index(doc.dump(), "");
        REQUIRE(index);
        CHECK(index->media_type == type);
        REQUIRE(index->manifests.size() == 2);
        CHECK(index->manifests[0].platform->os_version == "10.0.20348.2849");
        CHECK(index->manifests[1].platform->variant == "v8");
        CHECK(index->annotations.at("org.opencontainers.image.version") == "1.2");
        CHECK(sniff_media_type(doc.dump(), "").value() == type);
    }
    CHECK(sniff_media_type(R"({"schemaVersion":2,"manifests":[]})", "").value()
          == media_type::oci_index);
    CHECK(
        parse_image_index(
            R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]})",
            "")
            .error()
            .code
        == Errc::format);
}

TEST_CASE("manifest::parse_image_config")
{
    const auto c = parse_image_config(
        R"({"os":"windows","architecture":"amd64","os.version":"10.0.20348.2849","created":"2026-11-12T00:00:00Z","config":{"Labels":{"a":"b"}}})");
    REQUIRE(c);
    CHECK(c->platform.str() == "windows/amd64:10.0.20348.2849");
    CHECK(c->created == "2026-11-12T00:00:00Z");
    CHECK(c->labels.at("a") == "b");
}

TEST_CASE("manifest::media_types")
{
    CHECK(media_type::is_index(media_type::docker_manifest_list));
    CHECK(media_type::is_manifest(media_type::docker_manifest));
    CHECK(media_type::is_schema1(media_type::docker_schema1_signed));
    CHECK(media_type::is_compressed_layer(media_type::docker_foreign_layer));
    CHECK(media_type::is_compressed_layer(media_type::oci_layer_zstd));
    CHECK_FALSE(media_type::is_compressed_layer(media_type::oci_layer_tar));
    CHECK(media_type::is_json_document(media_type::docker_config));
    CHECK_FALSE(media_type::is_json_document(media_type::oci_layer_gzip));
}

TEST_CASE("manifest::Platform")
{
    const auto parse = [](std::string_view text) { return Platform::parse(text).value(); };
    CHECK(parse("linux/amd64").str() == "linux/amd64");
    CHECK(parse("linux/arm64/v8").variant == "v8");
    CHECK(parse("windows/amd64:10.0.20348").os_version == "10.0.20348");
    CHECK(Platform::parse("linux").error().code == Errc::usage);
    CHECK(Platform::parse("linux/").error().code == Errc::usage);
    CHECK(Platform::parse("windows/amd64:").error().code == Errc::usage);

    struct Case
    {
        const char* request;
        const char* candidate;
        bool accepted;
    };

    const Case cases[] = {
        {"linux/amd64", "linux/amd64", true},
        {"linux/amd64", "linux/arm64", false},
        {"linux/amd64", "windows/amd64", false},
        {"linux/arm64", "linux/arm64/v8", true},
        {"linux/arm64/v8", "linux/arm64", true},
        {"linux/arm/v7", "linux/arm/v6", false},
        {"windows/amd64:10.0.20348", "windows/amd64:10.0.20348.2849", true},
        {"windows/amd64:10.0.20348", "windows/amd64:10.0.203481.1", false},
        {"windows/amd64:10.0.17763", "windows/amd64:10.0.20348.2849", false},
        {"windows/amd64", "windows/amd64:10.0.17763.6532", true},
    };
    for (const auto& c : cases) {
        CAPTURE(c.request);
        CAPTURE(c.candidate);
        CHECK(parse(c.request).accepts(parse(c.candidate)) == c.accepted);
    }
    CHECK_FALSE(host_platform().architecture.empty());
}

TEST_CASE("manifest::compare_versions")
{
    CHECK(compare_versions("1.0.3", "1.0.3") == 0);
    CHECK(compare_versions("1.0.10", "1.0.9") > 0);
    CHECK(compare_versions("10.0.20348.2849", "10.0.20348.2762") > 0);
    CHECK(compare_versions("10.0.17763.6532", "10.0.20348.1") < 0);
    CHECK(compare_versions("1.2", "1.2.1") < 0);
    CHECK(compare_versions("2.0.0", "10.0") < 0);
    CHECK(compare_versions("1.0.0-rc1", "1.0.0-rc2") < 0);
    CHECK(compare_versions("1.0.1", "1.0.rc1") > 0);
    CHECK(compare_versions("007", "7") == 0);
}
