// SPDX-License-Identifier: Apache-2.0
#pragma once

// Accounts and access lists, for the Windows files of src/base.

#include <windows.h>

#include <memory>
#include <string>

namespace airlock {

// The SID of the user this process runs as; nullptr when Windows does not say.
std::unique_ptr<BYTE[]> current_user_sid();

// "S-1-5-21-...", or words saying it is unknown.
std::string sid_text(PSID sid);

// What a file is created with: for a POSIX mode that lets no one else in (0600 of a private
// key), an access list of its own, not inherited, for the user, SYSTEM and Administrators only;
// otherwise nothing (the parent directory's inherited list applies).
class CreationSecurity
{
  public:
    explicit CreationSecurity(unsigned mode);
    CreationSecurity(const CreationSecurity&) = delete;
    CreationSecurity& operator=(const CreationSecurity&) = delete;
    ~CreationSecurity();

    // For CreateFileW: nullptr to inherit.
    SECURITY_ATTRIBUTES* get()
    {
        return m_descriptor != nullptr ? &m_attributes : nullptr;
    }

    // False when a private list was wanted but could not be made (the caller refuses to
    // create the file rather than create it readable by others).
    bool ok() const
    {
        return m_ok;
    }

  private:
    PSECURITY_DESCRIPTOR m_descriptor = nullptr;
    SECURITY_ATTRIBUTES m_attributes{};
    bool m_ok = true;
};

} // namespace airlock
