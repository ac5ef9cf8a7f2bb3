// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/registry/options.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace airlock::unpack {

// What a store holds, for `pack --since` on the connected side: every blob (digest, size) and
// every tag, sorted, as canonical JSON small enough to carry back by hand.
//   {"blobs":[{"digest":..,"size":..}],"format":"airlock-inventory","formatVersion":1,
//    "images":[{"digest":..,"name":..,"tag":..}],"store":"oci:/var/lib/airlock/store"}
Result<std::string> store_inventory(const OciStore& store);

// The same for a registry store "docker://HOST[:PORT][/PREFIX]": the repositories under PREFIX
// (`repositories` when given, as paths below PREFIX or whole; else the registry's catalog), each
// tag of them and every blob their manifests name. Without channel marks: the registry keeps
// them itself (import reads them there). Errc::auth when the catalog is not open to the
// credentials (then name the repositories), Errc::network, Errc::format.
Result<std::string> registry_inventory(std::string_view spec,
                                       const std::vector<std::string>& repositories,
                                       const registry::RegistryOptions& options,
                                       Reporter& reporter);

// The same for a containerd store "containerd[:SOCKET][?namespace=NS]": every image of the
// namespace and the blobs of it that containerd's content store holds (through ctr).
Result<std::string> containerd_inventory(std::string_view spec);

} // namespace airlock::unpack
