// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>

namespace airlock::manifest {

using nlohmann::json;

Result<> check_json_shape(std::string_view bytes, std::string_view what, JsonLimits limits)
{
    std::size_t depth = 0;
    std::size_t elements = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : bytes) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            break;
        case '[':
        case '{':
            if (++depth > limits.max_depth) {
                return fail(Errc::format,
                            str_cat(what,
                                    " nests arrays/objects more than ",
                                    limits.max_depth,
                                    " deep; refused unparsed"));
            }
            ++elements;
            break;
        case ']':
        case '}':
            depth -= depth > 0 ? 1 : 0;
            break;
        case ',':
        case ':':
            ++elements;
            break;
        default:
            continue;
        }
        if (elements > limits.max_elements) {
            return fail(Errc::format,
                        str_cat(what,
                                " has more than ",
                                limits.max_elements,
                                " JSON elements; refused unparsed"));
        }
    }
    return {};
}

Result<json> parse_bounded_json(std::string_view bytes, std::string_view what, JsonLimits limits)
{
    AIRLOCK_TRY(check_json_shape(bytes, what, limits));
    json doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded()) {
        return fail(Errc::format, str_cat(what, " is not valid JSON"));
    }
    return doc;
}

namespace {

// The member `key` of `object`, or nullptr when `object` is no object or lacks it.
const json* member(const json& object, std::string_view key)
{
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

} // namespace

std::optional<std::string> json_string(const json& object, std::string_view key)
{
    const json* value = member(object, key);
    return value != nullptr && value->is_string() ? std::optional(value->get<std::string>())
                                                  : std::nullopt;
}

std::optional<std::uint64_t> json_unsigned(const json& object, std::string_view key)
{
    const json* value = member(object, key);
    return value != nullptr && value->is_number_unsigned()
               ? std::optional(value->get<std::uint64_t>())
               : std::nullopt;
}

std::optional<std::int64_t> json_integer(const json& object, std::string_view key)
{
    const json* value = member(object, key);
    if (value == nullptr || !value->is_number_integer()
        || (value->is_number_unsigned()
            && value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

} // namespace airlock::manifest
