// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "trust_options.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/unpack/verify.hpp>

#include <iostream>
#include <optional>

namespace airlock::cli {

namespace {

struct VerifyCommandOptions
{
    std::string bundle;
    TrustOptions trust;
};

// What verify found. A split bundle's parts are checked first, so that each medium can be checked
// on its own; the bundle itself only once all of its parts are here and intact.
struct VerifyOutcome
{
    std::string bundle;
    std::optional<bundle::PartsReport> parts; // a split bundle: its parts on the media at hand
    // The bundle's own verification; absent while parts are missing or damaged. Its error is kept
    // here, not returned, when the part lines were earned first: they are printed before it.
    std::optional<Result<unpack::VerifyReport>> whole;
};

Result<VerifyOutcome> run_verify(const VerifyCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys, load_trusted_keys(o.trust));
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    VerifyOutcome outcome{o.bundle, {}, {}};
    AIRLOCK_TRY_ASSIGN(outcome.parts, bundle::verify_parts(o.bundle, keys, o.trust.required, dirs));
    if (outcome.parts && !outcome.parts->complete()) {
        return outcome;
    }
    auto whole = unpack::verify_bundle(o.bundle, keys, reporter, o.trust.required, dirs);
    if (!whole && !outcome.parts) {
        return std::unexpected(std::move(whole.error()));
    }
    outcome.whole = std::move(whole);
    return outcome;
}

// Exit 4 for a damaged part or a bundle with problems; the error's own code when the bundle could
// not be read after its parts; 0 otherwise, also while parts are missing here.
int exit_code_of(const VerifyOutcome& outcome)
{
    if (outcome.parts && outcome.parts->damaged > 0) {
        return k_exit_verification;
    }
    if (!outcome.whole) {
        return k_exit_ok;
    }
    if (!*outcome.whole) {
        return exit_code_for(outcome.whole->error().code);
    }
    return (*outcome.whole)->ok() ? k_exit_ok : k_exit_verification;
}

// One line per part, a damaged one as an error on stderr, then what the parts allow.
void print_parts(const bundle::PartsReport& parts)
{
    for (const auto& part : parts.parts) {
        switch (part.state) {
        case bundle::PartCheck::State::intact:
            std::cout << "part " << printable(part.name) << ": OK\n";
            break;
        case bundle::PartCheck::State::missing:
            std::cout << "part " << printable(part.name) << ": missing (" << printable(part.detail)
                      << ")\n";
            break;
        case bundle::PartCheck::State::damaged:
            std::cerr << "airlock: error: part " << printable(part.name) << ": DAMAGED ("
                      << printable(part.detail) << ")\n";
            break;
        }
    }
    if (parts.damaged > 0) {
        std::cerr << "airlock: error: " << parts.damaged << " damaged part(s) of "
                  << printable(parts.bundle) << '\n';
    } else if (!parts.complete()) {
        std::cout << parts.intact << " of " << parts.parts.size()
                  << " parts present here and intact; "
                  << "the content is verified when all parts are present (--parts-dir)\n";
    }
}

// Every digest, size and structure problem, and the image closures that are not whole.
std::vector<Error> problems_of(const unpack::VerifyReport& report)
{
    std::vector<Error> problems = report.content.problems;
    problems.insert(problems.end(), report.closure.begin(), report.closure.end());
    return problems;
}

// The problems on stderr, with or without --json.
void print_problems(const std::string& bundle, const unpack::VerifyReport& report)
{
    const std::vector<Error> problems = problems_of(report);
    if (problems.empty()) {
        return;
    }
    for (const auto& p : problems) {
        std::cerr << "airlock: error: " << printable(p.message) << '\n';
    }
    if (report.content.problems_not_kept > 0) {
        std::cerr << "airlock: error: ... and " << report.content.problems_not_kept
                  << " more problem(s) not shown\n";
    }
    std::cerr << "airlock: error: " << printable(bundle)
              << " FAILED verification: " << problems.size() + report.content.problems_not_kept
              << " problem(s)\n";
}

void print_text(const VerifyOutcome& outcome)
{
    if (outcome.parts) {
        print_parts(*outcome.parts);
    }
    if (!outcome.whole) {
        return;
    }
    if (!*outcome.whole) {
        report_error(outcome.whole->error(), GlobalOptions{.quiet = false, .json = false});
        return;
    }
    const unpack::VerifyReport& report = **outcome.whole;
    if (!report.ok()) {
        print_problems(outcome.bundle, report);
        return;
    }
    const auto& signers = report.signatures.trusted_signers;
    std::cout << outcome.bundle << ": OK\n"
              << "  signature: valid, by " << signers.size()
              << " trusted key(s): " << signers.front() << (signers.size() > 1 ? ", ..." : "")
              << '\n'
              << "  content:   " << report.content.blobs << " blobs, "
              << human_size(report.content.blob_bytes) << ", every digest and size matches\n"
              << "  images:    " << report.header.manifest.images.size() << '\n';
}

void print_json(const VerifyOutcome& outcome)
{
    // The part lines have no JSON form: they are printed as text under --json too.
    if (outcome.parts) {
        print_parts(*outcome.parts);
    }
    if (!outcome.whole) {
        return;
    }
    if (!*outcome.whole) {
        report_error(outcome.whole->error(), GlobalOptions{.quiet = false, .json = true});
        return;
    }
    const unpack::VerifyReport& report = **outcome.whole;
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : problems_of(report)) {
        problems.push_back({{"class", errc_name(p.code)}, {"message", p.message}});
    }
    cli::print_json({{"ok", report.ok()},
                     {"bundle", outcome.bundle},
                     {"signers", report.signatures.trusted_signers},
                     {"untrustedSigners", report.signatures.unknown_signers},
                     {"images", report.header.manifest.images.size()},
                     {"blobs", report.content.blobs},
                     {"blobBytes", report.content.blob_bytes},
                     {"problems", problems},
                     {"problemsNotShown", report.content.problems_not_kept}});
    print_problems(outcome.bundle, report);
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
    cmd->callback(
        [options, &ctx] { ctx.exit_code = finish(run_verify(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
