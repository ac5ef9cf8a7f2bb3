// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/str_cat.hpp>

#include <chrono>
#include <thread>

namespace airlock {

namespace {

// How often a waiting run looks again: the latency of both getting a freed lock and of Ctrl-C.
constexpr auto k_poll_interval = std::chrono::milliseconds(100);

enum class Locked { yes, unsupported };

// Polls rather than blocking: a signal wakes a blocked flock() only when it is delivered to this
// very thread, and not if it lands just before the call.
Result<Locked> wait_for_lock(const Fd& fd,
                             const std::filesystem::path& path,
                             Reporter* reporter,
                             std::string_view holder)
{
    bool said = false;
    while (true) {
        const auto lock = os::try_lock(fd);
        if (!lock) {
            return fail(Errc::io,
                        str_cat("cannot lock ", path.string(), ": ", os::message(lock.error())));
        }
        if (*lock == os::Lock::unsupported) {
            return Locked::unsupported;
        }
        if (*lock == os::Lock::taken) {
            break;
        }
        if (!said && reporter != nullptr) {
            reporter->info(str_cat("waiting for ",
                                   holder.empty() ? std::string_view("another airlock") : holder,
                                   " to finish (lock ",
                                   path.string(),
                                   ")"));
            said = true;
        }
        AIRLOCK_TRY(check_cancel());
        std::this_thread::sleep_for(k_poll_interval);
        AIRLOCK_TRY(check_cancel());
    }
    // A signal that came while the lock was being taken still wins: a run told to stop must
    // not go on to change the store because the lock happened to come free at that moment.
    AIRLOCK_TRY(check_cancel());
    return Locked::yes;
}

} // namespace

Result<FileLock>
FileLock::acquire(const std::filesystem::path& path, Reporter* reporter, std::string_view holder)
{
    while (true) {
        AIRLOCK_TRY(check_cancel());
        auto opened = os::open_file(path, os::reading | os::writing | os::create | os::no_follow);
        if (!opened) {
            return fail(
                Errc::io,
                str_cat(
                    "cannot open lock file ", path.string(), ": ", os::message(opened.error())));
        }
        Fd owned = std::move(*opened);
        AIRLOCK_TRY_ASSIGN(const Locked locked, wait_for_lock(owned, path, reporter, holder));
        if (locked == Locked::unsupported) {
            return fail(
                Errc::io,
                str_cat("cannot lock ", path.string(), ": its file system has no file locks"));
        }
        // The holder may have removed the lock file before releasing it (the blob cache does):
        // then this lock guards nothing and a newcomer may hold one on a new file of that name.
        if (os::still_named(owned, path)) {
            return FileLock(std::move(owned));
        }
    }
}

Result<FileLock> FileLock::acquire_directory(const std::filesystem::path& path,
                                             Reporter* reporter,
                                             std::string_view holder)
{
    AIRLOCK_TRY(check_cancel());
    auto opened = os::open_directory(path);
    if (!opened) {
        return fail(
            Errc::io,
            str_cat("cannot open directory ", path.string(), ": ", os::message(opened.error())));
    }
    Fd owned = std::move(*opened);
    AIRLOCK_TRY_ASSIGN(const Locked locked, wait_for_lock(owned, path, reporter, holder));
    return FileLock(locked == Locked::yes ? std::move(owned) : Fd());
}

} // namespace airlock
