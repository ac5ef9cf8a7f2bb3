// SPDX-License-Identifier: Apache-2.0
// os.hpp on Windows. Descriptors are the C runtime's (an int over a HANDLE, _open_osfhandle),
// so that Fd is one type everywhere; the work is done on the HANDLE.
#include "os.hpp"
#include "windows_security.hpp"
#include "windows_text.hpp"

#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace airlock::os {

namespace fs = std::filesystem;

namespace {

// A lock far beyond the end of any file: Windows locks are mandatory, and one over the data
// would make every other reader fail; one out there only excludes other lockers.
constexpr DWORD k_lock_offset_high = 0x40000000;

std::error_code from_windows(DWORD code)
{
    switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
        return std::make_error_code(std::errc::no_such_file_or_directory);
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        return std::make_error_code(std::errc::file_exists);
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
        return std::make_error_code(std::errc::permission_denied);
    case ERROR_LOCK_VIOLATION:
    case ERROR_IO_PENDING:
        return std::make_error_code(std::errc::resource_unavailable_try_again);
    case ERROR_INVALID_PARAMETER:
        return std::make_error_code(std::errc::invalid_argument);
    case ERROR_INVALID_FUNCTION:
    case ERROR_NOT_SUPPORTED:
        return std::make_error_code(std::errc::not_supported);
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA:
        return std::make_error_code(std::errc::broken_pipe);
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
        return std::make_error_code(std::errc::no_space_on_device);
    case ERROR_DIR_NOT_EMPTY:
        return std::make_error_code(std::errc::directory_not_empty);
    default:
        return {static_cast<int>(code), std::system_category()};
    }
}

std::unexpected<std::error_code> last_error()
{
    return std::unexpected(from_windows(::GetLastError()));
}

std::unexpected<std::error_code> last_crt_error()
{
    return std::unexpected(std::error_code(errno, std::generic_category()));
}

HANDLE handle_of(const Fd& fd)
{
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the C runtime keeps HANDLEs as intptr_t
    return reinterpret_cast<HANDLE>(::_get_osfhandle(fd.get()));
}

// A C runtime descriptor that owns `handle` (closed with it); closes the handle on failure.
Sys<Fd> adopt(HANDLE handle, int crt_flags)
{
    const int fd = ::_open_osfhandle(reinterpret_cast<intptr_t>(handle), crt_flags | _O_BINARY);
    if (fd < 0) {
        ::CloseHandle(handle);
        return std::unexpected(std::make_error_code(std::errc::too_many_files_open));
    }
    return Fd(fd);
}

std::int64_t to_int64(LARGE_INTEGER value)
{
    return value.QuadPart;
}

Sys<Entry> entry_of_handle(HANDLE handle)
{
    Entry out;
    const DWORD type = ::GetFileType(handle);
    if (type == FILE_TYPE_PIPE || type == FILE_TYPE_CHAR) {
        out.kind = Kind::other;
        return out;
    }
    BY_HANDLE_FILE_INFORMATION info{};
    if (::GetFileInformationByHandle(handle, &info) == 0) {
        return last_error();
    }
    out.kind = (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0U ? Kind::symlink
               : (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0U   ? Kind::directory
                                                                            : Kind::regular;
    out.size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32U) | info.nFileSizeLow;
    out.device = info.dwVolumeSerialNumber;
    out.inode = (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32U) | info.nFileIndexLow;
    FILE_BASIC_INFO basic{};
    if (::GetFileInformationByHandleEx(handle, FileBasicInfo, &basic, sizeof basic) != 0) {
        out.changed = to_int64(basic.ChangeTime) * 100; // 100 ns ticks
    }
    return out;
}

constexpr DWORD k_share_all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// FileDispositionInfoEx (Windows 10 1607 and later), which MinGW's headers declare only for
// builds that require that version: the name goes at once, as with POSIX unlink().
constexpr auto k_disposition_info_ex = static_cast<FILE_INFO_BY_HANDLE_CLASS>(21);
constexpr DWORD k_delete = 0x1;
constexpr DWORD k_posix_semantics = 0x2;

struct DispositionEx
{
    DWORD flags;
};

} // namespace

