// SPDX-License-Identifier: Apache-2.0
//
// The registry's lists (distribution spec "Listing repositories" and "Listing tags"): pages of
// at most k_page_size, the next one named by a Link header (rel="next").

#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/responses.hpp>

#include <set>

namespace airlock::registry {

namespace {

constexpr int k_page_size = 1000;
// A referrers list is small (an index of a few descriptors per signature or SBOM); beyond this,
// a registry is answering with something else.
constexpr std::uint64_t k_max_referrers_bytes = 4ULL << 20U;

// The URL of a Link header's rel="next", or empty.
std::string next_link(const http::Response& response)
{
    const std::string link = response.header("link");
    const auto open = link.find('<');
    const auto close = link.find('>', open);
    if (open == std::string::npos || close == std::string::npos
        || link.find("rel=\"next\"", close) == std::string::npos) {
        return {};
    }
    return link.substr(open + 1, close - open - 1);
}

} // namespace

Result<bool> RegistryClient::for_each_page(http::Transport& transport,
                                           std::string url,
                                           const std::string& scope,
                                           std::string_view what,
                                           const std::function<Result<>(std::string_view)>& page,
                                           const PageLimits& limits)
{
    std::set<std::string> seen;
    for (int n = 0; !url.empty(); ++n) {
        AIRLOCK_TRY(check_cancel());
        if (n >= limits.max_pages || !seen.insert(url).second) {
            return fail(Errc::format, str_cat(m_host, " pages its ", what, " without end"));
        }
        AIRLOCK_TRY_ASSIGN(const http::Response response,
                           send(transport, request_to("GET", url), scope, nullptr));
        if (n == 0
            && (response.status == 404
                || (limits.absent_on_bad_request
                    && (response.status == 400 || response.status == 405)))) {
            return false;
        }
        if (response.status != 200) {
            const std::string detail = registry_error_text(response.body);
            return fail(response.status == 401 || response.status == 403 ? Errc::auth
                                                                         : Errc::http_status,
                        str_cat(m_host,
                                " answered ",
                                response.status,
                                " to listing its ",
                                what,
                                detail.empty() ? "" : ": " + detail));
        }
        AIRLOCK_TRY(page(response.body));
        const std::string next = next_link(response);
        url = next.empty() ? std::string() : this->url(next);
    }
    return true;
}

Result<std::vector<std::string>> RegistryClient::list_pages(http::Transport& transport,
                                                            std::string url,
                                                            const std::string& scope,
                                                            std::string_view key,
                                                            std::string_view what)
{
    std::vector<std::string> out;
    AIRLOCK_TRY_ASSIGN(
        const bool found,
        for_each_page(
            transport, std::move(url), scope, what, [&](std::string_view body) -> Result<> {
                AIRLOCK_TRY_ASSIGN(const nlohmann::json doc,
                                   manifest::parse_bounded_json(body, str_cat(m_host, " ", what)));
                if (!doc.is_object()) {
                    return fail(Errc::format,
                                str_cat(m_host, "'s ", what, " is not a JSON object"));
                }
                const auto list = doc.find(std::string(key));
                if (list != doc.end() && list->is_array()) {
                    for (const auto& item : *list) {
                        if (item.is_string()) {
                            out.push_back(item.get<std::string>());
                        }
                    }
                } else if (list != doc.end() && !list->is_null()) {
                    return fail(Errc::format,
                                str_cat(m_host, "'s ", what, ": ", key, " is not a list"));
                }
                return {};
            }));
    if (!found) {
        return fail(Errc::not_found, str_cat(m_host, " has no ", what));
    }
    return out;
}

Result<std::vector<std::string>> RegistryClient::list_repositories(http::Transport& transport)
{
    return list_pages(transport,
                      str_cat(m_base_url, "/v2/_catalog?n=", k_page_size),
                      "registry:catalog:*",
                      "repositories",
                      "catalog");
}

Result<std::vector<std::string>> RegistryClient::list_tags(http::Transport& transport,
                                                           const std::string& repository)
{
    return list_pages(transport,
                      str_cat(m_base_url, "/v2/", repository, "/tags/list?n=", k_page_size),
                      str_cat("repository:", repository, ":pull"),
                      "tags",
                      str_cat("tags of ", repository));
}

Result<std::optional<std::vector<std::string>>> RegistryClient::referrers(
    http::Transport& transport, const std::string& repository, const manifest::Digest& digest)
{
    std::vector<std::string> pages;
    std::uint64_t bytes = 0;
    AIRLOCK_TRY_ASSIGN(const bool found,
                       for_each_page(
                           transport,
                           str_cat(m_base_url, "/v2/", repository, "/referrers/", digest.str()),
                           str_cat("repository:", repository, ":pull"),
                           str_cat("referrers of ", repository, "@", digest.str()),
                           [&](std::string_view body) -> Result<> {
                               bytes += body.size();
                               if (bytes > k_max_referrers_bytes) {
                                   return fail(Errc::format,
                                               str_cat(m_host,
                                                       " lists more than ",
                                                       k_max_referrers_bytes >> 20U,
                                                       " MiB of referrers of ",
                                                       repository,
                                                       "@",
                                                       digest.str()));
                               }
                               pages.emplace_back(body);
                               return {};
                           },
                           // Registries and proxies without the endpoint answer 404, some 400 or
                           // 405; a list of signatures and SBOMs of one manifest is a page or two.
                           PageLimits{.max_pages = 16, .absent_on_bad_request = true}));
    if (!found) {
        return std::optional<std::vector<std::string>>();
    }
    return std::optional<std::vector<std::string>>(std::move(pages));
}

} // namespace airlock::registry
