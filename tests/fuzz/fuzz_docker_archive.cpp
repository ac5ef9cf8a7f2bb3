// SPDX-License-Identifier: Apache-2.0
//
// A docker-archive source on arbitrary bytes: the tar unpacked below a private directory
// (names, links, duplicates), manifest.json read and turned into an OCI layout, the image
// resolved. Nothing may land outside the work directory (ASan and the unsafe-name checks).
#include "archive_source.hpp"
#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto& dir = airlock::fuzz::input_directory();
    const auto path = dir.write("input.tar", data, size);
    airlock::pack::ArchiveSources sources(dir.path() / "work");
    auto source = sources.make("docker-archive:" + path.string());
    if (source) {
        (void)(*source)->resolve();
    }
    return 0;
}
