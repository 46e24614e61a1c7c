/*
 * Board-only tests of the default heap under interrupts (listed in
 * board_tests.h, built on boards whose board.mk sets IRQ_TEST).
 *
 * irq_safety: a periodic timer interrupt (SysTick / CLINT machine timer)
 * allocates and frees through fh_default_* while the main loop does the
 * same, each side on its own slots. Every block is filled with a pattern
 * derived from its slot and checked before it is freed and at the end, so
 * an interrupt that corrupted the heap mid-operation (two owners of one
 * block, a lost free-list link) shows up as a broken pattern, a misaligned
 * block or a failing fh_check. The main loop marks the window around each
 * heap call so the test also proves interrupts really landed there: without
 * that it could pass by never overlapping.
 *
 * lock_nests: fh_lock/fh_unlock nest, and only the outermost unlock restores
 * the interrupt state found by the outermost lock.
 */
#include "harness.h"
#include "fw.h"
#include "firmheap.h"

#define MAIN_SLOTS     24u
#define ISR_SLOTS      8u
#define MAIN_MAX_SIZE  256u
#define ISR_MAX_SIZE   96u
#define MAX_ALIGN_LOG2 6u       /* alignments 1 .. 64 */
#define TICK_PERIOD_US 50u
#define TARGET_TICKS   300u
#define MAX_ROUNDS     5000000u /* gives up (and fails) if the timer never fires */

typedef struct {
    uint8_t *p;
    uint32_t size;
    uint8_t seed;
} slot;

typedef struct {
    slot *slots;
    uint32_t nr_slots;
    uint32_t max_size;
    uint32_t rng;
    uint32_t bad;    /* broken patterns or misaligned blocks seen */
    uint32_t allocs; /* successful allocations */
} actor;

static slot main_slots[MAIN_SLOTS];
static slot isr_slots[ISR_SLOTS];
static actor main_actor, isr_actor;
static volatile uint32_t isr_ticks;
static volatile uint32_t isr_in_window; /* ticks that hit main inside a heap call */
static volatile bool main_in_heap;

static void fill(const slot *s)
{
    for (uint32_t i = 0; i < s->size; i++)
        s->p[i] = (uint8_t)(s->seed + i);
}

static bool intact(const slot *s)
{
    for (uint32_t i = 0; i < s->size; i++)
        if (s->p[i] != (uint8_t)(s->seed + i))
            return false;
    return true;
}

static void release(actor *a, slot *s, bool is_main)
{
    if (!intact(s))
        a->bad++;
    main_in_heap = is_main;
    fh_default_free(s->p);
    main_in_heap = false;
    s->p = NULL;
}

/* One random step: free an occupied slot, or fill an empty one. */
static void churn(actor *a, bool is_main)
{
    slot *s = &a->slots[th_rand_range(&a->rng, 0, a->nr_slots - 1u)];
    if (s->p) {
        release(a, s, is_main);
        return;
    }
    uint32_t size = th_rand_range(&a->rng, 1, a->max_size);
    size_t align = (size_t)1 << th_rand_range(&a->rng, 0, MAX_ALIGN_LOG2);
    main_in_heap = is_main;
    uint8_t *p = fh_default_alloc(size, align);
    main_in_heap = false;
    if (!p)
        return; /* a full heap is allowed; corruption is not */
    if ((uintptr_t)p & (align - 1u))
        a->bad++;
    s->p = p;
    s->size = size;
    s->seed = (uint8_t)th_rand(&a->rng);
    fill(s);
    a->allocs++;
}

static void tick(void)
{
    if (main_in_heap)
        isr_in_window++;
    isr_ticks++;
    churn(&isr_actor, false);
}

static void actor_init(actor *a, slot *slots, uint32_t nr, uint32_t max_size, uint32_t seed)
{
    th_memset(slots, 0, nr * sizeof *slots);
    th_memset(a, 0, sizeof *a);
    a->slots = slots;
    a->nr_slots = nr;
    a->max_size = max_size;
    a->rng = seed;
}

static void drain(actor *a)
{
    for (uint32_t i = 0; i < a->nr_slots; i++)
        if (a->slots[i].p)
            release(a, &a->slots[i], false);
}

void test_irq_safety(void);
void test_irq_safety(void)
{
    fh_heap *h = fh_default();
    CHECK(h != NULL);
    if (!h)
        return;
    fh_stats before, after;
    fh_get_stats(h, &before);

    actor_init(&main_actor, main_slots, MAIN_SLOTS, MAIN_MAX_SIZE, 0x12345678u);
    actor_init(&isr_actor, isr_slots, ISR_SLOTS, ISR_MAX_SIZE, 0x9e3779b9u);
    isr_ticks = 0;
    isr_in_window = 0;

    CHECK(fw_timer_start(TICK_PERIOD_US, tick));
    uint32_t rounds = 0;
    while (isr_ticks < TARGET_TICKS && rounds < MAX_ROUNDS) {
        churn(&main_actor, true);
        rounds++;
    }
    fw_timer_stop();

    CHECK(isr_ticks >= TARGET_TICKS);
    CHECK(isr_in_window > 0);
    CHECK(main_actor.allocs > 0);
    CHECK(isr_actor.allocs > 0);
    drain(&main_actor);
    drain(&isr_actor);
    CHECK_EQ(main_actor.bad, 0u);
    CHECK_EQ(isr_actor.bad, 0u);
    CHECK(fh_check(h));
    fh_get_stats(h, &after);
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK_EQ(after.rejected_frees, before.rejected_frees);

    th_print("  irq_safety: ");
    th_print_u(isr_ticks);
    th_print(" ticks (");
    th_print_u(isr_in_window);
    th_print(" inside a main-loop heap call), ");
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
