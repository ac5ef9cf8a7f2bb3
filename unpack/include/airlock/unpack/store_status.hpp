// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/unpack/import_log.hpp>
#include <airlock/unpack/oci_store.hpp>
#include <airlock/unpack/store_images.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace airlock::unpack {

// What an OCI store holds and what came into it, for `airlock status`.
struct StoreStatus
{
    bool exists = false;
    std::uint64_t blobs = 0;
    std::uint64_t bytes = 0; // of the blobs
    std::vector<StoreImage> images;

    struct Channel
    {
        std::string name;
        std::uint64_t sequence = 0;
        std::string bundle;   // "sha256:" of the bundle.json imported at `sequence`
        std::string imported; // when
    };

    std::vector<Channel> channels;
    std::vector<ImportRecord> imports; // oldest first
    std::string import_log_problem;    // why the log could not be read; empty when it could
};

// Reads `store` without locking or changing it. Errc::format for a damaged index or channel
// ledger, Errc::policy for an unusable ledger.
Result<StoreStatus> store_status(const OciStore& store);

} // namespace airlock::unpack
