// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/import.hpp>

namespace airlock::unpack {

// Imports a bundle whose signature was checked into containerd's content store and image
// service by streaming an OCI archive, built on the fly from the one pass over the bundle, into
// `ctr images import`; its index.json (written last) names every tag to apply.
Result<ImportSummary> import_to_containerd(const ImportOptions& options,
                                           BundleReader& reader,
                                           ImportSummary summary,
                                           Reporter& reporter);

} // namespace airlock::unpack
