/*
 * Example: firmheap in firmware with its own startup code and linker script
 * (examples/lm3s6965/: a vendor-style script that INCLUDEs heap.ld) and no C
 * library at all. It checks that the heap is where the fragment put it,
 * runs the malloc family over it, leaves it fragmented and prints it with
 * fh_dump (tools/heapmap draws that dump: docs/heapmap.png), and reports
 * "N passed, N failed" through semihosting with the verdict as exit status.
 *
 * From firmheap it uses the library, its interrupt-mask lock
 * (FIRMHEAP_LOCK=irq), heap.ld, the fault report and the semihosting
 * console of arch/ (fw_print, fw_putc); everything else is the user's.
 */
#include <malloc.h>
#include <stdlib.h>

#include "firmheap.h"
#include "firmheap_diag.h"
#include "fw.h"

static void check_print(const char *s)
{
    fw_print(s);
}
#include "check.h"

/* No C library: exit (startup.c's, after main) and _exit (the fault
 * report's) end the QEMU run through semihosting. */
extern _Noreturn void sh_exit(int status);
_Noreturn void _exit(int status)
{
    sh_exit(status);
}

_Noreturn void exit(int status)
{
    _exit(status);
}

/* From lm3s6965.ld and heap.ld. __stack_size is an absolute symbol: its
 * address is its value. */
extern char __heap_start[], __heap_end[], _ebss[], __stack_top[], __stack_size[];

static void heap_is_where_heap_ld_put_it(void)
{
    CHECK((uintptr_t)__heap_start >= (uintptr_t)_ebss);
    CHECK((uintptr_t)__heap_end == (uintptr_t)__stack_top - (uintptr_t)__stack_size);
    CHECK(__heap_end - __heap_start >= 16 * 1024);
    fh_heap *h = fh_default();
    CHECK(h != NULL);
    fh_stats s;
    fh_get_stats(h, &s);
    CHECK(s.total_bytes + s.metadata_bytes == (size_t)(__heap_end - __heap_start));
}

static bool in_heap(const void *p, size_t n)
{
    return (const char *)p >= __heap_start && (const char *)p + n <= __heap_end;
}

static void malloc_family_works(void)
{
    char *a = malloc(100);
    CHECK(a != NULL && in_heap(a, 100) && ((uintptr_t)a & 7u) == 0);
    unsigned *z = calloc(64, sizeof *z);
    bool zero = z != NULL;
    for (unsigned i = 0; z && i < 64; i++)
        zero = zero && z[i] == 0;
    CHECK(zero);
    for (unsigned i = 0; i < 100; i++)
        a[i] = (char)i;
    a = realloc(a, 3000);
    bool kept = a != NULL;
    for (unsigned i = 0; a && i < 100; i++)
        kept = kept && a[i] == (char)i;
    CHECK(kept && in_heap(a, 3000));
    void *big = aligned_alloc(1024, 1024);
    CHECK(big != NULL && ((uintptr_t)big & 1023u) == 0);
    CHECK(malloc_usable_size(a) >= 3000);
    free(a);
    free(z);
    free(big);
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    CHECK(s.used_bytes == 0 && s.live_allocs == 0);
}

/* PRIMASK set: interrupts masked (CMSIS: __get_PRIMASK()). */
static bool irqs_masked(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask" : "=r"(primask));
    return (primask & 1u) != 0;
}

/* The lock FIRMHEAP_LOCK=irq linked masks interrupts while held, nests,
 * and gives back the state it found. */
static void the_lock_masks_interrupts(void)
{
    bool before = irqs_masked();
    fh_lock();
    fh_lock();
    fh_unlock();
    bool masked_while_held = irqs_masked();
    fh_unlock();
    bool restored = irqs_masked() == before;
    CHECK(masked_while_held);
    CHECK(restored);
}

/* Sizes 16..2 KiB, a third of them freed: something for the map to show. */
static void leave_it_fragmented(void)
{
    static void *live[48];
    uint32_t x = 2463534242u;
    for (unsigned i = 0; i < 48; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        live[i] = malloc(16u << (x % 8u));
    }
    for (unsigned i = 0; i < 48; i += 3)
        free(live[i]);
    fw_print("heap after the fragmenting workload:\n");
    fh_lock();
    fh_dump(fh_default(), fw_putc);
    fh_unlock();
    CHECK(fh_check(fh_default()));
    for (unsigned i = 0; i < 48; i++)
        if (i % 3 != 0)
            free(live[i]);
}

#ifdef EX_BSS_BYTES
/* A .bss this big, to watch heap.ld's link-time checks refuse the link
 * (mk/part-examples.mk does, with sizes that leave too little heap). */
volatile char ex_bss[EX_BSS_BYTES];
#endif

int main(void)
{
#ifdef EX_BSS_BYTES
    ex_bss[0] = 1;
#endif
    fw_print("c-own-linker example: firmheap with the user's own linker script\n");
    heap_is_where_heap_ld_put_it();
    malloc_family_works();
    the_lock_masks_interrupts();
    leave_it_fragmented();
    CHECK(errors_reported() == 0);
    return check_report();
}
