// SPDX-License-Identifier: Apache-2.0
//
// The one table of store kinds: how a `--to` spec is recognised and which file opens it.

#include "kinds.hpp"

#include <airlock/base/str_cat.hpp>

#include <array>

namespace airlock::unpack {

namespace {

using Opener = Result<std::unique_ptr<Store>> (*)(std::string_view, const StoreOptions&);

struct StoreKind
{
    std::string_view word;  // what a spec says before its first ':' or '?'
    std::string_view start; // how an operator starts writing one (shell completion offers it)
    Opener open;
    bool takes_channel_state;
};

constexpr std::array k_kinds = {
    StoreKind{"oci", "oci:", open_oci_layout_store, false},
    StoreKind{"docker", "docker://", open_registry_store, true}, // docker://HOST[:PORT][/PREFIX]
    StoreKind{"docker-engine", "docker-engine", open_docker_engine_store, false},
    StoreKind{"containerd", "containerd", open_containerd_store, false},
    StoreKind{"podman", "podman", open_podman_store, false},
    StoreKind{"containers-storage", "containers-storage", open_podman_store, false},
};

} // namespace

Result<std::unique_ptr<Store>> open_store(std::string_view spec, const StoreOptions& options)
{
    for (const StoreKind& kind : k_kinds) {
        const bool default_store = spec.empty() && kind.word == "oci";
        if (!default_store && spec.substr(0, spec.find_first_of(":?")) != kind.word) {
            continue;
        }
        if (options.channel_state && !kind.takes_channel_state) {
            return fail(Errc::usage, "--channel-state applies to docker:// stores only");
        }
        // The other stores keep signatures in one place of their own, or none: a directory
        // given for them would be silently left empty.
        if (!options.signatures_dir.empty() && kind.word != "docker") {
            return fail(Errc::usage,
                        "--signatures-dir applies to docker:// stores only (an OCI store keeps "
                        "the vendors' signatures in its own signatures/ directory)");
        }
        return default_store ? open_default_store() : kind.open(spec, options);
    }
    return fail(Errc::usage,
                str_cat("unsupported store '",
                        spec,
                        "': expected oci:DIR, docker://HOST[:PORT][/PREFIX], "
                        "docker-engine[:unix:///PATH or npipe:////./pipe/NAME] or "
                        "containerd[:SOCKET][?namespace=NS] or podman"));
}

std::vector<std::string_view> store_spec_starts()
{
    std::vector<std::string_view> starts;
    for (const StoreKind& kind : k_kinds) {
        starts.push_back(kind.start);
    }
    return starts;
}

Result<> check_store_spec(std::string_view spec, const StoreOptions& options)
{
    AIRLOCK_TRY(open_store(spec, options)); // opening reads and connects nothing
    return {};
}

} // namespace airlock::unpack
