// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "trust_options.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/cosign.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct SignOptions
{
    std::string bundle;
    std::string key;
    TrustOptions trust;
};

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// What a co-signer puts their name to, said before it is signed.
void show_signed_content(const unpack::CosignResult& result, const std::string& bundle)
{
    const auto& m = result.verified.header.manifest;
    std::cout << "signing " << printable(bundle) << " (verified: " << result.verified.content.blobs
              << " blobs, every digest matches)\n";
    if (!m.channel.empty()) {
        std::cout << "  channel:   " << printable(m.channel)
                  << (m.sequence ? str_cat(" #", *m.sequence) : "") << '\n';
    }
    for (const auto& image : m.images) {
        std::cout << "  image:     " << printable(image.name) << " [" << printable(join(image.tags))
                  << "] " << image.digest.str() << '\n';
    }
    for (const auto& s : result.verified.header.signatures) {
        const bool trusted = std::find(result.verified.signatures.trusted_signers.begin(),
                                       result.verified.signatures.trusted_signers.end(),
                                       s.key_id)
                             != result.verified.signatures.trusted_signers.end();
        std::cout << "  signed by: " << printable(s.key_id)
                  << (trusted ? " (trusted)" : " (not a trusted key)") << '\n';
    }
}

int run_sign(const SignOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    auto keys = load_trusted_keys(o.trust);
    if (!keys) {
        return report_error(keys.error(), ctx.global);
    }
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    auto result = unpack::cosign_bundle(o.bundle, o.key, *keys, reporter, o.trust.required, dirs);
    if (!result) {
        return report_error(result.error(), ctx.global);
    }
    if (result->already_signed) {
        reporter.warn(str_cat(o.bundle,
                              " is already signed by ",
                              result->key_id,
                              "; a second signature by the same key adds nothing"));
    }
    const std::string file = result->file.string();
    if (ctx.global.json) {
        print_json({{"ok", true},
                    {"keyId", result->key_id},
                    {"alreadySigned", result->already_signed},
                    {"cosignatures", file},
                    {"images", result->verified.header.manifest.images.size()},
                    {"blobs", result->verified.content.blobs}});
        return k_exit_ok;
    }
    show_signed_content(*result, o.bundle);
    if (!result->already_signed) {
        std::cout << "co-signed " << printable(o.bundle) << " by " << result->key_id << " (in "
                  << printable(file) << ", carry it with the bundle)\n";
    }
    return k_exit_ok;
}

} // namespace

void register_sign(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<SignOptions>();
    auto* cmd = app.add_subcommand(
        "sign", "Verify a bundle, then add a co-signature to it without re-packing it");
    cmd->add_option("bundle", options->bundle, "Bundle file")->required();
    cmd->add_option("--key", options->key, "Private key (PEM) to sign with")->required();
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = run_sign(*options, ctx); });
}

} // namespace airlock::cli
