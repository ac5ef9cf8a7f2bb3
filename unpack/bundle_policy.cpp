// SPDX-License-Identifier: Apache-2.0
#include "bundle_policy.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/windows.hpp>

#include <unistd.h>

#include <cstdlib>

namespace airlock::unpack {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json load(const fs::path& file)
{
    auto text = read_file(file, 4U << 20U);
    if (!text) {
        return json::object();
    }
    auto doc = manifest::parse_json(*text, file.string());
    return doc && doc->is_object() ? *doc : json::object();
}

} // namespace

Result<> check_expiry(const manifest::BundleManifest& bundle, std::int64_t now, bool allow_expired)
{
    if (bundle.expires.empty() || allow_expired) {
        return {};
    }
    const auto expires = parse_rfc3339(bundle.expires);
    if (!expires) {
        return fail(Errc::format, str_cat("bundle.json: invalid expiry '", bundle.expires, "'"));
    }
    if (now > *expires) {
        return fail(Errc::policy,
                    str_cat("the bundle expired at ",
                            bundle.expires,
                            " (now ",
                            format_rfc3339_utc(now),
                            "); import it anyway only with --allow-expired"));
    }
    return {};
}

Result<> check_windows_hosts(const manifest::BundleManifest& bundle,
                             const std::string& host_os_version,
                             bool require_compatible,
                             Reporter& reporter)
{
    if (host_os_version.empty()) {
        return {};
    }
    if (!manifest::windows_build(host_os_version)) {
        return fail(Errc::usage,
                    str_cat("invalid --host-os-version '",
                            host_os_version,
                            "': expected e.g. 10.0.20348.2849"));
    }
    for (const auto& image : bundle.images) {
        std::optional<manifest::WindowsFit> best;
        std::string best_version;
        for (const auto& platform : image.platforms) {
            const auto colon = platform.find(':');
            if (!platform.starts_with("windows/") || colon == std::string::npos) {
                continue;
            }
            const std::string version = platform.substr(colon + 1);
            const auto fit = manifest::windows_fit(version, host_os_version);
            if (fit && (!best || *fit < *best)) {
                best = fit;
                best_version = version;
            }
        }
        if (!best || *best == manifest::WindowsFit::process_isolation) {
            continue;
        }
        if (*best == manifest::WindowsFit::hyperv_only) {
            reporter.warn(str_cat(image.name,
                                  " (Windows ",
                                  best_version,
                                  ") runs on hosts of build ",
                                  host_os_version,
                                  " only with Hyper-V isolation (process isolation needs the same "
                                  "build before 20348)"));
            continue;
        }
        const std::string why = str_cat(image.name,
                                        " (Windows ",
                                        best_version,
                                        ") is newer than the host build ",
                                        host_os_version,
                                        " and cannot run there");
        if (require_compatible) {
            return fail(Errc::policy, why + " (--require-compatible)");
        }
        reporter.warn(why);
    }
    return {};
}

Error missing_required_blob(const manifest::BundleManifest& bundle,
                            const std::string& image,
                            const manifest::BundleBlob& blob,
                            const std::string& store)
{
    return Error{Errc::not_found,
                 str_cat("differential bundle needs blob ",
                         blob.digest.str(),
                         " (",
                         blob.media_type,
                         image.empty() ? "" : ", used by " + image,
                         "), which ",
                         store,
                         " does not hold",
                         bundle.since.empty() ? "" : "; it was packed against " + bundle.since,
                         "; import the bundle that delivered it first"),
                 {}};
}

Result<> ChannelLedger::check(const manifest::BundleManifest& bundle,
                              const std::string& bundle_digest,
                              bool allow_downgrade) const
{
    if (bundle.channel.empty() || !bundle.sequence || allow_downgrade) {
        return {};
    }
    const json doc = load(m_file);
    const auto entry = doc.find(bundle.channel);
    if (entry == doc.end() || !entry->is_object()) {
        return {};
    }
    const auto seen = entry->value("sequence", std::uint64_t{0});
    const auto seen_digest = entry->value("bundle", std::string());
    if (*bundle.sequence < seen) {
        return fail(Errc::policy,
                    str_cat("channel '",
                            bundle.channel,
                            "' is at sequence ",
                            seen,
                            " in this store; this bundle is ",
                            *bundle.sequence,
                            " (an older bundle: rollback refused; --allow-downgrade to force)"));
    }
    if (*bundle.sequence == seen && bundle_digest != seen_digest) {
        return fail(Errc::policy,
                    str_cat("channel '",
                            bundle.channel,
                            "' sequence ",
                            seen,
                            " was imported from a different bundle (bundle.json ",
                            seen_digest,
                            "); refused (--allow-downgrade to force)"));
    }
    return {};
}

Result<> ChannelLedger::record(const manifest::BundleManifest& bundle,
                               const std::string& bundle_digest) const
{
    if (bundle.channel.empty() || !bundle.sequence) {
        return {};
    }
    json doc = load(m_file);
    const auto entry = doc.find(bundle.channel);
    if (entry != doc.end() && entry->is_object()
        && entry->value("sequence", std::uint64_t{0}) > *bundle.sequence) {
        return {}; // a forced downgrade does not lower the mark
    }
    doc[bundle.channel] = {{"sequence", *bundle.sequence},
                           {"bundle", bundle_digest},
                           {"imported", format_rfc3339_utc(now_seconds())}};
    AIRLOCK_TRY(make_directories(m_file.parent_path()));
    return write_file_atomic(m_file, doc.dump(2) + "\n");
}

fs::path ledger_path(const ImportOptions& options, const std::string& store_name)
{
    if (!options.registry && !options.engine && !options.containerd) {
        return options.store / ".airlock" / "channels.json";
    }
    const fs::path state = data_dir() / "state";
    std::string name;
    for (const char c : store_name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                           || (c >= '0' && c <= '9') || c == '.' || c == '-';
        name.push_back(plain ? c : '_');
    }
    return state / "channels" / (name + ".json");
}

} // namespace airlock::unpack
