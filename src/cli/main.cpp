// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "help_text.hpp"
#include "usage_errors.hpp"
#include "value_names.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/program_arguments.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/terminal.hpp>
#include <airlock/http/client.hpp>

#include <exception>
#include <iostream>

namespace {

// Repeatable options take one value per occurrence, so `--trusted-key K BUNDLE` does not
// swallow BUNDLE (CLI11 lets vector options consume every following argument otherwise).
void one_value_per_flag(CLI::App& app)
{
    for (CLI::Option* option : app.get_options()) {
        if (option->nonpositional()) {
            option->allow_extra_args(false);
        }
    }
    for (CLI::App* sub : app.get_subcommands({})) {
        one_value_per_flag(*sub);
    }
}

} // namespace

int main(int argc, char** argv)
{
    airlock::install_interrupt_handlers();
    airlock::use_binary_standard_streams();
    airlock::http::global_init();
    using namespace airlock::cli;
    CLI::App app{"airlock: carry container images across an air gap in signed, verifiable bundles",
                 "airlock"};
    app.set_version_flag("--version", std::string("airlock ") + AIRLOCK_VERSION);
    // Options are --name on every system: on Windows CLI11 would otherwise take any argument
    // that starts with "/" (a path) for an option. Set before the subcommands, which copy it.
    app.allow_windows_style_options(false);
    app.require_subcommand(1);
    app.fallthrough(); // global flags such as --quiet also work after the subcommand
    Context ctx;
    app.add_flag("-q,--quiet", ctx.global.quiet, "Print only results and errors");
    app.add_option_function<std::string>(
           "--progress",
           [&ctx](const std::string& mode) {
               ctx.global.progress = mode == "json"   ? ProgressMode::json
                                     : mode == "none" ? ProgressMode::none
                                                      : ProgressMode::automatic;
           },
           "Progress of long phases on stderr: auto (a line on a terminal), json (JSON lines, "
           "messages too), none")
        ->check(CLI::IsMember({"auto", "json", "none"}))
        ->default_str("auto");
    app.add_option(
           "--config",
           ctx.config,
           airlock::str_cat(
               "Settings file (default $AIRLOCK_CONFIG, ",
               (std::filesystem::path(airlock::user_config_dir_shown()) / "airlock.conf").string(),
               ", ",
               (airlock::system_config_dir() / "airlock.conf").string(),
               ")"))
        ->type_name(value_name::file);
    // Before any command runs: the form its errors take, the settings it falls back on.
    app.parse_complete_callback([&ctx] {
        configure_stderr(ctx.global);
        auto settings = Settings::load(ctx.config);
        if (!settings) {
            throw CLI::RuntimeError(report_error(settings.error(), ctx.global));
        }
        ctx.settings = std::move(*settings);
    });
    register_key(app, ctx);
    register_pack(app, ctx);
    register_verify(app, ctx);
    register_inspect(app, ctx);
    register_import(app, ctx);
    register_images(app, ctx);
    register_sign(app, ctx);
    register_inventory(app, ctx);
    register_status(app, ctx);
    register_rm(app, ctx);
    register_prune(app, ctx);
    register_fsck(app, ctx);
    register_export(app, ctx);
    register_completion(app, ctx);
    register_man(app, ctx);
    one_value_per_flag(app);
    add_help_footers(app);
    const std::vector<std::string> args = airlock::program_arguments(argc, argv);
    if (const auto topics = help_topics(args)) {
        return print_help(app, *topics);
    }
    try {
        // CLI11 takes a vector of arguments last first.
        app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code(); // already reported
    } catch (const CLI::ParseError& e) {
        return report_usage_error(app, args, e);
    } catch (const std::exception& e) {
        // Errors travel as Results; an exception here is a bug, reported rather than aborting.
        print_error(airlock::str_cat("internal error: ", e.what()));
        return k_exit_failure;
    } catch (...) {
        print_error("internal error: unknown exception");
        return k_exit_failure;
    }
    return ctx.exit_code;
}
