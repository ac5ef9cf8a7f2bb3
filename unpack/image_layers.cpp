// SPDX-License-Identifier: Apache-2.0
#include "image_closure.hpp"

#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/image_layers.hpp>

namespace airlock::unpack {

namespace {

// Collects the documents at the head of the stream and stops at the first blob that is not
// one: manifests and indexes come first (then configs, then layers), so nothing else is read.
class DocumentsOnly final : public bundle::BlobSink
{
  public:
    Result<> begin(const manifest::BundleBlob& blob) override
    {
        if (!manifest::media_type::is_manifest(blob.media_type)
            && !manifest::media_type::is_index(blob.media_type)) {
            m_done = true;
            return fail(Errc::cancelled, "the documents have been read");
        }
        return m_documents.begin(blob);
    }

    Result<> write(std::span<const char> data) override
    {
        return m_documents.write(data);
    }

    Result<> end(bool verified) override
    {
        return m_documents.end(verified);
    }

    bool done() const
    {
        return m_done;
    }

    const Documents& documents() const
    {
        return m_documents.documents();
    }

  private:
    DocumentCollector m_documents;
    bool m_done = false;
};

LayerInfo::Where place_of(const manifest::BundleManifest& bundle, const manifest::Digest& digest)
{
    if (bundle.find_blob(digest) != nullptr) {
        return LayerInfo::Where::bundle;
    }
    for (const auto& blob : bundle.required) {
        if (blob.digest == digest) {
            return LayerInfo::Where::required;
        }
    }
    return LayerInfo::Where::absent;
}

Result<> add_manifest_layers(const Documents& documents,
                             const manifest::BundleManifest& bundle,
                             const manifest::Descriptor& descriptor,
                             const std::string& platform,
                             ImageLayers& out)
{
    const auto found = documents.find(descriptor.digest);
    if (found == documents.end() || !manifest::media_type::is_manifest(descriptor.media_type)) {
        return {}; // a platform left out of the bundle, or an index nested in the index
    }
    AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                       manifest::parse_image_manifest(found->second, descriptor.media_type));
    for (const auto& layer : m.layers) {
        const bool foreign = !layer.urls.empty()
                             || layer.media_type.find("foreign") != std::string::npos
                             || layer.media_type.find("nondistributable") != std::string::npos;
        out.layers.push_back({platform,
                              layer.digest.str(),
                              layer.size,
                              layer.media_type,
                              foreign,
                              place_of(bundle, layer.digest)});
    }
    return {};
}

} // namespace

const char* layer_place_name(LayerInfo::Where where)
{
    switch (where) {
    case LayerInfo::Where::bundle:
        return "bundle";
    case LayerInfo::Where::required:
        return "required";
    case LayerInfo::Where::absent:
        return "absent";
    }
    return "absent";
}

Result<std::vector<ImageLayers>> read_image_layers(bundle::BundleReader& reader, Reporter& reporter)
{
    DocumentsOnly sink;
    auto read = reader.read_contents(sink, bundle::OnMismatch::stop, reporter, "inspect");
    if (!read && !sink.done()) {
        return std::unexpected(std::move(read.error()));
    }
    const auto& bundle = reader.header().manifest;
    std::vector<ImageLayers> out;
    for (const auto& image : bundle.images) {
        ImageLayers layers{image.name, {}};
        const manifest::Descriptor top{image.media_type, image.digest, image.size, {}, {}, {}};
        const auto document = sink.documents().find(image.digest);
        if (document != sink.documents().end()
            && manifest::media_type::is_index(image.media_type)) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                               manifest::parse_image_index(document->second, image.media_type));
            for (const auto& child : index.manifests) {
                AIRLOCK_TRY(add_manifest_layers(sink.documents(),
                                                bundle,
                                                child,
                                                child.platform ? child.platform->str() : "",
                                                layers));
            }
        } else {
            AIRLOCK_TRY(add_manifest_layers(sink.documents(), bundle, top, "", layers));
        }
        out.push_back(std::move(layers));
    }
    return out;
}

} // namespace airlock::unpack
