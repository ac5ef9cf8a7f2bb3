// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "../tagging.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace airlock::unpack {

// What retention orders a store's images by.
struct ImageFacts
{
    std::optional<std::int64_t> created; // the newest of its configs' "created"
    std::string version;                 // as stored_image_version reads it
};

// The facts of the image whose top document is `bytes` of media type `type`, reading child
// manifests and configs through `read` (each once). A config or child the store does not hold
// leaves what it would tell unknown.
Result<ImageFacts>
stored_image_facts(const std::string& bytes, const std::string& type, const StoredDocument& read);

} // namespace airlock::unpack
