// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"
#include "live_downloads.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

using namespace airlock;
using namespace airlock::pack;
namespace fs = std::filesystem;

namespace {

std::string pattern(std::size_t size)
{
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<char>(i * 13 % 251);
    }
    return out;
}

// Reads the followed blob to its end.
Result<std::string> read_all(FollowedBlob& blob)
{
    std::string out;
    std::string buffer(64 * 1024, '\0');
    while (true) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, blob.read(buffer));
        if (n == 0) {
            return out;
        }
        out.append(buffer.data(), n);
    }
}

void append(const Fd& fd, std::string_view bytes)
{
    REQUIRE(write_all(fd, std::span(bytes.data(), bytes.size()), "partial").has_value());
}

} // namespace

TEST_CASE("pack::LiveDownloads")
{
    const test::Scratch scratch;
    const fs::path partial = scratch.path() / "partial";
    const fs::path cached = scratch.path() / "cached";
    const std::string content = pattern(3U * 1024U * 1024U + 17U);
    const manifest::Digest digest = manifest::Digest::sha256(std::string(64, 'a'));
    const manifest::Descriptor blob{
        "application/vnd.oci.image.layer.v1.tar", digest, content.size(), {}, {}, {}};
    LiveDownloads live({digest});
    CHECK(live.follows(digest));
    CHECK_FALSE(live.follows(manifest::Digest::sha256(std::string(64, 'b'))));

    SUBCASE("the reader gets the bytes already downloaded before the download ends")
    {
        std::promise<void> first_read;
        auto read_happened = first_read.get_future();
        bool read_before_end = false;
        std::thread download([&] {
            auto fd = open_for_appending(partial);
            REQUIRE(fd.has_value());
            const std::size_t half = content.size() / 2;
            append(*fd, std::string_view(content).substr(0, half));
            live.appending(digest, partial, half);
            // The rest comes only once the reader had the first half (or never would).
            read_before_end =
                read_happened.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
            append(*fd, std::string_view(content).substr(half));
            live.appending(digest, partial, content.size());
            fs::rename(partial, cached);
            live.finished(digest, cached);
        });
        FollowedBlob reader(live, blob, "test blob");
        std::string buffer(1024 * 1024, '\0');
        auto n = reader.read(buffer);
        REQUIRE(n.has_value());
        std::string got(buffer.data(), *n);
        first_read.set_value();
        auto rest = read_all(reader);
        download.join();
        CHECK(read_before_end);
        REQUIRE(rest.has_value());
        CHECK(got + *rest == content);
    }
    SUBCASE("a download that begins again gives the reader the same bytes once")
    {
        std::thread download([&] {
            auto fd = open_for_appending(partial);
            REQUIRE(fd.has_value());
            append(*fd, std::string_view(content).substr(0, 2U * 1024U * 1024U));
            live.appending(digest, partial, 2U * 1024U * 1024U);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            // The server ignored Range: the file starts over.
            REQUIRE(truncate_file(*fd, partial).has_value());
            live.appending(digest, partial, 0);
            append(*fd, content);
            live.appending(digest, partial, content.size());
            live.finished(digest, partial);
        });
        FollowedBlob reader(live, blob, "test blob");
        auto got = read_all(reader);
        download.join();
        REQUIRE(got.has_value());
        CHECK(*got == content);
    }
    SUBCASE("a reader that opens after the download ended reads the cached file")
    {
        REQUIRE(write_file_atomic(cached, content).has_value());
        live.finished(digest, cached);
        FollowedBlob reader(live, blob, "test blob");
        auto got = read_all(reader);
        REQUIRE(got.has_value());
        CHECK(*got == content);
    }
    SUBCASE("the download's failure is the reader's")
    {
        std::thread download([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            live.finished(digest, fail(Errc::network, "transfer broke 5 times"));
        });
        FollowedBlob reader(live, blob, "test blob");
        std::string buffer(1024, '\0');
        auto n = reader.read(buffer);
        download.join();
        REQUIRE_FALSE(n.has_value());
        CHECK(n.error().code == Errc::network);
        CHECK(n.error().message == "transfer broke 5 times");
    }
    SUBCASE("abandoned downloads end their readers; later reports change nothing")
    {
        live.abandon(Error{Errc::cancelled, "an earlier download failed", {}});
        live.appending(digest, partial, 10);
        live.finished(digest, cached);
        FollowedBlob reader(live, blob, "test blob");
        std::string buffer(1024, '\0');
        auto n = reader.read(buffer);
        REQUIRE_FALSE(n.has_value());
        CHECK(n.error().message == "an earlier download failed");
    }
    SUBCASE("an interrupt ends the wait")
    {
        std::thread interrupt([] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            request_cancel();
        });
        FollowedBlob reader(live, blob, "test blob");
        std::string buffer(1024, '\0');
        auto n = reader.read(buffer);
        interrupt.join();
        clear_cancel();
        REQUIRE_FALSE(n.has_value());
        CHECK(n.error().code == Errc::cancelled);
    }
    SUBCASE("stop() is seen by the downloads, and ends a reader's wait")
    {
        CHECK_FALSE(live.stopped());
        std::thread writer_failed([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            live.stop();
        });
        FollowedBlob reader(live, blob, "test blob");
        std::string buffer(1024, '\0');
        const auto started = std::chrono::steady_clock::now();
        auto n = reader.read(buffer);
        writer_failed.join();
        CHECK(live.stopped());
        REQUIRE_FALSE(n.has_value());
        CHECK(n.error().code == Errc::cancelled);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
}
