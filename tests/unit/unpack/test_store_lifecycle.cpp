// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/reporter.hpp>
#include <airlock/base/time.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/store_fsck.hpp>
#include <airlock/unpack/store_graph.hpp>
#include <airlock/unpack/store_prune.hpp>
#include <airlock/unpack/store_remove.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace airlock;
using namespace airlock::unpack;
using manifest::Descriptor;
using nlohmann::json;

namespace {

constexpr const char* k_manifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* k_index = "application/vnd.oci.image.index.v1+json";

// A small OCI store written by hand: blobs by their digests, tags in index.json.
class TestStore
{
  public:
    TestStore()
        : m_store(m_scratch.path() / "store")
    {
        REQUIRE(m_store.prepare());
        REQUIRE(m_store.ensure_layout());
    }

    OciStore& store()
    {
        return m_store;
    }

    Descriptor blob(const std::string& content, const std::string& media_type)
    {
        const auto digest = manifest::Digest::sha256(crypto::sha256_hex(content));
        std::ofstream(m_store.blob_path(digest), std::ios::binary) << content;
        return {media_type, digest, content.size(), {}, {}, {}};
    }

    // An image of one layer, created at `created`.
    Descriptor image(const std::string& name, const std::string& created)
    {
        const Descriptor layer = blob("layer of " + name, "application/vnd.oci.image.layer.v1.tar");
        const Descriptor config =
            blob(json{{"architecture", "amd64"}, {"os", "linux"}, {"created", created}}.dump(),
                 "application/vnd.oci.image.config.v1+json");
        return blob(json{{"schemaVersion", 2},
                         {"mediaType", k_manifest},
                         {"config", manifest::descriptor_to_json(config)},
                         {"layers", json::array({manifest::descriptor_to_json(layer)})}}
                        .dump(),
                    k_manifest);
    }

    static Descriptor tagged(Descriptor d, const std::string& ref)
    {
        d.annotations[std::string(manifest::k_annotation_ref_name)] = ref;
        return d;
    }

  private:
    test::Scratch m_scratch;
    OciStore m_store;
};

std::size_t blob_count(const OciStore& store)
{
    return store.scan_blobs()->blobs.size();
}

} // namespace

TEST_CASE("store walk: every blob with the tags that reach it, and an unreadable manifest noted")
{
    TestStore t;
    const Descriptor one = t.image("one", "2026-01-01T00:00:00Z");
    const Descriptor two = t.image("two", "2026-02-01T00:00:00Z");
    REQUIRE(t.store().write_index({TestStore::tagged(one, "localhost/a:1"),
                                   TestStore::tagged(one, "localhost/a:latest"),
                                   TestStore::tagged(two, "localhost/a:2")}));
    auto graph = walk_store(t.store());
    REQUIRE(graph);
    CHECK(graph->blobs.size() == 6);
    CHECK(graph->blobs.at(one.digest).tags
          == std::set<std::string>{"localhost/a:1", "localhost/a:latest"});
    CHECK(graph->unreadable.empty());

    std::filesystem::remove(t.store().blob_path(two.digest));
    graph = walk_store(t.store());
    REQUIRE(graph);
    REQUIRE(graph->unreadable.size() == 1);
    CHECK(graph->unreadable[0].digest == two.digest);
}

TEST_CASE("store walk: indexes nested deeper than 8 levels are refused, not followed")
{
    TestStore t;
    Descriptor top = t.image("leaf", "2026-01-01T00:00:00Z");
    for (int level = 0; level < 10; ++level) {
        top = t.blob(json{{"schemaVersion", 2},
                          {"mediaType", k_index},
                          {"manifests", json::array({manifest::descriptor_to_json(top)})}}
                         .dump(),
                     k_index);
    }
    REQUIRE(t.store().write_index({TestStore::tagged(top, "localhost/deep:1")}));
    const auto graph = walk_store(t.store());
    REQUIRE_FALSE(graph);
    CHECK(graph.error().code == Errc::format);
    CHECK(graph.error().message.find("nests indexes deeper than 8") != std::string::npos);
}