Sys<Entry> entry_at(const fs::path& path)
{
    // Opened for its attributes only, the link itself rather than its target.
    const HANDLE handle = ::CreateFileW(long_path(path).c_str(),
                                        FILE_READ_ATTRIBUTES,
                                        k_share_all,
                                        nullptr,
                                        OPEN_EXISTING,
                                        FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                                        nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        const std::error_code error = from_windows(::GetLastError());
        if (error == std::errc::no_such_file_or_directory) {
            return Entry{};
        }
        return std::unexpected(error);
    }
    auto entry = entry_of_handle(handle);
    ::CloseHandle(handle);
    return entry;
}

Sys<Entry> entry_of(const Fd& fd)
{
    return entry_of_handle(handle_of(fd));
}

bool still_named(const Fd& fd, const fs::path& path)
{
    const auto opened = entry_of(fd);
    const auto named = entry_at(path);
    return opened && named && named->kind != Kind::missing && opened->device == named->device
           && opened->inode == named->inode;
}

Sys<Fd> open_file(const fs::path& path, unsigned flags, unsigned mode)
{
    DWORD access = 0;
    int crt = 0;
    if ((flags & reading) != 0U) {
        access |= GENERIC_READ;
    }
    if ((flags & writing) != 0U) {
        access |= GENERIC_WRITE; // with append too: a partial download is truncated on a retry
        crt |= (flags & reading) != 0U ? _O_RDWR : _O_WRONLY;
        crt |= (flags & append) != 0U ? _O_APPEND : 0;
    } else {
        crt |= _O_RDONLY;
    }
    const DWORD disposition = (flags & create) == 0U      ? OPEN_EXISTING
                              : (flags & exclusive) != 0U ? CREATE_NEW
                                                          : OPEN_ALWAYS;
    DWORD attributes = FILE_ATTRIBUTE_NORMAL;
    if ((flags & no_follow) != 0U) {
        attributes |= FILE_FLAG_OPEN_REPARSE_POINT;
    }
    // Shared for deletion and renaming, as POSIX files are: a file being written can be
    // renamed into place while its lock is held.
    // A private file (0600) is private from its creation on, not after a later call.
    CreationSecurity security((flags & create) != 0U ? mode : 0644U);
    if (!security.ok()) {
        return std::unexpected(std::make_error_code(std::errc::permission_denied));
    }
    const HANDLE handle = ::CreateFileW(long_path(path).c_str(),
                                        access,
                                        k_share_all,
                                        security.get(),
                                        disposition,
                                        attributes,
                                        nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        return last_error();
    }
    if ((flags & no_follow) != 0U) {
        const auto entry = entry_of_handle(handle);
        if (!entry || entry->kind == Kind::symlink) {
            ::CloseHandle(handle);
            return std::unexpected(
                entry ? std::make_error_code(std::errc::too_many_symbolic_link_levels)
                      : entry.error());
        }
    }
    return adopt(handle, crt);
}

Sys<Fd> open_directory(const fs::path& path)
{
    const HANDLE handle = ::CreateFileW(long_path(path).c_str(),
                                        FILE_READ_ATTRIBUTES,
                                        k_share_all,
                                        nullptr,
                                        OPEN_EXISTING,
                                        FILE_FLAG_BACKUP_SEMANTICS,
                                        nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        return last_error();
    }
    return adopt(handle, _O_RDONLY);
}

Sys<> set_mode(const Fd& /*fd*/, unsigned /*mode*/)
{
    return {}; // no permission bits: the file has its directory's inherited ACL
}

Sys<Fd> duplicate(const Fd& fd)
{
    Fd out(::_dup(fd.get()));
    if (!out) {
        return last_crt_error();
    }
    return out;
}

