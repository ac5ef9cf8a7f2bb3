# Cross-compiles for Windows x86-64 with Debian's MinGW-w64 (gcc-mingw-w64-x86-64-posix,
# g++-mingw-w64-x86-64-posix): cmake -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake ...
# The -posix compilers: their libstdc++ has std::thread, std::mutex and the rest of <thread>
# (the -win32 ones do not), and the C libraries are built with the same compiler as the C++.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${MINGW_TRIPLET}-windres)
# The -posix compilers' own ar/ranlib wrappers (LTO plugin), as the compilers would choose.
set(CMAKE_AR ${MINGW_TRIPLET}-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB ${MINGW_TRIPLET}-gcc-ranlib-posix CACHE FILEPATH "")

# Headers, libraries and packages come only from the MinGW-w64 sysroot and from the roots a
# build adds (-DCMAKE_FIND_ROOT_PATH=/its/prefix), never from the Linux host's /usr: a Linux
# header found by mistake compiles and then fails at link time, or builds against another
# version. Programs (perl, code generators) are the host's.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

