// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>

namespace airlock::unpack {

// The verified JSON documents (indexes, manifests, configs) of the bundle, by digest.
using Documents = std::map<manifest::Digest, std::string>;

// A sink that keeps the small JSON documents (indexes, manifests, configs) that pass by, so
// that an image's closure can be checked without reading anything twice.
class DocumentCollector : public bundle::BlobSink
{
  public:
    Result<> begin(const manifest::BundleBlob& blob) override;
    Result<> write(std::span<const char> data) override;
    Result<> end(bool verified) override;

    // Verified documents by digest.
    const Documents& documents() const
    {
        return m_documents;
    }

  private:
    std::optional<manifest::Digest> m_current_digest;
    std::string m_buffer;
    bool m_capturing = false;
    Documents m_documents;
};

// The first image of `bundle` whose manifests (in `documents`) use blob `digest`, or empty.
std::string image_using(const manifest::BundleManifest& bundle,
                        const Documents& documents,
                        const manifest::Digest& digest);

// Looks up a document that is not in the bundle (differential bundles: from the store).
using DocumentLookup = std::function<Result<std::string>(const manifest::Digest&)>;

// The blobs a bundle carries, by digest, for checks that run once per image: a catalog's
// bundle lists tens of thousands. Points into the manifest, which must outlive it.
class BundleBlobs
{
  public:
    explicit BundleBlobs(const manifest::BundleManifest& bundle);

    // The first blob listed with `digest`; nothing when none is.
    const manifest::BundleBlob* find(const manifest::Digest& digest) const;

  private:
    std::map<manifest::Digest, const manifest::BundleBlob*> m_blobs;
};

// Checks that every blob `image` needs (children of an index, configs, layers) is either in the
// bundle (`blobs`) or `available` (e.g. in the target store). Errc::format naming the image and
// blob.
Result<> check_image_closure(const manifest::BundleImage& image,
                             const BundleBlobs& blobs,
                             const Documents& documents,
                             const std::function<bool(const manifest::Digest&)>& available,
                             const DocumentLookup& lookup);

} // namespace airlock::unpack
