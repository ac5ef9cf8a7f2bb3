// SPDX-License-Identifier: Apache-2.0
#include <airlock/bundle/bundle_writer.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

namespace airlock::bundle {

Result<> write_header(archive::TarWriter& writer, const HeaderEntries& header)
{
    AIRLOCK_TRY(writer.add(
        manifest::k_bundle_manifest_name, header.bundle_json, archive::EntryContent::metadata));
    AIRLOCK_TRY(writer.add(
        manifest::k_signatures_name, header.signatures_json, archive::EntryContent::metadata));
    for (const auto& file : header.layout) {
        AIRLOCK_TRY(writer.add(file.path, file.content, archive::EntryContent::metadata));
    }
    return {};
}

} // namespace airlock::bundle
