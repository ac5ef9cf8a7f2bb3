// SPDX-License-Identifier: Apache-2.0
#pragma once

// The containers registries.d configuration (containers-registries.d(5)): where lookaside
// stores keep the "simple signing" signatures of images, per registry or namespace:
//
//   docker:
//     registry.example.com/ns:
//       lookaside: https://sigs.example.com/ns          # read signatures here
//       lookaside-staging: file:///srv/sigstore/ns      # write them here
//   default-docker:
//     lookaside: file:///var/lib/containers/sigstore
//
// (`sigstore` and `sigstore-staging` are the older names of the same keys.) Only this subset of
// YAML is read: nested mappings by indentation, plain or quoted scalars, comments.

#include <airlock/base/error.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::manifest {

struct LookasideConfig
{
    std::string lookaside;         // URL signatures are read from (file://, http://, https://)
    std::string lookaside_staging; // URL they are written to; empty: `lookaside`
};

struct RegistriesD
{
    std::map<std::string, LookasideConfig> docker; // by "host[/namespace...]"
    LookasideConfig default_docker;
};

// Parses one registries.d file `text` (named `file` in messages) into `into`. A scope that an
// earlier file configured already is an error, as containers/image has it. Errc::format; at
// most 1 MiB and four levels of nesting.
Result<> parse_registries_d(std::string_view text, std::string_view file, RegistriesD& into);

// The registries.d directory to read: `given`, else the user's
// ($XDG_CONFIG_HOME/containers/registries.d) when it exists, else /etc/containers/registries.d.
std::filesystem::path registries_d_dir(const std::filesystem::path& given);

// Errc::usage when `given` (--registries.d) is named but is not a directory: a mistyped path
// would otherwise leave the signatures silently behind.
Result<> check_registries_d_option(const std::filesystem::path& given);

// Reads every *.yaml file of `dir` in name order. A directory that does not exist is an empty
// configuration. Errc::format, Errc::io.
Result<RegistriesD> load_registries_d(const std::filesystem::path& dir);

// The lookaside URL for image repository `repository` ("host/path", no tag), as
// containers/image picks it: the scope that is the repository itself, then each parent
// namespace, then default-docker, the first that sets one. For reading, `lookaside`; for
// writing, `lookaside-staging`, else that scope's `lookaside`. Empty when none does.
std::string lookaside_url(const RegistriesD& config, std::string_view repository, bool write);

// Where signature `n` (from 1) of manifest `digest` of `repository` ("host/path") is under
// lookaside URL `base`: BASE/PATH@sha256=HEX/signature-N, PATH being the repository without
// its host, as containers/image lays lookaside stores out.
std::string signature_url(std::string_view base,
                          std::string_view repository,
                          std::string_view digest,
                          unsigned n);

// The directory a file:// lookaside URL names (file:///PATH or file://localhost/PATH, %XX
// decoded); nothing for another scheme or host.
std::optional<std::filesystem::path> lookaside_directory(std::string_view url);

} // namespace airlock::manifest
