// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/unpack/import.hpp>

#include <vector>

namespace airlock::unpack {

// Points `tags` of `image` at its digest in the store index `entries` (one entry per
// "name:tag"), and `latest` too when `latest` is apply and that does not move it to an older
// version than it points at now. Returns what changed for each tag.
std::vector<TagChange> apply_tags(std::vector<manifest::Descriptor>& entries,
                                  const manifest::BundleImage& image,
                                  const std::vector<std::string>& tags,
                                  LatestPolicy latest);

} // namespace airlock::unpack
