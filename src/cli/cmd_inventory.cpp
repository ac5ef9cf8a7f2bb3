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

// Which store's inventory went where.
struct InventoryOutcome
{
    std::filesystem::path store;
    std::string output;
};

Result<InventoryOutcome> run_inventory(const InventoryOptions& o)
{
    InventoryOutcome outcome{unpack::default_store_path(), o.output};
    if (!o.store.empty()) {
        AIRLOCK_TRY_ASSIGN(outcome.store, unpack::parse_store_spec(o.store));
    }
    const unpack::OciStore store(outcome.store);
    if (!store.exists()) {
        return fail(Errc::not_found, "no store at oci:" + outcome.store.string());
    }
    AIRLOCK_TRY_ASSIGN(const std::string inventory, unpack::store_inventory(store));
    AIRLOCK_TRY(write_file_atomic(o.output, inventory + "\n"));
    return outcome;
}

void print_text(const InventoryOutcome& outcome)
{
    std::cout << "wrote " << outcome.output << ": what oci:" << outcome.store.string()
              << " holds; give it to 'airlock pack --since' on the connected side\n";
}

} // namespace

void register_inventory(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<InventoryOptions>();
    auto* cmd = app.add_subcommand(
        "inventory", "Write what a store holds, for differential bundles (pack --since)");
    cmd->add_option("--store", options->store, "Store: oci:DIR (default: the embedded store)");
    cmd->add_option("-o,--output", options->output, "Inventory file to write")->required();
    // No --json: the inventory file is the result, and the line saying where it went is chatter
    // that --quiet silences.
    cmd->callback([options, &ctx] {
        const auto outcome = run_inventory(*options);
        if (!outcome) {
            ctx.exit_code = report_error(outcome.error(), ctx.global);
            return;
        }
        if (!ctx.global.quiet) {
            print_text(*outcome);
        }
    });
}

} // namespace airlock::cli
