/*
 * The RISC-V semihosting trap: an EBREAK framed by two no-op shifts that
 * mark it as a semihosting request rather than a breakpoint (RISC-V
 * semihosting spec). The three instructions must be 32-bit encodings and
 * must not straddle a page, hence norvc and the 16-byte alignment.
 * a0 = operation, a1 = argument; the result comes back in a0.
 */
    .text
    .balign 16
    .global sh_trap
    .type sh_trap, @function
sh_trap:
    .option push
    .option norvc
    slli x0, x0, 0x1f
    ebreak
    srai x0, x0, 7
    .option pop
    ret
    .size sh_trap, . - sh_trap
