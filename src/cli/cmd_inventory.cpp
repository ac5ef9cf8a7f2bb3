// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <airlock/base/file.hpp>
#include <airlock/unpack/inventory.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct InventoryOptions
{
    std::string store;
    std::string output;
};

int run_inventory(const InventoryOptions& o, Context& ctx)
{
    std::filesystem::path root = unpack::default_store_path();
    if (!o.store.empty()) {
        auto parsed = unpack::parse_store_spec(o.store);
        if (!parsed) {
            return report_error(parsed.error(), ctx.global);
        }
        root = *parsed;
    }
    const unpack::OciStore store(root);
    if (!store.exists()) {
        return report_error(Error{Errc::not_found, "no store at oci:" + root.string(), {}},
                            ctx.global);
    }
    auto inventory = unpack::store_inventory(store);
    if (!inventory) {
        return report_error(inventory.error(), ctx.global);
    }
    if (auto written = write_file_atomic(o.output, *inventory + "\n"); !written) {
        return report_error(written.error(), ctx.global);
    }
    if (!ctx.global.quiet) {
        std::cout << "wrote " << o.output << ": what oci:" << root.string()
                  << " holds; give it to 'airlock pack --since' on the connected side\n";
    }
    return k_exit_ok;
}

} // namespace

void register_inventory(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<InventoryOptions>();
    auto* cmd = app.add_subcommand(
        "inventory", "Write what a store holds, for differential bundles (pack --since)");
    cmd->add_option("--store", options->store, "Store: oci:DIR (default: the embedded store)");
    cmd->add_option("-o,--output", options->output, "Inventory file to write")->required();
    cmd->callback([options, &ctx] { ctx.exit_code = run_inventory(*options, ctx); });
}

} // namespace airlock::cli
