// SPDX-License-Identifier: Apache-2.0
#pragma once

// Vendors' sigstore attachments (signatures, attestations, SBOMs under sha256-HEX.sig/.att/
// .sbom) and OCI 1.1 referrers of the manifests packed: carried with their blobs.

#include "image_plan.hpp"

#include <airlock/base/reporter.hpp>
#include <airlock/pack/image_source.hpp>

namespace airlock::pack {

// Adds to `image` the manifests `source` keeps attached to the image's digest and to each
// platform manifest packed with it, with their configs and layers. A referrer whose `subject`
// is not the manifest it was listed for, and an attachment that is an index, are left out
// and said. Errc::format beyond the bounds of bundle.json; the source's errors otherwise.
Result<> add_attachments(PlannedImage& image, ImageSource& source, Reporter& reporter);

} // namespace airlock::pack
