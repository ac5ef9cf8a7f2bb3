// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/registry/retry.hpp>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>

namespace airlock::registry {

// How registries are reached. Secrets here are never logged or written anywhere.
struct RegistryOptions
{
    std::string creds; // "USER:PASS" for every registry (--creds)
    std::filesystem::path
        auth_file; // --authfile; else $DOCKER_CONFIG/config.json, ~/.docker/config.json
    std::filesystem::path cert_dir; // --cert-dir: DIR/HOST[:PORT]/ca.crt; also /etc/docker/certs.d
    std::set<std::string> insecure; // --insecure-registry HOST[:PORT]: plain HTTP or unverified TLS
    unsigned jobs = 4;              // parallel blob downloads
    std::filesystem::path cache_dir;     // content-addressed blob cache
    std::chrono::seconds stall_time{60}; // a transfer making no progress this long is retried
    int attempts = 5;                    // per request, for connection errors, 429 and 5xx
    // No retry waits past this long after a request's first failure, whatever `attempts` says
    // (Retry-After may ask for up to 60 s a time).
    std::chrono::seconds retry_time{120};
    RetryDelays retry_delays; // the waits between those attempts
};

// $XDG_CACHE_HOME/airlock (default ~/.cache/airlock).
std::filesystem::path default_cache_dir();

} // namespace airlock::registry
