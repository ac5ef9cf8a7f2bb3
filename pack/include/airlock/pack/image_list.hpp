// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/platform.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pack {

// One image to pack, with what its line in an image list says about it.
struct ImageRequest
{
    std::string reference;                     // registry reference or oci:DIR[:REF]
    std::vector<manifest::Platform> platforms; // overrides --platform when not empty
    bool all_platforms = false;                // platform=all
    std::vector<std::string> tags;             // extra tags for this image
    // Vendor keys this image must carry a signature by (with --require-source-signature's).
    std::vector<std::filesystem::path> require_signature;
};

// Parses an image list (`pack -f`): one image per line, `#` starts a comment, blank lines are
// ignored; after the reference, optional `platform=P[,P...]` (or `platform=all`) and
// `tags=T[,T...]` and `require-signature=KEY[,KEY...]` (relative to the list's directory):
//   mcr.microsoft.com/windows/servercore:ltsc2022  platform=windows/amd64:10.0.20348
//   tags=ltsc2022,2026-11
// Errc::usage naming `source`, the line number and what is wrong.
Result<std::vector<ImageRequest>> parse_image_list(std::string_view text, std::string_view source);

} // namespace airlock::pack
