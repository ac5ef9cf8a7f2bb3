// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace airlock {

// A child process whose standard input we write (a stream of any length) and whose output is
// collected in temporary files, so that writing can never deadlock against its output.
class ChildProcess
{
  public:
    // Starts `argv` (argv[0] looked up in PATH). Errc::not_found when it is not installed.
    static Result<ChildProcess> spawn(const std::vector<std::string>& argv);

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess(); // kills a child that was not waited for

    // Writes to the child's standard input. Errc::io when it stopped reading.
    Result<> write(std::span<const char> data);

    // Closes standard input, waits, and returns standard output. Errc::io naming the command
    // and its standard error when it exits non-zero.
    Result<std::string> finish();

    // Stops the child at once (used when its input turned out to be bad).
    void kill();

  private:
    ChildProcess() = default;
    std::intptr_t m_pid = -1; // the process id; on Windows, the process's handle
    Fd m_stdin;
    Fd m_stdout;
    Fd m_stderr;
    std::string m_name;
};

// Runs `argv` to completion with no input and returns its standard output.
Result<std::string> run_command(const std::vector<std::string>& argv);

} // namespace airlock
