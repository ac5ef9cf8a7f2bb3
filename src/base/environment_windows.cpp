// SPDX-License-Identifier: Apache-2.0
#include "windows_text.hpp"

#include <airlock/base/environment.hpp>

#include <cstdlib>

namespace airlock {

void set_environment(const std::string& name, const std::optional<std::string>& value)
{
    // The C runtime's copy, which getenv reads, and through it the process's own; an empty
    // value removes the variable (Windows has no empty ones).
    ::_wputenv_s(to_wide(name).c_str(), value ? to_wide(*value).c_str() : L"");
}

} // namespace airlock
