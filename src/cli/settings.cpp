// SPDX-License-Identifier: Apache-2.0
#include "settings.hpp"

#include "usage_errors.hpp"

#include <airlock/base/config_file.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <array>
#include <cstdlib>
#include <filesystem>

namespace airlock::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::array k_settings = {Setting::store,
                                   Setting::trusted_keys_dir,
                                   Setting::cert_dir,
                                   Setting::insecure_registries,
                                   Setting::auth_file};

std::string env(const char* name)
{
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

// Which file to read, if any.
Result<std::string> config_path(const std::string& given)
{
    std::string named = given.empty() ? env("AIRLOCK_CONFIG") : given;
    std::error_code ec;
    if (!named.empty()) {
        if (!fs::exists(named, ec)) {
            return fail(Errc::not_found, str_cat("configuration file ", named, " does not exist"));
        }
        if (!fs::is_regular_file(named, ec)) {
            return fail(Errc::usage,
                        str_cat("configuration file ", named, " is not a regular file"));
        }
        return named;
    }
    const fs::path user = user_config_dir();
    for (const fs::path& candidate : {user.empty() ? fs::path() : user / "airlock.conf",
                                      system_config_dir() / "airlock.conf"}) {
        if (!candidate.empty() && fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
    }
    return std::string();
}

std::vector<std::string> split_commas(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) {
            out.push_back(std::move(item));
        }
        start = comma + 1;
    }
    return out;
}

} // namespace

std::string_view setting_key(Setting setting)
{
    switch (setting) {
    case Setting::store:
        return "store";
    case Setting::trusted_keys_dir:
        return "trusted-keys-dir";
    case Setting::cert_dir:
        return "cert-dir";
    case Setting::insecure_registries:
        return "insecure-registries";
    case Setting::auth_file:
        return "authfile";
    }
    return "store";
}

const char* setting_env(Setting setting)
{
    switch (setting) {
    case Setting::store:
        return "AIRLOCK_STORE";
    case Setting::trusted_keys_dir:
        return "AIRLOCK_TRUSTED_KEYS_DIR";
    case Setting::cert_dir:
        return "AIRLOCK_CERT_DIR";
    case Setting::insecure_registries:
        return "AIRLOCK_INSECURE_REGISTRIES";
    case Setting::auth_file:
        return "REGISTRY_AUTH_FILE";
    }
    return "AIRLOCK_STORE";
}

Result<Settings> Settings::load(const std::string& config)
{
    Settings out;
    AIRLOCK_TRY_ASSIGN(out.m_file, config_path(config));
    if (out.m_file.empty()) {
        return out;
    }
    // The file chooses the trusted keys: one another user may change would let them choose
    // what root imports (sudo -E keeps HOME, and with it ~/.config).
    AIRLOCK_TRY(refuse_writable_by_others(
        out.m_file, TrustedPath{"choose your settings", "name another file with --config"}));
    auto text = read_file(out.m_file, k_max_config);
    if (!text) {
        return std::unexpected(text.error().code == Errc::format
                                   ? Error{Errc::usage,
                                           str_cat(out.m_file,
                                                   ": larger than ",
                                                   k_max_config,
                                                   " bytes; a settings file is a few lines"),
                                           {}}
                                   : text.error());
    }
    AIRLOCK_TRY_ASSIGN(const std::vector<ConfigEntry> entries, parse_config(*text, out.m_file));
    std::vector<std::string> keys;
    for (const Setting s : k_settings) {
        keys.emplace_back(setting_key(s));
    }
    for (const auto& entry : entries) {
        const auto known = std::find(keys.begin(), keys.end(), entry.key);
        if (known == keys.end()) {
            const std::string near = nearest(entry.key, keys);
            return fail(Errc::usage,
                        str_cat(out.m_file,
                                ":",
                                entry.line,
                                ": unknown setting '",
                                entry.key,
                                "'",
                                near.empty() ? "" : str_cat("; did you mean '", near, "'?"),
                                " (known: store, trusted-keys-dir, cert-dir, "
                                "insecure-registries, authfile)"));
        }
        const Setting setting = k_settings.at(static_cast<std::size_t>(known - keys.begin()));
        if (setting != Setting::insecure_registries && entry.values.size() != 1) {
            return fail(
                Errc::usage,
                str_cat(out.m_file, ":", entry.line, ": '", entry.key, "' takes one value"));
        }
        if (const auto first = out.m_lines.find(setting); first != out.m_lines.end()) {
            return fail(Errc::usage,
                        str_cat(out.m_file,
                                ":",
                                entry.line,
                                ": '",
                                entry.key,
                                "' is set twice (first on line ",
                                first->second,
                                "); keep one"));
        }
        out.m_values[setting] = entry.values;
        out.m_lines[setting] = entry.line;
    }
    return out;
}

std::string Settings::origin(std::string_view given, Setting setting) const
{
    if (!given.empty()) {
        return {};
    }
    if (!env(setting_env(setting)).empty()) {
        return setting_env(setting);
    }
    const auto line = m_lines.find(setting);
    return line == m_lines.end() ? std::string() : str_cat(m_file, ":", line->second);
}

Error Settings::blame(Error error, std::string_view given, Setting setting) const
{
    // Only an error about that very value: not one about a key file or a DOCKER_HOST.
    const std::string from = origin(given, setting);
    const std::string used = value(given, setting);
    if (!from.empty() && !used.empty() && error.message.find(used) != std::string::npos) {
        error.message += str_cat(" (", setting_key(setting), " is set by ", from, ")");
    }
    return error;
}

std::string Settings::value(std::string_view given, Setting setting) const
{
    if (!given.empty()) {
        return std::string(given);
    }
    if (std::string from_env = env(setting_env(setting)); !from_env.empty()) {
        return from_env;
    }
    const auto found = m_values.find(setting);
    return found == m_values.end() || found->second.empty() ? "" : found->second.front();
}

Result<fs::path> Settings::oci_store(std::string_view given) const
{
    const std::string spec = value(given, Setting::store);
    if (spec.empty()) {
        return unpack::default_store_path();
    }
    auto root = unpack::parse_store_spec(spec);
    if (!root) {
        return std::unexpected(blame(std::move(root.error()), given, Setting::store));
    }
    return root;
}

std::vector<std::string> Settings::values(const std::vector<std::string>& given,
                                          Setting setting) const
{
    std::vector<std::string> out = given;
    for (auto& value : split_commas(env(setting_env(setting)))) {
        out.push_back(std::move(value));
    }
    if (const auto found = m_values.find(setting); found != m_values.end()) {
        out.insert(out.end(), found->second.begin(), found->second.end());
    }
    return out;
}

} // namespace airlock::cli
