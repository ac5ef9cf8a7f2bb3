// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

struct ImageManifest;
struct ImageConfig;

// Orders image versions such as "10.0.20348.2849" or "1.2.10-r3": split at '.', '-', '+' and
// '_'; numeric parts compare as numbers, others byte-wise; a version that is a prefix of another
// is older ("1.2" < "1.2.1"). Returns <0, 0 or >0.
int compare_versions(std::string_view a, std::string_view b);

// The version a single-platform image declares: for Windows its config `os.version`
// ("10.0.20348.2849"), otherwise the manifest's `org.opencontainers.image.version` annotation,
// else the config label of that name; empty when none.
std::string image_version(const ImageManifest& manifest, const ImageConfig& config);

// The version of a multi-platform image: the index's own annotation `index_version` when set,
// else the version every platform declares alike; empty when they differ or one has none.
std::string agreed_version(std::string_view index_version,
                           const std::vector<std::string>& platform_versions);

} // namespace airlock::manifest
