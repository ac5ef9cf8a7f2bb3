// SPDX-License-Identifier: Apache-2.0
#include "windows_text.hpp"

#include <airlock/base/str_cat.hpp>

namespace airlock {

namespace fs = std::filesystem;

std::wstring to_wide(std::string_view text)
{
    if (text.empty()) {
        return {};
    }
    const int size =
        ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
    return out;
}

std::string to_utf8(std::wstring_view text)
{
    if (text.empty()) {
        return {};
    }
    const int size = ::WideCharToMultiByte(
        CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(size), '\0');
    ::WideCharToMultiByte(
        CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size, nullptr, nullptr);
    return out;
}

std::wstring long_path(const fs::path& path)
{
    const std::wstring given = path.wstring();
    if (given.starts_with(L"\\\\?\\") || given.starts_with(L"\\\\.\\")) {
        return given; // already a long path, or a device (\\.\pipe\..., a disk)
    }
    std::error_code ec;
    fs::path full = fs::absolute(path, ec);
    if (ec) {
        return path.wstring();
    }
    std::wstring text = full.lexically_normal().make_preferred().wstring();
    if (text.starts_with(L"\\\\")) {
        return L"\\\\?\\UNC\\" + text.substr(2); // \\server\share\...
    }
    return L"\\\\?\\" + text;
}

std::string windows_message(DWORD code)
{
    wchar_t* text = nullptr;
    const DWORD size = ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM
                                            | FORMAT_MESSAGE_IGNORE_INSERTS,
                                        nullptr,
                                        code,
                                        0,
                                        reinterpret_cast<wchar_t*>(&text),
                                        0,
                                        nullptr);
    if (size == 0 || text == nullptr) {
        return str_cat("Windows error ", code);
    }
    std::string out = to_utf8(std::wstring_view(text, size));
    ::LocalFree(text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == '.')) {
        out.pop_back();
    }
    return str_cat(out, " (Windows error ", code, ")");
}

} // namespace airlock
