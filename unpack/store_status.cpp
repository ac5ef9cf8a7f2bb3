// SPDX-License-Identifier: Apache-2.0
#include "channel_state.hpp"

#include <airlock/manifest/json.hpp>
#include <airlock/unpack/store_status.hpp>

#include <filesystem>

namespace airlock::unpack {

namespace fs = std::filesystem;

Result<StoreStatus> store_status(const OciStore& store)
{
    StoreStatus out;
    out.exists = store.exists();
    if (!out.exists) {
        return out;
    }
    AIRLOCK_TRY(store.check_directories());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(store.root() / "blobs" / "sha256", ec)) {
        if (entry.is_regular_file(ec)) {
            ++out.blobs;
            out.bytes += entry.file_size(ec);
        }
    }
    AIRLOCK_TRY_ASSIGN(out.images, list_store_images(store));
    AIRLOCK_TRY_ASSIGN(const nlohmann::json ledger,
                       load_channel_ledger(store.root() / ".airlock" / "channels.json"));
    for (const auto& [name, mark] : ledger.items()) {
        out.channels.push_back({name,
                                manifest::json_unsigned(mark, "sequence").value_or(0),
                                manifest::json_string(mark, "bundle").value_or(""),
                                manifest::json_string(mark, "imported").value_or("")});
    }
    // The log is a record for people: a damaged one is reported, not fatal.
    if (auto imports = read_import_records(store.root()); imports) {
        out.imports = std::move(*imports);
    } else {
        out.import_log_problem = imports.error().message;
    }
    return out;
}

} // namespace airlock::unpack
