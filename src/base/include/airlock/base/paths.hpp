// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

namespace airlock {

// Where airlock keeps what lasts (stores, channel ledgers): /var/lib/airlock as root, else
// $XDG_DATA_HOME/airlock (default ~/.local/share/airlock).
std::filesystem::path data_dir();

// The data directory of the system's own store, /var/lib/airlock, used by root.
std::filesystem::path system_data_dir();

// Where airlock keeps what can be rebuilt (blob cache, push record): $XDG_CACHE_HOME/airlock
// (default ~/.cache/airlock).
std::filesystem::path cache_dir();

} // namespace airlock
