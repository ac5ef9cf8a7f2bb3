// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/host_system.hpp>

namespace airlock {

bool host_is_windows() noexcept
{
    return false;
}

std::optional<std::string> host_windows_build()
{
    return std::nullopt;
}

} // namespace airlock