TEST_CASE("prune: keeps the newest versions and latest's, takes only unreachable blobs")
{
    TestStore t;
    const Descriptor v1 = t.image("v1", "2026-01-01T00:00:00Z");
    const Descriptor v2 = t.image("v2", "2026-02-01T00:00:00Z");
    const Descriptor v3 = t.image("v3", "2026-03-01T00:00:00Z");
    // latest stays on v1 (a site that pinned it): v1 and the newest, v3, survive --keep 1.
    REQUIRE(t.store().write_index({TestStore::tagged(v1, "localhost/a:1"),
                                   TestStore::tagged(v1, "localhost/a:latest"),
                                   TestStore::tagged(v2, "localhost/a:2"),
                                   TestStore::tagged(v3, "localhost/a:3")}));
    t.blob("left by a crash", "application/octet-stream");
    NullReporter reporter;
    PruneOptions options;
    options.keep = 1;
    options.dry_run = true;
    auto report = prune_store(t.store(), options, reporter);
    REQUIRE(report);
    REQUIRE(report->untagged.size() == 1);
    CHECK(report->untagged[0].tag == "2");
    CHECK(report->blobs.size() == 4); // v2's manifest, config, layer, and the crash's blob
    CHECK(blob_count(t.store()) == 10);

    options.dry_run = false;
    report = prune_store(t.store(), options, reporter);
    REQUIRE(report);
    CHECK(blob_count(t.store()) == 6);
    CHECK(t.store().read_index()->size() == 3);

    SUBCASE("older-than spares what is younger, and what has no creation time")
    {
        options.keep.reset();
        options.now = *parse_rfc3339("2026-03-15T00:00:00Z");
        options.older_than = 30LL * 24 * 3600;
        report = prune_store(t.store(), options, reporter);
        REQUIRE(report);
        CHECK(report->untagged.empty()); // v1 is latest's, v3 is two weeks old
    }
    SUBCASE("a --protect that names no tag is an error, and nothing changes")
    {
        options.protect = {"localhost/a:9"};
        report = prune_store(t.store(), options, reporter);
        REQUIRE_FALSE(report);
        CHECK(report.error().code == Errc::not_found);
        CHECK(blob_count(t.store()) == 6);
    }
}

TEST_CASE("prune refuses to collect while a document it needs cannot be read")
{
    TestStore t;
    const Descriptor v1 = t.image("v1", "2026-01-01T00:00:00Z");
    REQUIRE(t.store().write_index({TestStore::tagged(v1, "localhost/a:1")}));
    std::ofstream(t.store().blob_path(v1.digest), std::ios::trunc) << "{not json";
    NullReporter reporter;
    const auto report = prune_store(t.store(), {}, reporter);
    REQUIRE_FALSE(report);
    CHECK(report.error().message.find("nothing was removed") != std::string::npos);
    CHECK(blob_count(t.store()) == 3);

    const auto fsck = fsck_store(t.store(), true, reporter);
    REQUIRE(fsck);
    REQUIRE(fsck->broken.size() == 1);
    CHECK(fsck->broken[0].kind == BrokenBlob::Kind::corrupt);
    CHECK(fsck->broken[0].removed);
    CHECK(fsck->orphans_kept); // the layer and config look orphaned, but may be the manifest's
    CHECK(blob_count(t.store()) == 2);
}

TEST_CASE("rm: repositories match as images shows them or in full, a missing ref changes nothing")
{
    CHECK(same_repository("docker.io/library/alpine", "alpine"));
    CHECK(same_repository("localhost/a", "localhost/a"));
    CHECK_FALSE(same_repository("localhost/a", "a"));

    TestStore t;
    const Descriptor v1 = t.image("v1", "2026-01-01T00:00:00Z");
    REQUIRE(t.store().write_index({TestStore::tagged(v1, "docker.io/library/alpine:3"),
                                   TestStore::tagged(v1, "docker.io/library/alpine:latest")}));
    NullReporter reporter;
    auto removed = remove_tags(t.store(), {{"alpine:3", "alpine:4"}, false}, reporter);
    REQUIRE_FALSE(removed);
    CHECK(removed.error().code == Errc::not_found);
    CHECK(t.store().read_index()->size() == 2);
    removed = remove_tags(t.store(), {{"alpine@" + v1.digest.str()}, false}, reporter);
    REQUIRE(removed);
    CHECK(removed->size() == 2);
    CHECK(t.store().read_index()->empty());
}
