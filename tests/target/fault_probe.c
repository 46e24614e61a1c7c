/*
 * The fault probe: an image that faults on purpose. The qemu-fault suite
 * builds it once per fault kind for every board and passes a run only if it
 * ends promptly with the fault handler's report ("*** ...") and exit status 1,
 * proving that a crash in a test image can neither hang `make test` nor pass
 * it. Kinds (mk/part-boards.mk, FAULT_KINDS), chosen by one -D flag:
 *
 *   illegal   (default) an instruction the core does not have: HardFault on
 *             Cortex-M, mcause 2 on RISC-V.
 *   load      FW_FAULT_LOAD: a word load from FW_FAULT_ADDR, an address the
 *             board's memory map leaves unmapped (board.mk FAULT_ADDR; QEMU
 *             answers it with a bus error): a precise BusFault escalated to
 *             HardFault on Cortex-M, mcause 5 (load access fault) on RISC-V.
 *             Unmapped matters: QEMU models many absent peripherals as
 *             read-as-zero, and a load from those returns quietly.
 *   none      FW_FAULT_NONE: no fault at all (only built for FORCE_FAIL=1,
 *             to show that qemu-fault goes red when nothing faults).
 */
#include "fw.h"

/* arch/<arch>/illegal.S: one word load from addr. */
uint32_t fw_bad_load(uintptr_t addr);

int main(void)
{
#if defined(FW_FAULT_NONE)
    fw_print("fault probe on " FW_BOARD_NAME ": not faulting (FORCE_FAIL)\n");
#elif defined(FW_FAULT_LOAD)
    fw_print("fault probe on " FW_BOARD_NAME ": loading from an unmapped address\n");
    uint32_t got = fw_bad_load((uintptr_t)(FW_FAULT_ADDR));
    fw_print("fault probe: the load returned ");
    fw_print_hex(got);
    fw_print("\n");
#else
    fw_print("fault probe on " FW_BOARD_NAME ": executing an illegal instruction\n");
    fw_illegal_instruction();
#endif
    /* Reaching this line means no fault was taken: that is a failure too. */
    fw_print("fault probe: no fault taken\n");
    return 2;
}
