// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/unpack/import.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::unpack {

// A registry host as one spelling, so that a record keyed by it cannot be bypassed by writing
// the same registry another way: lower case, a trailing dot dropped, the loopback names
// (localhost, 127.0.0.1, ::1, [::1]) as "localhost", the default ports 443 and 80 dropped, and
// Docker Hub's aliases (index.docker.io, registry-1.docker.io) as "docker.io".
std::string normalise_registry_host(std::string_view host);

// The store `options` imports into, spelled one way: "docker://HOST/PREFIX" (host as above),
// "docker-engine:SOCKET" and "containerd:SOCKET?namespace=NS" with the socket path resolved
// (symlinks such as /var/run -> /run followed), "oci:DIR".
std::string store_identity(const ImportOptions& options);

// Where the local channel ledger of a registry, Docker Engine or containerd store lives: one
// file per store_identity in airlock's state directory (/var/lib/airlock/state as root, else
// $XDG_DATA_HOME/airlock/state). OCI stores keep theirs inside the store.
std::filesystem::path local_ledger_path(const ImportOptions& options);

} // namespace airlock::unpack
