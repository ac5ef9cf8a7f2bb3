// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::cli {

// Defaults for options that stay the same on one host: from the command line first, then the
// environment, then the configuration file (docs/usage.md, "Configuration").
enum class Setting {
    store,               // --to / --store            AIRLOCK_STORE
    trusted_keys_dir,    // --trusted-keys-dir        AIRLOCK_TRUSTED_KEYS_DIR
    cert_dir,            // --cert-dir                AIRLOCK_CERT_DIR
    insecure_registries, // --insecure-registry       AIRLOCK_INSECURE_REGISTRIES (comma list)
    auth_file,           // --authfile                REGISTRY_AUTH_FILE
};

class Settings
{
  public:
    // Reads the configuration file: `config` (--config) or $AIRLOCK_CONFIG when given (then it
    // must exist), else $XDG_CONFIG_HOME/airlock/airlock.conf (~/.config/...) or
    // /etc/airlock/airlock.conf, the first that exists; none is fine. Errc::usage for a
    // malformed file or an unknown key, naming file and line; Errc::not_found, Errc::io.
    static Result<Settings> load(const std::string& config);

    // `given` when not empty, else the environment's, else the file's value; may be empty.
    std::string value(std::string_view given, Setting setting) const;

    // Every value: `given`, the environment's (comma-separated) and the file's.
    std::vector<std::string> values(const std::vector<std::string>& given, Setting setting) const;

    // The OCI store images, inventory and status read: `given`, else the setting, else the
    // default store. Errc::usage for a store that is not oci:DIR.
    Result<std::filesystem::path> oci_store(std::string_view given) const;

    // Where the value of `setting` comes from when not from the command line (`given` empty):
    // the environment variable's name or FILE:LINE; empty when given or not set.
    std::string origin(std::string_view given, Setting setting) const;

    // `error`, when it names the value of `setting`, saying where that value came from when
    // it was not typed on the command line, so that a bad AIRLOCK_STORE is not a mystery.
    Error blame(Error error, std::string_view given, Setting setting) const;

    // The file read; empty when there was none.
    const std::string& file() const
    {
        return m_file;
    }

  private:
    std::string m_file;
    std::map<Setting, std::vector<std::string>> m_values;
    std::map<Setting, std::size_t> m_lines; // of each value in the file
};

// The file key and environment variable of `setting`.
std::string_view setting_key(Setting setting);
const char* setting_env(Setting setting);

} // namespace airlock::cli
