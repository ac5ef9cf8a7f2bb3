// SPDX-License-Identifier: Apache-2.0
// ChildProcess on Windows: CreateProcessW with a pipe on standard input and temporary files,
// removed when closed, for its output.
#include "windows_text.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>

#include <fcntl.h>
#include <io.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

namespace airlock {

namespace {

constexpr DWORD k_poll_ms = 50;

HANDLE process_of(std::intptr_t value)
{
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the handle kept as an integer
    return reinterpret_cast<HANDLE>(value);
}

// An inheritable temporary file, deleted when its last handle closes.
Result<HANDLE> temporary_output()
{
    std::array<wchar_t, MAX_PATH + 1> dir{};
    std::array<wchar_t, MAX_PATH + 1> name{};
    if (::GetTempPathW(static_cast<DWORD>(dir.size()), dir.data()) == 0
        || ::GetTempFileNameW(dir.data(), L"alk", 0, name.data()) == 0) {
        return fail(Errc::io,
                    str_cat("cannot create a temporary file: ", windows_message(::GetLastError())));
    }
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    const HANDLE file = ::CreateFileW(name.data(),
                                      GENERIC_READ | GENERIC_WRITE,
                                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      &inherit,
                                      CREATE_ALWAYS,
                                      FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
                                      nullptr);
    if (file == INVALID_HANDLE_VALUE) {
        return fail(Errc::io,
                    str_cat("cannot create a temporary file: ", windows_message(::GetLastError())));
    }
    return file;
}

Result<Fd> as_fd(HANDLE handle, int flags)
{
    const int fd = ::_open_osfhandle(reinterpret_cast<intptr_t>(handle), flags | _O_BINARY);
    if (fd < 0) {
        ::CloseHandle(handle);
        return fail(Errc::io, "cannot open a descriptor: too many files open");
    }
    return Fd(fd);
}

std::string read_all(const Fd& fd)
{
    std::string out;
    ::_lseeki64(fd.get(), 0, SEEK_SET);
    std::array<char, 65536> buffer{};
    while (true) {
        const int n = ::_read(fd.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
        if (n <= 0) {
            return out;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
}

// One argument as CommandLineToArgvW (and the C runtime) split it again.
std::wstring quoted(const std::wstring& arg)
{
    if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
        return arg;
    }
    std::wstring out = L"\"";
    std::size_t backslashes = 0;
    for (const wchar_t c : arg) {
        if (c == L'\\') {
            ++backslashes;
            continue;
        }
        // Backslashes before a quote are doubled, and the quote escaped.
        out.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
        backslashes = 0;
        out.push_back(c);
    }
    out.append(backslashes * 2, L'\\'); // before the closing quote
    out.push_back(L'"');
    return out;
}

// The program `name` as found in PATH (with .exe when it has no extension), never in the
// current directory, which CreateProcessW would search first: a program planted where airlock
// is started (the transfer media) must not run in place of the installed one.
Result<std::wstring> find_program(const std::string& name)
{
    const std::wstring wide = to_wide(name);
    if (wide.find_first_of(L"\\/:") != std::wstring::npos) {
        return wide; // a path: the caller chose it
    }
    const wchar_t* search = ::_wgetenv(L"PATH");
    std::array<wchar_t, 32768> found{};
    const DWORD size = ::SearchPathW(search != nullptr ? search : L"",
                                     wide.c_str(),
                                     L".exe",
                                     static_cast<DWORD>(found.size()),
                                     found.data(),
                                     nullptr);
    if (size == 0 || size >= found.size()) {
        return fail(Errc::not_found, str_cat("cannot run ", name, ": not found in PATH"));
    }
    return std::wstring(found.data(), size);
}

// Closes a handle when it goes out of scope.
struct HandleCloser
{
    explicit HandleCloser(HANDLE owned)
        : handle(owned)
    {
    }

    HandleCloser(const HandleCloser&) = delete;
    HandleCloser& operator=(const HandleCloser&) = delete;

    ~HandleCloser()
    {
        ::CloseHandle(handle);
    }

    HANDLE handle;
};

} // namespace

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv)
{
    ChildProcess child;
    child.m_name = argv.empty() ? std::string() : argv.front();
    AIRLOCK_TRY_ASSIGN(const std::wstring program, find_program(child.m_name));
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    HANDLE read_end = nullptr;
    HANDLE write_end = nullptr;
    if (::CreatePipe(&read_end, &write_end, &inherit, 0) == 0) {
        return fail(Errc::io, str_cat("cannot create a pipe: ", windows_message(::GetLastError())));
    }
    const HandleCloser read_guard{read_end}; // the child has its own copy once started
    // Writes that never wait for a child that stopped reading: the wait is in write(), where
    // Ctrl-C is seen.
    DWORD mode = PIPE_READMODE_BYTE | PIPE_NOWAIT;
    if (::SetHandleInformation(write_end, HANDLE_FLAG_INHERIT, 0) == 0
        || ::SetNamedPipeHandleState(write_end, &mode, nullptr, nullptr) == 0) {
        const DWORD code = ::GetLastError();
        ::CloseHandle(write_end);
        return fail(Errc::io, str_cat("cannot set up a pipe: ", windows_message(code)));
    }
    AIRLOCK_TRY_ASSIGN(child.m_stdin, as_fd(write_end, _O_WRONLY));
    AIRLOCK_TRY_ASSIGN(const HANDLE out, temporary_output());
    AIRLOCK_TRY_ASSIGN(child.m_stdout, as_fd(out, _O_RDWR));
    AIRLOCK_TRY_ASSIGN(const HANDLE err, temporary_output());
    AIRLOCK_TRY_ASSIGN(child.m_stderr, as_fd(err, _O_RDWR));

    std::wstring line;
    for (const auto& arg : argv) {
        line += (line.empty() ? L"" : L" ") + quoted(to_wide(arg));
    }
    STARTUPINFOEXW startup{};
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = read_end;
    startup.StartupInfo.hStdOutput = out;
    startup.StartupInfo.hStdError = err;
    // Only these three are inherited, not every inheritable handle of this process.
    std::array<HANDLE, 3> handles{read_end, out, err};
    SIZE_T size = 0;
    ::InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
    std::vector<char> attributes(size);
    startup.lpAttributeList = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributes.data());
    const bool listed =
        ::InitializeProcThreadAttributeList(startup.lpAttributeList, 1, 0, &size) != 0
        && ::UpdateProcThreadAttribute(startup.lpAttributeList,
                                       0,
                                       PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                       handles.data(),
                                       sizeof(HANDLE) * handles.size(),
                                       nullptr,
                                       nullptr)
               != 0;
    PROCESS_INFORMATION process{};
    const BOOL started = listed ? ::CreateProcessW(program.c_str(),
                                                   line.data(),
                                                   nullptr,
                                                   nullptr,
                                                   TRUE,
                                                   EXTENDED_STARTUPINFO_PRESENT | CREATE_NO_WINDOW,
                                                   nullptr,
                                                   nullptr,
                                                   &startup.StartupInfo,
                                                   &process)
                                : FALSE;
    const DWORD code = ::GetLastError();
    if (listed) {
        ::DeleteProcThreadAttributeList(startup.lpAttributeList);
    }
    if (started == 0) {
        return fail(code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ? Errc::not_found
                                                                                 : Errc::io,
                    str_cat("cannot run ", child.m_name, ": ", windows_message(code)));
    }
    ::CloseHandle(process.hThread);
    child.m_pid = reinterpret_cast<std::intptr_t>(process.hProcess);
    return child;
}

Result<> ChildProcess::write(std::span<const char> data)
{
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    const auto pipe = reinterpret_cast<HANDLE>(::_get_osfhandle(m_stdin.get()));
    while (!data.empty()) {
        AIRLOCK_TRY(check_cancel());
        DWORD written = 0;
        const auto chunk = static_cast<DWORD>(std::min<std::size_t>(data.size(), 1U << 20U));
        if (::WriteFile(pipe, data.data(), chunk, &written, nullptr) == 0) {
            return fail(Errc::io, str_cat(m_name, " stopped reading its input"));
        }
        if (written == 0) {
            ::Sleep(1); // the pipe is full: the child reads at its pace
            continue;
        }
        data = data.subspan(written);
    }
    return {};
}

Result<std::string> ChildProcess::finish()
{
    m_stdin = Fd();
    const HANDLE process = process_of(m_pid);
    while (true) {
        const DWORD waited = ::WaitForSingleObject(process, k_poll_ms);
        if (waited == WAIT_OBJECT_0) {
            break;
        }
        if (waited == WAIT_FAILED) {
            return fail(
                Errc::io,
                str_cat("cannot wait for ", m_name, ": ", windows_message(::GetLastError())));
        }
        if (cancel_requested()) {
            kill();
            return fail(Errc::cancelled, "interrupted");
        }
    }
    DWORD status = 1;
    ::GetExitCodeProcess(process, &status);
    ::CloseHandle(process);
    m_pid = -1;
    if (status != 0) {
        std::string err = read_all(m_stderr);
        while (!err.empty() && (err.back() == '\n' || err.back() == '\r' || err.back() == ' ')) {
            err.pop_back();
        }
        return fail(Errc::io,
                    str_cat(m_name, " failed (exit ", status, ")", err.empty() ? "" : ": " + err));
    }
    return read_all(m_stdout);
}

void ChildProcess::kill()
{
    if (m_pid != -1) {
        const HANDLE process = process_of(m_pid);
        ::TerminateProcess(process, 1);
        ::WaitForSingleObject(process, INFINITE);
        ::CloseHandle(process);
        m_pid = -1;
    }
}

} // namespace airlock
