// SPDX-License-Identifier: Apache-2.0
//
// Deletes (distribution spec "Deleting tags", "Deleting manifests", "Deleting blobs"). A
// registry that does not allow them answers 405 (UNSUPPORTED), or for a tag 400 when it deletes
// manifests by digest only (Docker's registry 2.x): both say the registry keeps the content,
// which the caller turns into a message that fits what it was doing.

#include <airlock/base/str_cat.hpp>
#include <airlock/registry/client.hpp>
#include <airlock/registry/responses.hpp>

namespace airlock::registry {

Result<RegistryClient::Deleted> RegistryClient::delete_reference(http::Transport& transport,
                                                                 const std::string& repository,
                                                                 std::string_view kind,
                                                                 const std::string& reference)
{
    const http::Request request =
        request_to("DELETE", str_cat(m_base_url, "/v2/", repository, "/", kind, "/", reference));
    AIRLOCK_TRY_ASSIGN(
        const http::Response response,
        send(transport, request, str_cat("repository:", repository, ":delete"), nullptr));
    switch (response.status) {
    case 200:
    case 202:
        return Deleted::done;
    case 404:
        return Deleted::missing;
    case 400:
    case 405:
        return Deleted::unsupported;
    default:
        break;
    }
    const std::string detail = registry_error_text(response.body);
    return fail(response.status == 401 || response.status == 403 ? Errc::auth : Errc::http_status,
                str_cat(m_host,
                        " answered ",
                        response.status,
                        " to the DELETE of ",
                        repository,
                        "/",
                        kind,
                        "/",
                        reference,
                        detail.empty() ? "" : ": " + detail));
}

Result<RegistryClient::Deleted> RegistryClient::delete_manifest(http::Transport& transport,
                                                                const std::string& repository,
                                                                const std::string& reference)
{
    return delete_reference(transport, repository, "manifests", reference);
}

Result<RegistryClient::Deleted> RegistryClient::delete_blob(http::Transport& transport,
                                                            const std::string& repository,
                                                            const manifest::Digest& digest)
{
    return delete_reference(transport, repository, "blobs", digest.str());
}

} // namespace airlock::registry
