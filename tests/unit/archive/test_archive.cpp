// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/archive/tar_reader.hpp>
#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/file.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace airlock;
using namespace airlock::archive;

namespace {

std::vector<std::pair<std::string, std::string>> read_all(const std::filesystem::path& path)
{
    std::vector<std::pair<std::string, std::string>> out;
    auto reader = TarReader::open(path);
    REQUIRE(reader);
    while (true) {
        auto entry = reader->next();
        REQUIRE(entry);
        if (!*entry) {
            break;
        }
        CHECK((*entry)->type == EntryType::regular);
        std::string data;
        std::vector<char> buffer(7); // odd size: exercises partial reads
        while (true) {
            auto n = reader->read(buffer);
            REQUIRE(n);
            if (*n == 0) {
                break;
            }
            data.append(buffer.data(), *n);
        }
        CHECK(data.size() == (*entry)->size);
        out.emplace_back((*entry)->path, data);
    }
    return out;
}

void write_sample(const std::filesystem::path& path, Compression compression)
{
    auto writer = TarWriter::create(path, compression, 1700000000);
    REQUIRE(writer);
    REQUIRE(writer->add("bundle.json", R"({"a":1})", EntryContent::metadata));
    const std::string big(300000, 'z');
    REQUIRE(writer->begin_entry("blobs/sha256/big", big.size(), EntryContent::compressed));
    REQUIRE(writer->write(std::span<const char>(big.data(), 1000)));
    REQUIRE(writer->write(std::span<const char>(big.data() + 1000, big.size() - 1000)));
    REQUIRE(writer->end_entry());
    REQUIRE(writer->add("empty", "", EntryContent::uncompressed));
    REQUIRE(writer->finish());
}

} // namespace

TEST_CASE("archive::round_trip")
{
    const test::Scratch scratch;
    for (const Codec codec : {Codec::none, Codec::zstd}) {
        CAPTURE(static_cast<int>(codec));
        const auto path = scratch.path() / "a.tar";
        write_sample(path, Compression{codec, 3, 2});
        const auto entries = read_all(path);
        REQUIRE(entries.size() == 3);
        CHECK(entries[0].first == "bundle.json");
        CHECK(entries[0].second == R"({"a":1})");
        CHECK(entries[1].first == "blobs/sha256/big");
        CHECK(entries[1].second == std::string(300000, 'z'));
        CHECK(entries[2].first == "empty");
        CHECK(entries[2].second.empty());
    }
}

TEST_CASE("archive::deterministic")
{
    const test::Scratch scratch;
    write_sample(scratch.path() / "one", Compression{Codec::zstd, 3, 1});
    write_sample(scratch.path() / "two", Compression{Codec::zstd, 3, 2});
    CHECK(*read_file(scratch.path() / "one") == *read_file(scratch.path() / "two"));
}

TEST_CASE("archive::writer_checks_sizes")
{
    const test::Scratch scratch;
    auto writer = TarWriter::create(scratch.path() / "x", Compression{Codec::none, 3, 1}, 0);
    REQUIRE(writer);
    REQUIRE(writer->begin_entry("a", 4, EntryContent::metadata));
    CHECK_FALSE(writer->write(std::span<const char>("12345", 5)));
    CHECK(writer->end_entry().error().code == Errc::internal);
}

TEST_CASE("archive::add_file_entry")
{
    const test::Scratch scratch;
    const std::string content((1U << 20U) + 4096, 'f'); // more than one read of the copy buffer
    REQUIRE(write_file_atomic(scratch.path() / "file", content));
    auto writer = TarWriter::create(scratch.path() / "x.tar", Compression{Codec::none, 3, 1}, 0);
    REQUIRE(writer);
    std::string observed;
    const auto size = writer->add_file_entry(
        "blobs/f", scratch.path() / "file", EntryContent::compressed, [&](std::span<const char> c) {
            observed.append(c.data(), c.size());
        });
    REQUIRE(size);
    CHECK(*size == content.size());
    CHECK(observed == content);
    REQUIRE(writer->add_file_entry("plain", scratch.path() / "file", EntryContent::metadata));
    // Neither a missing file nor a directory starts an entry: the archive goes on.
    CHECK(
        writer->add_file_entry("m", scratch.path() / "missing", EntryContent::metadata).error().code
        == Errc::not_found);
    CHECK_FALSE(writer->add_file_entry("d", scratch.path(), EntryContent::metadata));
    REQUIRE(writer->finish());
    const auto entries = read_all(scratch.path() / "x.tar");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0] == std::pair<std::string, std::string>("blobs/f", content));
    CHECK(entries[1] == std::pair<std::string, std::string>("plain", content));
}

TEST_CASE("archive::unfinished_writer_leaves_nothing")
{
    const test::Scratch scratch;
    {
        auto writer = TarWriter::create(scratch.path() / "x", Compression{}, 0);
        REQUIRE(writer);
        REQUIRE(writer->add("a", "data", EntryContent::metadata));
    }
    CHECK(std::filesystem::is_empty(scratch.path()));
}

TEST_CASE("archive::reader_rejects_garbage_and_truncation")
{
    const test::Scratch scratch;
    REQUIRE(write_file_atomic(scratch.path() / "garbage", std::string(4096, 'g')));
    auto reader = TarReader::open(scratch.path() / "garbage");
    const bool failed = !reader || !reader->next();
    CHECK(failed);

    write_sample(scratch.path() / "full", Compression{Codec::zstd, 3, 1});
    const auto bytes = *read_file(scratch.path() / "full");
    REQUIRE(write_file_atomic(scratch.path() / "cut", bytes.substr(0, bytes.size() / 2)));
    auto cut = TarReader::open(scratch.path() / "cut");
    bool saw_error = !cut;
    if (!cut) {
        CHECK(cut.error().code == Errc::format);
    }
    for (int i = 0; i < 4 && !saw_error; ++i) {
        auto entry = cut->next();
        if (!entry) {
            saw_error = true;
            CHECK(entry.error().code == Errc::format);
            break;
        }
        if (!*entry) {
            break;
        }
        std::vector<char> buffer(65536);
        while (true) {
            auto n = cut->read(buffer);
            if (!n) {
                saw_error = true;
                CHECK(n.error().code == Errc::format);
                break;
            }
            if (*n == 0) {
                break;
            }
        }
    }
    CHECK(saw_error);
}
