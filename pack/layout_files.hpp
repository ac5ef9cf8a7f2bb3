// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image_plan.hpp"

#include <string>
#include <vector>

namespace airlock::pack {

// The non-blob files of the OCI layout embedded in a bundle, in stream order.
struct LayoutFileContent
{
    std::string path;
    std::string content;
};

// `oci-layout`, `index.json` (one entry per image and tag, named by full reference so that
// skopeo, podman and containerd find them) and Docker's `manifest.json` (single-platform
// images only: `docker load` cannot take an index). Errc::format.
Result<std::vector<LayoutFileContent>> make_layout_files(const std::vector<PlannedImage>& images);

} // namespace airlock::pack
