// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"
#include "json_shapes.hpp"
#include "trust_options.hpp"
#include "value_names.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/unpack/site_check.hpp>
#include <airlock/unpack/verify.hpp>

#include <iostream>
#include <optional>

namespace airlock::cli {

namespace {

struct VerifyCommandOptions
{
    std::string bundle;
    TrustOptions trust;
    bool partial = false; // one medium of several: parts not at hand are expected
    bool allow_expired = false;
    std::string against; // a site's inventory: would the bundle import there?
};

// What verify found. A split bundle's parts are checked first, so that each medium can be checked
// on its own; the bundle itself only once all of its parts are here and intact.
struct VerifyOutcome
{
    std::string bundle;
    bool partial = false;
    std::optional<bundle::PartsReport> parts; // a split bundle: its parts on the media at hand
    // The bundle's own verification; absent while parts are missing or damaged. Its error is kept
    // here, not returned, when the part lines were earned first: they are printed before it.
    std::optional<Result<unpack::VerifyReport>> whole;
    std::optional<unpack::SiteCheck> site; // --against, once the bundle verified
};

Result<VerifyOutcome> run_verify(const VerifyCommandOptions& o, Context& ctx)
{
    ConsoleReporter reporter(ctx.global);
    AIRLOCK_TRY_ASSIGN(const bundle::TrustedKeys keys, load_trusted_keys(o.trust, ctx.settings));
    const std::vector<std::filesystem::path> dirs = parts_directories(o.trust);
    std::optional<manifest::Inventory> site;
    if (!o.against.empty()) {
        if (o.partial) {
            return fail(Errc::usage,
                        "--against judges the whole bundle: leave out --partial, and give every "
                        "part (--parts-dir)");
        }
        AIRLOCK_TRY_ASSIGN(site, unpack::load_inventory(o.against));
    }
    VerifyOutcome outcome{o.bundle, o.partial, {}, {}, {}};
    AIRLOCK_TRY_ASSIGN(outcome.parts, bundle::verify_parts(o.bundle, keys, o.trust.required, dirs));
    if (outcome.parts && !outcome.parts->complete()) {
        return outcome;
    }
    auto whole = unpack::verify_bundle(
        o.bundle,
        keys,
        reporter,
        {.required_signatures = o.trust.required, .allow_expired = o.allow_expired},
        dirs);
    if (!whole && !outcome.parts) {
        return std::unexpected(std::move(whole.error()));
    }
    if (whole && whole->ok() && site) {
        const auto& header = whole->header;
        outcome.site =
            unpack::check_against_inventory(*site,
                                            o.against,
                                            header.manifest,
                                            "sha256:" + crypto::sha256_hex(header.manifest_bytes));
    }
    outcome.whole = std::move(whole);
    return outcome;
}

// Parts are missing here, and the command was not told that only some are expected.
bool missing_parts(const VerifyOutcome& outcome)
{
    return outcome.parts && outcome.parts->missing > 0 && !outcome.partial;
}

// Exit 4 for a damaged part or a bundle with problems; 1 for a missing part unless --partial;
// the error's own code when the bundle could not be read after its parts; 0 otherwise.
int exit_code_of(const VerifyOutcome& outcome)
{
    if (outcome.parts && outcome.parts->damaged > 0) {
        return k_exit_verification;
    }
    if (missing_parts(outcome)) {
        return exit_code_for(Errc::not_found);
    }
    if (!outcome.whole) {
        return k_exit_ok;
    }
    if (!*outcome.whole) {
        return exit_code_for(outcome.whole->error().code);
    }
    if (!(*outcome.whole)->ok()) {
        return k_exit_verification;
    }
    if (outcome.site && !outcome.site->missing.empty()) {
        return exit_code_for(Errc::not_found);
    }
    return outcome.site && !outcome.site->importable() ? k_exit_policy : k_exit_ok;
}

// --against: whether the site described by the inventory would take the bundle, and why not.
void print_site_check(const unpack::SiteCheck& site, const manifest::BundleManifest& bundle)
{
    std::cout << "  against:   " << printable(site.inventory) << " (" << printable(site.store)
              << "): " << (site.importable() ? "would import" : "would NOT import") << '\n';
    if (site.required > 0) {
        std::cout << "  required:  " << site.required - site.missing.size() << " of "
                  << site.required << " blobs the bundle leaves out are at the site\n";
    }
    for (const auto& blob : site.missing) {
        print_error(str_cat("the site lacks ",
                            blob.digest.str(),
                            ", which the bundle needs (pack --since an up-to-date inventory)"));
    }
    using Channel = unpack::SiteCheck::Channel;
    if (site.channel == Channel::none) {
        return;
    }
    const std::string mark = str_cat("channel ",
                                     printable(bundle.channel),
                                     " #",
                                     bundle.sequence.value_or(0),
                                     ", the site's #",
                                     site.site_sequence.value_or(0));
    switch (site.channel) {
    case Channel::ahead:
        std::cout << "  channel:   " << mark << ": ahead\n";
        break;
    case Channel::same:
        std::cout << "  channel:   " << mark << ": the site imported this bundle already\n";
        break;
    case Channel::behind:
        print_error(mark + ": older than the site's; import refuses it (--allow-downgrade)");
        break;
    case Channel::conflict:
        print_error(mark
                    + ": the site imported another bundle with this sequence; import refuses it");
        break;
    case Channel::none:
        break;
    }
}

nlohmann::json site_json(const unpack::SiteCheck& site)
{
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& blob : site.missing) {
        missing.push_back(blob.digest.str());
    }
    nlohmann::json out = {{"inventory", site.inventory},
                          {"store", site.store},
                          {"importable", site.importable()},
                          {"required", site.required},
                          {"missing", missing},
                          {"channel", unpack::channel_state_name(site.channel)}};
    if (site.site_sequence) {
        out["siteSequence"] = *site.site_sequence;
    }
    return out;
}

std::string missing_list(const bundle::PartsReport& parts)
{
    std::string out;
    for (const auto& part : parts.parts) {
        if (part.state == bundle::PartCheck::State::missing) {
            out += (out.empty() ? "" : ", ") + part.name;
        }
    }
    return out;
}

// One line per part, a damaged one as an error on stderr, then what the parts allow.
void print_parts(const VerifyOutcome& outcome)
{
    const bundle::PartsReport& parts = *outcome.parts;
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
            print_error(str_cat("part ", part.name, ": DAMAGED (", part.detail, ")"));
            break;
        }
    }
    if (parts.damaged > 0) {
        print_error(str_cat(parts.damaged, " damaged part(s) of ", parts.bundle));
    } else if (missing_parts(outcome)) {
        print_error(str_cat("missing part(s) of ",
                            parts.bundle,
                            ": ",
                            missing_list(parts),
                            " (give the directories that hold them with --parts-dir, or check only "
                            "the parts here with --partial)"));
    } else if (!parts.complete()) {
        std::cout << parts.intact << " of " << parts.parts.size()
                  << " parts present here and intact; "
                  << "the content is verified when all parts are present (--parts-dir)\n";
    }
}

