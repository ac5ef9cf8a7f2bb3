// SPDX-License-Identifier: Apache-2.0
// LD_PRELOAD library for the crash-consistency test: counts the process's file-system mutating
// calls and makes the N-th one fail or kills the process right before it.
//   AIRLOCK_FAULT_AT=N           1-based index of the call to fault (unset: only count)
//   AIRLOCK_FAULT=eio|enospc|kill  fail that call with EIO / ENOSPC (doing nothing), or SIGKILL
//   AIRLOCK_FAULT_LOG=FILE       appends "N CALL PATH-or-fd" when the fault fires, and
//                                "total N" at a normal exit (SIGKILL skips that, as it should)
//   AIRLOCK_FAULT_READ=SUFFIX    every read(2) of a file whose path ends with SUFFIX fails with
//                                EIO, as a failing medium does (independent of the count)
// Only calls that change the file system count: opens with a writing or creating flag, writes
// to regular files (not stdout, pipes or sockets), renames, links, removals, directory
// creation, syncs, truncation and mode changes. flock() does not count: a lock changes nothing.
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE // the wrappers redefine open(), which fortify turns into a macro
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_ulong calls;
static pthread_once_t configured = PTHREAD_ONCE_INIT;
static unsigned long fault_at; // 0: never
static int fault_errno;        // 0: kill
static const char* log_path;
// Set on a thread while it is inside dlsym(): dlsym may allocate, and an allocator or loader
// that writes files would land back here before the real function is known.
static _Thread_local int resolving;

// Read once, by whichever thread makes the first call (it may come before any constructor).
static void read_environment(void)
{
    const char* at = getenv("AIRLOCK_FAULT_AT");
    const char* mode = getenv("AIRLOCK_FAULT");
    log_path = getenv("AIRLOCK_FAULT_LOG");
    fault_at = at ? strtoul(at, NULL, 10) : 0;
    if (mode && strcmp(mode, "enospc") == 0) {
        fault_errno = ENOSPC;
    } else if (mode && strcmp(mode, "kill") == 0) {
        fault_errno = 0;
    } else {
        fault_errno = EIO;
    }
}

static void configure(void)
{
    pthread_once(&configured, read_environment);
}

static void* next(const char* name)
{
    resolving = 1;
    void* fn = dlsym(RTLD_NEXT, name);
    resolving = 0;
    return fn;
}

// The real function, looked up once. While a lookup is running on this thread the pointer is
// NULL and the call fails with ENOSYS instead of recursing.
#define REAL(name)                                                                                 \
    static __typeof__(name)* _Atomic real_##name;                                                  \
    if (!real_##name && !resolving) {                                                              \
        real_##name = (__typeof__(name)*)next(#name);                                              \
    }                                                                                              \
    if (!real_##name) {                                                                            \
        errno = ENOSYS;                                                                            \
        return -1;                                                                                 \
    }

static void log_line(const char* text)
{
    if (!log_path) {
        return;
    }
    // The real open/write, so logging neither counts nor faults.
    __typeof__(open)* real_open = (__typeof__(open)*)next("open");
    __typeof__(write)* real_write = (__typeof__(write)*)next("write");
    const int fd =
        real_open ? real_open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    if (fd >= 0 && real_write) {
        (void)!real_write(fd, text, strlen(text));
    }
    if (fd >= 0) {
        close(fd);
    }
}

// Counts one mutating call; returns 0 to go ahead, or -1 (errno set) when this call is the
// fault. `path` names the file, or is NULL for a call on `fd`.
static int count(const char* call, const char* path, const char* path2, int fd)
{
    if (resolving) {
        return 0;
    }
    configure();
    const unsigned long n = atomic_fetch_add(&calls, 1) + 1;
    if (n != fault_at) {
        return 0;
    }
    char where[4096 + 32];
    if (!path) {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        const ssize_t len = readlink(link, where, sizeof where - 1);
        if (len > 0) {
            where[len] = '\0';
        } else {
            snprintf(where, sizeof where, "fd=%d", fd);
        }
        path = where;
    }
    char line[2 * 4096 + 128];
    snprintf(
        line, sizeof line, "%lu %s %s%s%s\n", n, call, path, path2 ? " " : "", path2 ? path2 : "");
    log_line(line);
    if (fault_errno == 0) {
        raise(SIGKILL);
    }
    errno = fault_errno;
    return -1;
}

__attribute__((destructor)) static void report_total(void)
{
    configure();
    char line[64];
    snprintf(line, sizeof line, "total %lu\n", atomic_load(&calls));
    log_line(line);
}

static int writes(int flags)
{
    return (flags & (O_CREAT | O_WRONLY | O_RDWR | O_TRUNC)) != 0;
}

