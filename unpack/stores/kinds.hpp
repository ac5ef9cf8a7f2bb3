// SPDX-License-Identifier: Apache-2.0
#pragma once

// The opener of each kind of store, one per file of this folder; open_store.cpp's table
// picks one by the spec's first word.

#include "store.hpp"

namespace airlock::unpack {

// "oci:DIR": an OCI image layout directory (oci_layout.cpp).
Result<std::unique_ptr<Store>> open_oci_layout_store(std::string_view spec, const StoreOptions&);

// The embedded default store: an OCI layout in airlock's data directory (oci_layout.cpp).
std::unique_ptr<Store> open_default_store();

// "docker://HOST[:PORT][/PREFIX]": a registry (registry.cpp).
Result<std::unique_ptr<Store>> open_registry_store(std::string_view spec, const StoreOptions&);

// "docker-engine[:unix:///PATH or npipe:////./pipe/NAME]": a Docker Engine over its API
// (docker_engine.cpp).
Result<std::unique_ptr<Store>> open_docker_engine_store(std::string_view spec, const StoreOptions&);

// "containerd[:SOCKET][?namespace=NS]": a containerd namespace through ctr (containerd.cpp).
Result<std::unique_ptr<Store>> open_containerd_store(std::string_view spec, const StoreOptions&);

// "podman" (or "containers-storage"): podman's storage, through podman load (podman.cpp).
Result<std::unique_ptr<Store>> open_podman_store(std::string_view spec, const StoreOptions&);

} // namespace airlock::unpack
