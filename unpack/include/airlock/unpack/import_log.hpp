// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// One import into an OCI store, as `airlock status` lists it: the store keeps the last
// k_import_log_size in DIR/.airlock/imports.json, newest last.
struct ImportRecord
{
    std::string time;          // RFC 3339 UTC
    std::string bundle;        // the bundle as given to import
    std::string bundle_digest; // "sha256:" of its bundle.json
    std::string channel;
    std::optional<std::uint64_t> sequence;
    std::vector<std::string> images; // "name:tag" of each image's first tag
    std::uint64_t blobs_written = 0;
    std::uint64_t bytes_written = 0;
    bool changed = true; // false: the store already held everything, every tag stayed
};

inline constexpr std::size_t k_import_log_size = 50;

// Adds `record` to the store's log (under the store's lock: the import holds it), dropping the
// oldest beyond k_import_log_size. A damaged log is kept aside as imports.json.damaged and a
// new one started; then it returns the note to tell the operator. Errc::io.
Result<std::optional<std::string>> append_import_record(const std::filesystem::path& store_root,
                                                        const ImportRecord& record);

// The record as the log keeps it: {time, bundle, bundleDigest, images, blobsWritten,
// bytesWritten, changed, channel?, sequence?} (also `airlock status --json`).
nlohmann::json import_record_json(const ImportRecord& record);

// The store's log, oldest first; empty when there is none. Entries without a time or bundle
// are skipped. Errc::format when the file is not a JSON array (damaged), Errc::io.
Result<std::vector<ImportRecord>> read_import_records(const std::filesystem::path& store_root);

} // namespace airlock::unpack
