# CMake toolchain file for RISC-V with riscv64-unknown-elf-gcc (Debian:
# gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf), 32 or 64 bit:
#
#   cmake -B build -DCMAKE_TOOLCHAIN_FILE=<firmheap>/cmake/riscv64-unknown-elf.cmake \
#         -DFIRMHEAP_CORE=rv32imc
#
# FIRMHEAP_CORE (default rv32imac) is any RISC-V core of mk/cores.txt.
set(CMAKE_SYSTEM_PROCESSOR riscv)
set(FIRMHEAP_TOOLCHAIN_PREFIX riscv64-unknown-elf-)
set(FIRMHEAP_DEFAULT_CORE rv32imac)
include("${CMAKE_CURRENT_LIST_DIR}/firmheap-toolchain.cmake")
