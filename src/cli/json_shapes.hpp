// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pieces every command's --json output is built from, so that the same thing has the same
// name and shape everywhere (docs/schema/common.schema.json describes them).

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/unpack/store_images.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace airlock::cli {

// {"class", "message", "context"}: what went wrong.
nlohmann::json error_json(const Error& error);

// {"ok": false, "error": ..., "exitCode"}: a command that failed.
nlohmann::json failure_json(const Error& error, int exit_code);

// An image of a bundle: {"name", "tags", "digest", "mediaType", "platforms", "version",
// "created", "size", "source"}.
nlohmann::json image_json(const manifest::BundleImage& image);

// The images of a bundle.
nlohmann::json images_json(const std::vector<manifest::BundleImage>& images);

// The images of a store, one entry per image with all its tags (the store lists one row per
// tag, sorted by repository then tag).
nlohmann::json store_images_json(const std::vector<unpack::StoreImage>& images);

// Signers by key ID: [{"keyId"}].
nlohmann::json signers_json(const std::vector<std::string>& key_ids);

} // namespace airlock::cli
