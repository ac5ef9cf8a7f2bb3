// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <string>

namespace airlock::unpack {

// What a store holds, for `pack --since` on the connected side: every blob (digest, size) and
// every tag, sorted, as canonical JSON small enough to carry back by hand.
//   {"blobs":[{"digest":..,"size":..}],"format":"airlock-inventory","formatVersion":1,
//    "images":[{"digest":..,"name":..,"tag":..}],"store":"oci:/var/lib/airlock/store"}
Result<std::string> store_inventory(const OciStore& store);

} // namespace airlock::unpack
