// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image_plan.hpp"

#include <airlock/bundle/bundle_writer.hpp>

#include <string>
#include <vector>

namespace airlock::pack {

// The non-blob files of the OCI layout embedded in a bundle, in stream order:
// `oci-layout`, `index.json` (one entry per image and tag, named by full reference so that
// skopeo, podman and containerd find them) and Docker's `manifest.json` (single-platform
// images only: `docker load` cannot take an index). Errc::format.
Result<std::vector<bundle::LayoutFileContent>>
make_layout_files(const std::vector<PlannedImage>& images);

} // namespace airlock::pack
