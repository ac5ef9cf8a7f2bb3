// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/registry/options.hpp>
#include <airlock/unpack/trust.hpp>

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

// Where a registry store's channel marks are kept.
enum class ChannelStatePlace {
    registry, // in the registry (PREFIX/airlock-state), seen by every importing machine
    local,    // --channel-state local: only in this machine's state directory
};

enum class LatestPolicy {
    apply,
    skip, // --no-latest
};

// A registry to push into: "docker://HOST[:PORT][/PREFIX]".
struct RegistryTarget
{
    std::string host;
    std::string prefix; // prepended to every repository path
};

// Parses "docker://HOST[:PORT][/PREFIX]". Errc::usage.
Result<RegistryTarget> parse_registry_target(std::string_view spec);

// The repository an image named `name` ("mcr.microsoft.com/windows/servercore") gets in
// `target`: PREFIX/windows/servercore, or PREFIX/mcr.microsoft.com/windows/servercore when
// `keep_host` (a port becomes "-PORT", as ':' cannot appear in a path).
Result<std::string>
target_repository(const std::string& name, const RegistryTarget& target, bool keep_host);

// A Docker Engine to load into: "docker-engine[:unix:///path/docker.sock]".
struct EngineTarget
{
    std::string socket; // unix socket path
};

// Parses "docker-engine[:unix:///path]"; without a path, $DOCKER_HOST (unix://) or
// /var/run/docker.sock. Errc::usage.
Result<EngineTarget> parse_engine_target(std::string_view spec);

// A containerd to import into: "containerd[:/run/containerd/containerd.sock][?namespace=NS]".
struct ContainerdTarget
{
    std::string socket = "/run/containerd/containerd.sock";
    std::string namespace_name = "default"; // Kubernetes nodes use k8s.io
};

// Parses the containerd store syntax. Errc::usage.
Result<ContainerdTarget> parse_containerd_target(std::string_view spec);

struct ImportOptions
{
    std::filesystem::path bundle;
    std::vector<std::filesystem::path> parts_dirs; // where parts of a split bundle may be
    std::filesystem::path store;                   // oci:DIR store
    std::optional<RegistryTarget> registry;        // or a registry to push into
    std::optional<EngineTarget> engine;            // or a Docker Engine to load into
    std::optional<ContainerdTarget> containerd;    // or a containerd namespace
    registry::RegistryOptions registry_access;     // auth, TLS, --jobs for the registry
    bool keep_registry_host = false;
    std::uint64_t chunk_size = 32ULL << 20U; // larger blobs are pushed in PATCH chunks
    SignaturePolicy signature = SignaturePolicy::require;
    std::size_t required_signatures = 1; // distinct trusted keys that must have signed
    std::string host_os_version;         // Windows build of the hosts that will run the images
    bool require_compatible = false;     // refuse Windows images those hosts cannot run
    bool allow_downgrade = false;        // import an older sequence of a channel
    bool allow_expired = false;          // import a bundle past its expiry
    ChannelStatePlace channel_state = ChannelStatePlace::registry; // docker:// stores only
    LatestPolicy latest = LatestPolicy::apply;
    std::vector<std::string> extra_tags; // --tag, applied to every image
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
    manifest::Digest digest = manifest::Digest::sha256(std::string(64, '0'));
    std::string version;
    std::vector<TagChange> tags;
};

struct ImportSummary
{
    std::string store; // "oci:DIR" or "docker://HOST/PREFIX"
    std::vector<std::string> signers;
    std::vector<ImportedImage> images;
    std::uint64_t blobs_written = 0;
    std::uint64_t blobs_present = 0;
    std::uint64_t blobs_mounted = 0;
    std::uint64_t bytes_written = 0;
    bool index_changed = false;
};

const char* tag_action_name(TagChange::Action action);

// Imports a bundle into an OCI layout store: signature first (before any blob is read), then
// one streaming pass that hashes every blob into a private staging directory, then, under the
// store lock, blobs renamed in and index.json replaced atomically. Any failure leaves the store
// as it was. Errc::signature_invalid, Errc::digest_mismatch, Errc::format, Errc::unsafe_entry,
// Errc::io, Errc::cancelled.
Result<ImportSummary>
import_bundle(const ImportOptions& options, const TrustedKeys& trusted, Reporter& reporter);

} // namespace airlock::unpack
