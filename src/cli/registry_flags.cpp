// SPDX-License-Identifier: Apache-2.0
#include "registry_flags.hpp"

#include "value_names.hpp"

#include <iostream>

namespace airlock::cli {

void add_registry_flags(CLI::App& command, RegistryFlags& flags)
{
    command.add_option("--creds",
                       flags.creds,
                       "USER:PASSWORD for the registries (visible in ps: "
                       "prefer --password-stdin or an auth file)");
    command.add_flag("--password-stdin",
                     flags.password_stdin,
                     "Read the password from stdin; --creds gives only the USER");
    command
        .add_option(
            "--authfile",
            flags.auth_file,
            "Docker-style auth file (default $REGISTRY_AUTH_FILE, $DOCKER_CONFIG/config.json, "
            "~/.docker/config.json)")
        ->type_name(value_name::file);
    command
        .add_option("--cert-dir",
                    flags.cert_dir,
                    "Directory of HOST[:PORT]/ca.crt files (also /etc/docker/certs.d)")
        ->type_name(value_name::directory);
    command.add_option("--insecure-registry",
                       flags.insecure,
                       "HOST[:PORT] reachable by plain HTTP or unverified TLS; repeatable");
}

Result<> apply_registry_flags(const RegistryFlags& flags,
                              const Settings& settings,
                              registry::RegistryOptions& options)
{
    options.creds = flags.creds;
    if (flags.password_stdin) {
        if (flags.creds.empty() || flags.creds.find(':') != std::string::npos) {
            return fail(Errc::usage, "--password-stdin needs --creds USER (the user name alone)");
        }
        std::string password;
        std::getline(std::cin, password);
        if (!password.empty() && password.back() == '\r') {
            password.pop_back();
        }
        if (password.empty()) {
            return fail(Errc::usage, "--password-stdin: stdin held no password");
        }
        options.creds = flags.creds + ":" + password;
    }
    options.auth_file = settings.value(flags.auth_file, Setting::auth_file);
    options.cert_dir = settings.value(flags.cert_dir, Setting::cert_dir);
    const auto insecure = settings.values(flags.insecure, Setting::insecure_registries);
    options.insecure.insert(insecure.begin(), insecure.end());
    return {};
}

} // namespace airlock::cli
