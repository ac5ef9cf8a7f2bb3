// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/unpack/import_log.hpp>

#include <nlohmann/json.hpp>

namespace airlock::unpack {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uint64_t k_max_log = 1U << 20U;

fs::path log_path(const fs::path& root)
{
    return root / ".airlock" / "imports.json";
}

} // namespace

json import_record_json(const ImportRecord& r)
{
    json out = {{"time", r.time},
                {"bundle", r.bundle},
                {"bundleDigest", r.bundle_digest},
                {"images", r.images},
                {"blobsWritten", r.blobs_written},
                {"bytesWritten", r.bytes_written}};
    if (!r.channel.empty()) {
        out["channel"] = r.channel;
    }
    if (r.sequence) {
        out["sequence"] = *r.sequence;
    }
    return out;
}

namespace {

std::optional<ImportRecord> parse_record(const json& entry)
{
    using manifest::json_string;
    using manifest::json_unsigned;
    const auto time = json_string(entry, "time");
    const auto bundle = json_string(entry, "bundle");
    if (!time || !bundle) {
        return std::nullopt;
    }
    ImportRecord r;
    r.time = *time;
    r.bundle = *bundle;
    r.bundle_digest = json_string(entry, "bundleDigest").value_or("");
    r.channel = json_string(entry, "channel").value_or("");
    r.sequence = json_unsigned(entry, "sequence");
    r.blobs_written = json_unsigned(entry, "blobsWritten").value_or(0);
    r.bytes_written = json_unsigned(entry, "bytesWritten").value_or(0);
    const auto images = entry.find("images");
    if (images != entry.end() && images->is_array()) {
        for (const auto& image : *images) {
            if (image.is_string()) {
                r.images.push_back(image.get<std::string>());
            }
        }
    }
    return r;
}

} // namespace

std::vector<ImportRecord> read_import_records(const fs::path& store_root)
{
    std::vector<ImportRecord> out;
    const auto text = read_file(log_path(store_root), k_max_log, FollowSymlinks::no);
    if (!text) {
        return out;
    }
    const auto doc = manifest::parse_bounded_json(*text, log_path(store_root).string());
    if (!doc || !doc->is_array()) {
        return out;
    }
    for (const auto& entry : *doc) {
        if (auto record = parse_record(entry)) {
            out.push_back(std::move(*record));
        }
    }
    return out;
}

Result<> append_import_record(const fs::path& store_root, const ImportRecord& record)
{
    std::vector<ImportRecord> records = read_import_records(store_root);
    records.push_back(record);
    const std::size_t drop =
        records.size() > k_import_log_size ? records.size() - k_import_log_size : 0;
    json doc = json::array();
    for (std::size_t i = drop; i < records.size(); ++i) {
        doc.push_back(import_record_json(records[i]));
    }
    return write_file_atomic(log_path(store_root), doc.dump(2) + "\n", 0644);
}

} // namespace airlock::unpack
