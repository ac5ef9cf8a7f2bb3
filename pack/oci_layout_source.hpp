// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/pack/image_source.hpp>

namespace airlock::pack {

// Images in a local OCI image layout directory ("oci:DIR[:REF]"), as written by umoci, skopeo,
// buildah or another airlock store.
class OciLayoutSource final : public ImageSource
{
  public:
    // `reference` is the whole "oci:DIR[:REF]" text; `dir` and `ref` its parts.
    OciLayoutSource(std::string reference, std::filesystem::path dir, std::string ref);

    const std::string& reference() const override
    {
        return m_reference;
    }

    Result<ResolvedRoot> resolve() override;
    Result<std::string> fetch_document(const manifest::Descriptor& descriptor) override;
    Result<std::filesystem::path> blob_file(const manifest::Descriptor& descriptor) override;

  private:
    std::string m_reference;
    std::filesystem::path m_dir;
    std::string m_ref;
};

} // namespace airlock::pack
