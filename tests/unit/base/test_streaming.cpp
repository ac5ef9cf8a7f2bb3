// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/aligned_buffer.hpp>
#include <airlock/base/bounded_queue.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/sequential_file.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

namespace airlock {

namespace {

// Writes `pieces` (sizes) of a counting pattern through the writer and reads the file back.
void check_round_trip(const std::filesystem::path& dir, const std::vector<std::size_t>& pieces)
{
    const std::size_t total = std::accumulate(pieces.begin(), pieces.end(), std::size_t{0});
    AlignedBuffer source(total);
    for (std::size_t i = 0; i < total; ++i) {
        source.data()[i] = static_cast<char>(i * 7 % 251);
    }
    const auto path = dir / ("blob-" + std::to_string(total) + "-" + std::to_string(pieces.size()));
    auto writer = SequentialFileWriter::create(path);
    REQUIRE(writer.has_value());
    std::size_t offset = 0;
    for (const std::size_t size : pieces) {
        REQUIRE(writer->write(std::span<const char>(source.data() + offset, size)).has_value());
        offset += size;
    }
    CHECK(writer->size() == total);
    REQUIRE(writer->sync_and_close().has_value());
    const auto back = read_file(path);
    REQUIRE(back.has_value());
    CHECK(*back == std::string(source.data(), total));
}

} // namespace

TEST_CASE("base::AlignedBuffer")
{
    const AlignedBuffer buffer(5000);
    CHECK(buffer.size() == 2 * k_direct_io_alignment);
    CHECK(reinterpret_cast<std::uintptr_t>(buffer.data()) % k_direct_io_alignment == 0);
}

TEST_CASE("base::SequentialFileWriter")
{
    const test::Scratch scratch;
    SUBCASE("aligned chunks, then a tail")
    {
        check_round_trip(scratch.path(), {1U << 20U, 1U << 20U, 12345});
    }
    SUBCASE("a tail first, then chunks that would be aligned in memory")
    {
        check_round_trip(scratch.path(), {100, 4096, 8192});
    }
    SUBCASE("small unaligned writes gathered into direct megabytes, then a tail")
    {
        check_round_trip(scratch.path(), std::vector<std::size_t>(25, 100000));
    }
    SUBCASE("unaligned everywhere")
    {
        check_round_trip(scratch.path(), {1, 4095, 4097, 3});
    }
    SUBCASE("on tmpfs, which has no direct I/O")
    {
        if (std::filesystem::is_directory("/dev/shm")) {
            const std::filesystem::path dir = "/dev/shm/airlock-unit-" + unique_suffix();
            REQUIRE(std::filesystem::create_directory(dir));
            check_round_trip(dir, {8192, 4096, 10});
            std::filesystem::remove_all(dir);
        }
    }
    SUBCASE("refuses an existing file")
    {
        REQUIRE(write_file_atomic(scratch.path() / "taken", "x").has_value());
        const auto writer = SequentialFileWriter::create(scratch.path() / "taken");
        REQUIRE_FALSE(writer.has_value());
        CHECK(writer.error().message.find("taken") != std::string::npos);
    }
}

TEST_CASE("base::BoundedQueue")
{
    SUBCASE("the consumer drains what was queued before close, in order")
    {
        BoundedQueue<int> queue(2);
        std::vector<int> got;
        std::thread consumer([&] {
            while (auto item = queue.pop()) {
                got.push_back(*item);
            }
        });
        for (int i = 0; i < 100; ++i) {
            REQUIRE(queue.push(i)); // waits whenever two are queued
        }
        queue.close();
        consumer.join();
        std::vector<int> expected(100);
        std::iota(expected.begin(), expected.end(), 0);
        CHECK(got == expected);
    }
    SUBCASE("cancel wakes a producer waiting for room and drops the queue")
    {
        BoundedQueue<int> queue(1);
        REQUIRE(queue.push(1));
        bool pushed = true;
        std::thread producer([&] { pushed = queue.push(2); });
        queue.cancel();
        producer.join();
        CHECK_FALSE(pushed);
        CHECK_FALSE(queue.pop().has_value());
        CHECK(queue.cancelled());
    }
}

} // namespace airlock
