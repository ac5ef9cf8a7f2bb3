// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "value_names.hpp"

#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_status.hpp>

#include <iostream>
#include <set>

namespace airlock::cli {

namespace {

// The store and what is known of it, for both printers.
struct StatusOutcome
{
    std::filesystem::path store;
    std::string config; // the settings file read, if any
    unpack::StoreStatus status;
};

Result<StatusOutcome> run_status(const std::string& given, const Context& ctx)
{
    StatusOutcome outcome{{}, ctx.settings.file(), {}};
    AIRLOCK_TRY_ASSIGN(outcome.store, ctx.settings.oci_store(given));
    const unpack::OciStore store(outcome.store);
    if (!given.empty() && !store.exists()) {
        return fail(Errc::not_found, "no store at oci:" + outcome.store.string());
    }
    AIRLOCK_TRY_ASSIGN(outcome.status, unpack::store_status(store));
    return outcome;
}

std::size_t image_count(const unpack::StoreStatus& status)
{
    std::set<std::string> images;
    for (const auto& image : status.images) {
        images.insert(image.repository + "@" + image.digest.str());
    }
    return images.size();
}

void print_text(const StatusOutcome& outcome)
{
    const auto& s = outcome.status;
    std::cout << "Store:     oci:" << printable(outcome.store.string());
    if (!s.exists) {
        std::cout << " (does not exist yet: the first import creates it)\n";
    } else {
        std::cout << " (" << image_count(s) << " images, " << s.images.size() << " tags, "
                  << s.blobs << " blobs, " << human_size(s.bytes) << ")\n";
    }
    std::cout << "Settings:  "
              << (outcome.config.empty() ? "no settings file" : printable(outcome.config)) << '\n';
    if (const auto build = host_windows_build()) {
        std::cout << "Host:      Windows " << *build << " (images are checked against it)\n";
    }
    for (const auto& c : s.channels) {
        std::cout << "Channel:   " << printable(c.name) << " #" << c.sequence << " (bundle "
                  << short_digest(c.bundle) << ", imported " << printable(c.imported) << ")\n";
    }
    if (!s.import_log_problem.empty()) {
        std::cout << "\nLast imports: unknown: " << printable(s.import_log_problem) << '\n';
    }
    if (s.imports.empty()) {
        return;
    }
    std::cout << "\nLast imports:\n";
    std::vector<std::vector<std::string>> rows;
    const std::size_t shown = std::min<std::size_t>(s.imports.size(), 10);
    for (std::size_t i = s.imports.size() - shown; i < s.imports.size(); ++i) {
        const auto& r = s.imports[i];
        rows.push_back({r.time,
                        r.bundle,
                        r.channel.empty() ? "-" : str_cat(r.channel, " #", r.sequence.value_or(0)),
                        str_cat(r.images.size()),
                        str_cat(r.blobs_written, " (", human_size(r.bytes_written), ")"),
                        r.changed ? "yes" : "no"});
    }
    print_table({"TIME", "BUNDLE", "CHANNEL", "IMAGES", "NEW BLOBS", "CHANGED"}, rows);
}

void print_json(const StatusOutcome& outcome)
{
    const auto& s = outcome.status;
    nlohmann::json channels = nlohmann::json::array();
    for (const auto& c : s.channels) {
        channels.push_back({{"name", c.name},
                            {"sequence", c.sequence},
                            {"bundleDigest", c.bundle},
                            {"imported", c.imported}});
    }
    nlohmann::json imports = nlohmann::json::array();
    for (const auto& r : s.imports) {
        imports.push_back(unpack::import_record_json(r));
    }
    nlohmann::json doc = {{"ok", true},
                          {"store", "oci:" + outcome.store.string()},
                          {"exists", s.exists},
                          {"settingsFile", outcome.config},
                          {"blobs", s.blobs},
                          {"contentBytes", s.bytes},
                          {"images", store_images_json(s.images)},
                          {"channels", channels},
                          {"imports", imports}};
    if (!s.import_log_problem.empty()) {
        doc["importLogProblem"] = s.import_log_problem;
    }
    if (const auto build = host_windows_build()) {
        doc["hostOsVersion"] = *build;
    }
    cli::print_json(doc);
}

} // namespace

void register_status(CLI::App& app, Context& ctx)
{
    auto store = std::make_shared<std::string>();
    auto* cmd =
        app.add_subcommand("status", "Show a store: its size, images, channels and last imports");
    add_oci_store_option(*cmd, *store);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([store, &ctx] { ctx.exit_code = finish(run_status(*store, ctx), ctx.global); });
}

} // namespace airlock::cli
