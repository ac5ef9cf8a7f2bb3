// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/http/client.hpp>
#include <airlock/registry/client.hpp>

#include <string>
#include <vector>

namespace airlock::unpack {

// The repositories of a registry store under `prefix` (no trailing '/'): those `given`, put
// under the prefix, or every one the catalog lists there but airlock's channel records.
Result<std::vector<std::string>> registry_repositories(registry::RegistryClient& client,
                                                       http::Client& http,
                                                       const std::string& prefix,
                                                       const std::vector<std::string>& given);

} // namespace airlock::unpack
