// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace airlock {

// Sets environment variable `name` to `value` for this process and the children it starts, or
// removes it when `value` is empty (std::nullopt).
void set_environment(const std::string& name, const std::optional<std::string>& value);

} // namespace airlock
