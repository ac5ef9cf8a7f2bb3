// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/trust.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

enum class SignaturePolicy {
    require,
    skip, // --insecure-skip-signature
};

enum class LatestPolicy {
    apply,
    skip, // --no-latest
};

struct ImportOptions
{
    std::filesystem::path bundle;
    std::vector<std::filesystem::path> parts_dirs; // where parts of a split bundle may be
    std::string store; // the target as `--to` names it (store_spec.hpp); empty: the default store
    StoreOptions store_options;
    SignaturePolicy signature = SignaturePolicy::require;
    std::size_t required_signatures = 1; // distinct trusted keys that must have signed
    std::string host_os_version;         // Windows build of the hosts that will run the images
    bool require_compatible = false;     // refuse Windows images those hosts cannot run
    bool allow_downgrade = false;        // import an older sequence of a channel
    bool allow_expired = false;          // import a bundle past its expiry
    LatestPolicy latest = LatestPolicy::apply;
    std::vector<std::string> extra_tags; // --tag, applied to every image
    bool dry_run = false;                // check everything, write nothing (oci: stores)
};

// What happened to one tag.
struct TagChange
{
    enum class Action {
        added,     // the tag did not exist
        moved,     // it pointed at another image
        unchanged, // it already pointed here
        kept,      // latest left on a newer image
    };

    std::string tag;
    Action action = Action::added;
    std::string note;
};

struct ImportedImage
{
    std::string name;
    manifest::Digest digest;
    std::string version;
    std::vector<TagChange> tags;
};

struct ImportSummary
{
    std::string store; // the store as Store::name() spells it: "oci:DIR", "docker://HOST/PREFIX"
    std::vector<std::string> signers;
    std::vector<ImportedImage> images;
    std::uint64_t blobs_written = 0;
    std::uint64_t blobs_present = 0;
    std::uint64_t blobs_mounted = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t bytes_present = 0; // dry runs: bytes of the bundle's blobs the store has
    // What the bundle carries: vendors' lookaside signatures, attached manifests (sigstore
    // attachments, referrers); and how many of each the store holds after the import (fewer:
    // a warning said why; none for a dry run).
    std::uint64_t signatures = 0;
    std::uint64_t attachments = 0;
    std::uint64_t signatures_kept = 0;
    std::uint64_t attachments_kept = 0;
    bool index_changed = false;
    bool dry_run = false; // nothing was written: the counts and tags say what an import would do
};

const char* tag_action_name(TagChange::Action action);

// Imports a bundle into the store `options.store` names (stores/store.hpp): the signature
// first (before any blob is read), then the site's policy (expiry, channel sequence, Windows
// hosts), then one streaming pass in which every blob is verified on its way into the store,
// then the closure of every image, and only then tags. Each store keeps its own promise of
// what a failure leaves (docs/usage.md); none shows a tag of content that did not verify.
// Errc::usage, Errc::signature_invalid, Errc::policy, Errc::digest_mismatch, Errc::format,
// Errc::unsafe_entry, Errc::unsupported, Errc::io, Errc::network, Errc::cancelled.
Result<ImportSummary>
import_bundle(const ImportOptions& options, const bundle::TrustedKeys& trusted, Reporter& reporter);

} // namespace airlock::unpack