// Writes count only on regular files: stdout, stderr, pipes and sockets are not the store.
static int regular(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// open(2) and friends take a mode only with O_CREAT or O_TMPFILE.
#define MODE_ARG(flags)                                                                            \
    mode_t mode = 0;                                                                               \
    if ((flags) & (O_CREAT | __O_TMPFILE)) {                                                       \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode = va_arg(ap, mode_t);                                                                 \
        va_end(ap);                                                                                \
    }

#define OPEN_LIKE(name, ...)                                                                       \
    {                                                                                              \
        REAL(name);                                                                                \
        MODE_ARG(flags);                                                                           \
        if (writes(flags) && count(#name, path, NULL, -1) != 0) {                                  \
            return -1;                                                                             \
        }                                                                                          \
        return real_##name(__VA_ARGS__, flags, mode);                                              \
    }
// clang-format off: one line per wrapper.
int open(const char* path, int flags, ...) OPEN_LIKE(open, path)
int open64(const char* path, int flags, ...) OPEN_LIKE(open64, path)
int openat(int dir, const char* path, int flags, ...) OPEN_LIKE(openat, dir, path)
int openat64(int dir, const char* path, int flags, ...) OPEN_LIKE(openat64, dir, path)
// clang-format on

// A call counted whenever it is made: NAME(PARAMS) on PATH (or fd FD), forwarding ARGS.
#define ALWAYS(type, name, params, args, path, path2, fd)                                          \
    type name params                                                                               \
    {                                                                                              \
        REAL(name);                                                                                \
        if (count(#name, path, path2, fd) != 0) {                                                  \
            return -1;                                                                             \
        }                                                                                          \
        return real_##name args;                                                                   \
    }
// A write, counted only on a regular file.
#define WRITE(name, params, args)                                                                  \
    ssize_t name params                                                                            \
    {                                                                                              \
        REAL(name);                                                                                \
        if (regular(fd) && count(#name, NULL, NULL, fd) != 0) {                                    \
            return -1;                                                                             \
        }                                                                                          \
        return real_##name args;                                                                   \
    }

// A read of the file named by AIRLOCK_FAULT_READ fails with EIO, like a bad sector.
ssize_t read(int fd, void* buf, size_t n)
{
    REAL(read);
    const char* suffix = resolving ? NULL : getenv("AIRLOCK_FAULT_READ");
    if (suffix && *suffix) {
        char link[64];
        char target[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        const ssize_t len = readlink(link, target, sizeof target - 1);
        const size_t want = strlen(suffix);
        if (len >= (ssize_t)want && memcmp(target + len - want, suffix, want) == 0) {
            errno = EIO;
            return -1;
        }
    }
    return real_read(fd, buf, n);
}

// clang-format off
WRITE(write, (int fd, const void* buf, size_t n), (fd, buf, n))
WRITE(pwrite, (int fd, const void* buf, size_t n, off_t at), (fd, buf, n, at))
WRITE(pwrite64, (int fd, const void* buf, size_t n, off64_t at), (fd, buf, n, at))
WRITE(writev, (int fd, const struct iovec* iov, int n), (fd, iov, n))
ALWAYS(int, creat, (const char* p, mode_t m), (p, m), p, NULL, -1)
ALWAYS(int, rename, (const char* a, const char* b), (a, b), a, b, -1)
ALWAYS(int, renameat, (int da, const char* a, int db, const char* b), (da, a, db, b), a, b, -1)
ALWAYS(int, renameat2, (int da, const char* a, int db, const char* b, unsigned f), (da, a, db, b, f), a, b, -1)
ALWAYS(int, link, (const char* a, const char* b), (a, b), a, b, -1)
ALWAYS(int, linkat, (int da, const char* a, int db, const char* b, int f), (da, a, db, b, f), a, b, -1)
ALWAYS(int, symlink, (const char* a, const char* b), (a, b), b, NULL, -1)
ALWAYS(int, unlink, (const char* p), (p), p, NULL, -1)
ALWAYS(int, unlinkat, (int d, const char* p, int f), (d, p, f), p, NULL, -1)
// libstdc++'s std::filesystem::remove and remove_all call remove(3), whose unlink/rmdir inside
// glibc never reach the wrappers above.
ALWAYS(int, remove, (const char* p), (p), p, NULL, -1)
ALWAYS(int, mkdir, (const char* p, mode_t m), (p, m), p, NULL, -1)
ALWAYS(int, mkdirat, (int d, const char* p, mode_t m), (d, p, m), p, NULL, -1)
ALWAYS(int, rmdir, (const char* p), (p), p, NULL, -1)
ALWAYS(int, fsync, (int fd), (fd), NULL, NULL, fd)
ALWAYS(int, fdatasync, (int fd), (fd), NULL, NULL, fd)
ALWAYS(int, syncfs, (int fd), (fd), NULL, NULL, fd)
ALWAYS(int, ftruncate, (int fd, off_t n), (fd, n), NULL, NULL, fd)
ALWAYS(int, truncate, (const char* p, off_t n), (p, n), p, NULL, -1)
ALWAYS(int, fchmod, (int fd, mode_t m), (fd, m), NULL, NULL, fd)
// clang-format on
