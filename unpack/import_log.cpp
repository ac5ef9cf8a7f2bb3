// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
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
                {"bytesWritten", r.bytes_written},
                {"changed", r.changed}};
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
    const auto changed = entry.find("changed");
    r.changed = changed == entry.end() || !changed->is_boolean() || changed->get<bool>();
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

Result<std::vector<ImportRecord>> read_import_records(const fs::path& store_root)
{
    std::vector<ImportRecord> out;
    const fs::path file = log_path(store_root);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) {
        return out;
    }
    auto text = read_file(file, k_max_log, FollowSymlinks::no);
    if (!text) {
        return std::unexpected(std::move(text.error()));
    }
    const auto doc = manifest::parse_bounded_json(*text, file.string());
    if (!doc || !doc->is_array()) {
        return fail(Errc::format, str_cat(file.string(), " is damaged (not a JSON array)"));
    }
    for (const auto& entry : *doc) {
        if (auto record = parse_record(entry)) {
            out.push_back(std::move(*record));
        }
    }
    return out;
}

Result<std::optional<std::string>> append_import_record(const fs::path& store_root,
                                                        const ImportRecord& record)
{
    std::optional<std::string> note;
    auto read = read_import_records(store_root);
    if (!read && read.error().code != Errc::format) {
        return std::unexpected(std::move(read.error())); // unreadable now, not damaged
    }
    if (!read) {
        // Kept for whoever wants to look; the log goes on from this import.
        const fs::path file = log_path(store_root);
        const fs::path aside(file.string() + ".damaged");
        std::error_code ec;
        fs::rename(file, aside, ec);
        if (ec) {
            return fail(
                Errc::io,
                str_cat("cannot set the damaged ", file.string(), " aside: ", ec.message()));
        }
        note = str_cat(
            read.error().message, "; it is kept as ", aside.string(), " and a new log started");
        read = std::vector<ImportRecord>{};
    }
    std::vector<ImportRecord> records = std::move(*read);
    records.push_back(record);
    const std::size_t drop =
        records.size() > k_import_log_size ? records.size() - k_import_log_size : 0;
    json doc = json::array();
    for (std::size_t i = drop; i < records.size(); ++i) {
        doc.push_back(import_record_json(records[i]));
    }
    AIRLOCK_TRY(write_file_atomic(log_path(store_root), doc.dump(2) + "\n", 0644));
    return note;
}

} // namespace airlock::unpack
