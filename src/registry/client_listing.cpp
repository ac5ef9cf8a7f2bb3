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
// A registry that keeps naming next pages is not followed for ever.
constexpr int k_max_pages = 10'000;

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

Result<std::vector<std::string>> RegistryClient::list_pages(http::Transport& transport,
                                                            std::string url,
                                                            const std::string& scope,
                                                            std::string_view key,
                                                            std::string_view what)
{
    std::vector<std::string> out;
    std::set<std::string> pages;
    for (int page = 0; !url.empty(); ++page) {
        AIRLOCK_TRY(check_cancel());
        if (page >= k_max_pages || !pages.insert(url).second) {
            return fail(Errc::format, str_cat(m_host, " pages its ", what, " without end"));
        }
        AIRLOCK_TRY_ASSIGN(const http::Response response,
                           send(transport, request_to("GET", url), scope, nullptr));
        if (response.status == 404) {
            return fail(Errc::not_found, str_cat(m_host, " has no ", what));
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
        AIRLOCK_TRY_ASSIGN(const nlohmann::json doc,
                           manifest::parse_bounded_json(response.body, str_cat(m_host, " ", what)));
        if (!doc.is_object()) {
            return fail(Errc::format, str_cat(m_host, "'s ", what, " is not a JSON object"));
        }
        const auto list = doc.find(std::string(key));
        if (list != doc.end() && list->is_array()) {
            for (const auto& item : *list) {
                if (item.is_string()) {
                    out.push_back(item.get<std::string>());
                }
            }
        } else if (list != doc.end() && !list->is_null()) {
            return fail(Errc::format, str_cat(m_host, "'s ", what, ": ", key, " is not a list"));
        }
        const std::string next = next_link(response);
        url = next.empty() ? std::string() : this->url(next);
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

} // namespace airlock::registry
