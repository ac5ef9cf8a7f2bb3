// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/batched_sync.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/sequential_file.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace airlock {

TEST_CASE("base::BatchedSync")
{
    const test::Scratch scratch;

    SUBCASE("files closed unsynced are whole after commit")
    {
        auto batch = BatchedSync::begin(scratch.path());
        REQUIRE(batch.has_value());
#if defined(__linux__)
        CHECK(batch->deferred());
#elif defined(_WIN32)
        CHECK_FALSE(batch->deferred());
#endif
        // Sizes around the writer's direct-I/O chunk, so both of its paths are closed.
        const std::vector<std::size_t> sizes = {0, 300, (1U << 20U) + 7};
        for (const std::size_t size : sizes) {
            auto writer = SequentialFileWriter::create(scratch.path() / std::to_string(size));
            REQUIRE(writer.has_value());
            const std::string bytes(size, 'x');
            REQUIRE(writer->write(bytes).has_value());
            REQUIRE((batch->deferred() ? writer->close() : writer->sync_and_close()).has_value());
        }
        REQUIRE(batch->commit().has_value());
        for (const std::size_t size : sizes) {
            CHECK(regular_file_size(scratch.path() / std::to_string(size)) == size);
        }
    }

    SUBCASE("a directory that is not there")
    {
        const auto batch = BatchedSync::begin(scratch.path() / "missing");
        if (!batch) {
            CHECK(batch.error().code == Errc::io);
        } else {
            CHECK_FALSE(batch->deferred()); // nothing is opened where each file syncs itself
        }
    }
}

} // namespace airlock
