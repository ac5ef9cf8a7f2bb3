// SPDX-License-Identifier: Apache-2.0
//
// Docker's reference grammar (distribution/reference), implemented by hand:
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*,  separator := [_.] | "__" | "-"+
//   domain    := host [":" port]   (host: dot-separated labels of [A-Za-z0-9-], or IPv6 in [])
//   tag       := [\w][\w.-]{0,127}
// and normalised: no domain -> docker.io, docker.io single component -> library/NAME,
// index.docker.io -> docker.io, no tag and no digest -> :latest.

#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/digest.hpp>
#include <airlock/manifest/reference.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace airlock::manifest {

namespace {

constexpr std::string_view k_default_domain = "docker.io";
constexpr std::size_t k_max_name_length = 255;

bool is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_valid_path_component(std::string_view component)
{
    if (component.empty() || !is_lower_alnum(component.front())
        || !is_lower_alnum(component.back())) {
        return false;
    }
    for (std::size_t i = 0; i < component.size();) {
        if (is_lower_alnum(component[i])) {
            ++i;
            continue;
        }
        // A separator: ".", "_", "__" or a run of "-", always between alphanumerics.
        std::size_t end = i;
        if (component[i] == '-') {
            while (end < component.size() && component[end] == '-') {
                ++end;
            }
        } else if (component.substr(i, 2) == "__") {
            end = i + 2;
        } else if (component[i] == '.' || component[i] == '_') {
            end = i + 1;
        } else {
            return false;
        }
        if (end >= component.size() || !is_lower_alnum(component[end])) {
            return false;
        }
        i = end;
    }
    return true;
}

bool is_valid_domain(std::string_view domain)
{
    std::string_view host = domain;
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos) {
            return false;
        }
        const std::string_view inner = host.substr(1, close - 1);
        if (inner.empty() || !std::all_of(inner.begin(), inner.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':';
            })) {
            return false;
        }
        host = host.substr(close + 1);
        if (host.empty()) {
            return true;
        }
        if (host.front() != ':') {
            return false;
        }
    } else {
        const auto colon = host.find(':');
        const std::string_view name = host.substr(0, colon);
        std::size_t start = 0;
        while (start <= name.size()) {
            const auto dot = name.find('.', start);
            const std::string_view label = name.substr(
                start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
            if (label.empty() || label.front() == '-' || label.back() == '-'
                || !std::all_of(label.begin(), label.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
                   })) {
                return false;
            }
            if (dot == std::string_view::npos) {
                break;
            }
            start = dot + 1;
        }
        if (colon == std::string_view::npos) {
            return true;
        }
        host = host.substr(colon);
    }
    const std::string_view port = host.substr(1);
    return !port.empty() && port.size() <= 5
           && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Docker's rule for telling a registry from the first path component.
bool looks_like_domain(std::string_view first)
{
    if (first == "localhost") {
        return true;
    }
    if (first.find_first_of(".:") != std::string_view::npos) {
        return true;
    }
    // Upper case cannot be a repository, so Docker treats it as a host name.
    return std::any_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

} // namespace

bool is_valid_tag(std::string_view tag)
{
    if (tag.empty() || tag.size() > 128) {
        return false;
    }
    const auto word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    if (!word(tag.front())) {
        return false;
    }
    return std::all_of(
        tag.begin() + 1, tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

Result<Reference> Reference::parse(std::string_view text)
{
    const auto invalid = [&](std::string_view why) {
        return fail(Errc::format, str_cat("invalid image reference '", text, "': ", why));
    };
    if (text.empty()) {
        return invalid("empty");
    }
    Reference ref;
    std::string_view rest = text;
    if (const auto at = rest.find('@'); at != std::string_view::npos) {
        auto digest = Digest::parse(rest.substr(at + 1));
        if (!digest) {
            return invalid(digest.error().message);
        }
        ref.m_digest = digest->str();
        rest = rest.substr(0, at);
    }
    // A tag follows the last ':' only when no '/' comes after it (else it is a port).
    if (const auto colon = rest.rfind(':');
        colon != std::string_view::npos && rest.find('/', colon) == std::string_view::npos) {
        const std::string_view tag = rest.substr(colon + 1);
        if (!is_valid_tag(tag)) {
            return invalid(str_cat("invalid tag '", tag, "'"));
        }
        ref.m_tag = std::string(tag);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) {
        return invalid("no repository name");
    }
    std::string_view path = rest;
    if (const auto slash = rest.find('/');
        slash != std::string_view::npos && looks_like_domain(rest.substr(0, slash))) {
        const std::string_view domain = rest.substr(0, slash);
        if (!is_valid_domain(domain)) {
            return invalid(str_cat("invalid registry host '", domain, "'"));
        }
        ref.m_domain =
            domain == "index.docker.io" ? std::string(k_default_domain) : std::string(domain);
        path = rest.substr(slash + 1);
    } else {
        ref.m_domain = std::string(k_default_domain);
    }
    if (path.empty()) {
        return invalid("no repository name");
    }
    std::size_t start = 0;
    while (true) {
        const auto slash = path.find('/', start);
        const std::string_view component = path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!is_valid_path_component(component)) {
            if (std::any_of(component.begin(), component.end(), [](char c) {
                    return c >= 'A' && c <= 'Z';
                })) {
                return invalid("repository name must be lowercase");
            }
            return invalid(str_cat("invalid path component '", component, "'"));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    ref.m_path = std::string(path);
    if (ref.m_domain == k_default_domain && ref.m_path.find('/') == std::string::npos) {
        ref.m_path = "library/" + ref.m_path;
    }
    if (ref.name().size() > k_max_name_length) {
        return invalid(str_cat("repository name longer than ", k_max_name_length, " characters"));
    }
    if (ref.m_tag.empty() && ref.m_digest.empty()) {
        ref.m_tag = "latest";
    }
    return ref;
}

std::string Reference::familiar_name() const
{
    if (m_domain != k_default_domain) {
        return name();
    }
    if (m_path.starts_with("library/") && m_path.find('/', 8) == std::string::npos) {
        return m_path.substr(8);
    }
    return m_path;
}

std::string Reference::str() const
{
    std::string out = name();
    if (!m_tag.empty()) {
        out += ":" + m_tag;
    }
    if (!m_digest.empty()) {
        out += "@" + m_digest;
    }
    return out;
}

} // namespace airlock::manifest
