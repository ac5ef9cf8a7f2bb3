// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/unpack/import.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace airlock::unpack {

// Refuses a bundle whose `expires` time passed (Errc::policy), unless `allow_expired`.
Result<> check_expiry(const manifest::BundleManifest& bundle, std::int64_t now, bool allow_expired);

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

// The highest sequence imported per channel into one store, with the SHA-256 of that bundle's
// bundle.json: a replay of an older bundle (rollback) or a different bundle with the same
// sequence (freeze / equivocation) is refused.
class ChannelLedger
{
  public:
    explicit ChannelLedger(std::filesystem::path file)
        : m_file(std::move(file))
    {
    }

    // Errc::policy naming the channel and both sequences, unless `allow_downgrade`.
    Result<> check(const manifest::BundleManifest& bundle,
                   const std::string& bundle_digest,
                   bool allow_downgrade) const;

    // Remembers a successful import (keeps the highest sequence). Errc::io.
    Result<> record(const manifest::BundleManifest& bundle, const std::string& bundle_digest) const;

  private:
    std::filesystem::path m_file;
};

// Where the channel ledger of the store `options` imports into lives: DIR/.airlock/ for an OCI
// store, else airlock's state directory (/var/lib/airlock/state as root, else
// $XDG_DATA_HOME/airlock/state), one file per store.
std::filesystem::path ledger_path(const ImportOptions& options, const std::string& store_name);

} // namespace airlock::unpack
