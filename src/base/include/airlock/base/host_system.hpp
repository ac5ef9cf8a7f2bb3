// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace airlock {

// True when airlock runs on Windows: for choices portable code makes by system (the Docker
// Engine's default address, whether the host's build matters), never for how a call is made.
bool host_is_windows() noexcept;

// The build of the Windows this runs on as container images name theirs (os.version):
// "10.0.20348.2849", major.minor.build from RtlGetVersion (which, unlike GetVersionEx, does not
// depend on the program's manifest) and the update build revision (UBR) from the registry.
// Nothing on other systems, or when Windows does not say.
std::optional<std::string> host_windows_build();

} // namespace airlock
