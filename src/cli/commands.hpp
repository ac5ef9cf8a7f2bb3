// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outcome.hpp"
#include "settings.hpp"

#include <CLI/CLI.hpp>

namespace airlock::cli {

// What the command callbacks share: global options and the exit code they set.
struct Context
{
    GlobalOptions global;
    std::string config; // --config
    Settings settings;  // loaded once the command line is parsed
    int exit_code = k_exit_ok;
};

// Each adds one subcommand to `app`; its callback runs the command and sets `ctx.exit_code`.
void register_key(CLI::App& app, Context& ctx);
void register_key_file_signatures(CLI::App& key, Context& ctx); // under `key`
void register_pack(CLI::App& app, Context& ctx);
void register_verify(CLI::App& app, Context& ctx);
void register_inspect(CLI::App& app, Context& ctx);
void register_import(CLI::App& app, Context& ctx);
void register_images(CLI::App& app, Context& ctx);
void register_sign(CLI::App& app, Context& ctx);
void register_inventory(CLI::App& app, Context& ctx);
void register_status(CLI::App& app, Context& ctx);
void register_rm(CLI::App& app, Context& ctx);
void register_prune(CLI::App& app, Context& ctx);
void register_fsck(CLI::App& app, Context& ctx);
void register_export(CLI::App& app, Context& ctx);
// These two read the whole tree when they run: they are added last.
void register_completion(CLI::App& app, Context& ctx);
void register_man(CLI::App& app, Context& ctx);

} // namespace airlock::cli
