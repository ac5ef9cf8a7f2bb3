// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/ownership.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace airlock::test {

// A fresh directory for one test case, under the system temp dir, removed afterwards.
class Scratch
{
  public:
    Scratch()
    {
        for (int attempt = 0; attempt < 16; ++attempt) {
            m_path = std::filesystem::temp_directory_path() / ("airlock-unit-" + unique_suffix());
            std::error_code ec;
            if (std::filesystem::create_directory(m_path, ec)) {
                return;
            }
        }
        std::fputs("cannot create a scratch directory\n", stderr);
        std::abort(); // no test can run without its directory
    }

    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }

    const std::filesystem::path& path() const
    {
        return m_path;
    }

  private:
    std::filesystem::path m_path;
};

// Makes `link` a symbolic link to `target`; false when this system will not make one for this
// user (Windows without the privilege or developer mode, Wine), for tests to skip what they
// cannot set up.
inline bool make_symlink(const std::filesystem::path& target, const std::filesystem::path& link)
{
    std::error_code ec;
    std::filesystem::create_symlink(target, link, ec);
    if (ec) {
        std::fprintf(
            stderr, "cannot make symbolic links here (%s): skipped\n", ec.message().c_str());
    }
    return !ec;
}

} // namespace airlock::test
