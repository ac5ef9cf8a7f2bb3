// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "value_names.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/keys.hpp>

#include <filesystem>
#include <iostream>

namespace airlock::cli {

namespace {

struct KeyGenerateOptions
{
    std::string output;
    std::string type = "ed25519";
    bool force = false;
};

// The key pair written, for both printers.
struct KeyGenerateOutcome
{
    crypto::KeyType type{};
    std::string key_id;
    std::filesystem::path private_path;
    std::filesystem::path public_path;
};

Result<KeyGenerateOutcome> run_key_generate(const KeyGenerateOptions& options)
{
    AIRLOCK_TRY_ASSIGN(const crypto::KeyType type, crypto::parse_key_type(options.type));
    const std::filesystem::path private_path = options.output + ".key";
    const std::filesystem::path public_path = options.output + ".pub";
    std::error_code ec;
    for (const auto& path : {private_path, public_path}) {
        if (!options.force && std::filesystem::exists(path, ec)) {
            return fail(Errc::usage,
                        str_cat(path.string(),
                                " already exists; refusing to overwrite a key (use --force)"));
        }
    }
    AIRLOCK_TRY_ASSIGN(const crypto::PrivateKey key, crypto::PrivateKey::generate(type));
    AIRLOCK_TRY_ASSIGN(const std::string private_pem, key.to_pem());
    AIRLOCK_TRY_ASSIGN(const crypto::PublicKey public_key, key.public_key());
    AIRLOCK_TRY_ASSIGN(const std::string public_pem, public_key.to_pem());
    AIRLOCK_TRY(write_file_atomic(private_path, private_pem, 0600));
    AIRLOCK_TRY(write_file_atomic(public_path, public_pem, 0644));
    return KeyGenerateOutcome{type, public_key.id(), private_path, public_path};
}

void print_text(const KeyGenerateOutcome& outcome)
{
    std::cout << "private key: " << outcome.private_path.string() << " (keep it secret)\n"
              << "public key:  " << outcome.public_path.string() << '\n'
              << "key id:      " << outcome.key_id << '\n';
}

void print_json(const KeyGenerateOutcome& outcome)
{
    cli::print_json({{"ok", true},
                     {"type", crypto::key_type_name(outcome.type)},
                     {"keyId", outcome.key_id},
                     {"privateKey", outcome.private_path.string()},
                     {"publicKey", outcome.public_path.string()}});
}

} // namespace

void register_key(CLI::App& app, Context& ctx)
{
    auto* key = app.add_subcommand("key", "Manage signing keys");
    key->require_subcommand(1);
    auto options = std::make_shared<KeyGenerateOptions>();
    auto* generate =
        key->add_subcommand("generate", "Generate a signing key pair NAME.key (0600) and NAME.pub");
    generate->add_option("-o,--output", options->output, "Path prefix NAME of the key files")
        ->required()
        ->type_name(value_name::file);
    generate->add_option("--type", options->type, "ed25519 (default) or ecdsa-p256")
        ->check(one_of({std::string(crypto::key_type_name(crypto::KeyType::ed25519)),
                        std::string(crypto::key_type_name(crypto::KeyType::ecdsa_p256))},
                       [](const std::string& value) {
                           return crypto::parse_key_type(value).error().message;
                       }));
    generate->add_flag("--force", options->force, "Overwrite existing key files");
    generate->add_flag("--json", ctx.global.json, "Print the result as JSON");
    generate->callback(
        [options, &ctx] { ctx.exit_code = finish(run_key_generate(*options), ctx.global); });
    register_key_file_signatures(*key, ctx);
}

} // namespace airlock::cli
