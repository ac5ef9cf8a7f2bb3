// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace airlock::manifest {

// Orders image versions such as "10.0.20348.2849" or "1.2.10-r3": split at '.', '-', '+' and
// '_'; numeric parts compare as numbers, others byte-wise; a version that is a prefix of another
// is older ("1.2" < "1.2.1"). Returns <0, 0 or >0.
int compare_versions(std::string_view a, std::string_view b);

} // namespace airlock::manifest
