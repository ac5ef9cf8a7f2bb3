// SPDX-License-Identifier: Apache-2.0
#pragma once

// Vendors' "simple signing" signatures from lookaside stores (registries.d): read at pack for
// every manifest packed from a registry, carried in the bundle as blobs.

#include "image_plan.hpp"

#include <airlock/base/reporter.hpp>
#include <airlock/manifest/registries_d.hpp>
#include <airlock/registry/options.hpp>

#include <filesystem>

namespace airlock::pack {

// Adds to `image` every signature its lookaside store has for the image's digest and for each
// platform manifest packed with it: signature-1, -2, ... until the first that is missing. A
// store that answers otherwise than with a signature or "not there" fails the pack
// (Errc::network, Errc::http_status, Errc::format), as the signatures would silently not
// travel. Nothing when no lookaside store is configured for the image's repository.
Result<> add_lookaside_signatures(PlannedImage& image,
                                  const manifest::RegistriesD& config,
                                  const registry::RegistryOptions& access,
                                  Reporter& reporter);

} // namespace airlock::pack
