// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace airlock::unpack {

// A registry host as one spelling, so that a record keyed by it cannot be bypassed by writing
// the same registry another way: lower case, a trailing dot dropped, the loopback names
// (localhost, 127.0.0.1, ::1, [::1]) as "localhost", the default ports 443 and 80 dropped, and
// Docker Hub's aliases (index.docker.io, registry-1.docker.io) as "docker.io".
std::string normalise_registry_host(std::string_view host);

// `path` with symlinks resolved as far as it exists (a socket may be absent when checked), so
// that /var/run/docker.sock and /run/docker.sock name one store.
std::string resolved_path(const std::string& path);

} // namespace airlock::unpack
