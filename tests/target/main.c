/*
 * Platform glue for the QEMU test images: the harness's output goes to the
 * semihosting console, the scratch arena is a static buffer whose size the
 * board chooses (TH_ARENA_SIZE, from board.mk's TEST_ARENA), and the work
 * scale is board data too (TEST_SCALE): 1 on the 16 KiB boards, more
 * where RAM and QEMU's speed allow. main's return value is
 * the verdict: crt0 passes it to exit(), and QEMU exits with it.
 */
#include "harness.h"
#include "fw.h"

#ifndef TH_ARENA_SIZE
#error "TH_ARENA_SIZE must come from boards/<board>/board.mk (TEST_ARENA)"
#endif
#ifndef TH_SCALE
#define TH_SCALE 1u
#endif
#ifndef FW_BOARD_NAME
#define FW_BOARD_NAME "unknown board"
#endif

/* Tests build their own heaps in here; the default heap is elsewhere
 * ([__heap_start, __heap_end) from the linker script). */
static unsigned char th_arena_buf[TH_ARENA_SIZE] __attribute__((aligned(16)));

void th_print(const char *s)
{
    fw_print(s);
}

void *th_arena(size_t *size)
{
    *size = sizeof th_arena_buf;
    return th_arena_buf;
}

unsigned th_scale(void)
{
    return TH_SCALE;
}

int main(void)
{
    extern char __heap_start[], __heap_end[];
    fw_print("# firmheap tests on " FW_BOARD_NAME ": arena ");
    fw_print_dec(sizeof th_arena_buf);
    fw_print(" bytes, default heap ");
    fw_print_dec((uintmax_t)(__heap_end - __heap_start));
    fw_print(" bytes, scale ");
    fw_print_dec(th_scale());
    fw_print("\n");
    return th_run_all();
}
