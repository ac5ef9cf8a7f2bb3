// SPDX-License-Identifier: Apache-2.0
// The access lists Windows gives airlock's files: a private file (0600, a signing key) is
// readable by its user, SYSTEM and Administrators only, whatever the directory lets others do.
#include "../scratch.hpp"

#include <airlock/base/file.hpp>

#include <doctest/doctest.h>

#include <aclapi.h>
#include <windows.h>

#include <string>

using namespace airlock;

namespace {

struct Dacl
{
    bool is_protected = false;
    DWORD aces = 0;
};

Dacl dacl_of(const std::filesystem::path& path)
{
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    REQUIRE(::GetNamedSecurityInfoW(path.wstring().c_str(),
                                    SE_FILE_OBJECT,
                                    DACL_SECURITY_INFORMATION,
                                    nullptr,
                                    nullptr,
                                    &dacl,
                                    nullptr,
                                    &descriptor)
            == ERROR_SUCCESS);
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    ::GetSecurityDescriptorControl(descriptor, &control, &revision);
    Dacl out{(control & SE_DACL_PROTECTED) != 0,
             dacl != nullptr ? DWORD{dacl->AceCount} : DWORD{0}};
    ::LocalFree(descriptor);
    return out;
}

// Wine keeps no access lists of its own on a Linux file system: it answers with a default one.
bool under_wine()
{
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

} // namespace

TEST_CASE("base: a 0600 file gets a private access list from its creation")
{
    const test::Scratch scratch;
    REQUIRE(write_file_atomic(scratch.path() / "k.key", "private", 0600));
    REQUIRE(write_file_atomic(scratch.path() / "k.pub", "public", 0644));
    if (under_wine()) {
        MESSAGE("Wine keeps no access lists: checked on Windows only");
        return;
    }
    const Dacl key = dacl_of(scratch.path() / "k.key");
    CHECK(key.is_protected);
    CHECK(key.aces == 3); // the user, SYSTEM, Administrators
    CHECK_FALSE(dacl_of(scratch.path() / "k.pub").is_protected);
}
