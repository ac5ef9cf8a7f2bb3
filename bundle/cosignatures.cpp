// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/cosignatures.hpp>

namespace airlock::bundle {

namespace fs = std::filesystem;

namespace {

// As signatures.json: room for thousands of signatures.
constexpr std::uint64_t k_max_cosignature_file = 1U << 20U;

} // namespace

Result<std::vector<manifest::Signature>> read_cosignatures(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) {
        return std::vector<manifest::Signature>{};
    }
    AIRLOCK_TRY_ASSIGN(const std::string text, read_file(file, k_max_cosignature_file));
    auto signatures = manifest::parse_signatures(text);
    if (!signatures) {
        return std::unexpected(
            std::move(signatures.error()).with_context(str_cat("in ", file.string())));
    }
    return signatures;
}

Result<> add_cosignatures(const fs::path& file, std::vector<manifest::Signature> signatures)
{
    AIRLOCK_TRY_ASSIGN(std::vector<manifest::Signature> all, read_cosignatures(file));
    for (auto& signature : signatures) {
        std::erase_if(all,
                      [&](const manifest::Signature& s) { return s.key_id == signature.key_id; });
        all.push_back(std::move(signature));
    }
    AIRLOCK_TRY_ASSIGN(const std::string json, manifest::signatures_to_json(all));
    return write_file_atomic(file, json);
}

} // namespace airlock::bundle
