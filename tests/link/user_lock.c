/*
 * A user's lock for the link test: what firmware keeps in its own static
 * library (an RTOS port, a board support package). It only counts; the
 * test is whether the linker picks it at all.
 */
#include "firmheap.h"

extern unsigned lock_witness;

void fh_lock(void)
{
    lock_witness++;
}

void fh_unlock(void)
{
}
