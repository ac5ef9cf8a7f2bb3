// SPDX-License-Identifier: Apache-2.0
#pragma once

// Text and path conversions of the Windows files of src/base.

#include <windows.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock {

// UTF-8 to UTF-16 and back (Windows' "wide" strings).
std::wstring to_wide(std::string_view text);
std::string to_utf8(std::wstring_view text);

// `path` as Windows' wide-character calls take it: absolute paths get the `\\?\` prefix, which
// lifts the 260-character limit (and with it the rewriting of "." and ".." components, so the
// path is made absolute and normal first).
std::wstring long_path(const std::filesystem::path& path);

// The system's words for an error code of GetLastError().
std::string windows_message(DWORD code);

} // namespace airlock
