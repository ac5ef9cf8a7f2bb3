// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "channel_state.hpp"

#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/import.hpp>

namespace airlock::unpack {

// Pushes a bundle whose signature was checked into `options.registry`: blobs streamed from the
// bundle (HEAD-skipped, mounted across repositories, uploaded and checked by digest), then
// manifests by digest, then tags. Nothing is tagged unless every blob verified and landed.
// `channel` is checked before any blob is pushed (with the registry's own record added unless
// --channel-state local) and recorded after the tags.
Result<ImportSummary> import_to_registry(const ImportOptions& options,
                                         BundleReader& reader,
                                         ImportSummary summary,
                                         ChannelGuard& channel,
                                         Reporter& reporter);

} // namespace airlock::unpack
