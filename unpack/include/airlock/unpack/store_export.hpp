// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/manifest/platform.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

enum class ExportFormat {
    docker_archive, // `docker save` format: what `docker load` reads on any engine
    oci_archive,    // an OCI image layout in a tar: skopeo/podman/docker load oci-archive
};

struct ExportRequest
{
    std::vector<std::string> refs; // "REPO:TAG" as `airlock images` lists them
    ExportFormat format = ExportFormat::docker_archive;
    std::filesystem::path output;
    // docker-archive holds one platform of each image: this one, or the machine's.
    std::optional<manifest::Platform> platform;
};

struct ExportReport
{
    std::vector<std::string> images; // "repository:tag" as written
    std::size_t blobs = 0;
    std::uint64_t bytes = 0; // of the blobs
};

// Writes the images `request` names from the store into one tar file, every blob re-hashed as
// it is copied (a damaged store exports nothing: Errc::digest_mismatch naming the blob). The
// file appears only when complete. Errc::not_found for a ref the store does not have, or an
// index without the platform docker-archive needs.
Result<ExportReport>
export_images(OciStore& store, const ExportRequest& request, Reporter& reporter);

} // namespace airlock::unpack
