# What both toolchain files do (they set FIRMHEAP_TOOLCHAIN_PREFIX and
# FIRMHEAP_DEFAULT_CORE first): a bare-metal target, the compiler and CPU
# flags of FIRMHEAP_CORE from mk/cores.txt, try_compile builds a library
# (a bare-metal executable would need a linker script).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# try_compile projects re-read this file: hand them the core.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FIRMHEAP_CORE)

include("${CMAKE_CURRENT_LIST_DIR}/firmheap-tables.cmake")
if(NOT FIRMHEAP_CORE)
  set(FIRMHEAP_CORE "${FIRMHEAP_DEFAULT_CORE}" CACHE STRING "firmheap core (mk/cores.txt)")
endif()
firmheap_core("${FIRMHEAP_CORE}" core_cc core_flags)
if(NOT core_cc STREQUAL "${FIRMHEAP_TOOLCHAIN_PREFIX}gcc")
  message(FATAL_ERROR "firmheap: core ${FIRMHEAP_CORE} builds with ${core_cc}; "
                      "this toolchain file is for ${FIRMHEAP_TOOLCHAIN_PREFIX}gcc")
endif()

set(CMAKE_C_COMPILER   "${FIRMHEAP_TOOLCHAIN_PREFIX}gcc")
set(CMAKE_ASM_COMPILER "${FIRMHEAP_TOOLCHAIN_PREFIX}gcc")
set(CMAKE_AR           "${FIRMHEAP_TOOLCHAIN_PREFIX}ar")
set(CMAKE_OBJCOPY      "${FIRMHEAP_TOOLCHAIN_PREFIX}objcopy")
set(CMAKE_SIZE         "${FIRMHEAP_TOOLCHAIN_PREFIX}size")
set(CMAKE_C_FLAGS_INIT   "${core_flags}")
set(CMAKE_ASM_FLAGS_INIT "${core_flags}")
# GCC 12 maps no "_zicsr" -march to a multilib: link (libgcc, the C
# library) with the plain name.
string(REPLACE "_zicsr" "" link_flags "${core_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${link_flags}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
