// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/program_arguments.hpp>

namespace airlock {

std::vector<std::string> program_arguments(int argc, char** argv)
{
    return argc > 1 ? std::vector<std::string>(argv + 1, argv + argc) : std::vector<std::string>();
}

} // namespace airlock
