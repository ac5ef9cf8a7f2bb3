// SPDX-License-Identifier: Apache-2.0
#include "blob_pipeline.hpp"

#include <airlock/crypto/sha256.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace airlock::bundle {

namespace {

// Records what reaches it; fails on the write that would pass `fail_after` bytes.
class RecordingSink final : public BlobSink
{
  public:
    Result<> begin(const manifest::BundleBlob& blob) override
    {
        calls.push_back("begin " + blob.digest.hex().substr(0, 8));
        content.clear();
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        threads.push_back(std::this_thread::get_id());
        if (written + data.size() > fail_after) {
            return fail(Errc::io, "disk full");
        }
        written += data.size();
        content.append(data.data(), data.size());
        return {};
    }

    Result<> end(bool verified) override
    {
        calls.push_back(verified ? "end ok" : "end bad");
        contents.push_back(content);
        return {};
    }

    std::vector<std::string> calls;
    std::vector<std::string> contents;
    std::vector<std::thread::id> threads;
    std::string content;
    std::uint64_t written = 0;
    std::uint64_t fail_after = UINT64_MAX;
};

struct Blob
{
    std::string bytes;
    manifest::BundleBlob listed;
};

Blob make_blob(std::size_t size, char seed)
{
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>(seed + static_cast<char>(i % 61));
    }
    manifest::BundleBlob listed{.digest = manifest::Digest::sha256(crypto::sha256_hex(bytes)),
                                .size = size,
                                .media_type = "application/vnd.oci.image.layer.v1.tar"};
    return Blob{std::move(bytes), std::move(listed)};
}

// Feeds `bytes` as `blob` the way the bundle reader does: whole chunks, then the tail.
bool feed(BlobPipeline& pipeline, const manifest::BundleBlob& blob, std::string_view bytes)
{
    if (!pipeline.begin(blob)) {
        return false;
    }
    while (!bytes.empty()) {
        auto chunk = pipeline.free_chunk();
        if (!chunk) {
            return false;
        }
        chunk->size = std::min(chunk->buffer.size(), bytes.size());
        std::copy_n(bytes.data(), chunk->size, chunk->buffer.data());
        bytes.remove_prefix(chunk->size);
        if (!pipeline.data(std::move(*chunk))) {
            return false;
        }
    }
    return pipeline.end();
}

} // namespace

