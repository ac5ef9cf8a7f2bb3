// SPDX-License-Identifier: Apache-2.0
#include "os.hpp"

#include <airlock/base/batched_sync.hpp>
#include <airlock/base/str_cat.hpp>

namespace airlock {

namespace fs = std::filesystem;

BatchedSync::BatchedSync(fs::path dir, std::optional<Fd> fd)
    : m_dir(std::move(dir))
    , m_fd(std::move(fd))
{
}

Result<BatchedSync> BatchedSync::begin(const fs::path& dir)
{
    if (!os::can_sync_file_system()) {
        return BatchedSync(dir, std::nullopt);
    }
    auto fd = os::open_directory(dir);
    if (!fd) {
        return fail(Errc::io,
                    str_cat("cannot open directory ", dir.string(), ": ", os::message(fd.error())));
    }
    return BatchedSync(dir, std::move(*fd));
}

Result<> BatchedSync::commit()
{
    if (!m_fd) {
        return {};
    }
    if (auto synced = os::sync_file_system(*m_fd); !synced) {
        return fail(Errc::io,
                    str_cat("cannot sync the files written to ",
                            m_dir.string(),
                            ": ",
                            os::message(synced.error())));
    }
    return {};
}

} // namespace airlock
