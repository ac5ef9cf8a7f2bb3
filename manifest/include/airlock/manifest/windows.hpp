// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string_view>

namespace airlock::manifest {

// Whether a Windows container image can run on a Windows host, from their `os.version`s
// ("10.0.20348.2849"; the third number is the build):
// - no image runs on a host older than itself;
// - since build 20348 (Windows Server 2022) the user/kernel ABI is stable: a newer host runs a
//   20348-or-later image with process isolation;
// - before that, process isolation needs the same build; a newer host runs an older image only
//   with Hyper-V isolation.
enum class WindowsFit {
    process_isolation,
    hyperv_only,
    too_new,
};

// Nothing when either version has no build number.
std::optional<WindowsFit> windows_fit(std::string_view image_os_version,
                                      std::string_view host_os_version);

// The build number of an os.version ("10.0.20348.2849" -> 20348).
std::optional<unsigned long> windows_build(std::string_view os_version);

} // namespace airlock::manifest
