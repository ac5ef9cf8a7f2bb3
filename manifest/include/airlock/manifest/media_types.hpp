// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace airlock::manifest::media_type {

inline constexpr std::string_view oci_index = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view oci_config = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view oci_layer_tar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view oci_layer_gzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view oci_layer_zstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view docker_manifest_list =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view docker_manifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view docker_config = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view docker_layer_gzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
// A containers "simple signing" signature as lookaside stores keep it (an OpenPGP message over
// a JSON payload naming the manifest digest and the signed reference). Not an OCI type: the
// bundle's name for the files `skopeo copy --sign-by` writes.
inline constexpr std::string_view simple_signing = "application/vnd.airlock.simple-signing.v1";

// A blob that is a signature about an image rather than part of it: stores keep it apart.
inline bool is_signature(std::string_view type)
{
    return type == simple_signing;
}

inline constexpr std::string_view docker_foreign_layer =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr std::string_view docker_schema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view docker_schema1_signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

// An index / manifest list (points at manifests).
bool is_index(std::string_view type);

// A single-platform image manifest (points at a config and layers).
bool is_manifest(std::string_view type);

// Docker schema 1, which airlock refuses.
bool is_schema1(std::string_view type);

// A layer that is already gzip- or zstd-compressed.
bool is_compressed_layer(std::string_view type);

// JSON documents kept small enough to hold in memory: indexes, manifests, configs.
bool is_json_document(std::string_view type);

} // namespace airlock::manifest::media_type
