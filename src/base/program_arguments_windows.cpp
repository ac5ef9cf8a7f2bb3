// SPDX-License-Identifier: Apache-2.0
#include "windows_text.hpp"

#include <airlock/base/program_arguments.hpp>

#include <shellapi.h>

namespace airlock {

std::vector<std::string> program_arguments(int argc, char** argv)
{
    int count = 0;
    wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &count);
    if (wide == nullptr) {
        // Out of memory: the C runtime's split is the best there is.
        return argc > 1 ? std::vector<std::string>(argv + 1, argv + argc)
                        : std::vector<std::string>();
    }
    std::vector<std::string> out;
    for (int i = 1; i < count; ++i) {
        out.push_back(to_utf8(wide[i]));
    }
    ::LocalFree(wide);
    return out;
}

} // namespace airlock