const char* state_name(bundle::PartCheck::State state)
{
    switch (state) {
    case bundle::PartCheck::State::intact:
        return "intact";
    case bundle::PartCheck::State::damaged:
        return "damaged";
    case bundle::PartCheck::State::missing:
        return "missing";
    }
    return "missing";
}

// Each part with what was found of it, as `parts` (the same key as pack's and inspect's list).
nlohmann::json parts_json(const bundle::PartsReport& parts)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& part : parts.parts) {
        list.push_back(
            {{"name", part.name}, {"state", state_name(part.state)}, {"detail", part.detail}});
    }
    return list;
}

// What the parts at hand allow.
nlohmann::json parts_summary_json(const bundle::PartsReport& parts)
{
    return {{"bundle", parts.bundle},
            {"intact", parts.intact},
            {"damaged", parts.damaged},
            {"missing", parts.missing},
            {"complete", parts.complete()}};
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
        print_error(p.message);
    }
    if (report.content.problems_not_kept > 0) {
        print_error(
            str_cat("... and ", report.content.problems_not_kept, " more problem(s) not shown"));
    }
    print_error(str_cat(bundle,
                        " FAILED verification: ",
                        problems.size() + report.content.problems_not_kept,
                        " problem(s)"));
}

void print_text(const VerifyOutcome& outcome)
{
    if (outcome.parts) {
        print_parts(outcome);
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
    if (outcome.site) {
        print_site_check(*outcome.site, report.header.manifest);
    }
}

// One JSON document on stdout: the parts (split bundles), then the bundle's verification or the
// error that stopped it; problems also on stderr, as in text.
void print_json(const VerifyOutcome& outcome)
{
    nlohmann::json doc = {{"ok", exit_code_of(outcome) == k_exit_ok}, {"bundle", outcome.bundle}};
    if (outcome.parts) {
        doc["parts"] = parts_json(*outcome.parts);
        doc["partsSummary"] = parts_summary_json(*outcome.parts);
        if (missing_parts(outcome)) {
            doc["error"] = error_json(Error{Errc::not_found,
                                            str_cat("missing part(s) of ",
                                                    outcome.parts->bundle,
                                                    ": ",
                                                    missing_list(*outcome.parts)),
                                            {}});
        }
    }
    if (outcome.whole && !*outcome.whole) {
        const Error& error = outcome.whole->error();
        doc["error"] = error_json(error);
        print_error(error.message);
    }
    if (outcome.whole && *outcome.whole) {
        const unpack::VerifyReport& report = **outcome.whole;
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : problems_of(report)) {
            problems.push_back(error_json(p));
        }
        doc.update({{"signers", signers_json(report.signatures.trusted_signers)},
                    {"untrustedSigners", signers_json(report.signatures.unknown_signers)},
                    {"images", images_json(report.header.manifest.images)},
                    {"blobs", report.content.blobs},
                    {"contentBytes", report.content.blob_bytes},
                    {"problems", problems},
                    {"problemsNotShown", report.content.problems_not_kept}});
        if (outcome.site) {
            doc["against"] = site_json(*outcome.site);
            if (!outcome.site->importable()) {
                const bool missing = !outcome.site->missing.empty();
                doc["error"] = error_json(
                    Error{missing ? Errc::not_found : Errc::policy,
                          missing ? str_cat("the site lacks ",
                                            outcome.site->missing.size(),
                                            " blob(s) the bundle needs")
                                  : str_cat("the site's channel refuses the bundle (",
                                            unpack::channel_state_name(outcome.site->channel),
                                            ")"),
                          {}});
            }
        }
    }
    doc["exitCode"] = exit_code_of(outcome);
    cli::print_json(doc);
    if (outcome.whole && *outcome.whole) {
        print_problems(outcome.bundle, **outcome.whole);
    }
}

} // namespace

void register_verify(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<VerifyCommandOptions>();
    auto* cmd = app.add_subcommand("verify",
                                   "Check a bundle's signature and every digest; imports nothing");
    cmd->add_option("bundle", options->bundle, "Bundle file")
        ->required()
        ->type_name(value_name::file);
    add_trust_options(*cmd, options->trust);
    cmd->add_flag("--partial",
                  options->partial,
                  "Check only the parts of a split bundle at hand (one medium of several): "
                  "missing parts are expected");
    cmd->add_flag("--allow-expired",
                  options->allow_expired,
                  "Accept a bundle past its expiry (as import --allow-expired)");
    cmd->add_option("--against",
                    options->against,
                    "A site's inventory (airlock inventory): would the bundle import there?")
        ->type_name(value_name::file);
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback(
        [options, &ctx] { ctx.exit_code = finish(run_verify(*options, ctx), ctx.global); });
}

} // namespace airlock::cli
