/*
 * What every recorder shares (tools/trace/record/record.c): a firmheap
 * default heap on the host, built with FH_TRACE=1, whose trace goes to a
 * file. The recorders hand each library the malloc family of that build
 * (FH_NAME(malloc) & co. from src/malloc_names.h, which are fh_host_malloc
 * & co. here): every request the library makes is served by firmheap and
 * recorded as firmware would record it, with the ABI's alignment (16 on
 * x86-64).
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>

#include "firmheap_trace.h"
#include "malloc_names.h"

/* Starts recording to path; exits the program if it cannot. */
void rec_start(const char *path);
/* Ends the trace (END record) and closes the file; exits on a write error. */
void rec_stop(void);
/* Exits with a message: for setup errors of the library under recording. */
_Noreturn void rec_fail(const char *what, long code);

#endif