namespace {

// Windows locks byte ranges of files only. A directory's lock is a named mutex instead, named
// after the directory's volume and file id (so every path to it finds the same one) in the
// machine-wide namespace (so runs in other sessions, services included, find it too). Windows
// abandons a mutex whose owner dies, and the next waiter gets it: a killed run leaves no lock.
// The mutexes held, by the descriptor of the directory they lock; close() releases them.
struct HeldDirectoryLocks
{
    std::mutex guard;
    std::map<int, HANDLE> by_fd;
};

HeldDirectoryLocks& held_directory_locks()
{
    static HeldDirectoryLocks held;
    return held;
}

Sys<Lock> try_lock_directory(const Fd& fd, const Entry& directory)
{
    const std::wstring name = L"Global\\airlock-directory-" + std::to_wstring(directory.device)
                              + L"-" + std::to_wstring(directory.inode);
    const HANDLE mutex = ::CreateMutexW(nullptr, FALSE, name.c_str());
    if (mutex == nullptr) {
        // Made by a run of another user, whose access list shuts this one out: it exists only
        // while that run holds or tries the lock.
        if (::GetLastError() == ERROR_ACCESS_DENIED) {
            return Lock::held;
        }
        return last_error();
    }
    const DWORD waited = ::WaitForSingleObject(mutex, 0);
    if (waited != WAIT_OBJECT_0 && waited != WAIT_ABANDONED) {
        ::CloseHandle(mutex);
        return waited == WAIT_TIMEOUT ? Sys<Lock>(Lock::held) : last_error();
    }
    HeldDirectoryLocks& held = held_directory_locks();
    const std::lock_guard lock(held.guard);
    held.by_fd[fd.get()] = mutex;
    return Lock::taken;
}

// A mutex belongs to the thread that took it, which is the one that closes the descriptor
// (FileLock is released where it was taken). Released by another thread, it stays owned until
// the taking thread ends, and is then abandoned to the next waiter.
void release_directory_lock(int fd) noexcept
{
    HeldDirectoryLocks& held = held_directory_locks();
    const std::lock_guard lock(held.guard);
    const auto found = held.by_fd.find(fd);
    if (found != held.by_fd.end()) {
        ::ReleaseMutex(found->second);
        ::CloseHandle(found->second);
        held.by_fd.erase(found);
    }
}

} // namespace

Sys<Lock> try_lock(const Fd& fd)
{
    if (const auto entry = entry_of(fd); entry && entry->kind == Kind::directory) {
        return try_lock_directory(fd, *entry);
    }
    OVERLAPPED where{};
    where.OffsetHigh = k_lock_offset_high;
    if (::LockFileEx(
            handle_of(fd), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &where)
        != 0) {
        return Lock::taken;
    }
    const DWORD code = ::GetLastError();
    if (code == ERROR_LOCK_VIOLATION || code == ERROR_IO_PENDING) {
        return Lock::held;
    }
    if (code == ERROR_INVALID_FUNCTION || code == ERROR_NOT_SUPPORTED) {
        return Lock::unsupported; // a file system without locks
    }
    return std::unexpected(from_windows(code));
}

