# CMake toolchain file for Arm Cortex-M with arm-none-eabi-gcc (Debian:
# gcc-arm-none-eabi, libnewlib-arm-none-eabi):
#
#   cmake -B build -DCMAKE_TOOLCHAIN_FILE=<firmheap>/cmake/arm-none-eabi.cmake \
#         -DFIRMHEAP_CORE=cortex-m4f
#
# FIRMHEAP_CORE (default cortex-m3) is any Arm core of mk/cores.txt; its CPU
# flags apply to every C and assembly file and to the link.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(FIRMHEAP_TOOLCHAIN_PREFIX arm-none-eabi-)
set(FIRMHEAP_DEFAULT_CORE cortex-m3)
include("${CMAKE_CURRENT_LIST_DIR}/firmheap-toolchain.cmake")
