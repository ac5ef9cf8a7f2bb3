// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/cosignatures.hpp>
#include <airlock/bundle/file_names.hpp>
#include <airlock/bundle/parts.hpp>

namespace airlock::bundle {

namespace fs = std::filesystem;

namespace {

// BUNDLE.parts.json for the bundle named `bundle`: beside `argument`, else in the first of `dirs`
// that has it; nothing when there is none.
std::optional<fs::path> locate_parts_file(const fs::path& argument,
                                          const std::string& bundle,
                                          const std::vector<fs::path>& dirs)
{
    std::error_code ec;
    if (const fs::path beside = argument.parent_path() / parts_file_path(bundle);
        fs::exists(beside, ec)) {
        return beside;
    }
    for (const auto& dir : dirs) {
        if (fs::exists(dir / parts_file_path(bundle), ec)) {
            return dir / parts_file_path(bundle);
        }
    }
    return std::nullopt;
}

} // namespace

Result<std::optional<PartsSet>> find_parts(const fs::path& argument,
                                           const std::vector<fs::path>& dirs)
{
    const std::string name = argument.filename().string();
    fs::path parts_file;
    std::string bundle_name; // the bundle the argument names, which the parts file must describe
    std::error_code ec;
    if (name.ends_with(".parts.json")) {
        parts_file = argument;
        bundle_name = name.substr(0, name.size() - std::string_view(".parts.json").size());
    } else if (const std::string base = part_bundle_name(name);
               !base.empty() && locate_parts_file(argument, base, dirs)) {
        // A part (BUNDLE.003) beside its parts file or in `dirs`.
        bundle_name = base;
        parts_file = *locate_parts_file(argument, base, dirs);
    } else if (fs::exists(fs::symlink_status(argument, ec))) {
        // A whole bundle, though its name may end in digits (rel.2026).
        return std::optional<PartsSet>{};
    } else if (auto found = locate_parts_file(argument, name, dirs)) {
        // The bundle's own name, when it was split: BUNDLE means BUNDLE.parts.json.
        parts_file = std::move(*found);
        bundle_name = name;
    } else if (!base.empty()) {
        // A part that is not here: its parts file is reported missing below.
        bundle_name = base;
        parts_file = argument.parent_path() / parts_file_path(base);
    } else {
        return std::optional<PartsSet>{};
    }
    auto text = read_file(parts_file, 16U << 20U);
    if (!text) {
        return fail(Errc::not_found,
                    str_cat("cannot read the parts file ",
                            parts_file.string(),
                            " (",
                            text.error().message,
                            "); it lists the parts and must travel with them"));
    }
    PartsSet set;
    set.parts_file = parts_file;
    auto parsed = manifest::parse_parts_file(*text);
    if (!parsed) {
        return std::unexpected(
            std::move(parsed.error()).with_context(str_cat("in ", parts_file.string())));
    }
    set.file = std::move(*parsed);
    // The signed name: a parts file of another bundle, copied or renamed here, is not this one's.
    if (set.file.manifest.bundle != bundle_name) {
        return fail(Errc::format,
                    str_cat(parts_file.string(),
                            " lists the parts of ",
                            set.file.manifest.bundle,
                            ", not of ",
                            bundle_name));
    }
    // The parts file's directory, the named part's own (import d2/x.bundle.007 --parts-dir d1),
    // then the directories given.
    const auto directory = [](const fs::path& p) {
        return p.parent_path().empty() ? fs::path(".") : p.parent_path();
    };
    std::vector<fs::path> search = {directory(parts_file)};
    if (directory(argument) != search.front()) {
        search.push_back(directory(argument));
    }
    search.insert(search.end(), dirs.begin(), dirs.end());
    for (const auto& part : set.file.manifest.parts) {
        std::optional<fs::path> found;
        for (const auto& dir : search) {
            if (fs::is_regular_file(dir / part.name, ec)) {
                found = dir / part.name;
                break;
            }
        }
        set.paths.push_back(found);
    }
    return std::optional<PartsSet>(std::move(set));
}

fs::path cosignature_path(const PartsSet& parts)
{
    return cosignature_path(parts.parts_file.parent_path() / parts.file.manifest.bundle);
}

Result<std::vector<fs::path>> complete_parts(const PartsSet& parts, PartsNeeded needed)
{
    std::vector<fs::path> out;
    std::string missing;
    for (std::size_t i = 0; i < parts.paths.size(); ++i) {
        const auto& part = parts.file.manifest.parts[i];
        if (!parts.paths[i] && needed == PartsNeeded::leading && i > 0) {
            break;
        }
        if (!parts.paths[i]) {
            missing += (missing.empty() ? "" : ", ") + part.name;
            continue;
        }
        std::error_code ec;
        const auto size = fs::file_size(*parts.paths[i], ec);
        if (ec || size != part.size) {
            return fail(Errc::digest_mismatch,
                        str_cat("part ",
                                parts.paths[i]->string(),
                                " has ",
                                size,
                                " bytes, the parts file says ",
                                part.size,
                                " (a damaged or truncated copy)"));
        }
        out.push_back(*parts.paths[i]);
    }
    if (!missing.empty()) {
        return fail(Errc::not_found,
                    str_cat("missing part(s) of ",
                            parts.file.manifest.bundle,
                            ": ",
                            missing,
                            " (give the directories that hold them with --parts-dir)"));
    }
    return out;
}

Result<std::vector<PartCheck>> check_parts(const PartsSet& parts)
{
    std::vector<PartCheck> out;
    for (std::size_t i = 0; i < parts.paths.size(); ++i) {
        const auto& part = parts.file.manifest.parts[i];
        PartCheck check{part.name, PartCheck::State::missing, "not on this media"};
        if (parts.paths[i]) {
            std::error_code ec;
            const auto size = fs::file_size(*parts.paths[i], ec);
            AIRLOCK_TRY_ASSIGN(const std::string digest, crypto::sha256_file(*parts.paths[i]));
            if (size != part.size || digest != part.sha256) {
                check = {part.name,
                         PartCheck::State::damaged,
                         str_cat(parts.paths[i]->string(),
                                 ": ",
                                 size,
                                 " bytes hashing to ",
                                 digest,
                                 ", expected ",
                                 part.size,
                                 " bytes hashing to ",
                                 part.sha256)};
            } else {
                check = {part.name, PartCheck::State::intact, parts.paths[i]->string()};
            }
        }
        out.push_back(std::move(check));
    }
    return out;
}

Result<> authenticate_parts_file(const PartsSet& set,
                                 const TrustedKeys& trusted,
                                 std::size_t required_signatures)
{
    std::vector<manifest::Signature> signatures = set.file.signatures;
    AIRLOCK_TRY_ASSIGN(manifest::Cosignatures cosignatures,
                       read_cosignatures(cosignature_path(set)));
    add_signatures(signatures, std::move(cosignatures.parts));
    auto signed_by = check_signatures(set.file.manifest_bytes,
                                      signatures,
                                      trusted,
                                      required_signatures,
                                      set.parts_file.filename().string());
    if (!signed_by) {
        return std::unexpected(
            std::move(signed_by.error()).with_context("in " + set.parts_file.string()));
    }
    return {};
}

Result<std::optional<PartsReport>>
verify_parts(const std::filesystem::path& bundle,
             const TrustedKeys& trusted,
             std::size_t required_signatures,
             const std::vector<std::filesystem::path>& parts_dirs)
{
    AIRLOCK_TRY_ASSIGN(const std::optional<PartsSet> set, find_parts(bundle, parts_dirs));
    if (!set) {
        return std::optional<PartsReport>{};
    }
    // The part digests are only worth comparing against once the parts file is vouched for.
    AIRLOCK_TRY(authenticate_parts_file(*set, trusted, required_signatures));
    PartsReport report;
    report.bundle = set->file.manifest.bundle;
    AIRLOCK_TRY_ASSIGN(report.parts, check_parts(*set));
    for (const auto& part : report.parts) {
        switch (part.state) {
        case PartCheck::State::intact:
            ++report.intact;
            break;
        case PartCheck::State::damaged:
            ++report.damaged;
            break;
        case PartCheck::State::missing:
            ++report.missing;
            break;
        }
    }
    return std::optional<PartsReport>(std::move(report));
}

} // namespace airlock::bundle
