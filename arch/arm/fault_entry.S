/*
 * Entry for HardFault and every other exception we do not expect. The
 * hardware pushed r0-r3, r12, lr, pc, xPSR on whichever stack was in use; bit
 * 2 of EXC_RETURN (in lr) says which. Hand that frame and EXC_RETURN to
 * fw_fault_report (fault.c), which prints and exits. Thumb-1 only, so the
 * same code runs on ARMv6-M.
 */
    .syntax unified
    .thumb
    .text
    .global fw_fault_entry
    .type fw_fault_entry, %function
    .thumb_func
fw_fault_entry:
    movs r0, #4
    mov r1, lr
    tst r0, r1
    beq 1f
    mrs r0, psp
    b 2f
1:  mrs r0, msp
2:  ldr r2, =fw_fault_report
    bx r2
    .ltorg
    .size fw_fault_entry, . - fw_fault_entry
