// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_export.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct ExportOptions
{
    std::string store;
    std::string format = "docker-archive";
    std::string platform;
    unpack::ExportRequest request;
};

struct ExportOutcome
{
    std::filesystem::path store;
    std::string output;
    std::string format;
    unpack::ExportReport report;
};

Result<ExportOutcome>
run_export(ExportOptions o, const Settings& settings, const GlobalOptions& global)
{
    ExportOutcome outcome;
    AIRLOCK_TRY_ASSIGN(outcome.store, settings.oci_store(o.store));
    o.request.format = o.format == "oci-archive" ? unpack::ExportFormat::oci_archive
                                                 : unpack::ExportFormat::docker_archive;
    if (!o.platform.empty()) {
        AIRLOCK_TRY_ASSIGN(o.request.platform, manifest::Platform::parse(o.platform));
    }
    outcome.output = o.request.output.string();
    outcome.format = o.format;
    unpack::OciStore store(outcome.store);
    ConsoleReporter reporter(global);
    AIRLOCK_TRY_ASSIGN(outcome.report, unpack::export_images(store, o.request, reporter));
    return outcome;
}

void print_text(const ExportOutcome& outcome)
{
    std::cout << "wrote " << printable(outcome.output) << " (" << outcome.format << ", "
              << outcome.report.images.size() << " image(s), " << outcome.report.blobs
              << " blob(s), " << human_size(outcome.report.bytes) << ")";
    if (outcome.format == "docker-archive") {
        std::cout << ": docker load -i " << printable(outcome.output);
    }
    std::cout << '\n';
}

void print_json(const ExportOutcome& outcome)
{
    cli::print_json({{"ok", true},
                     {"store", "oci:" + outcome.store.string()},
                     {"output", outcome.output},
                     {"format", outcome.format},
                     {"images", outcome.report.images},
                     {"blobs", outcome.report.blobs},
                     {"bytes", outcome.report.bytes}});
}

} // namespace

void register_export(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<ExportOptions>();
    auto* cmd = app.add_subcommand(
        "export", "Write images of a store to a tar file for docker load (or an OCI archive)");
    cmd->add_option("refs", options->request.refs, "REPOSITORY:TAG as airlock images lists it")
        ->required();
    cmd->add_option("-o,--output", options->request.output, "Archive file to write")
        ->required()
        ->type_name(value_name::file);
    cmd->add_option("--format", options->format, "docker-archive (default) or oci-archive")
        ->check(CLI::IsMember({"docker-archive", "oci-archive"}));
    cmd->add_option(
           "--platform",
           options->platform,
           "docker-archive: the platform of multi-platform images (default: this machine's)")
        ->type_name("OS/ARCH");
    add_oci_store_option(*cmd, options->store);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] {
        const auto outcome = run_export(*options, ctx.settings, ctx.global);
        if (outcome && ctx.global.quiet && !ctx.global.json) {
            return;
        }
        ctx.exit_code = finish(outcome, ctx.global);
    });
}

} // namespace airlock::cli
