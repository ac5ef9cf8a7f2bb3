// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/platform.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

inline constexpr std::string_view k_annotation_ref_name = "org.opencontainers.image.ref.name";
inline constexpr std::string_view k_annotation_version = "org.opencontainers.image.version";
inline constexpr std::string_view k_annotation_created = "org.opencontainers.image.created";
inline constexpr std::string_view k_annotation_containerd_name = "io.containerd.image.name";

// The content of an OCI image layout's `oci-layout` file, as airlock writes it (in stores,
// bundles and archives): the layout version of image-spec 1.0 and 1.1 alike.
inline constexpr std::string_view k_oci_layout_text = R"({"imageLayoutVersion":"1.0.0"})";

using Annotations = std::map<std::string, std::string>;

// An OCI content descriptor (also what Docker schema2 uses). The digest has no default: a
// descriptor always names its content.
struct Descriptor
{
    std::string media_type;
    Digest digest;
    std::uint64_t size = 0;
    std::optional<Platform> platform;
    std::vector<std::string> urls;
    Annotations annotations;

    // The value of annotation `key`, or empty.
    std::string annotation(std::string_view key) const;
};

// A single-platform image manifest (OCI or Docker schema2).
struct ImageManifest
{
    std::string media_type;
    Descriptor config;
    std::vector<Descriptor> layers;
    Annotations annotations;
};

// An OCI image index or Docker manifest list.
struct ImageIndex
{
    std::string media_type;
    std::vector<Descriptor> manifests;
    Annotations annotations;
};

// The parts of an image config that airlock reads.
struct ImageConfig
{
    Platform platform;
    std::string created;
    std::map<std::string, std::string> labels;
};

// Parses a descriptor object. Errc::format naming the missing or bad field.
Result<Descriptor> parse_descriptor(const nlohmann::json& json);

// The media type a manifest document declares, falling back to `declared` (the descriptor's or
// the server's) when the document has none. Errc::format for non-JSON input.
Result<std::string> sniff_media_type(std::string_view bytes, std::string_view declared);

// Parses an image manifest. Errc::format; Errc::unsupported for schema 1.
Result<ImageManifest> parse_image_manifest(std::string_view bytes, std::string_view declared_type);

// Parses an index / manifest list. Errc::format.
Result<ImageIndex> parse_image_index(std::string_view bytes, std::string_view declared_type);

// Parses an image config. Errc::format.
Result<ImageConfig> parse_image_config(std::string_view bytes);

// JSON for a descriptor, with only the fields that are set (OCI field names).
nlohmann::json descriptor_to_json(const Descriptor& descriptor);

} // namespace airlock::manifest
