// SPDX-License-Identifier: Apache-2.0
#include "windows_security.hpp"

#include "windows_text.hpp"

#include <sddl.h>

namespace airlock {

// The SID of the user this process runs as.
std::unique_ptr<BYTE[]> current_user_sid()
{
    HANDLE token = nullptr;
    if (::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token) == 0) {
        return nullptr;
    }
    DWORD size = 0;
    ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    auto buffer = std::make_unique<BYTE[]>(size);
    const bool ok = ::GetTokenInformation(token, TokenUser, buffer.get(), size, &size) != 0;
    ::CloseHandle(token);
    if (!ok) {
        return nullptr;
    }
    const auto* user = reinterpret_cast<TOKEN_USER*>(buffer.get());
    const DWORD length = ::GetLengthSid(user->User.Sid);
    auto sid = std::make_unique<BYTE[]>(length);
    ::CopySid(length, sid.get(), user->User.Sid);
    return sid;
}

std::string sid_text(PSID sid)
{
    char* text = nullptr;
    if (::ConvertSidToStringSidA(sid, &text) == 0) {
        return "an unknown account";
    }
    std::string out = text;
    ::LocalFree(text);
    return out;
}

CreationSecurity::CreationSecurity(unsigned mode)
{
    if ((mode & 077U) != 0U) {
        return; // others may read: the inherited list, as for every other file
    }
    m_ok = false;
    const auto user = current_user_sid();
    if (!user) {
        return;
    }
    // P: protected (nothing inherited from the directory); FA: full access; SY, BA: SYSTEM and
    // Administrators, who administer the machine anyway (as root does a 0600 file).
    const std::wstring sddl =
        to_wide("D:P(A;;FA;;;" + sid_text(user.get()) + ")(A;;FA;;;SY)(A;;FA;;;BA)");
    if (::ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl.c_str(), SDDL_REVISION_1, &m_descriptor, nullptr)
        == 0) {
        m_descriptor = nullptr;
        return;
    }
    m_attributes.nLength = sizeof(m_attributes);
    m_attributes.lpSecurityDescriptor = m_descriptor;
    m_attributes.bInheritHandle = FALSE;
    m_ok = true;
}

CreationSecurity::~CreationSecurity()
{
    if (m_descriptor != nullptr) {
        ::LocalFree(m_descriptor);
    }
}

} // namespace airlock
