// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/image.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pack {

// What a source reference points at, and the name its image gets in a bundle.
struct ResolvedRoot
{
    manifest::Descriptor root; // an image manifest or an index
    std::string repository;    // fully qualified: "localhost/sample", "docker.io/library/alpine"
    std::string tag;           // the source tag, empty when referenced by digest only
};

// How a source gets a blob's file: it is one already (an OCI layout), or its blob cache holds
// it, or it has to be downloaded, maybe resuming what an interrupted download left.
struct BlobAvailability
{
    enum class Origin { local, cached, download };
    Origin origin = Origin::local;
    std::uint64_t partial_bytes = 0; // a download: bytes already on disk from an earlier one
};

// A manifest the source keeps attached to an image's manifest: a sigstore attachment under its
// tag, or an OCI 1.1 referrer (tag empty). Its bytes come from fetch_document, verified.
struct AttachedManifest
{
    manifest::Descriptor manifest;
    std::string tag; // "sha256-HEX.sig" and the like; empty for a referrer
};

// Where images come from: an OCI layout directory or a registry, behind one interface.
class ImageSource
{
  public:
    virtual ~ImageSource() = default;

    // The reference as the user gave it, for messages and bundle.json.
    virtual const std::string& reference() const = 0;

    // Finds the root descriptor. Errc::not_found naming what is available, Errc::format.
    virtual Result<ResolvedRoot> resolve() = 0;

    // The bytes of a manifest, index or config, verified against `descriptor`'s digest and size.
    // Errc::not_found, Errc::digest_mismatch.
    virtual Result<std::string> fetch_document(const manifest::Descriptor& descriptor) = 0;

    // A local file holding the blob, to be streamed into the bundle (the caller verifies it
    // while streaming). Errc::not_found.
    virtual Result<std::filesystem::path> blob_file(const manifest::Descriptor& descriptor) = 0;

    // The file blob_file gave for `descriptor` did not match it: when it is a cached copy, it
    // is removed so that the next run fetches the blob again. Whether it was one.
    virtual bool discard_cached(const manifest::Descriptor& /*descriptor*/)
    {
        return false;
    }

    // What blob_file would have to do for `descriptor`, for progress and the pack's summary.
    virtual BlobAvailability availability(const manifest::Descriptor& descriptor) const = 0;

    // The manifests attached to `subject` (sigstore tags, referrers); none where the source
    // keeps none. Errc::network, Errc::http_status, Errc::format.
    virtual Result<std::vector<AttachedManifest>> attachments(const manifest::Digest& /*subject*/)
    {
        return std::vector<AttachedManifest>{};
    }

    // Whether the image comes from a registry, whose vendors publish signatures for it in
    // lookaside stores (registries.d); local sources have none.
    virtual bool from_registry() const
    {
        return false;
    }
};

// Makes the source for an OCI layout reference ("oci:DIR[:REF]"); SourceFactory makes every
// kind of source, registries included. Errc::usage for anything else.
Result<std::unique_ptr<ImageSource>> make_image_source(std::string_view reference);

} // namespace airlock::pack
