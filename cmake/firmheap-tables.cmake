# firmheap's data tables for CMake, read from the same files make and
# rust/build.rs read: mk/cores.txt (compiler, Rust targets and CPU flags per
# core) and mk/lib-flags.txt (the library's flag sets). Included by
# CMakeLists.txt and by the toolchain files.

set(FIRMHEAP_TABLES_DIR "${CMAKE_CURRENT_LIST_DIR}/../mk")

# firmheap_table_row(<file> <key> <out>): the line of <file> whose first
# word is <key>, without that word ("" if none). Comment lines skipped.
function(firmheap_table_row file key out)
  file(STRINGS "${FIRMHEAP_TABLES_DIR}/${file}" lines REGEX "^${key}[ \t]")
  set(row "")
  if(lines)
    list(GET lines 0 row)
    string(REGEX REPLACE "^${key}[ \t]+" "" row "${row}")
  endif()
  set(${out} "${row}" PARENT_SCOPE)
endfunction()

# firmheap_lib_flags(<set> <out>): a flag set of mk/lib-flags.txt, as a list.
function(firmheap_lib_flags set out)
  firmheap_table_row(lib-flags.txt "${set}" row)
  if(row STREQUAL "")
    message(FATAL_ERROR "firmheap: mk/lib-flags.txt has no '${set}' line")
  endif()
  separate_arguments(flags UNIX_COMMAND "${row}")
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

# firmheap_core(<core> <out_cc> <out_flags>): a core of mk/cores.txt: its
# compiler and its CPU flags (one string).
function(firmheap_core core out_cc out_flags)
  firmheap_table_row(cores.txt "${core}" row)
  if(NOT row MATCHES "^([^ \t]+)[ \t]+[^ \t]+[ \t]+(.*)$")
    file(STRINGS "${FIRMHEAP_TABLES_DIR}/cores.txt" all REGEX "^[a-z]")
    list(TRANSFORM all REPLACE "[ \t].*" "")
    message(FATAL_ERROR "firmheap: core '${core}' is not in mk/cores.txt; cores: ${all}")
  endif()
  set(${out_cc} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  set(${out_flags} "${CMAKE_MATCH_2}" PARENT_SCOPE)
endfunction()
