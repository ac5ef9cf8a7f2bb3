// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/platform.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// Refuses a bundle whose `expires` time passed (Errc::policy), unless `allow_expired`.
Result<> check_expiry(const manifest::BundleManifest& bundle, std::int64_t now, bool allow_expired);

// The Windows build the images of an import are checked against: the one given
// (--host-os-version, for importing on one machine for other hosts), else `detected`, the build
// of the Windows airlock runs on; empty (no check) on other systems without one given.
std::string windows_host_build(const std::string& given,
                               const std::optional<std::string>& detected);

// The entry of an index to load for `platform` (a store that takes one platform, as Docker
// Engine does): one `platform` accepts, and among Windows images of several builds the one
// `host_build` runs best (process isolation before Hyper-V, then the newest build), as
// check_windows_hosts judges them; without a host build, the first. Nothing when none fits.
std::optional<std::size_t> best_platform_entry(const std::vector<manifest::Descriptor>& entries,
                                               const manifest::Platform& platform,
                                               const std::optional<std::string>& host_build);

// Compares every Windows image's os.version with the host build `host_os_version` (nothing to
// do when empty): warns when an image runs there only with Hyper-V isolation, and when it is
// newer than the host and cannot run at all, which is Errc::policy with `require_compatible`.
Result<> check_windows_hosts(const manifest::BundleManifest& bundle,
                             const std::string& host_os_version,
                             bool require_compatible,
                             Reporter& reporter);

// The error for a blob a differential bundle requires but the target lacks: names the digest,
// the image that needs it and what the bundle assumed the target held.
Error missing_required_blob(const manifest::BundleManifest& bundle,
                            const std::string& image,
                            const manifest::BundleBlob& blob,
                            const std::string& store);

} // namespace airlock::unpack
