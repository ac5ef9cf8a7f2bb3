// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "settings.hpp"

#include <airlock/registry/options.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace airlock::cli {

// --creds, --authfile, --cert-dir, --insecure-registry: how registries are reached, the same
// for pulling (pack) and pushing (import --to docker://).
struct RegistryFlags
{
    std::string creds;
    std::string auth_file;
    std::string cert_dir;
    std::vector<std::string> insecure;
    bool password_stdin = false; // --creds names the user; the password is stdin's first line
};

void add_registry_flags(CLI::App& command, RegistryFlags& flags);

// Copies the flags into `options`, with the host's settings for what they do not say; reads the
// password from stdin for --password-stdin. Errc::usage.
Result<> apply_registry_flags(const RegistryFlags& flags,
                              const Settings& settings,
                              registry::RegistryOptions& options);

} // namespace airlock::cli
