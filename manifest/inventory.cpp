// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/manifest/json.hpp>

namespace airlock::manifest {

namespace {

Result<std::map<std::string, Inventory::ChannelMark>> parse_channels(const nlohmann::json& doc,
                                                                     const std::string& source)
{
    std::map<std::string, Inventory::ChannelMark> out;
    const auto channels = doc.find("channels");
    if (channels == doc.end()) {
        return out;
    }
    if (!channels->is_object()) {
        return fail(Errc::format, str_cat(source, ": 'channels' is not an object"));
    }
    for (const auto& [name, entry] : channels->items()) {
        const auto sequence = json_unsigned(entry, "sequence");
        if (!sequence) {
            return fail(Errc::format,
                        str_cat(source, ": channel '", name, "' has no unsigned 'sequence'"));
        }
        out[name] = {*sequence, json_string(entry, "bundle").value_or("")};
    }
    return out;
}

} // namespace

Result<Inventory> parse_inventory(std::string_view text, const std::string& source)
{
    AIRLOCK_TRY_ASSIGN(const nlohmann::json doc, parse_bounded_json(text, source));
    const auto blobs = doc.is_object() ? doc.find("blobs") : doc.end();
    if (json_string(doc, "format") != k_inventory_format || blobs == doc.end()
        || !blobs->is_array()) {
        return fail(
            Errc::format,
            str_cat(source, " is not an airlock inventory (airlock inventory -o FILE writes one)"));
    }
    Inventory out;
    out.store = json_string(doc, "store").value_or("a store");
    for (const auto& b : *blobs) {
        // An entry whose digest does not parse could match no listed blob: it is left out.
        if (auto digest = Digest::parse(json_string(b, "digest").value_or(""))) {
            out.blobs.insert(std::move(*digest));
        }
    }
    AIRLOCK_TRY_ASSIGN(out.channels, parse_channels(doc, source));
    return out;
}

} // namespace airlock::manifest
