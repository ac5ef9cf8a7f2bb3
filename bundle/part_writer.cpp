// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file_set.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/file_names.hpp>
#include <airlock/bundle/part_writer.hpp>

#include <algorithm>

namespace airlock::bundle {

namespace fs = std::filesystem;

namespace {

bool present(const fs::path& path)
{
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

// The files at `bundle`'s names that a new bundle there makes stale, so that none can be
// mistaken for part of it: co-signatures of the earlier bundle (they sign another bundle.json,
// and would be reported as tampering), the earlier bundle in the other form (the whole file, or
// the parts file with its parts), and parts of an earlier, longer set beyond `parts` (0 for a
// bundle in one file) whose numbers have `digits` digits.
std::vector<fs::path>
superseded_files(const fs::path& bundle, std::size_t parts, std::size_t digits)
{
    std::vector<fs::path> out;
    const auto add_if_present = [&](const fs::path& path) {
        if (present(path)) {
            out.push_back(path);
        }
    };
    add_if_present(cosignature_path(bundle));
    if (parts == 0) {
        add_if_present(parts_file_path(bundle));
    } else {
        add_if_present(bundle);
    }
    // Numbered as this set is, beyond its parts; numbered otherwise (an earlier set of another
    // width), all of them.
    for (std::size_t width = k_part_number_digits; width <= k_max_part_number_digits; ++width) {
        for (std::size_t n = width == digits ? parts + 1 : 1; present(part_path(bundle, n, width));
             ++n) {
            out.push_back(part_path(bundle, n, width));
        }
    }
    return out;
}

} // namespace

PartWriter::PartWriter(fs::path bundle, std::uint64_t max, std::uint64_t max_parts)
    : m_base(std::move(bundle))
    , m_max(max)
    , m_max_parts(max_parts)
{
}

std::size_t PartWriter::digits() const
{
    return part_number_digits(m_max_parts);
}

Result<> PartWriter::write(std::span<const char> data)
{
    while (!data.empty()) {
        if (m_files.empty() || m_current_size == m_max) {
            AIRLOCK_TRY(rotate());
        }
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), m_max - m_current_size));
        const std::string_view chunk(data.data(), n);
        AIRLOCK_TRY(m_files.back().write(chunk));
        m_part_hash.update(chunk);
        m_whole_hash.update(chunk);
        m_current_size += n;
        m_total += n;
        data = data.subspan(n);
    }
    return {};
}

std::vector<manifest::BundlePart> PartWriter::finish()
{
    close_part();
    return m_parts;
}

std::vector<AtomicFile> PartWriter::take_files()
{
    return std::move(m_files);
}

std::string PartWriter::whole_sha256()
{
    return m_whole_hash.finish_hex();
}

void PartWriter::close_part()
{
    if (!m_files.empty() && m_parts.size() < m_files.size()) {
        m_parts.push_back(
            {m_files.back().path().filename().string(), m_current_size, m_part_hash.finish_hex()});
    }
}

Result<> PartWriter::rotate()
{
    close_part();
    if (m_files.size() == m_max_parts) {
        return fail(Errc::internal,
                    str_cat("writing ",
                            m_base.string(),
                            ": more than the ",
                            m_max_parts,
                            " parts planned; use a larger --split"));
    }
    AIRLOCK_TRY_ASSIGN(AtomicFile file,
                       AtomicFile::create(part_path(m_base, m_files.size() + 1, digits())));
    m_files.push_back(std::move(file));
    m_current_size = 0;
    return {};
}

Result<std::vector<std::string>> commit_parts(PartWriter& parts,
                                              const fs::path& bundle,
                                              std::string_view bundle_json,
                                              const Signer& signer)
{
    manifest::PartsManifest list;
    list.bundle = bundle.filename().string();
    list.size = parts.total();
    list.bundle_json_sha256 = crypto::sha256_hex(bundle_json);
    list.parts = parts.finish();
    list.sha256 = parts.whole_sha256();
    AIRLOCK_TRY_ASSIGN(const std::string signed_bytes, manifest::parts_manifest_to_json(list));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Signature> part_signatures,
                       signer.sign(signed_bytes));
    AIRLOCK_TRY_ASSIGN(const std::string parts_json,
                       manifest::parts_file_to_json(list, part_signatures));
    AIRLOCK_TRY_ASSIGN(AtomicFile parts_file, AtomicFile::create(parts_file_path(bundle)));
    AIRLOCK_TRY(parts_file.write(parts_json));
    std::vector<AtomicFile> set = parts.take_files();
    set.push_back(std::move(parts_file));
    AIRLOCK_TRY(replace_file_set(
        set, [&] { return superseded_files(bundle, list.parts.size(), parts.digits()); }));
    std::vector<std::string> names;
    for (const auto& part : list.parts) {
        names.push_back(part.name);
    }
    return names;
}

Result<> commit_whole(AtomicFile& file, const fs::path& bundle)
{
    return replace_file_set(std::span<AtomicFile>(&file, 1),
                            [&] { return superseded_files(bundle, 0, k_part_number_digits); });
}

} // namespace airlock::bundle
