/*
 * The soak test (make soak; make test runs a short one): SOAK_OPS operations
 * on the default heap through every front end (the actors of actors.h),
 * while a fast timer interrupt does the same on its own slots.
 *
 * Ballast leaves the linker's region REGION_FREE bytes, and a second region
 * from the test arena gets as many, so the heap runs full, requests are
 * refused, and blocks overflow into the second region and move between the
 * two. Every SOAK_CHECK_EVERY operations fh_check walks every region, under
 * the lock (the interrupt must not change the heap mid-walk). At the end:
 * every pattern intact, nothing rejected, every region back where it was.
 */
#include "actors.h"
#include "fw.h"
#include "testutil.h"

#ifndef SOAK_OPS
#define SOAK_OPS 1000000u
#endif
#define SOAK_CHECK_EVERY 16384u
#define MAIN_SLOTS       96u
#define ISR_SLOTS        12u
#define MAIN_MAX_SIZE    4096u
#define ISR_MAX_SIZE     1024u
#define MAX_ALIGN_LOG2   8u /* alignments 1 .. 256 */
#define REGION_FREE      (8u * 1024u)
#define TICK_PERIOD_US   20u
#define MAX_ROUNDS_WITHOUT_TICK 2000000u

static ac_slot main_slots[MAIN_SLOTS], isr_slots[ISR_SLOTS];
static ac_actor main_actor, isr_actor;

/* Allocates the linker's region down to `keep` free bytes; the blocks are
 * chained through their first word. */
static void *ballast(size_t keep)
{
    void *chain = NULL;
    fh_stats s;
    for (size_t chunk = 64u * 1024u; chunk >= 64u; chunk /= 2u) {
        for (;;) {
            fh_get_stats(fh_default(), &s);
            if (s.free_bytes < keep + chunk)
                break;
            void **b = fh_default_alloc(chunk, 16);
            if (b == NULL)
                break;
            *b = chain;
            chain = b;
        }
    }
    return chain;
}

static void drop_ballast(void *chain)
{
    while (chain) {
        void *next = *(void **)chain;
        fh_default_free(chain);
        chain = next;
    }
}

static void print_count(const char *label, uint32_t n)
{
    th_print(label);
    th_print_u(n);
}

void test_soak(void);
void test_soak(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    CHECK(fh_default_init());
    fh_stats s0;
    fh_get_stats(fh_default(), &s0);
    size_t keep = s0.total_bytes / 2u < REGION_FREE ? s0.total_bytes / 2u : REGION_FREE;
    CHECK(fh_add_region(arena, arena_size < keep ? arena_size : keep));
    ac_bank = fh_default_region(1);
    CHECK(ac_bank != NULL);
    size_t base = tu_default_used();
    void *weight = ballast(keep);
    tu_reset_errors();

    ac_init(&main_actor, main_slots, MAIN_SLOTS, MAIN_MAX_SIZE, MAX_ALIGN_LOG2, 0x5eed1234u);
    ac_init(&isr_actor, isr_slots, ISR_SLOTS, ISR_MAX_SIZE, MAX_ALIGN_LOG2, 0x0badcafeu);
    ac_start(&isr_actor);
    uint32_t checks = 0, checks_failed = 0, last_ticks = 0, quiet = 0;
    CHECK(fw_timer_start(TICK_PERIOD_US, ac_tick));
    while (main_actor.ops < SOAK_OPS && quiet < MAX_ROUNDS_WITHOUT_TICK) {
        ac_step(&main_actor, true);
        if (main_actor.ops % SOAK_CHECK_EVERY == 0) {
            checks++;
            checks_failed += !ac_check_all_regions();
        }
        quiet = ac_ticks == last_ticks ? quiet + 1u : 0u;
        last_ticks = ac_ticks;
    }
    fw_timer_stop();
    ac_drain(&main_actor);
    ac_drain(&isr_actor);
    drop_ballast(weight);

    CHECK_EQ(main_actor.ops, SOAK_OPS); /* not stopped by a dead timer */
    CHECK_EQ(main_actor.bad, 0u);
    CHECK_EQ(isr_actor.bad, 0u);
    CHECK_EQ(checks_failed, 0u);
    CHECK(ac_check_all_regions());
    CHECK(ac_ticks > 0 && ac_ticks_in_call > 0);
    CHECK(isr_actor.allocs > 0);
    CHECK(main_actor.failed > 0 && main_actor.in_bank > 0); /* it ran full */
    CHECK_EQ(tu_errors, 0u); /* nothing was rejected */
    CHECK_EQ(tu_default_used(), base);

    print_count("  soak: ", main_actor.ops);
    print_count(" main operations (", main_actor.allocs);
    print_count(" allocations, ", main_actor.failed);
    print_count(" refused, ", main_actor.in_bank);
    print_count(" in the second region), ", isr_actor.ops);
    print_count(" in the interrupt (", ac_ticks_in_call);
    print_count(" inside a main-loop call), ", checks);
    th_print(" fh_check walks\n");
}
