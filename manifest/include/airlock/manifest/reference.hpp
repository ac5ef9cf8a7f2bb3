// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <string>
#include <string_view>

namespace airlock::manifest {

// An image reference normalised by Docker's rules: `ubuntu` is
// `docker.io/library/ubuntu:latest`; the first component is a registry only when it contains
// '.' or ':' or is `localhost`; `index.docker.io` is `docker.io`.
class Reference
{
  public:
    // Parses and normalises `text`. Errc::format naming the text and the rule broken.
    static Result<Reference> parse(std::string_view text);

    // "docker.io", "mcr.microsoft.com", "localhost:5000".
    const std::string& domain() const
    {
        return m_domain;
    }

    // Repository path within the registry: "library/ubuntu".
    const std::string& path() const
    {
        return m_path;
    }

    // Empty when the reference is by digest only.
    const std::string& tag() const
    {
        return m_tag;
    }

    // Empty unless "@sha256:..." was given.
    const std::string& digest() const
    {
        return m_digest;
    }

    // "docker.io/library/ubuntu": the fully qualified repository name.
    std::string name() const
    {
        return m_domain + "/" + m_path;
    }

    // "ubuntu" / "quay.io/x/y": the short form `docker images` shows.
    std::string familiar_name() const;

    // Fully qualified with tag and/or digest: "docker.io/library/ubuntu:latest".
    std::string str() const;

  private:
    std::string m_domain;
    std::string m_path;
    std::string m_tag;
    std::string m_digest;
};

// True when `tag` matches Docker's tag grammar `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
bool is_valid_tag(std::string_view tag);

} // namespace airlock::manifest
