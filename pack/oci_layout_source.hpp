// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "layout_index.hpp"

#include <airlock/pack/image_source.hpp>

namespace airlock::pack {

// Images in a local OCI image layout directory ("oci:DIR[:REF]"), as written by umoci, skopeo,
// buildah or another airlock store.
class OciLayoutSource final : public ImageSource
{
  public:
    // `reference` is the whole "oci:DIR[:REF]" text; `dir` and `ref` its parts. An image that
    // carries no name of its own is named after `name_from` (default: `dir`). `index` is the
    // layout's index when the caller has read it already (nothing: read at resolve).
    OciLayoutSource(std::string reference,
                    std::filesystem::path dir,
                    std::string ref,
                    std::filesystem::path name_from = {},
                    std::shared_ptr<const LayoutIndex> index = {});

    const std::string& reference() const override
    {
        return m_reference;
    }

    Result<ResolvedRoot> resolve() override;
    Result<std::string> fetch_document(const manifest::Descriptor& descriptor) override;
    Result<std::filesystem::path> blob_file(const manifest::Descriptor& descriptor) override;

    // Sigstore attachments under the ref name the image's own gives their tag (NAME:sha256-
    // HEX.sig beside NAME:TAG, as an airlock store keeps them, or sha256-HEX.sig beside a bare
    // tag), and untagged manifests whose subject is `subject` (referrers, as oras keeps them).
    Result<std::vector<AttachedManifest>> attachments(const manifest::Digest& subject) override;

    BlobAvailability availability(const manifest::Descriptor& /*descriptor*/) const override
    {
        return {};
    }

  private:
    // The one entry of `index` that REF names (the only one when no REF is given); the error
    // lists the names available.
    Result<manifest::Descriptor> find_root(const LayoutIndex& index) const;

    std::string m_reference;
    std::filesystem::path m_dir;
    std::string m_ref;
    std::filesystem::path m_name_from;
    std::shared_ptr<const LayoutIndex> m_index;
    std::string m_root_ref; // the ref name of the image resolve() found
};

// "PATH[:REF]" split at the first ':' that is not a Windows drive's ("C:\images\a:base" is
// PATH C:\images\a, REF base): a reference never starts with a slash.
struct PathAndRef
{
    std::filesystem::path path;
    std::string ref; // empty when none is given
};

PathAndRef split_path_and_ref(std::string_view text);

// A repository name for images that carry no name of their own: "localhost/<name of path>",
// lower-cased, other characters made '-'.
std::string repository_from_path(const std::filesystem::path& path);

} // namespace airlock::pack
