/*
 * A lock for the host runners that witnesses how the default heap uses it
 * (see host_lock.h). The library has no lock of its own: every program that
 * uses the default heap supplies one, and this is the host tests'.
 */
#include "firmheap.h"
#include "host_lock.h"

#include <stddef.h>

unsigned hl_depth;
unsigned hl_sections;
unsigned hl_unbalanced;
void (*hl_probe)(void);

void fh_lock(void)
{
    hl_depth++;
}

void fh_unlock(void)
{
    if (hl_depth == 0) {
        hl_unbalanced++;
        return;
    }
    if (--hl_depth == 0) {
        hl_sections++;
        if (hl_probe)
            hl_probe();
    }
}
