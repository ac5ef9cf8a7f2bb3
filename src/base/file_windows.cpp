// SPDX-License-Identifier: Apache-2.0
// The functions of file.hpp that Windows does its own way.
#include "windows_security.hpp"
#include "windows_text.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>

#include <aclapi.h>
#include <sddl.h>

#include <array>
#include <memory>

namespace airlock {

namespace fs = std::filesystem;

namespace {

struct LocalFreer
{
    void operator()(void* p) const noexcept
    {
        ::LocalFree(p);
    }
};

// True for the SIDs that administer the machine anyway: SYSTEM and Administrators.
bool is_machine_administrator(PSID sid)
{
    for (const WELL_KNOWN_SID_TYPE type : {WinLocalSystemSid, WinBuiltinAdministratorsSid}) {
        std::array<BYTE, SECURITY_MAX_SID_SIZE> buffer{};
        DWORD size = buffer.size();
        if (::CreateWellKnownSid(type, nullptr, buffer.data(), &size) != 0
            && ::EqualSid(sid, buffer.data()) != 0) {
            return true;
        }
    }
    return false;
}

} // namespace

bool files_have_permission_bits()
{
    return false;
}

Result<> refuse_writable_by_others(const fs::path& path, const TrustedPath& why)
{
    // The owner must be the user or an administrator, and no one else may be granted the
    // right to change the file (write, append, change its permissions or owner).
    PSID owner = nullptr;
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    const DWORD status =
        ::GetNamedSecurityInfoW(long_path(path).c_str(),
                                SE_FILE_OBJECT,
                                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                &owner,
                                nullptr,
                                &dacl,
                                nullptr,
                                &descriptor);
    if (status != ERROR_SUCCESS) {
        return fail(Errc::io,
                    str_cat("cannot inspect ", path.string(), ": ", windows_message(status)));
    }
    const std::unique_ptr<void, LocalFreer> held(descriptor);
    const auto me = current_user_sid();
    if (!me) {
        return fail(Errc::io, str_cat("cannot tell which account runs airlock"));
    }
    if (owner == nullptr) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " has no owner (its file system keeps none), so nothing shows who may "
                            "change it; keep it on NTFS or ",
                            why.alternative));
    }
    if (::EqualSid(owner, me.get()) == 0 && !is_machine_administrator(owner)) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " belongs to ",
                            sid_text(owner),
                            ", neither you nor an administrator, so its owner could ",
                            why.consequence,
                            "; take it over or ",
                            why.alternative));
    }
    if (dacl == nullptr) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " has no access list, so anyone could ",
                            why.consequence,
                            "; give it one (icacls)"));
    }
    constexpr ACCESS_MASK k_changes = FILE_WRITE_DATA | FILE_APPEND_DATA | WRITE_DAC | WRITE_OWNER
                                      | GENERIC_WRITE | GENERIC_ALL | DELETE;
    for (DWORD i = 0; i < dacl->AceCount; ++i) {
        void* ace = nullptr;
        if (::GetAce(dacl, i, &ace) == 0) {
            return fail(Errc::io,
                        str_cat("cannot read the access list of ",
                                path.string(),
                                ": ",
                                windows_message(::GetLastError())));
        }
        const auto* header = static_cast<ACE_HEADER*>(ace);
        if ((header->AceFlags & INHERIT_ONLY_ACE) != 0 || header->AceType == ACCESS_DENIED_ACE_TYPE
            || header->AceType == SYSTEM_AUDIT_ACE_TYPE) {
            continue; // grants nothing on the file itself
        }
        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) {
            // Conditional, object or compound grants: what they allow is not read here, so the
            // file is refused rather than trusted.
            return fail(Errc::usage,
                        str_cat(path.string(),
                                " has access rules airlock does not read (type ",
                                static_cast<unsigned>(header->AceType),
                                "); give it a plain access list (icacls ",
                                path.string(),
                                " /reset) or ",
                                why.alternative));
        }
        const auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
        auto* sid = const_cast<DWORD*>(&allowed->SidStart);
        if ((allowed->Mask & k_changes) == 0 || ::EqualSid(sid, me.get()) != 0
            || is_machine_administrator(sid)) {
            continue;
        }
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " may be changed by ",
                            sid_text(sid),
                            ", who could ",
                            why.consequence,
                            "; remove that right (icacls ",
                            path.string(),
                            " /remove *",
                            sid_text(sid),
                            ")"));
    }
    return {};
}

} // namespace airlock
