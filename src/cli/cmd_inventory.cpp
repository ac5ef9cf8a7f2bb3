// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "registry_flags.hpp"
#include "value_names.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/inventory.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <fstream>
#include <iostream>

namespace airlock::cli {

namespace {

struct InventoryOptions
{
    std::string store;
    std::string output;
    std::vector<std::string> repositories;
    RegistryFlags access;
};

// Which store's inventory went where.
struct InventoryOutcome
{
    std::string store; // "oci:DIR", "docker://HOST/PREFIX"
    std::string output;
};

// The inventory of the store `o` names: an OCI store, or a registry (docker://).
Result<std::string> read_inventory(const InventoryOptions& o,
                                   const Settings& settings,
                                   const GlobalOptions& global,
                                   InventoryOutcome& outcome)
{
    if (const std::string spec = settings.value(o.store, Setting::store);
        spec.starts_with("docker://")) {
        registry::RegistryOptions access;
        AIRLOCK_TRY(apply_registry_flags(o.access, settings, access));
        outcome.store = spec;
        ConsoleReporter reporter(global);
        return unpack::registry_inventory(spec, o.repositories, access, reporter);
    }
    if (const std::string spec = settings.value(o.store, Setting::store);
        spec == "containerd" || spec.starts_with("containerd:")
        || spec.starts_with("containerd?")) {
        outcome.store = spec;
        return unpack::containerd_inventory(spec);
    }
    if (!o.repositories.empty()) {
        return fail(Errc::usage, "--repository applies to registry stores (docker://) only");
    }
    AIRLOCK_TRY_ASSIGN(const std::filesystem::path root, settings.oci_store(o.store));
    outcome.store = "oci:" + root.string();
    const unpack::OciStore store(root);
    if (!store.exists()) {
        return fail(Errc::not_found, "no store at " + outcome.store);
    }
    return unpack::store_inventory(store);
}

Result<InventoryOutcome>
run_inventory(const InventoryOptions& o, const Settings& settings, const GlobalOptions& global)
{
    InventoryOutcome outcome{{}, o.output};
    AIRLOCK_TRY_ASSIGN(const std::string inventory, read_inventory(o, settings, global, outcome));
    if (o.output == "-") {
        std::cout << inventory << '\n' << std::flush;
        if (!std::cout) {
            return fail(Errc::io, "cannot write the inventory to stdout");
        }
        return outcome;
    }
    std::error_code ec;
    if (std::filesystem::exists(o.output, ec) && !std::filesystem::is_regular_file(o.output, ec)) {
        // A pipe or device (-o >(ssh ...), /dev/stdout) is written into, not replaced.
        std::ofstream out(o.output, std::ios::binary);
        out << inventory << '\n';
        out.flush();
        if (!out) {
            return fail(Errc::io, str_cat("cannot write the inventory to ", o.output));
        }
        return outcome;
    }
    AIRLOCK_TRY(write_file_atomic(o.output, inventory + "\n"));
    return outcome;
}

void print_text(const InventoryOutcome& outcome)
{
    if (outcome.output == "-") {
        return; // the inventory itself was the output
    }
    std::cout << "wrote " << outcome.output << ": what " << outcome.store
              << " holds; give it to 'airlock pack --since' on the connected side\n";
}

void print_json(const InventoryOutcome& outcome)
{
    cli::print_json({{"ok", true}, {"store", outcome.store}, {"inventory", outcome.output}});
}

} // namespace

void register_inventory(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<InventoryOptions>();
    auto* cmd = app.add_subcommand(
        "inventory", "Write what a store holds, for differential bundles (pack --since)");
    cmd->add_option(
           "--store",
           options->store,
           "Store: oci:DIR (default: the embedded store), docker://HOST[:PORT][/PREFIX] or "
           "containerd[:SOCKET][?namespace=NS]")
        ->type_name(value_name::store);
    cmd->add_option("--repository",
                    options->repositories,
                    "docker:// stores: a repository to list (repeatable; default: the catalog)")
        ->type_name("REPO");
    add_registry_flags(*cmd, options->access);
    cmd->add_option("-o,--output", options->output, "Inventory file to write ('-': stdout)")
        ->required()
        ->type_name(value_name::file);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] {
        if (options->output == "-" && ctx.global.json) {
            ctx.exit_code = report_error(
                Error{Errc::usage, "-o - writes the inventory on stdout: leave out --json", {}},
                ctx.global);
            return;
        }
        // The line saying where the inventory went is chatter that --quiet silences.
        const auto outcome = run_inventory(*options, ctx.settings, ctx.global);
        if (outcome && ctx.global.quiet && !ctx.global.json) {
            return;
        }
        ctx.exit_code = finish(outcome, ctx.global);
    });
}

} // namespace airlock::cli
