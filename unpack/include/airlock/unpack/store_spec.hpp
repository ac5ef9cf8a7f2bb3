// SPDX-License-Identifier: Apache-2.0
#pragma once

// The stores an import can write to, as the operator names them (`--to SPEC`), and the
// options that only some of them take.

#include <airlock/base/error.hpp>
#include <airlock/http/local_transport.hpp>
#include <airlock/registry/options.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::unpack {

// Where a registry store's channel marks are kept.
enum class ChannelStatePlace {
    registry, // in the registry (PREFIX/airlock-state), seen by every importing machine
    local,    // --channel-state local: only in this machine's state directory
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

// A Docker Engine to load into: "docker-engine[:unix:///path/docker.sock]",
// "docker-engine[:npipe:////./pipe/docker_engine]".
struct EngineTarget
{
    http::LocalEndpoint endpoint;
};

// Parses "docker-engine[:ADDRESS]"; without an address, $DOCKER_HOST, else the system's
// default: unix:///var/run/docker.sock, on Windows npipe:////./pipe/docker_engine.
// Errc::usage for a malformed address, Errc::unsupported for another kind (tcp://).
Result<EngineTarget> parse_engine_target(std::string_view spec);

// A containerd to import into: "containerd[:/run/containerd/containerd.sock][?namespace=NS]".
struct ContainerdTarget
{
    std::string socket = "/run/containerd/containerd.sock";
    std::string namespace_name = "default"; // Kubernetes nodes use k8s.io
};

// Parses the containerd store syntax. Errc::usage.
Result<ContainerdTarget> parse_containerd_target(std::string_view spec);

// What a store spec alone does not say; each store takes the fields that concern it.
struct StoreOptions
{
    registry::RegistryOptions registry_access;      // auth, TLS, --jobs for docker:// stores
    bool keep_registry_host = false;                // docker://: keep the source host in the path
    std::uint64_t chunk_size = 32ULL << 20U;        // docker://: larger blobs go in PATCH chunks
    std::optional<ChannelStatePlace> channel_state; // docker:// only; registry when not given
    // docker://: where the vendors' signatures the bundle carries go: --signatures-dir, else
    // the lookaside-staging (or lookaside) of registries.d for the destination repository.
    std::filesystem::path signatures_dir;
    std::filesystem::path registries_d; // empty: the user's, else /etc/containers/registries.d
    // podman: images loaded at once. One unless --jobs says otherwise: containers-storage has
    // known races between concurrent writers of layers that images share.
    unsigned podman_jobs = 1;
};

// Whether `spec` names a store import can open with `options` (a known kind, well formed, no
// option it does not take), without touching it. Errc::usage.
Result<> check_store_spec(std::string_view spec, const StoreOptions& options);

// How a spec of each kind of store begins ("oci:", "docker://", "docker-engine", "containerd"),
// from the table open_store picks a kind by: what shell completion offers for --to.
std::vector<std::string_view> store_spec_starts();

} // namespace airlock::unpack
