/*
 * What the front-end tests need beyond the library's malloc names: M(name)
 * for the (possibly renamed) malloc family and the default heap's linker
 * symbols.
 */
#ifndef TH_FRONT_NAMES_H
#define TH_FRONT_NAMES_H

#include "malloc_names.h" /* src/: the prototypes, renamed by FH_MALLOC_PREFIX */

#define M(name) FH_NAME(name)

extern char __heap_start[];
extern char __heap_end[];

#endif
