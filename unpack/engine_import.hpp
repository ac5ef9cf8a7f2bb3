// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/import.hpp>

namespace airlock::unpack {

// Loads a bundle whose signature was checked into a Docker Engine over its API: the images for
// the engine's platform go into a docker-archive built on the fly from the one pass over the
// bundle and streamed to POST /images/load; tags are set afterwards with POST /images/{id}/tag.
// A blob that fails verification cuts the upload, so the engine loads nothing.
Result<ImportSummary> import_to_engine(const ImportOptions& options,
                                       BundleReader& reader,
                                       ImportSummary summary,
                                       Reporter& reporter);

} // namespace airlock::unpack
