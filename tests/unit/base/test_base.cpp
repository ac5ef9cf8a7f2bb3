// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/encoding.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace airlock;

TEST_CASE("base::base64")
{
    // RFC 4648 section 10 test vectors.
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        CHECK(base64_encode(plain) == encoded);
        const auto decoded = base64_decode(encoded);
        REQUIRE(decoded);
        CHECK(*decoded == plain);
    }
    CHECK_FALSE(base64_decode("Zm9"));
    CHECK_FALSE(base64_decode("Zm9v!==="));
    CHECK_FALSE(base64_decode("Zg==Zg=="));
    CHECK(base64_decode("Zg==Zg==").error().code == Errc::format);
}

TEST_CASE("base::hex_encode")
{
    CHECK(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
}

TEST_CASE("base::AtomicFile")
{
    const test::Scratch scratch;
    const auto target = scratch.path() / "out.txt";
    SUBCASE("commit makes the file appear with its mode")
    {
        auto file = AtomicFile::create(target, 0600);
        REQUIRE(file);
        REQUIRE(file->write("hello"));
        CHECK_FALSE(std::filesystem::exists(target));
        REQUIRE(file->commit());
        CHECK(*read_file(target) == "hello");
        if (files_have_permission_bits()) {
            CHECK((std::filesystem::status(target).permissions() & std::filesystem::perms::all)
                  == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
        }
    }
    SUBCASE("without commit nothing is left behind")
    {
        {
            auto file = AtomicFile::create(target);
            REQUIRE(file);
            REQUIRE(file->write("partial"));
        }
        CHECK(std::filesystem::is_empty(scratch.path()));
    }
}

TEST_CASE("base::ScopedDirectory")
{
    const test::Scratch scratch;
    std::filesystem::path made;
    {
        auto dir = ScopedDirectory::create_unique(scratch.path(), "stage-");
        REQUIRE(dir);
        made = dir->path();
        REQUIRE(write_file_atomic(made / "x", "data"));
        CHECK(std::filesystem::exists(made / "x"));
    }
    CHECK_FALSE(std::filesystem::exists(made));
}

TEST_CASE("base::read_file")
{
    const test::Scratch scratch;
    REQUIRE(write_file_atomic(scratch.path() / "f", std::string(100, 'x')));
    CHECK(read_file(scratch.path() / "f", 100));
    CHECK(read_file(scratch.path() / "f", 99).error().code == Errc::format);
    CHECK(read_file(scratch.path() / "missing").error().code == Errc::not_found);
}

TEST_CASE("base::rfc3339")
{
    CHECK(format_rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(parse_rfc3339("2026-11-25T09:37:00Z") == 1795599420);
    CHECK(parse_rfc3339("2026-11-25T09:37:00.123456789Z") == 1795599420);
    CHECK(parse_rfc3339("2026-11-25T10:37:00+01:00") == 1795599420);
    CHECK(format_rfc3339_utc(*parse_rfc3339("2026-11-25T09:37:00Z")) == "2026-11-25T09:37:00Z");
    CHECK_FALSE(parse_rfc3339("yesterday"));
    CHECK_FALSE(parse_rfc3339("2026-11-25"));
    CHECK(parse_rfc3339("2028-02-29T00:00:00Z") == 1835395200);
    CHECK(parse_rfc3339("1969-12-31T23:59:59Z") == -1);
    CHECK(parse_rfc3339("9999-12-31T23:59:59Z") == 253402300799);
    CHECK_FALSE(parse_rfc3339("2026-02-29T00:00:00Z")); // not a leap year
    CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2026-00-10T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2026-04-31T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2026-11-25T24:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2026-11-25T09:60:00Z"));
    CHECK_FALSE(parse_rfc3339("2026-11-25T09:37:00+24:00"));
    CHECK_FALSE(parse_rfc3339("2026-11-25T09:37:00.Z"));
    CHECK_FALSE(parse_rfc3339("2026-11-25T09:37:60Z")); // a leap second ends a minute :59
    CHECK(parse_rfc3339("2016-12-31T23:59:60Z") == 1483228800);
}

TEST_CASE("base::human_size")
{
    CHECK(human_size(512) == "512 B");
    CHECK(human_size(1536) == "1.5 KiB");
    CHECK(human_size(5ULL << 30U) == "5.0 GiB");
}

TEST_CASE("base::parse_size")
{
    CHECK(parse_size("4096") == 4096ULL);
    CHECK(parse_size("64K") == 65536ULL);
    CHECK(parse_size("32M") == 32ULL << 20U);
    CHECK(parse_size("4G") == 4ULL << 30U);
    CHECK(parse_size("4GiB") == 4ULL << 30U);
    CHECK(parse_size("1TB") == 1ULL << 40U);
    CHECK(parse_size("700mb") == 700ULL << 20U);
    CHECK(parse_size("4gib") == 4ULL << 30U);
    CHECK(parse_size("64k") == 65536ULL);
    CHECK_FALSE(parse_size(""));
    CHECK_FALSE(parse_size("0"));
    CHECK_FALSE(parse_size("12X"));
    CHECK_FALSE(parse_size("-1"));
    CHECK_FALSE(parse_size("99999999999999999T"));
}

TEST_CASE("base::parse_duration")
{
    CHECK(parse_duration("45d") == 45 * 86400);
    CHECK(parse_duration("12h") == 12 * 3600);
    CHECK(parse_duration("30m") == 1800);
    CHECK(parse_duration("90s") == 90);
    CHECK(parse_duration("90") == 90);
    CHECK_FALSE(parse_duration("d"));
    CHECK_FALSE(parse_duration("0d"));
    CHECK_FALSE(parse_duration("-1d"));
    CHECK_FALSE(parse_duration("1w"));
}

TEST_CASE("base::remove_tree removes links, never what they point to")
{
    const test::Scratch scratch;
    const test::Scratch outside;
    std::filesystem::create_directories(scratch.path() / "tree" / "sub");
    REQUIRE(write_file_atomic(scratch.path() / "tree" / "sub" / "f", "12345"));
    REQUIRE(write_file_atomic(outside.path() / "kept", "precious"));
    std::error_code no_symlinks; // (where the system lets this process make symlinks)
    std::filesystem::create_directory_symlink(
        outside.path(), scratch.path() / "tree" / "sub" / "link", no_symlinks);
    const auto removed = remove_tree(scratch.path() / "tree");
    REQUIRE(removed);
    CHECK(*removed == 5);
    CHECK_FALSE(std::filesystem::exists(scratch.path() / "tree"));
    CHECK(*read_file(outside.path() / "kept") == "precious");
    CHECK(*remove_tree(scratch.path() / "missing") == 0);
}
