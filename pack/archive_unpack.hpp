// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::pack {

// An archive member's name as a path inside the archive ("./a//b/" is "a/b", the archive's root
// is ""); nothing for one that would leave it (absolute, "..", a drive, a backslash that
// Windows reads as a separator).
std::optional<std::string> member_path(std::string_view name);

// For each link member of an archive, the member of the regular file it ends at.
using LinkTargets = std::map<std::string, std::string>;

// Unpacks every regular file, directory and link of tar `file` below `root`, refusing members
// that would leave it, appear twice, are in each other's way (a file where a directory is, a
// member under a file), are sparse, are devices or have a name Windows cannot create (a device
// name such as "nul.tar", a part ending in a dot or a space), on every platform
// (Errc::unsafe_entry). Links become hard links to the file they end at, which the result
// names. Errc::format for a corrupt tar or a link to no file of it, Errc::io when `root` cannot
// take a file or a member would not fit in the free space of its file system (which stops a
// tar bomb before it fills the disk).
Result<LinkTargets> unpack_tar(const std::filesystem::path& file,
                               const std::filesystem::path& root);

} // namespace airlock::pack
