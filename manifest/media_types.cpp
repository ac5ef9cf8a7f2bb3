// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/media_types.hpp>

namespace airlock::manifest::media_type {

bool is_index(std::string_view type)
{
    return type == oci_index || type == docker_manifest_list;
}

bool is_manifest(std::string_view type)
{
    return type == oci_manifest || type == docker_manifest;
}

bool is_schema1(std::string_view type)
{
    return type == docker_schema1 || type == docker_schema1_signed;
}

bool is_compressed_layer(std::string_view type)
{
    return type.ends_with("+gzip") || type.ends_with("+zstd") || type.ends_with(".tar.gzip")
           || type.ends_with(".tar.zstd");
}

bool is_json_document(std::string_view type)
{
    return is_index(type) || is_manifest(type) || type == oci_config || type == docker_config
           || type.ends_with("+json");
}

} // namespace airlock::manifest::media_type
