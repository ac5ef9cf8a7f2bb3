// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/paths.hpp>

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <system_error>

namespace airlock {

namespace {

// $VARIABLE when it holds an absolute path, else ~/fallback (XDG base directory rules).
std::filesystem::path xdg_dir(const char* variable, const char* fallback)
{
    if (const char* value = std::getenv(variable); value != nullptr && *value == '/') {
        return value;
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr && *home != '\0' ? home : "/") / fallback;
}

} // namespace

std::filesystem::path data_dir()
{
    if (::geteuid() == 0) {
        return system_data_dir();
    }
    return xdg_dir("XDG_DATA_HOME", ".local/share") / "airlock";
}

std::filesystem::path system_data_dir()
{
    return "/var/lib/airlock";
}

std::filesystem::path cache_dir()
{
    return xdg_dir("XDG_CACHE_HOME", ".cache") / "airlock";
}

std::filesystem::path system_config_dir()
{
    return "/etc/airlock";
}

std::filesystem::path user_config_dir()
{
    return xdg_dir("XDG_CONFIG_HOME", ".config") / "airlock";
}

std::string_view user_config_dir_shown()
{
    return "~/.config/airlock";
}

std::filesystem::path system_ca_bundle()
{
    if (const char* file = std::getenv("SSL_CERT_FILE"); file != nullptr && *file != '\0') {
        return file;
    }
    static constexpr std::array<const char*, 5> k_bundles = {
        "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu (and Gentoo, Arch)
        "/etc/pki/tls/certs/ca-bundle.crt",                  // RHEL, Fedora, CentOS
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL, Fedora
        "/etc/ssl/ca-bundle.pem",                            // SUSE
        "/etc/ssl/cert.pem",                                 // Alpine
    };
    for (const char* bundle : k_bundles) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(bundle, ec)) {
            return bundle;
        }
    }
    return {};
}

} // namespace airlock
