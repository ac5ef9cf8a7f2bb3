// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/encoding.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/registry/credentials.hpp>

#include <cstdlib>

namespace airlock::registry {

namespace fs = std::filesystem;

namespace {

Result<std::optional<Credentials>> split_creds(std::string_view text, std::string_view source)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return fail(Errc::usage, str_cat(source, ": credentials must be USER:PASSWORD"));
    }
    return Credentials{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::vector<fs::path> auth_files(const RegistryOptions& options)
{
    if (!options.auth_file.empty()) {
        return {options.auth_file};
    }
    std::vector<fs::path> files;
    if (const char* dir = std::getenv("DOCKER_CONFIG"); dir != nullptr && *dir != '\0') {
        files.emplace_back(fs::path(dir) / "config.json");
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        files.emplace_back(fs::path(home) / ".docker" / "config.json");
    }
    return files;
}

} // namespace

fs::path default_cache_dir()
{
    return cache_dir();
}

Result<std::optional<Credentials>> find_credentials(const RegistryOptions& options,
                                                    const std::string& host)
{
    if (!options.creds.empty()) {
        return split_creds(options.creds, "--creds");
    }
    std::vector<std::string> keys = {host, "https://" + host, "http://" + host};
    if (host == "docker.io" || host == "registry-1.docker.io") {
        keys.insert(keys.end(),
                    {"https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io"});
    }
    for (const auto& file : auth_files(options)) {
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            if (file == options.auth_file) {
                return fail(Errc::not_found,
                            str_cat("auth file ", file.string(), " does not exist"));
            }
            continue;
        }
        AIRLOCK_TRY_ASSIGN(const std::string text, read_file(file, 4U << 20U));
        AIRLOCK_TRY_ASSIGN(const nlohmann::json doc,
                           manifest::parse_bounded_json(text, file.string()));
        const auto auths = doc.is_object() ? doc.find("auths") : doc.end();
        if (auths == doc.end() || !auths->is_object()) {
            continue;
        }
        for (const auto& key : keys) {
            const auto entry = auths->find(key);
            if (entry == auths->end() || !entry->is_object()) {
                continue;
            }
            if (const auto auth = entry->find("auth"); auth != entry->end() && auth->is_string()) {
                auto decoded = base64_decode(auth->get<std::string>());
                if (!decoded) {
                    return fail(
                        Errc::format,
                        str_cat(file.string(), ": the auth entry for ", key, " is not base64"));
                }
                return split_creds(*decoded, file.string());
            }
            const auto user = entry->find("username");
            const auto pass = entry->find("password");
            if (user != entry->end() && pass != entry->end() && user->is_string()
                && pass->is_string()) {
                return Credentials{user->get<std::string>(), pass->get<std::string>()};
            }
        }
    }
    return std::optional<Credentials>{};
}

} // namespace airlock::registry
