// SPDX-License-Identifier: Apache-2.0
//
// For fuzz targets whose parser reads a file (bundles, auth files, ledgers): the input is
// written to a file in a private directory made once per process (on /dev/shm when present,
// so each run costs no disk I/O) and removed at exit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace airlock::fuzz {

class InputDirectory
{
  public:
    InputDirectory()
    {
        std::error_code ec;
        const bool shm = std::filesystem::is_directory("/dev/shm", ec);
        std::string pattern =
            (shm ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path())
            / "airlock-fuzz-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) {
            std::perror("airlock fuzz: mkdtemp");
            std::abort();
        }
        m_dir = pattern;
    }

    InputDirectory(const InputDirectory&) = delete;
    InputDirectory& operator=(const InputDirectory&) = delete;

    ~InputDirectory()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    // Writes `data` to `name` in the directory and returns its path.
    std::filesystem::path write(const std::string& name, const std::uint8_t* data, std::size_t size)
    {
        const std::filesystem::path path = m_dir / name;
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (file == nullptr || (size > 0 && std::fwrite(data, 1, size, file) != size)
            || std::fclose(file) != 0) {
            std::perror("airlock fuzz: writing the input file");
            std::abort();
        }
        return path;
    }

    const std::filesystem::path& path() const
    {
        return m_dir;
    }

  private:
    std::filesystem::path m_dir;
};

// The process's input directory.
inline InputDirectory& input_directory()
{
    static InputDirectory dir;
    return dir;
}

} // namespace airlock::fuzz
