// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <string>
#include <string_view>

namespace airlock::registry {

// Readers of the JSON a registry or its token service sends about itself. The bodies come from
// the network: any JSON (or none) of any shape gives a value or an Error, never an exception.

// What a registry's error document ({"errors":[{"code":..,"message":..}]}) says about its first
// error, "CODE: message" as one printable line of bounded length; empty when `body` is not such
// a document or says nothing usable.
std::string registry_error_text(std::string_view body);

// The Bearer token in a token service's answer ({"token": ...} or {"access_token": ...}): a
// non-empty string of visible ASCII, since it becomes an HTTP header. Errc::auth otherwise,
// naming `host` (the registry the token is for).
Result<std::string> parse_token_response(std::string_view body, std::string_view host);

// Whether `body` is a JSON object whose "schemaVersion" is the number 1 (Docker schema 1).
bool is_schema1_document(std::string_view body);

} // namespace airlock::registry
