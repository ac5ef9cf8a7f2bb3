// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "settings.hpp"

#include <airlock/bundle/trust.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::cli {

// --trusted-key / --trusted-keys-dir, shared by verify, inspect and import.
struct TrustOptions
{
    std::vector<std::string> keys;
    std::string dir;
    std::size_t required = 1;            // --require-signatures
    std::vector<std::string> parts_dirs; // --parts-dir (split bundles)
};

void add_trust_options(CLI::App& command, TrustOptions& options);

// Only --trusted-key and --trusted-keys-dir (commands that check one signature, not a bundle).
void add_trusted_key_options(CLI::App& command, TrustOptions& options);

// The keys named on the command line plus `*.pub` in the keys directory ($AIRLOCK_TRUSTED_KEYS_DIR
// or /etc/airlock/trusted-keys unless --trusted-keys-dir says otherwise).
Result<bundle::TrustedKeys> load_trusted_keys(const TrustOptions& options,
                                              const Settings& settings);

// The --parts-dir directories as paths.
std::vector<std::filesystem::path> parts_directories(const TrustOptions& options);

} // namespace airlock::cli