TEST_CASE("bundle::BlobPipeline")
{
    NullReporter reporter;
    RecordingSink sink;
    // Larger than all chunks in flight together, so chunks must come back to be reused.
    const Blob large = make_blob(40U << 20U, 'a');
    const Blob small = make_blob(10, 'z');

    SUBCASE("every byte reaches the sink in order, on a thread other than the producer's")
    {
        BlobPipeline pipeline(sink, OnMismatch::stop, reporter, "b.bundle", "verify", 0, 0);
        REQUIRE(feed(pipeline, large.listed, large.bytes));
        REQUIRE(feed(pipeline, small.listed, small.bytes));
        const auto report = pipeline.finish();
        REQUIRE(report.has_value());
        CHECK(report->blobs == 2);
        CHECK(report->blob_bytes == large.bytes.size() + small.bytes.size());
        REQUIRE(sink.contents.size() == 2);
        CHECK(sink.contents[0] == large.bytes);
        CHECK(sink.contents[1] == small.bytes);
        CHECK(sink.calls.back() == "end ok");
        CHECK(std::ranges::none_of(sink.threads,
                                   [](auto id) { return id == std::this_thread::get_id(); }));
    }
    SUBCASE("a blob that does not hash to its digest ends unverified; stop mode returns it")
    {
        BlobPipeline pipeline(sink, OnMismatch::stop, reporter, "b.bundle", "verify", 0, 0);
        std::string altered = small.bytes;
        altered[3] ^= 1;
        REQUIRE(feed(pipeline, small.listed, altered));
        feed(pipeline, large.listed, large.bytes); // may or may not be refused by now
        const auto report = pipeline.finish();
        REQUIRE_FALSE(report.has_value());
        CHECK(report.error().code == Errc::digest_mismatch);
        CHECK(report.error().message.starts_with("b.bundle: blob " + small.listed.digest.str()));
        CHECK(sink.calls[1] == "end bad");
        CHECK(std::ranges::find(sink.calls, "end ok") == sink.calls.end());
    }
    SUBCASE("collect mode gathers every problem in stream order")
    {
        BlobPipeline pipeline(sink, OnMismatch::collect, reporter, "b.bundle", "verify", 0, 0);
        REQUIRE(pipeline.problem(Error{Errc::format, "first", {}}));
        REQUIRE(feed(pipeline, small.listed, "0123456789"));
        REQUIRE(pipeline.problem(Error{Errc::format, "third", {}}));
        REQUIRE(feed(pipeline, large.listed, large.bytes));
        const auto report = pipeline.finish();
        REQUIRE(report.has_value());
        REQUIRE(report->problems.size() == 3);
        CHECK(report->problems[0].message == "first");
        CHECK(report->problems[1].code == Errc::digest_mismatch);
        CHECK(report->problems[2].message == "third");
        CHECK(report->blobs == 2);
    }
    SUBCASE("a failing sink stops the producer and nothing more reaches the sink")
    {
        sink.fail_after = 5U << 20U;
        BlobPipeline pipeline(sink, OnMismatch::collect, reporter, "b.bundle", "verify", 0, 0);
        CHECK_FALSE(feed(pipeline, large.listed, large.bytes));
        const auto report = pipeline.finish();
        REQUIRE_FALSE(report.has_value());
        CHECK(report.error().message == "disk full");
        CHECK(sink.calls.size() == 1); // begun, never ended
        CHECK(sink.written <= sink.fail_after);
    }
    SUBCASE("an earlier problem wins over the producer's own failure; a lone failure is returned")
    {
        {
            BlobPipeline pipeline(sink, OnMismatch::stop, reporter, "b.bundle", "verify", 0, 0);
            REQUIRE(pipeline.problem(Error{Errc::unsafe_entry, "earlier", {}}));
            const auto report = pipeline.finish(Error{Errc::format, "truncated", {}});
            REQUIRE_FALSE(report.has_value());
            CHECK(report.error().message == "earlier");
        }
        {
            BlobPipeline pipeline(sink, OnMismatch::stop, reporter, "b.bundle", "verify", 0, 0);
            REQUIRE(feed(pipeline, small.listed, small.bytes));
            const auto report = pipeline.finish(Error{Errc::format, "truncated", {}});
            REQUIRE_FALSE(report.has_value());
            CHECK(report.error().message == "truncated");
        }
    }
    SUBCASE("destroyed without finish: the stages stop and are joined")
    {
        sink.fail_after = UINT64_MAX;
        BlobPipeline pipeline(sink, OnMismatch::stop, reporter, "b.bundle", "verify", 0, 0);
        REQUIRE(pipeline.begin(large.listed));
    }
}

} // namespace airlock::bundle

namespace airlock::bundle {

TEST_CASE("bundle::BlobPipeline keeps the first problems and counts the rest")
{
    RecordingSink sink;
    NullReporter reporter;
    BlobPipeline pipeline(sink, OnMismatch::collect, reporter, "b.bundle", "verify", 0, 0);
    const std::size_t problems = k_max_kept_problems + 50;
    for (std::size_t i = 0; i < problems; ++i) {
        REQUIRE(pipeline.problem(Error{Errc::format, "problem " + std::to_string(i), {}}));
    }
    const auto report = pipeline.finish(std::nullopt);
    REQUIRE(report);
    CHECK(report->problems.size() == k_max_kept_problems);
    CHECK(report->problems.front().message == "problem 0");
    CHECK(report->problems_not_kept == 50);
}

} // namespace airlock::bundle
