// SPDX-License-Identifier: Apache-2.0
#include <airlock/http/transport.hpp>

namespace airlock::http {

std::string Response::header(std::string_view name) const
{
    const auto it = headers.find(std::string(name));
    return it == headers.end() || it->second.empty() ? std::string() : it->second.front();
}

} // namespace airlock::http
