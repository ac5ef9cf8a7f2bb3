// SPDX-License-Identifier: Apache-2.0
// `key sign-file` and `key verify-file`: detached signatures over small files such as a
// release's SHA256SUMS, which OpenSSL can check as well (bundle/detached_signature.hpp).
#include "commands.hpp"
#include "trust_options.hpp"
#include "value_names.hpp"

#include <airlock/bundle/detached_signature.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct FileSignatureOptions
{
    std::string file;
    std::string key;       // sign-file
    std::string signature; // default FILE.sig
    TrustOptions trust;    // verify-file
};

// The file, its signature file and the key that made or checked it, for both printers.
struct FileSignatureOutcome
{
    bool signed_now = false; // sign-file rather than verify-file
    std::string file;
    std::string signature;
    std::string key_id;
};

std::string signature_of(const FileSignatureOptions& o)
{
    return o.signature.empty() ? bundle::detached_signature_path(o.file).string() : o.signature;
}

Result<FileSignatureOutcome> run_sign_file(const FileSignatureOptions& o)
{
    const std::string signature = signature_of(o);
    AIRLOCK_TRY_ASSIGN(std::string key_id, bundle::sign_detached(o.file, o.key, signature));
    return FileSignatureOutcome{true, o.file, signature, std::move(key_id)};
}

Result<FileSignatureOutcome> run_verify_file(const FileSignatureOptions& o, const Context& ctx)
{
    const std::string signature = signature_of(o);
    // Keys named on the command line are the only ones asked: a release key must not be
    // stood in for by a key the directory trusts for bundles.
    AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys,
                       o.trust.keys.empty() ? load_trusted_keys(o.trust, ctx.settings)
                                            : bundle::TrustedKeys::load(
                                                  {o.trust.keys.begin(), o.trust.keys.end()}, {}));
    AIRLOCK_TRY_ASSIGN(std::string key_id, bundle::verify_detached(o.file, signature, keys));
    return FileSignatureOutcome{false, o.file, signature, std::move(key_id)};
}

void print_text(const FileSignatureOutcome& outcome)
{
    if (outcome.signed_now) {
        std::cout << "signed " << outcome.file << " with " << outcome.key_id << ": "
                  << outcome.signature << '\n';
    } else {
        std::cout << outcome.file << ": signature OK (" << outcome.key_id << ")\n";
    }
}

void print_json(const FileSignatureOutcome& outcome)
{
    cli::print_json({{"ok", true},
                     {"file", outcome.file},
                     {"signature", outcome.signature},
                     {"keyId", outcome.key_id}});
}

} // namespace

void register_key_file_signatures(CLI::App& key, Context& ctx)
{
    auto sign = std::make_shared<FileSignatureOptions>();
    auto* sign_file = key.add_subcommand(
        "sign-file",
        "Write a detached signature FILE.sig of a small file (a release's SHA256SUMS)");
    sign_file->add_option("FILE", sign->file, "The file to sign (at most 16 MiB)")
        ->required()
        ->type_name(value_name::file);
    sign_file->add_option("--key", sign->key, "Private key (PEM) to sign with")
        ->required()
        ->type_name(value_name::file);
    sign_file->add_option("-o,--output", sign->signature, "Signature file (default FILE.sig)")
        ->type_name(value_name::file);
    sign_file->add_flag("--json", ctx.global.json, "Print the result as JSON");
    sign_file->callback([sign, &ctx] { ctx.exit_code = finish(run_sign_file(*sign), ctx.global); });

    auto verify = std::make_shared<FileSignatureOptions>();
    auto* verify_file = key.add_subcommand(
        "verify-file", "Check a detached signature FILE.sig against the trusted keys");
    verify_file->add_option("FILE", verify->file, "The signed file")
        ->required()
        ->type_name(value_name::file);
    verify_file->add_option("--signature", verify->signature, "Signature file (default FILE.sig)")
        ->type_name(value_name::file);
    add_trusted_key_options(*verify_file, verify->trust);
    verify_file->add_flag("--json", ctx.global.json, "Print the result as JSON");
    verify_file->callback(
        [verify, &ctx] { ctx.exit_code = finish(run_verify_file(*verify, ctx), ctx.global); });
}

} // namespace airlock::cli
