// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/file_set.hpp>
#include <airlock/base/ownership.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace airlock;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names_in(const fs::path& dir)
{
    std::set<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        out.insert(entry.path().filename().string());
    }
    return out;
}

void put(const fs::path& path, std::string_view content)
{
    REQUIRE(write_file_atomic(path, content));
}

AtomicFile staged(const fs::path& path, std::string_view content)
{
    auto file = AtomicFile::create(path);
    REQUIRE(file);
    REQUIRE(file->write(content));
    return std::move(*file);
}

bool any_temporary(const fs::path& dir)
{
    for (const auto& name : names_in(dir)) {
        if (is_temporary_name(name)) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("base::is_temporary_name")
{
    CHECK(is_temporary_name(temporary_name("index.json", "tmp")));
    CHECK(is_temporary_name(temporary_name("x.bundle.001", "old")));
    CHECK(is_temporary_name(".index.json.tmp-0123456789"));
    CHECK_FALSE(is_temporary_name("index.json"));
    CHECK_FALSE(is_temporary_name(".index.json.tmp-0123"));
    CHECK_FALSE(is_temporary_name(".index.json.tmp-ABCDEFGHIJ"));
    CHECK_FALSE(is_temporary_name(".index.json.new-0123456789"));
    CHECK_FALSE(is_temporary_name("x.tmp-0123456789"));
    CHECK(is_temporary_name(".x.bundle.001.old-0123456789", "x.bundle.001"));
    CHECK_FALSE(is_temporary_name(".x.bundle.001.old-0123456789", "x.bundle"));
    CHECK_FALSE(is_temporary_name(".x.bundle.v2.tmp-0123456789", "x.bundle"));
    CHECK(has_unique_suffix("staging-0123456789", "staging-"));
    CHECK_FALSE(has_unique_suffix("staging-01234", "staging-"));
    CHECK_FALSE(has_unique_suffix("staging-012345678X", "staging-"));
}

TEST_CASE("base::reclaim_abandoned takes what no live run holds")
{
    const test::Scratch scratch;
    const fs::path dir = scratch.path();
    // Debris: unlocked, as a killed run leaves it (a staging directory with its owner file, the
    // owner file alone of a run killed before its mkdir).
    put(dir / ".channels.json.tmp-aaaaaaaaaa", "12345");
    fs::create_directory(dir / "staging-deaddeadde");
    put(dir / "staging-deaddeadde.owner", "");
    put(dir / "staging-deaddeadde" / "blob", "1234567");
    put(dir / "staging-earlyearly.owner", "");
    // Not debris: a symlink with a temporary-looking name, an unrelated file.
    // (Where the system lets this process make symlinks at all.)
    std::error_code no_symlinks;
    fs::create_symlink("/etc/passwd", dir / ".link.tmp-bbbbbbbbbb", no_symlinks);
    put(dir / "keep.json", "x");
    // Live: held by this process right now.
    AtomicFile live_file = staged(dir / "index.json", "new");
    auto live_dir = ScopedDirectory::create_unique(dir, "staging-");
    REQUIRE(live_dir);
    put(live_dir->path() / "blob", "abc");

    const auto staging = [](std::string_view name) { return has_unique_suffix(name, "staging-"); };
    const auto temporary = [](std::string_view name) { return is_temporary_name(name); };
    Reclaimed reclaimed = reclaim_abandoned(dir, Debris::directories, staging);
    reclaimed += reclaim_abandoned(dir, Debris::files, temporary);
    CHECK(reclaimed.entries == 3);
    CHECK(reclaimed.bytes == 12);
    CHECK_FALSE(fs::exists(dir / ".channels.json.tmp-aaaaaaaaaa"));
    CHECK_FALSE(fs::exists(dir / "staging-deaddeadde"));
    CHECK_FALSE(fs::exists(dir / "staging-deaddeadde.owner"));
    CHECK_FALSE(fs::exists(dir / "staging-earlyearly.owner"));
    CHECK((no_symlinks || fs::is_symlink(dir / ".link.tmp-bbbbbbbbbb")));
    CHECK(fs::exists(dir / "keep.json"));
    CHECK(fs::exists(live_dir->path() / "blob"));
    CHECK(fs::exists(live_dir->path().string() + ".owner"));
    REQUIRE(live_file.commit());
    CHECK(*read_file(dir / "index.json") == "new");
}

TEST_CASE("base::reclaim_abandoned takes only the kind asked for")
{
    const test::Scratch scratch;
    const fs::path dir = scratch.path();
    fs::create_directories(dir / ".photos.old-2024backup" / "sub");
    put(dir / "staging-notadirect", "a file, not a staging directory");
    const auto staging = [](std::string_view name) { return has_unique_suffix(name, "staging-"); };
    CHECK(reclaim_abandoned(dir, Debris::directories, staging).entries == 0);
    CHECK(fs::exists(dir / "staging-notadirect"));
    CHECK(reclaim_abandoned(dir, Debris::files, [](std::string_view) { return true; }).entries
          == 1);
    CHECK(fs::exists(dir / ".photos.old-2024backup" / "sub"));
}

TEST_CASE("base::replace_file_set")
{
    const test::Scratch scratch;
    const fs::path dir = scratch.path();
    put(dir / "a.001", "old 1");
    put(dir / "a.002", "old 2");
    put(dir / "a.003", "old 3");
    put(dir / "a.parts", "old list");
    const std::set<std::string> old_names = names_in(dir);

    SUBCASE("the new set replaces the old one, longer old sets included")
    {
        std::vector<AtomicFile> files;
        files.push_back(staged(dir / "a.001", "new 1"));
        files.push_back(staged(dir / "a.002", "new 2"));
        files.push_back(staged(dir / "a.parts", "new list"));
        REQUIRE(replace_file_set(files, [&] { return std::vector<fs::path>{dir / "a.003"}; }));
        CHECK(names_in(dir) == std::set<std::string>{"a.001", "a.002", "a.parts"});
        CHECK(*read_file(dir / "a.001") == "new 1");
        CHECK(*read_file(dir / "a.parts") == "new list");
    }
    SUBCASE("a failure in the middle of the switch puts the old set back")
    {
        std::vector<AtomicFile> files;
        files.push_back(staged(dir / "a.001", "new 1"));
        files.push_back(staged(dir / "a.002", "new 2"));
        files.push_back(staged(dir / "a.parts", "new list"));
        // The second new file vanishes (renamed away: on Windows a removed file keeps its
        // name while open): its rename fails after the first one was renamed in.
        const test::Scratch away;
        for (const auto& name : names_in(dir)) {
            if (name.starts_with(".a.002.tmp-")) {
                fs::rename(dir / name, away.path() / name);
            }
        }
        CHECK_FALSE(replace_file_set(files, [&] { return std::vector<fs::path>{dir / "a.003"}; }));
        files.clear();
        CHECK(names_in(dir) == old_names);
        REQUIRE(read_file(dir / "a.003"));
        CHECK(*read_file(dir / "a.001") == "old 1");
        CHECK(*read_file(dir / "a.003") == "old 3");
        CHECK(*read_file(dir / "a.parts") == "old list");
    }
    SUBCASE("a switch killed before its commit point is undone by the next run")
    {
        // What a kill between the renames leaves: old files moved aside, one new file in.
        fs::rename(dir / "a.parts", dir / ".a.parts.old-cccccccccc");
        fs::rename(dir / "a.001", dir / ".a.001.old-cccccccccc");
        put(dir / "a.001", "new 1");
        auto restored = restore_interrupted_switch(dir / "a.parts");
        REQUIRE(restored);
        CHECK(*restored);
        CHECK(names_in(dir) == old_names);
        CHECK(*read_file(dir / "a.001") == "old 1");
        CHECK(*read_file(dir / "a.parts") == "old list");
    }
    SUBCASE("a switch killed after its commit point keeps the new set")
    {
        put(dir / ".a.001.old-dddddddddd", "old 1");
        auto restored = restore_interrupted_switch(dir / "a.parts");
        REQUIRE(restored);
        CHECK_FALSE(*restored);
        CHECK(*read_file(dir / "a.001") == "old 1");
        CHECK(reclaim_abandoned(
                  dir, Debris::files, [](std::string_view name) { return is_temporary_name(name); })
                  .entries
              == 1);
        CHECK_FALSE(any_temporary(dir));
    }
}
