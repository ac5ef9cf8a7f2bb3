// SPDX-License-Identifier: Apache-2.0
// Where airlock keeps things on Windows: the machine's store under %ProgramData%, what can be
// rebuilt under the user's %LOCALAPPDATA%.
#include "windows_text.hpp"

#include <airlock/base/paths.hpp>

#include <cstdlib>

namespace airlock {

namespace fs = std::filesystem;

namespace {

// The directory in environment variable `name`, when it holds an absolute path.
fs::path env_dir(const wchar_t* name, const wchar_t* fallback)
{
    const wchar_t* value = ::_wgetenv(name);
    fs::path dir = value != nullptr ? fs::path(value) : fs::path();
    return dir.is_absolute() ? dir : fs::path(fallback);
}

} // namespace

std::filesystem::path data_dir()
{
    // One store for the machine, as Docker Engine has one: Windows container hosts are
    // administered, and a per-user store would hide one administrator's imports from another.
    return system_data_dir();
}

std::filesystem::path system_data_dir()
{
    return env_dir(L"ProgramData", L"C:\\ProgramData") / "airlock";
}

std::filesystem::path cache_dir()
{
    return env_dir(L"LOCALAPPDATA", L"C:\\ProgramData") / "airlock" / "cache";
}

std::filesystem::path system_config_dir()
{
    return system_data_dir();
}

std::filesystem::path user_config_dir()
{
    const wchar_t* value = ::_wgetenv(L"APPDATA");
    const fs::path dir = value != nullptr ? fs::path(value) : fs::path();
    return dir.is_absolute() ? dir / "airlock" : fs::path();
}

std::string_view user_config_dir_shown()
{
    return "%APPDATA%\\airlock";
}

std::filesystem::path system_ca_bundle()
{
    if (const wchar_t* file = ::_wgetenv(L"SSL_CERT_FILE"); file != nullptr && *file != L'\0') {
        return file;
    }
    return {}; // the system's certificate store (see http/client)
}

} // namespace airlock
