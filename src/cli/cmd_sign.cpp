// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "trust_options.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/cosign.hpp>

#include <algorithm>
#include <iostream>

namespace airlock::cli {

namespace {

struct SignOptions
{
    std::string bundle;
    std::string key;
    TrustOptions trust;
    bool allow_expired = false;
};

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// The bundle co-signed and what the signing saw of it.
struct SignOutcome
{
    std::string bundle;
    unpack::CosignResult result;
};

Result<SignOutcome> run_sign(const SignOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys, load_trusted_keys(o.trust, ctx.settings));
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    AIRLOCK_TRY_ASSIGN(unpack::CosignResult result,
                       unpack::cosign_bundle(o.bundle,
                                             o.key,
                                             keys,
                                             reporter,
                                             {.required_signatures = o.trust.required,
                                              .allow_expired = o.allow_expired},
                                             dirs));
    if (result.already_signed) {
        reporter.warn(str_cat(o.bundle,
                              " is already signed by ",
                              result.key_id,
                              "; a second signature by the same key adds nothing"));
    }
    return SignOutcome{o.bundle, std::move(result)};
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

void print_text(const SignOutcome& outcome)
{
    show_signed_content(outcome.result, outcome.bundle);
    if (!outcome.result.already_signed) {
        std::cout << "co-signed " << printable(outcome.bundle) << " by " << outcome.result.key_id
                  << " (in " << printable(outcome.result.file.string())
                  << ", carry it with the bundle)\n";
    }
}

void print_json(const SignOutcome& outcome)
{
    const auto& result = outcome.result;
    cli::print_json({{"ok", true},
                     {"bundle", outcome.bundle},
                     {"keyId", result.key_id},
                     {"alreadySigned", result.already_signed},
                     {"cosignatures", result.file.string()},
                     {"signers", signers_json(result.verified.signatures.trusted_signers)},
                     {"images", images_json(result.verified.header.manifest.images)},
                     {"blobs", result.verified.content.blobs},
                     {"contentBytes", result.verified.content.blob_bytes}});
}

} // namespace

void register_sign(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<SignOptions>();
    auto* cmd = app.add_subcommand(
        "sign", "Verify a bundle, then add a co-signature to it without re-packing it");
    cmd->add_option("bundle", options->bundle, "Bundle file")
        ->required()
        ->type_name(value_name::file);
    cmd->add_option("--key", options->key, "Private key (PEM) to sign with")
        ->required()
        ->type_name(value_name::file);
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--allow-expired", options->allow_expired, "Co-sign a bundle past its expiry");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = finish(run_sign(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