Sys<> rename(const fs::path& from, const fs::path& to)
{
    // Windows has no directory sync: the rename's durability rests on the file system's
    // metadata journal (NTFS); write-through asks for it to be written before returning where
    // the file system honours that.
    if (::MoveFileExW(long_path(from).c_str(),
                      long_path(to).c_str(),
                      MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
        == 0) {
        return last_error();
    }
    return {};
}

Sys<> remove_file(const fs::path& path)
{
    // POSIX semantics: the name is free at once, even while the file is open (a staged file
    // still locked by its writer). Where the file system lacks them, the file is first renamed
    // to a hidden unique name, which frees the name the same way, then deleted when closed.
    const HANDLE handle = ::CreateFileW(long_path(path).c_str(),
                                        DELETE,
                                        k_share_all,
                                        nullptr,
                                        OPEN_EXISTING,
                                        FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS,
                                        nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
        return last_error();
    }
    DispositionEx posix{k_delete | k_posix_semantics};
    bool removed =
        ::SetFileInformationByHandle(handle, k_disposition_info_ex, &posix, sizeof posix) != 0;
    if (!removed) {
        static std::atomic<unsigned> removals{0};
        const fs::path aside = path.parent_path()
                               / (L".deleted-" + std::to_wstring(::GetCurrentProcessId()) + L"-"
                                  + std::to_wstring(removals.fetch_add(1)));
        removed = ::MoveFileExW(long_path(path).c_str(), long_path(aside).c_str(), 0) != 0
                  && ::DeleteFileW(long_path(aside).c_str()) != 0;
    }
    const DWORD code = ::GetLastError();
    ::CloseHandle(handle);
    if (!removed) {
        return std::unexpected(from_windows(code));
    }
    return {};
}

Sys<> remove_directory(const fs::path& path)
{
    if (::RemoveDirectoryW(long_path(path).c_str()) == 0) {
        return last_error();
    }
    return {};
}

Sys<> make_directory(const fs::path& path, unsigned /*mode*/)
{
    // The parent's inherited list: a private (0700) access list here would be inherited by
    // what is staged inside and moved into the store, which others must be able to read.
    if (::CreateDirectoryW(long_path(path).c_str(), nullptr) == 0) {
        return last_error();
    }
    return {};
}

bool set_direct_io(Fd& fd, bool on)
{
    // Unbuffered writes are a property of the handle: a new handle of the same file takes
    // over at the same position.
    const HANDLE old_handle = handle_of(fd);
    LARGE_INTEGER position{};
    if (::SetFilePointerEx(old_handle, LARGE_INTEGER{}, &position, FILE_CURRENT) == 0) {
        return false;
    }
    const HANDLE handle =
        ::ReOpenFile(old_handle, GENERIC_WRITE, k_share_all, on ? FILE_FLAG_NO_BUFFERING : 0);
    if (handle == INVALID_HANDLE_VALUE) {
        return false;
    }
    if (::SetFilePointerEx(handle, position, nullptr, FILE_BEGIN) == 0) {
        ::CloseHandle(handle);
        return false;
    }
    auto replaced = adopt(handle, _O_WRONLY);
    if (!replaced) {
        return false;
    }
    fd = std::move(*replaced);
    return true;
}

Sys<> truncate(const Fd& fd)
{
    const HANDLE handle = handle_of(fd);
    if (::SetFilePointerEx(handle, LARGE_INTEGER{}, nullptr, FILE_BEGIN) == 0
        || ::SetEndOfFile(handle) == 0) {
        return last_error();
    }
    return {};
}

Sys<bool> wait_readable(const Fd& fd, int milliseconds)
{
    const HANDLE handle = handle_of(fd);
    if (::GetFileType(handle) != FILE_TYPE_PIPE) {
        // A console: WaitForSingleObject tells when input is there.
        const DWORD waited = ::WaitForSingleObject(handle, static_cast<DWORD>(milliseconds));
        if (waited == WAIT_FAILED) {
            return last_error();
        }
        return waited == WAIT_OBJECT_0;
    }
    // Pipes cannot be waited on without overlapped I/O: look at intervals.
    constexpr int k_step_ms = 10;
    for (int waited = 0;; waited += k_step_ms) {
        DWORD available = 0;
        if (::PeekNamedPipe(handle, nullptr, 0, nullptr, &available, nullptr) == 0) {
            return true; // closed: the read sees the end
        }
        if (available > 0) {
            return true;
        }
        if (waited >= milliseconds) {
            return false;
        }
        ::Sleep(k_step_ms);
    }
}

Sys<> sync(const Fd& fd)
{
    if (::FlushFileBuffers(handle_of(fd)) == 0) {
        return last_error();
    }
    return {};
}

Sys<> sync_directory(const fs::path& /*dir*/)
{
    return {}; // nothing to call on Windows (see rename)
}

// Windows has no call that flushes one volume's files without administrator rights
// (FlushFileBuffers on a volume handle needs them): each file is flushed by itself.
bool can_sync_file_system()
{
    return false;
}

Sys<> sync_file_system(const Fd& /*fd*/)
{
    return std::unexpected(std::make_error_code(std::errc::not_supported));
}

Sys<std::size_t> read(const Fd& fd, std::span<char> buffer)
{
    const auto want = static_cast<unsigned>(std::min<std::size_t>(buffer.size(), INT_MAX));
    const int n = ::_read(fd.get(), buffer.data(), want);
    if (n < 0) {
        return last_crt_error();
    }
    return static_cast<std::size_t>(n);
}

Sys<std::size_t> write(const Fd& fd, std::span<const char> data)
{
    const auto want = static_cast<unsigned>(std::min<std::size_t>(data.size(), INT_MAX));
    const int n = ::_write(fd.get(), data.data(), want);
    if (n < 0) {
        return last_crt_error();
    }
    return static_cast<std::size_t>(n);
}

void close(int fd) noexcept
{
    release_directory_lock(fd);
    ::_close(fd);
}

std::string message(const std::error_code& error)
{
    if (error.category() == std::generic_category()) {
        return std::strerror(error.value());
    }
    return windows_message(static_cast<DWORD>(error.value()));
}

} // namespace airlock::os
