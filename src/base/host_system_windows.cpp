// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>

#include <windows.h>

namespace airlock {

namespace {

// ntdll's RtlGetVersion, which reports the real version to every program.
using RtlGetVersionFunction = LONG(WINAPI*)(OSVERSIONINFOW*);

std::optional<OSVERSIONINFOW> real_version()
{
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    if (ntdll == nullptr) {
        return std::nullopt;
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): GetProcAddress's contract
    const auto get = reinterpret_cast<RtlGetVersionFunction>(
        reinterpret_cast<void*>(::GetProcAddress(ntdll, "RtlGetVersion")));
    OSVERSIONINFOW info{};
    info.dwOSVersionInfoSize = sizeof(info);
    if (get == nullptr || get(&info) != 0) {
        return std::nullopt;
    }
    return info;
}

// The update build revision: the fourth number, which monthly updates raise.
DWORD update_revision()
{
    DWORD ubr = 0;
    DWORD size = sizeof(ubr);
    if (::RegGetValueW(HKEY_LOCAL_MACHINE,
                       L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                       L"UBR",
                       RRF_RT_REG_DWORD,
                       nullptr,
                       &ubr,
                       &size)
        != ERROR_SUCCESS) {
        return 0;
    }
    return ubr;
}

} // namespace

bool host_is_windows() noexcept
{
    return true;
}

std::optional<std::string> host_windows_build()
{
    const auto info = real_version();
    if (!info) {
        return std::nullopt;
    }
    return str_cat(info->dwMajorVersion,
                   ".",
                   info->dwMinorVersion,
                   ".",
                   info->dwBuildNumber,
                   ".",
                   update_revision());
}

} // namespace airlock
