// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/paths.hpp>

#include <unistd.h>

#include <cstdlib>

namespace airlock {

namespace {

// $VARIABLE when it holds an absolute path, else ~/fallback (XDG base directory rules).
std::filesystem::path xdg_dir(const char* variable, const char* fallback)
{
    if (const char* value = std::getenv(variable); value != nullptr && *value == '/') {
        return value;
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr && *home != '\0' ? home : "/") / fallback;
}

} // namespace

std::filesystem::path data_dir()
{
    if (::geteuid() == 0) {
        return system_data_dir();
    }
    return xdg_dir("XDG_DATA_HOME", ".local/share") / "airlock";
}

std::filesystem::path system_data_dir()
{
    return "/var/lib/airlock";
}

std::filesystem::path cache_dir()
{
    return xdg_dir("XDG_CACHE_HOME", ".cache") / "airlock";
}

} // namespace airlock
