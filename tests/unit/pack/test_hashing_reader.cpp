// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"
#include "hashing_reader.hpp"

#include <airlock/base/file.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;
using namespace airlock::pack;

TEST_CASE("pack::HashingReader")
{
    const test::Scratch scratch;
    const auto path = scratch.path() / "blob";
    // More than the chunks in flight, and not a whole number of chunks.
    std::string content(3U * 1024U * 1024U + 5U, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) {
        content[i] = static_cast<char>(i * 7 % 251);
    }
    REQUIRE(write_file_atomic(path, content).has_value());

    SUBCASE("hands over every byte in order and hashes them")
    {
        auto fd = open_for_reading(path);
        REQUIRE(fd.has_value());
        HashingReader reader(std::move(*fd), path.string());
        std::string got;
        while (auto chunk = reader.next()) {
            got.append(chunk->data(), chunk->size());
            reader.recycle(std::move(*chunk));
        }
        CHECK(got == content);
        const auto digest = reader.finish();
        REQUIRE(digest.has_value());
        CHECK(*digest == "ec2623f73dcc1952ac286d1a0e4b72f10904022864fa6db9558717a7e5a94ec4");
    }
    SUBCASE("a caller that stops early neither hangs nor gets a digest")
    {
        auto fd = open_for_reading(path);
        REQUIRE(fd.has_value());
        HashingReader reader(std::move(*fd), path.string());
        REQUIRE(reader.next().has_value()); // not recycled: the reader runs out of chunks
        const auto digest = reader.finish();
        REQUIRE_FALSE(digest.has_value());
        CHECK(digest.error().message.find("blob") != std::string::npos);
    }
}
