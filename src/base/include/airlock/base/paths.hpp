// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>

namespace airlock {

// Where airlock keeps what lasts (stores, channel ledgers): /var/lib/airlock as root, else
// $XDG_DATA_HOME/airlock (default ~/.local/share/airlock).
std::filesystem::path data_dir();

// The data directory of the system's own store, /var/lib/airlock, used by root.
std::filesystem::path system_data_dir();

// Where airlock keeps what can be rebuilt (blob cache, push record): $XDG_CACHE_HOME/airlock
// (default ~/.cache/airlock).
std::filesystem::path cache_dir();

// Where the host's settings (airlock.conf) and trusted keys live: /etc/airlock; on Windows
// %ProgramData%\airlock, beside the machine's store.
std::filesystem::path system_config_dir();

// Where the user's settings live: $XDG_CONFIG_HOME/airlock (default ~/.config/airlock); on
// Windows %APPDATA%\airlock (empty when that is not set).
std::filesystem::path user_config_dir();

// user_config_dir() as help texts write it, the same for every user: "~/.config/airlock";
// "%APPDATA%\airlock" on Windows.
std::string_view user_config_dir_shown();

// The system's bundle of trusted CA certificates for TLS: $SSL_CERT_FILE when set, else the first
// of the distributions' usual bundle files that exists (Debian/Ubuntu, RHEL/Fedora, SUSE,
// Alpine); empty when there is none. A static binary carries no CA path that fits every system.
// On Windows empty unless $SSL_CERT_FILE is set: the system's certificate store is used.
std::filesystem::path system_ca_bundle();

} // namespace airlock
