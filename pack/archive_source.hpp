// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/pack/image_source.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace airlock::pack {

class UnpackedArchive;

// Images in a tar file: "docker-archive:FILE[:REF]" (what `docker save` and `podman save`
// write: manifest.json naming configs and layers, RepoTags) and "oci-archive:FILE[:REF]" (an
// OCI image layout in a tar). Each file is unpacked once, under `work_dir`, into a private
// directory that goes when this and every source made from it are gone (one that a killed pack
// left is reclaimed by the next); a docker-archive becomes an OCI layout
// there, its layers as stored (gzip, zstd or plain tar, told by their first bytes) and a
// manifest made for each image. REF picks an image of an archive that holds several: a tag of
// its RepoTags or ref names, or "@N" (the N-th image, from 0), as skopeo takes them.
// "docker-daemon:NAME[:TAG]" is the same docker-archive, as the local Docker Engine saves it
// ($DOCKER_HOST, else its usual socket or pipe; GET /images/NAME/get, streamed to a file), and
// "podman:NAME[:TAG]" or "containers-storage:NAME[:TAG]" as `podman save` writes it.
class ArchiveSources
{
  public:
    explicit ArchiveSources(std::filesystem::path work_dir);
    ~ArchiveSources();

    // True for the references this makes sources for.
    static bool handles(std::string_view reference);

    // Errc::usage for a malformed reference; Errc::not_found, Errc::format, Errc::unsafe_entry
    // for an archive that cannot be read as one.
    Result<std::unique_ptr<ImageSource>> make(std::string_view reference);

  private:
    // "PREFIX:NAME[:TAG]" whose docker-archive `save` writes into a file.
    Result<std::unique_ptr<ImageSource>> make_from_save(
        std::string_view reference,
        std::string_view prefix,
        const std::function<Result<>(const std::string&, const std::filesystem::path&)>& save);

    std::filesystem::path m_work_dir;
    std::map<std::string, std::shared_ptr<UnpackedArchive>> m_unpacked; // by kind and file
};

} // namespace airlock::pack
