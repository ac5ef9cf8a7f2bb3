// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/image.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace airlock::pack {

// The index.json of one OCI image layout, parsed once with its entries found by ref name: a
// catalog names thousands of images in one layout, and reading its index again for each made
// a pack quadratic in their number.
class LayoutIndex
{
  public:
    // Reads `dir`'s index.json, once oci-layout says it is a layout. Errc::not_found,
    // Errc::format.
    static Result<std::shared_ptr<const LayoutIndex>> read(const std::filesystem::path& dir);

    // Indexes `index`'s entries by ref name.
    // The entries whose ref name is `ref`; every entry when `ref` is empty.
    std::vector<const manifest::Descriptor*> named(const std::string& ref) const;

    // The ref names there are, for an error message: "a, b, c", or "none".
    std::string available() const;

    explicit LayoutIndex(manifest::ImageIndex index);

    using Referrers = std::multimap<manifest::Digest, manifest::Descriptor>;
    using SubjectOf =
        std::function<Result<std::optional<manifest::Digest>>(const manifest::Descriptor&)>;

    // The layout's untagged manifests by the subject `subject_of` finds in each (none: not a
    // referrer), worked out once for all the sources that share this index.
    Result<const Referrers*> referrers(const SubjectOf& subject_of) const;

  private:
    mutable std::mutex m_mutex;                   // guards m_referrers
    mutable std::optional<Referrers> m_referrers; // once worked out
    manifest::ImageIndex m_index;
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_name; // into m_index.manifests
};

// The layouts one pack has read, keyed by their directory, so that each is read once. A pack
// reads a layout as it was when first named: a layout changing under a running pack is not
// followed (its blobs are still verified against their digests as they are copied).
class LayoutIndexes
{
  public:
    // `dir`'s index, read on first use; a failed read is not kept, so each reference naming
    // that directory reports it.
    Result<std::shared_ptr<const LayoutIndex>> get(const std::filesystem::path& dir);

  private:
    std::map<std::filesystem::path, std::shared_ptr<const LayoutIndex>> m_read;
};

} // namespace airlock::pack
