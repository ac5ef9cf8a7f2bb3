// SPDX-License-Identifier: Apache-2.0
// What ChildProcess does the same way on every system (process_posix.cpp, process_windows.cpp).
#include <airlock/base/process.hpp>

namespace airlock {

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(other.m_pid)
    , m_stdin(std::move(other.m_stdin))
    , m_stdout(std::move(other.m_stdout))
    , m_stderr(std::move(other.m_stderr))
    , m_name(std::move(other.m_name))
{
    other.m_pid = -1;
}

ChildProcess::~ChildProcess()
{
    kill();
}

Result<std::string> run_command(const std::vector<std::string>& argv)
{
    AIRLOCK_TRY_ASSIGN(ChildProcess child, ChildProcess::spawn(argv));
    return child.finish();
}

} // namespace airlock
