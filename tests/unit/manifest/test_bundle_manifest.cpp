// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/media_types.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace airlock;
using namespace airlock::manifest;

namespace {

Digest digest(char c)
{
    return Digest::sha256(std::string(64, c));
}

BundleManifest sample()
{
    BundleManifest m;
    m.created = "2026-11-01T00:00:00Z";
    m.tool = "airlock 0.1.0";
    m.channel = "monthly";
    m.sequence = 7;
    const BundleImage image{.source = "oci:/images/sample:1.0",
                            .name = "localhost/sample",
                            .tags = {"1.0", "1.0.3"},
                            .version = "1.0.3",
                            .digest = digest('a'),
                            .media_type = std::string(media_type::oci_manifest),
                            .size = 400,
                            .platforms = {"linux/amd64"},
                            .created = {},
                            .total_size = 1400};
    m.images.push_back(image);
    m.layout_files.push_back({"oci-layout", digest('f'), 30});
    m.blobs.push_back({digest('a'), 400, std::string(media_type::oci_manifest)});
    m.blobs.push_back({digest('b'), 1000, std::string(media_type::oci_layer_gzip)});
    return m;
}

} // namespace

TEST_CASE("manifest::bundle_manifest_round_trip")
{
    const auto text = bundle_manifest_to_json(sample());
    REQUIRE(text);
    CHECK(text->find('\n') == std::string::npos);
    CHECK(text->find("\": ") == std::string::npos);
    CHECK(text->starts_with(R"({"blobs":[)"));
    const auto parsed = parse_bundle_manifest(*text);
    REQUIRE(parsed);
    CHECK(parsed->sequence == 7u);
    CHECK(parsed->images.at(0).tags.at(1) == "1.0.3");
    CHECK(parsed->blobs.size() == 2);
    CHECK(parsed->find_blob(digest('b'))->size == 1000);
    CHECK(parsed->find_blob(digest('c')) == nullptr);
    CHECK(bundle_manifest_to_json(*parsed).value() == *text);
}

TEST_CASE("manifest::parse_bundle_manifest_rejects")
{
    const auto good = nlohmann::json::parse(bundle_manifest_to_json(sample()).value());
    const auto reject = [&](auto&& edit, Errc code, std::string_view words) {
        nlohmann::json doc = good;
        edit(doc);
        const auto parsed = parse_bundle_manifest(doc.dump());
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == code);
        CHECK(parsed.error().message.find(words) != std::string::npos);
    };
    reject([](auto& d) { d["formatVersion"] = 2; }, Errc::unsupported, "format version 2");
    reject([](auto& d) { d["format"] = "tarball"; }, Errc::format, "format");
    reject([](auto& d) { d["blobs"].push_back(d["blobs"][0]); }, Errc::format, "listed twice");
    reject([](auto& d) { d["blobs"][1]["digest"] = "sha256:xyz"; }, Errc::format, "invalid digest");
    reject([](auto& d) { d["blobs"][1]["size"] = -5; }, Errc::format, "size");
    reject([](auto& d) { d["blobs"][1]["size"] = (1ULL << 53U) + 1; }, Errc::format, "beyond 2^53");
    reject(
        [](auto& d) {
            d["blobs"][0]["size"] = 1ULL << 53U;
            d["blobs"][1]["size"] = 1ULL << 53U;
        },
        Errc::format,
        "add up beyond 2^53");
    reject([](auto& d) { d["expires"] = "2026-02-30T00:00:00Z"; }, Errc::format, "RFC 3339");
    reject([](auto& d) { d["created"] = "yesterday"; }, Errc::format, "RFC 3339");
    reject([](auto& d) { d["blobs"].erase(0); }, Errc::format, "is not among the blobs");
    reject([](auto& d) { d["layoutFiles"][0]["path"] = "../x"; },
           Errc::format,
           "unexpected layout file");
    reject([](auto& d) { d.erase("images"); }, Errc::format, "images");
    reject([](auto& d) { d["formatVersion"] = "1"; }, Errc::format, "formatVersion");
    reject([](auto& d) { d["sequence"] = "7"; }, Errc::format, "sequence");
    reject([](auto& d) { d["images"][0]["tags"] = {"1.0\n"}; }, Errc::format, "invalid tag");
    reject([](auto& d) { d["images"][0]["tags"] = {".."}; }, Errc::format, "invalid tag");
    reject([](auto& d) { d["images"][0]["tags"] = {""}; }, Errc::format, "invalid tag");
    reject([](auto& d) { d["images"][0]["version"] = "a/b"; }, Errc::format, "invalid version");
    reject([](auto& d) { d["images"][0]["name"] = "localhost/../x"; },
           Errc::format,
           "not a fully qualified repository name");
    reject([](auto& d) { d["images"][0]["name"] = "sample"; },
           Errc::format,
           "not a fully qualified repository name");
    reject([](auto& d) { d["images"][0]["name"] = "localhost/sample:1.0"; },
           Errc::format,
           "not a fully qualified repository name");
    reject([](auto& d) { d["images"][0]["name"] = "localhost/sample\u001b[2J"; },
           Errc::format,
           "not a fully qualified repository name");
    CHECK(parse_bundle_manifest("[]").error().code == Errc::format);
    CHECK(parse_bundle_manifest(std::string(100000, '[')).error().code == Errc::format);
}

