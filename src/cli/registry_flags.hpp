// SPDX-License-Identifier: Apache-2.0
#pragma once

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
};

void add_registry_flags(CLI::App& command, RegistryFlags& flags);

// Copies the flags into `options`.
void apply_registry_flags(const RegistryFlags& flags, registry::RegistryOptions& options);

} // namespace airlock::cli
