/*
 * The host runners' fh_lock/fh_unlock (tests/host/host_lock.c): no mutual
 * exclusion (the runner is one thread) but a witness. It counts the masked
 * sections (outermost lock .. outermost unlock), catches unbalanced unlocks,
 * and can call a probe at the end of each section, so a test can look at
 * memory as it was when the lock was released.
 */
#ifndef TH_HOST_LOCK_H
#define TH_HOST_LOCK_H

extern unsigned hl_depth;      /* current nesting */
extern unsigned hl_sections;   /* masked sections ended so far */
extern unsigned hl_unbalanced; /* unlocks without a lock */
/* Called after each outermost unlock while set. */
extern void (*hl_probe)(void);

#endif
