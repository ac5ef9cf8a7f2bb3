// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

namespace airlock {

// Where airlock keeps what lasts (stores, channel ledgers): /var/lib/airlock as root, else
// $XDG_DATA_HOME/airlock (default ~/.local/share/airlock).
std::filesystem::path data_dir();

// Where airlock keeps what can be rebuilt (blob cache, push record): $XDG_CACHE_HOME/airlock
// (default ~/.cache/airlock).
std::filesystem::path cache_dir();

} // namespace airlock
