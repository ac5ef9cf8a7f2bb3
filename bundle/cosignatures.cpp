// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/cosignatures.hpp>

#include <algorithm>

namespace airlock::bundle {

namespace fs = std::filesystem;

namespace {

// As signatures.json: room for thousands of signatures.
constexpr std::uint64_t k_max_cosignature_file = 1U << 20U;

// Each of `added` replaces the signature by the same key in `list`.
void replace_by_key(std::vector<manifest::Signature>& list, std::vector<manifest::Signature> added)
{
    for (auto& signature : added) {
        std::erase_if(list,
                      [&](const manifest::Signature& s) { return s.key_id == signature.key_id; });
        list.push_back(std::move(signature));
    }
}

} // namespace

Result<manifest::Cosignatures> read_cosignatures(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) {
        return manifest::Cosignatures{};
    }
    AIRLOCK_TRY_ASSIGN(const std::string text, read_file(file, k_max_cosignature_file));
    auto signatures = manifest::parse_cosignatures(text);
    if (!signatures) {
        return std::unexpected(
            std::move(signatures.error()).with_context(str_cat("in ", file.string())));
    }
    return signatures;
}

Result<> add_cosignatures(const fs::path& file, manifest::Cosignatures signatures)
{
    AIRLOCK_TRY_ASSIGN(manifest::Cosignatures all, read_cosignatures(file));
    replace_by_key(all.bundle, std::move(signatures.bundle));
    replace_by_key(all.parts, std::move(signatures.parts));
    AIRLOCK_TRY_ASSIGN(const std::string json, manifest::cosignatures_to_json(all));
    return write_file_atomic(file, json);
}

std::size_t add_signatures(std::vector<manifest::Signature>& signatures,
                           std::vector<manifest::Signature> more)
{
    std::size_t added = 0;
    for (auto& signature : more) {
        const bool known =
            std::any_of(signatures.begin(), signatures.end(), [&](const manifest::Signature& s) {
                return s.key_id == signature.key_id;
            });
        if (!known) {
            signatures.push_back(std::move(signature));
            ++added;
        }
    }
    return added;
}

} // namespace airlock::bundle
