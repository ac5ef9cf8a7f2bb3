// SPDX-License-Identifier: Apache-2.0
//
// The tar(.zst) stream reader on arbitrary bytes: every entry header, every data byte.
#include "input_file.hpp"

#include <airlock/archive/tar_reader.hpp>

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = airlock::fuzz::input_directory().write("input.tar", data, size);
    auto reader = airlock::archive::TarReader::open(path);
    if (!reader) {
        return 0;
    }
    std::array<char, 4096> buffer{};
    for (int entries = 0; entries < 10000; ++entries) {
        auto entry = reader->next();
        if (!entry || !*entry) {
            break;
        }
        for (;;) {
            auto n = reader->read(buffer);
            if (!n || *n == 0) {
                break;
            }
        }
    }
    return 0;
}
