// SPDX-License-Identifier: Apache-2.0
// The functions of file.hpp that only POSIX systems have in this form.
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace airlock {

namespace fs = std::filesystem;

bool files_have_permission_bits()
{
    return true;
}

Result<> refuse_writable_by_others(const fs::path& path, const TrustedPath& why)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) {
        return fail(Errc::io,
                    str_cat("cannot inspect ", path.string(), ": ", std::strerror(errno)));
    }
    const uid_t me = ::geteuid();
    if (info.st_uid != me && info.st_uid != 0) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " belongs to uid ",
                            info.st_uid,
                            ", neither you (uid ",
                            me,
                            ") nor root, so its owner could ",
                            why.consequence,
                            "; take it over (chown) or ",
                            why.alternative));
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " is writable by other users, who could ",
                            why.consequence,
                            "; run: chmod go-w ",
                            path.string()));
    }
    return {};
}

} // namespace airlock
