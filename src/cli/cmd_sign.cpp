// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/trust.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct SignOptions
{
    std::string bundle;
    std::string key;
};

int run_sign(const SignOptions& o, Context& ctx)
{
    auto id = unpack::cosign_bundle(o.bundle, o.key);
    if (!id) {
        return report_error(id.error(), ctx.global);
    }
    const std::string file = unpack::cosignature_path(o.bundle).string();
    if (ctx.global.json) {
        print_json({{"ok", true}, {"keyId", *id}, {"cosignatures", file}});
    } else {
        std::cout << "co-signed " << o.bundle << " by " << *id << " (in " << file
                  << ", carry it with the bundle)\n";
    }
    return k_exit_ok;
}

} // namespace

void register_sign(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<SignOptions>();
    auto* cmd = app.add_subcommand("sign", "Add a co-signature to a bundle without re-packing it");
    cmd->add_option("bundle", options->bundle, "Bundle file")->required();
    cmd->add_option("--key", options->key, "Private key (PEM) to sign with")->required();
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = run_sign(*options, ctx); });
}

} // namespace airlock::cli