TEST_CASE("manifest::signatures_round_trip")
{
    const std::vector<Signature> sigs = {
        {"ed25519", "sha256:" + std::string(64, '1'), std::string("\x00\x01\xff", 3)}};
    const auto text = signatures_to_json(sigs);
    REQUIRE(text);
    const auto parsed = parse_signatures(*text);
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 1);
    CHECK(parsed->at(0).value == sigs[0].value);
    CHECK(parsed->at(0).key_id == sigs[0].key_id);
    CHECK(
        parse_signatures(R"({"signatures":[{"algorithm":"ed25519","keyId":"k","signature":"!!"}]})")
            .error()
            .code
        == Errc::format);
    CHECK(parse_signatures("{}").error().code == Errc::format);
}

TEST_CASE("co-signature files: signatures over bundle.json and over the parts manifest")
{
    const Cosignatures both{{{"ed25519", "sha256:aa", std::string("\x01\x02", 2)}},
                            {{"ed25519", "sha256:aa", std::string("\x03", 1)}}};
    const auto text = cosignatures_to_json(both);
    REQUIRE(text);
    CHECK(text->find("partsSignatures") != std::string::npos);
    const auto parsed = parse_cosignatures(*text);
    REQUIRE(parsed);
    REQUIRE(parsed->bundle.size() == 1);
    REQUIRE(parsed->parts.size() == 1);
    CHECK(parsed->parts[0].value == both.parts[0].value);

    // A file written for a bundle in one file has no parts signatures, and says nothing of them.
    const auto bundle_only = cosignatures_to_json(Cosignatures{both.bundle, {}});
    REQUIRE(bundle_only);
    CHECK(bundle_only->find("partsSignatures") == std::string::npos);
    const auto one = parse_cosignatures(*bundle_only);
    REQUIRE(one);
    CHECK(one->parts.empty());

    CHECK(parse_cosignatures(R"({"signatures":[],"partsSignatures":{}})").error().code
          == Errc::format);
    CHECK(parse_cosignatures(R"([])").error().code == Errc::format);
}

TEST_CASE("attachments: round trip, and only the tags sigstore gives their subject")
{
    BundleManifest m = sample();
    m.blobs.push_back({digest('c'), 300, std::string(media_type::oci_manifest)});
    m.blobs.push_back({digest('d'), 350, std::string(media_type::oci_manifest)});
    m.images[0].attachments.push_back({digest('a'),
                                       digest('c'),
                                       std::string(media_type::oci_manifest),
                                       300,
                                       "application/vnd.oci.image.config.v1+json",
                                       attachment_tag(digest('a'), "sig")});
    m.images[0].attachments.push_back({digest('a'),
                                       digest('d'),
                                       std::string(media_type::oci_manifest),
                                       350,
                                       "application/spdx+json",
                                       {}});
    const auto text = bundle_manifest_to_json(m);
    REQUIRE(text);
    const auto parsed = parse_bundle_manifest(*text);
    REQUIRE(parsed);
    REQUIRE(parsed->images[0].attachments.size() == 2);
    CHECK(parsed->images[0].attachments[0].tag == "sha256-" + std::string(64, 'a') + ".sig");
    CHECK(parsed->images[0].attachments[1].tag.empty());
    CHECK(bundle_manifest_to_json(*parsed).value() == *text);

    const auto good = nlohmann::json::parse(*text);
    const auto reject = [&](auto&& edit, std::string_view words) {
        nlohmann::json doc = good;
        edit(doc);
        const auto refused = parse_bundle_manifest(doc.dump());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::format);
        CHECK(refused.error().message.find(words) != std::string::npos);
    };
    // A tag of the bundle's choosing could overwrite an image's tag at the site.
    reject([](auto& d) { d["images"][0]["attachments"][0]["tag"] = "1.0"; },
           "not one sigstore gives");
    reject(
        [](auto& d) {
            d["images"][0]["attachments"][0]["tag"] = "sha256-" + std::string(64, 'b') + ".sig";
        },
        "not one sigstore gives");
    reject(
        [](auto& d) { d["images"][0]["attachments"][1]["mediaType"] = "application/octet-stream"; },
        "is not a manifest");
    reject([](auto& d) { d["images"][0]["attachments"][1]["size"] = 351; }, "not among the blobs");
    reject([](auto& d) { d["images"][0]["attachments"][1]["subject"] = "sha256:zz"; }, "subject");
    reject([](auto& d) { d["images"][0]["attachments"] = nlohmann::json::array({1}); },
           "not an object");
    reject(
        [](auto& d) {
            d["images"][0]["attachments"] = nlohmann::json::array();
            for (int i = 0; i < 257; ++i) {
                d["images"][0]["attachments"].push_back(nlohmann::json::object());
            }
        },
        "at most 256");
}

TEST_CASE("is_attachment_tag: sigstore's tags and the referrers tag, nothing else")
{
    const std::string hex(64, 'e');
    CHECK(is_attachment_tag("sha256-" + hex));
    CHECK(is_attachment_tag("sha256-" + hex + ".sig"));
    CHECK(is_attachment_tag("sha256-" + hex + ".att"));
    CHECK(is_attachment_tag("sha256-" + hex + ".sbom"));
    CHECK_FALSE(is_attachment_tag("sha256-" + hex + ".sigx"));
    CHECK_FALSE(is_attachment_tag("sha256-" + hex + "x"));
    CHECK_FALSE(is_attachment_tag("sha256-" + std::string(64, 'E')));
    CHECK_FALSE(is_attachment_tag("sha256-" + hex.substr(1)));
    CHECK_FALSE(is_attachment_tag("1.0"));
}
