// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/process.hpp>

#include <string>
#include <vector>

namespace airlock::unpack {

// Runs podman with `args` and returns what it printed; Errc::not_found when podman is not
// installed.
inline Result<std::string> podman(const std::vector<std::string>& args)
{
    std::vector<std::string> argv = {"podman"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto out = run_command(argv);
    if (!out && out.error().code == Errc::not_found) {
        return fail(Errc::not_found,
                    "podman is not installed (airlock reaches the podman store through it)");
    }
    return out;
}

} // namespace airlock::unpack
