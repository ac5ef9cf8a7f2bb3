// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/oci_store.hpp>
#include <airlock/unpack/store_images.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

// "docker.io/library/alpine" is shown as "alpine", like `docker images` does.
std::string display_name(const std::string& repository)
{
    auto ref = manifest::Reference::parse(repository);
    return ref ? ref->familiar_name() : repository;
}

int run_images(const std::string& store_spec, Context& ctx)
{
    std::filesystem::path root = unpack::default_store_path();
    if (!store_spec.empty()) {
        auto parsed = unpack::parse_store_spec(store_spec);
        if (!parsed) {
            return report_error(parsed.error(), ctx.global);
        }
        root = *parsed;
    }
    const unpack::OciStore store(root);
    auto images = unpack::list_store_images(store);
    if (!images) {
        return report_error(images.error(), ctx.global);
    }
    if (ctx.global.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& i : *images) {
            list.push_back({{"repository", i.repository},
                            {"tag", i.tag},
                            {"digest", i.digest.str()},
                            {"mediaType", i.media_type},
                            {"platforms", i.platforms},
                            {"size", i.size},
                            {"created", i.created},
                            {"version", i.version}});
        }
        print_json({{"store", "oci:" + root.string()}, {"images", list}});
        return k_exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : *images) {
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
    return k_exit_ok;
}

} // namespace

void register_images(CLI::App& app, Context& ctx)
{
    auto store = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("images", "List the images of a store");
    cmd->add_option("--store", *store, "Store: oci:DIR (default: the embedded store)");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([store, &ctx] { ctx.exit_code = run_images(*store, ctx); });
}

} // namespace airlock::cli
