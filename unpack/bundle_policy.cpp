// SPDX-License-Identifier: Apache-2.0
#include "bundle_policy.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/windows.hpp>

namespace airlock::unpack {

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
                            "); use it anyway only with --allow-expired"));
    }
    return {};
}

std::string windows_host_build(const std::string& given, const std::optional<std::string>& detected)
{
    return given.empty() ? detected.value_or(std::string()) : given;
}

std::optional<std::size_t> best_platform_entry(const std::vector<manifest::Descriptor>& entries,
                                               const manifest::Platform& platform,
                                               const std::optional<std::string>& host_build)
{
    std::optional<std::size_t> best;
    std::pair<int, unsigned long> best_rank{};
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        if (!entry.platform || !platform.accepts(*entry.platform)) {
            continue;
        }
        const auto fit = host_build ? manifest::windows_fit(entry.platform->os_version, *host_build)
                                    : std::nullopt;
        // Lower is better: the fit (unknown last), then the newer build. Without a host build
        // every rank is the same and the first entry stays.
        const std::pair<int, unsigned long> rank{
            fit ? static_cast<int>(*fit) : 3,
            host_build ? ~manifest::windows_build(entry.platform->os_version).value_or(0) : 0UL};
        if (!best || rank < best_rank) {
            best = i;
            best_rank = rank;
        }
    }
    return best;
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

} // namespace airlock::unpack
