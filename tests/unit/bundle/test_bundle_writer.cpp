// SPDX-License-Identifier: Apache-2.0
#include "../scratch.hpp"

#include <airlock/archive/tar_reader.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/bundle_writer.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace airlock;
using namespace airlock::bundle;

TEST_CASE("bundle::write_header writes the entries in the order BundleReader reads them")
{
    const test::Scratch scratch;
    const auto path = scratch.path() / "x.bundle";
    HeaderEntries header;
    header.bundle_json = R"({"format":"airlock-bundle"})";
    header.signatures_json = R"({"signatures":[]})";
    header.layout = {{"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"},
                     {"index.json", R"({"manifests":[]})"}};
    {
        auto writer = archive::TarWriter::create(path, archive::Compression{}, 0);
        REQUIRE(writer);
        REQUIRE(write_header(*writer, header));
        REQUIRE(writer->finish());
    }

    auto tar = archive::TarReader::open(path);
    REQUIRE(tar);
    std::vector<std::string> names;
    while (true) {
        auto entry = tar->next();
        REQUIRE(entry);
        if (!*entry) {
            break;
        }
        names.push_back((*entry)->path);
    }
    CHECK(
        names
        == std::vector<std::string>{"bundle.json", "signatures.json", "oci-layout", "index.json"});

    const auto reader = BundleReader::open(path);
    REQUIRE(reader);
    CHECK(reader->header().manifest_bytes == header.bundle_json);
    CHECK(reader->header().signatures.empty());
}
