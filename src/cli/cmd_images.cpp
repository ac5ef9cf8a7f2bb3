// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "value_names.hpp"

#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/oci_store.hpp>
#include <airlock/unpack/store_images.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace airlock::cli {

namespace {

// "docker.io/library/alpine" is shown as "alpine", like `docker images` does.
std::string display_name(const std::string& repository)
{
    auto ref = manifest::Reference::parse(repository);
    return ref ? ref->familiar_name() : repository;
}

// The images of one store, for both printers.
struct ImagesOutcome
{
    std::filesystem::path store;
    std::vector<unpack::StoreImage> images;
};

Result<ImagesOutcome> run_images(const std::string& given, const Settings& settings)
{
    ImagesOutcome outcome;
    AIRLOCK_TRY_ASSIGN(outcome.store, settings.oci_store(given));
    const unpack::OciStore store(outcome.store);
    // A store named (on the command line or in the settings) must be there: a typo must not
    // look like an empty store. The default store is simply empty until the first import.
    if (!settings.value(given, Setting::store).empty() && !store.exists()) {
        return fail(Errc::not_found, "no store at oci:" + outcome.store.string());
    }
    AIRLOCK_TRY_ASSIGN(outcome.images, unpack::list_store_images(store));
    return outcome;
}

void print_text(const ImagesOutcome& outcome)
{
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : outcome.images) {
        std::string platforms;
        for (const auto& p : i.platforms) {
            platforms += (platforms.empty() ? "" : ",") + p;
        }
        rows.push_back({display_name(i.repository),
                        i.tag,
                        short_digest(i.digest.str()),
                        platforms.empty() ? "-" : platforms,
                        human_size(i.size),
                        i.created.empty() ? "-" : i.created});
    }
    print_table({"REPOSITORY", "TAG", "DIGEST", "PLATFORM", "SIZE", "CREATED"}, rows);
    if (const auto build = host_windows_build()) {
        std::cout << "\nHost: Windows " << *build
                  << " (Windows images of a newer build cannot run here)\n";
    }
}

void print_json(const ImagesOutcome& outcome)
{
    nlohmann::json doc = {{"ok", true},
                          {"store", "oci:" + outcome.store.string()},
                          {"images", store_images_json(outcome.images)}};
    if (const auto build = host_windows_build()) {
        doc["hostOsVersion"] = *build;
    }
    cli::print_json(doc);
}

} // namespace

void register_images(CLI::App& app, Context& ctx)
{
    auto store = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("images", "List the images of a store");
    add_oci_store_option(*cmd, *store);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback(
        [store, &ctx] { ctx.exit_code = finish(run_images(*store, ctx.settings), ctx.global); });
}

} // namespace airlock::cli
