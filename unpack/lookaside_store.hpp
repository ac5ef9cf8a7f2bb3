// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::unpack {

// Writes the signature `bytes` of manifest `digest` of repository path `path` (no host) into
// the lookaside directory `dir`, as containers/image lays it out: DIR/PATH@sha256=HEX/
// signature-N, N the first free number; a signature already there (same bytes) is not written
// again. Each file is written atomically. Returns whether it wrote one. Errc::io.
Result<bool> write_lookaside_signature(const std::filesystem::path& dir,
                                       std::string_view path,
                                       std::string_view digest,
                                       const std::string& bytes);

} // namespace airlock::unpack
