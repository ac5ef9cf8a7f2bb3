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

// The system's bundle of trusted CA certificates for TLS: $SSL_CERT_FILE when set, else the first
// of the distributions' usual bundle files that exists (Debian/Ubuntu, RHEL/Fedora, SUSE,
// Alpine); empty when there is none. A static binary carries no CA path that fits every system.
std::filesystem::path system_ca_bundle();

} // namespace airlock
