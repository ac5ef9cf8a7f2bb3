// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <unistd.h>

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
        std::string pattern =
            (std::filesystem::temp_directory_path() / "airlock-unit-XXXXXX").string();
        const char* made = ::mkdtemp(pattern.data());
        if (made == nullptr) {
            std::perror("mkdtemp");
            std::abort(); // no test can run without its directory
        }
        m_path = made;
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

} // namespace airlock::test
