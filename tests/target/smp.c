/*
 * Two harts and an interrupt on one default heap (make smp-test; QEMU virt
 * with -smp 2 and the multi-hart lock, arch/riscv/smp/lock.c).
 *
 * Hart 0 starts hart 1 (arch/riscv/harts.c) on a stack of its own; both run
 * the actors of actors.h, SMP_OPS random operations each through every
 * front end, while a timer interrupt on hart 0 runs a third actor. Every
 * block is pattern-checked before it is resized, moved or freed; at the end
 * every region passes fh_check, every byte is back and nothing was
 * rejected. The lock must also have been contended: the harts really did
 * compete (with the single-core lock in its place this test fails).
 */
#include "actors.h"
#include "fw.h"
#include "harts.h"
#include "testutil.h"

#ifndef SMP_OPS
#define SMP_OPS 40000u
#endif
#define SLOTS          32u
#define ISR_SLOTS      8u
#define MAX_SIZE       1024u
#define ISR_MAX_SIZE   256u
#define MAX_ALIGN_LOG2 7u
#define TICK_PERIOD_US 50u
#define DONE_SPINS     400000000u

extern volatile uint32_t fh_lock_contended; /* arch/riscv/smp/lock.c */

static ac_slot slots0[SLOTS], slots1[SLOTS], isr_slots[ISR_SLOTS];
static ac_actor hart0, hart1, isr_actor;
static unsigned char hart1_stack[8192] __attribute__((aligned(16)));
static volatile bool go;

static void hart1_work(void *arg)
{
    ac_actor *a = arg;
    while (!go)
        ;
    while (a->ops < SMP_OPS)
        ac_step(a, false);
}

void test_two_harts_share_the_default_heap(void);
void test_two_harts_share_the_default_heap(void)
{
    CHECK(fh_default_init());
    size_t base = tu_default_used();
    tu_reset_errors();
    ac_init(&hart0, slots0, SLOTS, MAX_SIZE, MAX_ALIGN_LOG2, 0x1234abcdu);
    ac_init(&hart1, slots1, SLOTS, MAX_SIZE, MAX_ALIGN_LOG2, 0x8badf00du);
    ac_init(&isr_actor, isr_slots, ISR_SLOTS, ISR_MAX_SIZE, MAX_ALIGN_LOG2, 0x600dcafeu);
    ac_start(&isr_actor);
    bool started = fw_hart_start(1, hart1_work, &hart1, hart1_stack + sizeof hart1_stack);
    CHECK(started);
    if (!started)
        return;
    CHECK(fw_timer_start(TICK_PERIOD_US, ac_tick));
    go = true;
    while (hart0.ops < SMP_OPS)
        ac_step(&hart0, true);
    uint32_t spins = 0;
    while (!fw_hart_done(1) && spins < DONE_SPINS)
        spins++;
    fw_timer_stop();
    CHECK(fw_hart_done(1));
    if (!fw_hart_done(1))
        return; /* hart 1 still holds blocks: leave them */
    ac_drain(&hart0);
    ac_drain(&hart1);
    ac_drain(&isr_actor);

    CHECK_EQ(hart0.bad, 0u);
    CHECK_EQ(hart1.bad, 0u);
    CHECK_EQ(isr_actor.bad, 0u);
    CHECK(hart1.ops == SMP_OPS && hart1.allocs > 0 && isr_actor.allocs > 0);
    CHECK(fh_lock_contended > 0);
    CHECK(ac_check_all_regions());
    CHECK_EQ(tu_errors, 0u);
    CHECK_EQ(tu_default_used(), base);

    th_print("  smp: ");
    th_print_u(hart0.ops + hart1.ops);
    th_print(" operations on two harts, ");
    th_print_u(isr_actor.ops);
    th_print(" in the interrupt, lock contended ");
    th_print_u(fh_lock_contended);
    th_print(" times\n");
}
