/*
 * Board-only tests of the default heap under interrupts (listed in
 * board_tests.h, built on boards whose board.mk sets IRQ_TEST).
 *
 * irq_safety: a periodic timer interrupt (SysTick / CLINT machine timer)
 * churns the default heap through every front end while the main loop does
 * the same, each on its own slots (the actors of actors.h: every block
 * pattern-checked before it is resized, moved or freed). An interrupt that
 * corrupted the heap mid-operation (two owners of one block, a lost
 * free-list link) shows up as a broken pattern, a misaligned block or a
 * failing fh_check. The actors mark the window around each main-loop call
 * so the test also proves interrupts really landed there: without that it
 * could pass by never overlapping. (make soak runs the same much longer.)
 *
 * lock_nests: fh_lock/fh_unlock nest, and only the outermost unlock restores
 * the interrupt state found by the outermost lock.
 */
#include "actors.h"
#include "fw.h"
#include "testutil.h"

#define MAIN_SLOTS     24u
#define ISR_SLOTS      8u
#define MAIN_MAX_SIZE  256u
#define ISR_MAX_SIZE   96u
#define MAX_ALIGN_LOG2 6u       /* alignments 1 .. 64 */
#define TICK_PERIOD_US 50u
#define TARGET_TICKS   300u
/* On a loaded host QEMU's timer can land outside the main loop's calls for
 * hundreds of ticks in a row: the test runs on until one lands inside, up
 * to this many. */
#define TICK_LIMIT     20000u
#define MAX_ROUNDS     5000000u /* gives up (and fails) if the timer never fires */

static ac_slot main_slots[MAIN_SLOTS], isr_slots[ISR_SLOTS];
static ac_actor main_actor, isr_actor;

void test_irq_safety(void);
void test_irq_safety(void)
{
    fh_heap *h = fh_default();
    CHECK(h != NULL);
    if (!h)
        return;
    fh_stats before, after;
    fh_get_stats(h, &before);

    ac_init(&main_actor, main_slots, MAIN_SLOTS, MAIN_MAX_SIZE, MAX_ALIGN_LOG2, 0x12345678u);
    ac_init(&isr_actor, isr_slots, ISR_SLOTS, ISR_MAX_SIZE, MAX_ALIGN_LOG2, 0x9e3779b9u);
    ac_start(&isr_actor);
    CHECK(fw_timer_start(TICK_PERIOD_US, ac_tick));
    uint32_t rounds = 0;
    while ((ac_ticks < TARGET_TICKS || (ac_ticks_in_call == 0 && ac_ticks < TICK_LIMIT)) &&
           rounds < MAX_ROUNDS) {
        ac_step(&main_actor, true);
        rounds++;
    }
    fw_timer_stop();

    CHECK(ac_ticks >= TARGET_TICKS);
    CHECK(ac_ticks_in_call > 0);
    CHECK(main_actor.allocs > 0);
    CHECK(isr_actor.allocs > 0);
    ac_drain(&main_actor);
    ac_drain(&isr_actor);
    CHECK_EQ(main_actor.bad, 0u);
    CHECK_EQ(isr_actor.bad, 0u);
    CHECK(ac_check_all_regions());
    fh_get_stats(h, &after);
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK_EQ(after.rejected_frees, before.rejected_frees);

    th_print("  irq_safety: ");
    th_print_u(ac_ticks);
    th_print(" ticks (");
    th_print_u(ac_ticks_in_call);
    th_print(" inside a main-loop call), ");
    th_print_u(rounds);
    th_print(" main rounds, ");
    th_print_u(main_actor.allocs + isr_actor.allocs);
    th_print(" allocations\n");
}

void test_lock_nests(void);
void test_lock_nests(void)
{
    bool was = fw_irqs_enabled();

    /* Interrupts on: nested locks mask, only the last unlock unmasks. No
     * interrupt source is armed here, so unmasking is harmless. */
    fw_irqs_set(true);
    fh_lock();
    CHECK(!fw_irqs_enabled());
    fh_lock();
    fh_unlock();
    CHECK(!fw_irqs_enabled());
    fh_unlock();
    CHECK(fw_irqs_enabled());

    /* Interrupts already off (as in an ISR): unlock must leave them off. */
    fw_irqs_set(false);
    fh_lock();
    fh_unlock();
    CHECK(!fw_irqs_enabled());

    /* An unbalanced unlock must not unmask either. */
    fh_unlock();
    CHECK(!fw_irqs_enabled());

    fw_irqs_set(was);
}
