// SPDX-License-Identifier: Apache-2.0
#include "registry_flags.hpp"

namespace airlock::cli {

void add_registry_flags(CLI::App& command, RegistryFlags& flags)
{
    command.add_option("--creds", flags.creds, "USER:PASSWORD for the registries");
    command.add_option(
        "--authfile",
        flags.auth_file,
        "Docker-style auth file (default $DOCKER_CONFIG/config.json, ~/.docker/config.json)");
    command.add_option("--cert-dir",
                       flags.cert_dir,
                       "Directory of HOST[:PORT]/ca.crt files (also /etc/docker/certs.d)");
    command.add_option("--insecure-registry",
                       flags.insecure,
                       "HOST[:PORT] reachable by plain HTTP or unverified TLS; repeatable");
}

void apply_registry_flags(const RegistryFlags& flags, registry::RegistryOptions& options)
{
    options.creds = flags.creds;
    options.auth_file = flags.auth_file;
    options.cert_dir = flags.cert_dir;
    options.insecure.insert(flags.insecure.begin(), flags.insecure.end());
}

} // namespace airlock::cli
