/*
 * fh_lock/fh_unlock that do nothing: for a program in which only one context
 * ever uses the default heap (no allocation from interrupt handlers, no
 * threads, no second hart), and for host programs that keep to one thread.
 *
 * Opt-in: this file is not part of libfirmheap.a (the library has no lock of
 * its own, so that a missing lock fails the link instead of leaving the heap
 * silently unlocked). Link this object, or compile this file into the
 * program, to say "no lock needed" explicitly.
 */
#include "firmheap.h"

void fh_lock(void)
{
}

void fh_unlock(void)
{
}
