// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/registry/responses.hpp>

#include <algorithm>

namespace airlock::registry {

using nlohmann::json;

namespace {

// Registry text ends up on a terminal: no control characters (escape sequences), one line.
constexpr std::size_t k_max_error_text = 300;

std::string printable_line(std::string_view text)
{
    std::string out;
    for (const char c : text.substr(0, k_max_error_text)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
    }
    if (text.size() > k_max_error_text) {
        out += "...";
    }
    return out;
}

// The string member `key` of `object`, or empty when it is missing or of another type.
std::string string_member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string registry_error_text(std::string_view body)
{
    const auto doc = manifest::parse_bounded_json(body, "registry error");
    if (!doc || !doc->is_object()) {
        return {};
    }
    const auto errors = doc->find("errors");
    if (errors == doc->end() || !errors->is_array() || errors->empty()
        || !errors->front().is_object()) {
        return {};
    }
    const json& first = errors->front();
    std::string out = string_member(first, "code");
    const std::string message = string_member(first, "message");
    if (!message.empty()) {
        out += (out.empty() ? "" : ": ") + message;
    }
    return printable_line(out);
}

Result<std::string> parse_token_response(std::string_view body, std::string_view host)
{
    const auto doc = manifest::parse_bounded_json(body, "token response");
    if (!doc || !doc->is_object()) {
        return fail(Errc::auth, str_cat("token service of ", host, " sent no JSON token"));
    }
    std::string token = string_member(*doc, "token");
    if (token.empty()) {
        token = string_member(*doc, "access_token");
    }
    if (token.empty()) {
        return fail(Errc::auth, str_cat("token service of ", host, " sent no token"));
    }
    if (!std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
        return fail(Errc::auth,
                    str_cat("token service of ", host, " sent a token that is not visible ASCII"));
    }
    return token;
}

bool is_schema1_document(std::string_view body)
{
    const auto doc = manifest::parse_bounded_json(body, "manifest");
    if (!doc || !doc->is_object()) {
        return false;
    }
    const auto version = doc->find("schemaVersion");
    return version != doc->end() && version->is_number_integer()
           && version->get<std::int64_t>() == 1;
}

} // namespace airlock::registry
