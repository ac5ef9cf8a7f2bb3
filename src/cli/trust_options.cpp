// SPDX-License-Identifier: Apache-2.0
#include "trust_options.hpp"

#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>

#include <cstdlib>

namespace airlock::cli {

void add_trusted_key_options(CLI::App& command, TrustOptions& options)
{
    command
        .add_option("--trusted-key",
                    options.keys,
                    "Public key (PEM) whose signature is accepted; repeatable")
        ->type_name(value_name::file);
    command
        .add_option(
            "--trusted-keys-dir",
            options.dir,
            str_cat("Directory of trusted *.pub keys (default $AIRLOCK_TRUSTED_KEYS_DIR or ",
                    bundle::default_trusted_keys_dir().string(),
                    ")"))
        ->type_name(value_name::directory);
}

void add_trust_options(CLI::App& command, TrustOptions& options)
{
    add_trusted_key_options(command, options);
    command
        .add_option("--require-signatures",
                    options.required,
                    "Distinct trusted keys that must have signed (default 1)")
        ->check(CLI::Range(1, 64));
    command
        .add_option("--parts-dir",
                    options.parts_dirs,
                    "Directory holding parts of a split bundle; repeatable")
        ->type_name(value_name::directory);
}

Result<bundle::TrustedKeys> load_trusted_keys(const TrustOptions& options, const Settings& settings)
{
    std::string dir = settings.value(options.dir, Setting::trusted_keys_dir);
    if (dir.empty()) {
        dir = bundle::default_trusted_keys_dir().string();
    }
    const std::vector<std::filesystem::path> files(options.keys.begin(), options.keys.end());
    auto keys = bundle::TrustedKeys::load(files, dir);
    if (!keys) {
        return std::unexpected(
            settings.blame(std::move(keys.error()), options.dir, Setting::trusted_keys_dir));
    }
    keys->set_directory_origin(settings.origin(options.dir, Setting::trusted_keys_dir));
    return keys;
}

std::vector<std::filesystem::path> parts_directories(const TrustOptions& options)
{
    return {options.parts_dirs.begin(), options.parts_dirs.end()};
}

} // namespace airlock::cli
