// SPDX-License-Identifier: Apache-2.0
#include "layout_index.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

namespace airlock::pack {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t k_max_index_size = 16ULL << 20U;

} // namespace

LayoutIndex::LayoutIndex(manifest::ImageIndex index)
    : m_index(std::move(index))
{
    for (std::size_t i = 0; i < m_index.manifests.size(); ++i) {
        m_by_name[m_index.manifests[i].annotation(manifest::k_annotation_ref_name)].push_back(i);
    }
}

Result<std::shared_ptr<const LayoutIndex>> LayoutIndex::read(const fs::path& dir)
{
    auto layout = read_file(dir / "oci-layout", 1U << 20U);
    if (!layout) {
        return fail(Errc::not_found,
                    str_cat(dir.string(), " is not an OCI image layout (no oci-layout file)"));
    }
    AIRLOCK_TRY_ASSIGN(const std::string index_bytes,
                       read_file(dir / "index.json", k_max_index_size));
    auto index = manifest::parse_image_index(index_bytes, "");
    if (!index) {
        return std::unexpected(
            std::move(index.error())
                .with_context(str_cat("while reading ", (dir / "index.json").string())));
    }
    return std::make_shared<const LayoutIndex>(std::move(*index));
}

std::vector<const manifest::Descriptor*> LayoutIndex::named(const std::string& ref) const
{
    std::vector<const manifest::Descriptor*> out;
    if (ref.empty()) {
        for (const auto& d : m_index.manifests) {
            out.push_back(&d);
        }
        return out;
    }
    if (const auto it = m_by_name.find(ref); it != m_by_name.end()) {
        for (const std::size_t i : it->second) {
            out.push_back(&m_index.manifests[i]);
        }
    }
    return out;
}

std::string LayoutIndex::available() const
{
    std::string out;
    for (const auto& d : m_index.manifests) {
        const std::string name = d.annotation(manifest::k_annotation_ref_name);
        if (!name.empty()) {
            out += (out.empty() ? "" : ", ") + name;
        }
    }
    return out.empty() ? std::string("none") : out;
}

Result<std::shared_ptr<const LayoutIndex>> LayoutIndexes::get(const fs::path& dir)
{
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (ec) {
        key = dir.lexically_normal();
    }
    if (const auto it = m_read.find(key); it != m_read.end()) {
        return it->second;
    }
    AIRLOCK_TRY_ASSIGN(std::shared_ptr<const LayoutIndex> index, LayoutIndex::read(dir));
    m_read.emplace(std::move(key), index);
    return index;
}

Result<const LayoutIndex::Referrers*> LayoutIndex::referrers(const SubjectOf& subject_of) const
{
    const std::lock_guard lock(m_mutex);
    if (!m_referrers) {
        Referrers found;
        for (const auto& d : m_index.manifests) {
            if (!d.annotation(manifest::k_annotation_ref_name).empty()) {
                continue;
            }
            AIRLOCK_TRY_ASSIGN(std::optional<manifest::Digest> subject, subject_of(d));
            if (subject) {
                found.emplace(std::move(*subject), d);
            }
        }
        m_referrers = std::move(found);
    }
    return &*m_referrers;
}

} // namespace airlock::pack
