// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "trust_options.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/parts.hpp>
#include <airlock/unpack/verify.hpp>

#include <iostream>

namespace airlock::cli {

namespace {

struct VerifyCommandOptions
{
    std::string bundle;
    TrustOptions trust;
};

int run_verify(const VerifyCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    auto keys = load_trusted_keys(o.trust);
    if (!keys) {
        return report_error(keys.error(), ctx.global);
    }
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    // A split bundle: check the signed parts file and every part on this media first, so that
    // each stick can be checked on its own.
    auto parts = unpack::find_parts(o.bundle, dirs);
    if (!parts) {
        return report_error(parts.error(), ctx.global);
    }
    if (*parts) {
        const auto& set = **parts;
        auto signed_ok = unpack::check_signatures(set.file.manifest_bytes,
                                                  set.file.signatures,
                                                  *keys,
                                                  o.trust.required,
                                                  set.parts_file.filename().string());
        if (!signed_ok) {
            return report_error(
                std::move(signed_ok.error()).with_context("in " + set.parts_file.string()),
                ctx.global);
        }
        auto checks = unpack::check_parts(set);
        if (!checks) {
            return report_error(checks.error(), ctx.global);
        }
        std::size_t intact = 0;
        std::size_t damaged = 0;
        for (const auto& c : *checks) {
            intact += c.state == unpack::PartCheck::State::intact ? 1 : 0;
            damaged += c.state == unpack::PartCheck::State::damaged ? 1 : 0;
            const char* state = c.state == unpack::PartCheck::State::intact    ? "OK"
                                : c.state == unpack::PartCheck::State::damaged ? "DAMAGED"
                                                                               : "missing";
            (c.state == unpack::PartCheck::State::damaged ? std::cerr : std::cout)
                << (c.state == unpack::PartCheck::State::damaged ? "airlock: error: part "
                                                                 : "part ")
                << printable(c.name) << ": " << state
                << (c.state == unpack::PartCheck::State::intact ? ""
                                                                : " (" + printable(c.detail) + ")")
                << '\n';
        }
        if (damaged > 0) {
            std::cerr << "airlock: error: " << damaged << " damaged part(s) of "
                      << printable(set.file.manifest.bundle) << '\n';
            return k_exit_verification;
        }
        if (intact < checks->size()) {
            std::cout << intact << " of " << checks->size() << " parts present here and intact; "
                      << "the content is verified when all parts are present (--parts-dir)\n";
            return k_exit_ok;
        }
    }
    auto report = unpack::verify_bundle(o.bundle, *keys, reporter, o.trust.required, dirs);
    if (!report) {
        return report_error(report.error(), ctx.global);
    }
    std::vector<Error> problems = report->content.problems;
    problems.insert(problems.end(), report->closure.begin(), report->closure.end());
    const auto& manifest = report->header.manifest;
    if (ctx.global.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : problems) {
            list.push_back({{"class", errc_name(p.code)}, {"message", p.message}});
        }
        print_json({{"ok", problems.empty()},
                    {"bundle", o.bundle},
                    {"signers", report->signatures.trusted_signers},
                    {"untrustedSigners", report->signatures.unknown_signers},
                    {"images", manifest.images.size()},
                    {"blobs", report->content.blobs},
                    {"blobBytes", report->content.blob_bytes},
                    {"problems", list},
                    {"problemsNotShown", report->content.problems_not_kept}});
    }
    if (!problems.empty()) {
        for (const auto& p : problems) {
            std::cerr << "airlock: error: " << printable(p.message) << '\n';
        }
        if (report->content.problems_not_kept > 0) {
            std::cerr << "airlock: error: ... and " << report->content.problems_not_kept
                      << " more problem(s) not shown\n";
        }
        std::cerr << "airlock: error: " << printable(o.bundle)
                  << " FAILED verification: " << problems.size() + report->content.problems_not_kept
                  << " problem(s)\n";
        return k_exit_verification;
    }
    if (!ctx.global.json) {
        std::cout << o.bundle << ": OK\n"
                  << "  signature: valid, by " << report->signatures.trusted_signers.size()
                  << " trusted key(s): " << report->signatures.trusted_signers.front()
                  << (report->signatures.trusted_signers.size() > 1 ? ", ..." : "") << '\n'
                  << "  content:   " << report->content.blobs << " blobs, "
                  << human_size(report->content.blob_bytes) << ", every digest and size matches\n"
                  << "  images:    " << manifest.images.size() << '\n';
    }
    return k_exit_ok;
}

} // namespace

void register_verify(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<VerifyCommandOptions>();
    auto* cmd = app.add_subcommand("verify",
                                   "Check a bundle's signature and every digest; imports nothing");
    cmd->add_option("bundle", options->bundle, "Bundle file")->required();
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([options, &ctx] { ctx.exit_code = run_verify(*options, ctx); });
}

} // namespace airlock::cli
