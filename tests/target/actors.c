/*
 * The actors of actors.h: random operations on the default heap through
 * every front end, each block pattern-checked. Shared by irq_safety.c and
 * soak.c; only the sizes, slot counts and run lengths differ.
 */
#include "actors.h"
#include "firmheap_rust.h"
#include "testutil.h"
#include "front_names.h"

volatile uint32_t ac_ticks, ac_ticks_in_call;
fh_heap *ac_bank;
static volatile bool main_in_call;
static ac_actor *tick_actor;

static void fill(ac_slot *s)
{
    for (uint32_t i = 0; i < s->size; i++)
        s->p[i] = (uint8_t)(s->seed + i * 7u);
}

static bool intact(const ac_slot *s, uint32_t n)
{
    for (uint32_t i = 0; i < n && i < s->size; i++)
        if (s->p[i] != (uint8_t)(s->seed + i * 7u))
            return false;
    return true;
}

/* Sizes: mostly small, now and then up to max. */
static uint32_t pick_size(ac_actor *a)
{
    uint32_t bits = th_rand_range(&a->rng, 0, 31u - (uint32_t)__builtin_clz(a->max_size));
    uint32_t top = (1u << bits) < a->max_size ? (1u << bits) : a->max_size;
    return th_rand_range(&a->rng, 1, top);
}

static void took(ac_actor *a, ac_slot *s, uint8_t *p, uint32_t size, uint32_t align, bool sized)
{
    if (p == NULL) {
        a->failed++; /* a full heap is allowed; corruption is not */
        return;
    }
    if (align && !tu_aligned(p, align))
        a->bad++;
    s->p = p;
    s->size = size;
    s->align = align;
    s->sized = sized;
    s->seed = (uint8_t)th_rand(&a->rng);
    fill(s);
    a->allocs++;
    a->in_bank += ac_bank && fh_owns(ac_bank, p);
}

static void release(ac_actor *a, ac_slot *s)
{
    if (!intact(s, s->size))
        a->bad++;
    if (s->sized)
        __rust_deallocate(s->p, s->size, s->align);
    else
        M(free)(s->p);
    s->p = NULL;
}

static void allocate(ac_actor *a, ac_slot *s)
{
    uint32_t size = pick_size(a);
    uint32_t align = 1u << th_rand_range(&a->rng, 0, a->max_align_log2);
    switch (th_rand_range(&a->rng, 0, 3)) {
    case 0:
        took(a, s, M(malloc)(size), size, 0, false);
        break;
    case 1: {
        uint8_t *p = M(calloc)(1, size);
        for (uint32_t i = 0; p && i < size; i++)
            a->bad += p[i] != 0;
        took(a, s, p, size, 0, false);
        break;
    }
    case 2:
        took(a, s, M(aligned_alloc)(align, size), size, align, false);
        break;
    default:
        took(a, s, __rust_allocate(size, align), size, align, true);
        break;
    }
}

/* The block now holds size bytes, the first `kept` of them from before. */
static void reshaped(ac_actor *a, ac_slot *s, uint32_t size)
{
    if (size < s->size)
        s->size = size;
    if (!intact(s, s->size))
        a->bad++;
    s->size = size;
    fill(s);
}

static void reshape(ac_actor *a, ac_slot *s)
{
    uint32_t size = pick_size(a);
    if (!intact(s, s->size))
        a->bad++;
    if (th_rand_range(&a->rng, 0, 3) == 0) {
        /* In place or not at all. */
        size_t align = s->align ? s->align : _Alignof(max_align_t);
        if (fh_default_resize_in_place(s->p, size, align) == fh_default_usable_size_for(size, align))
            reshaped(a, s, size);
        return;
    }
    uint8_t *q = s->sized ? __rust_reallocate(s->p, s->size, size, s->align)
                          : M(realloc)(s->p, size);
    if (q == NULL) {
        a->failed++; /* the old block stays, intact */
        return;
    }
    /* The malloc family's realloc keeps only the ABI's alignment. */
    if (!s->sized)
        s->align = 0;
    if (s->align && !tu_aligned(q, s->align))
        a->bad++;
    a->in_bank += q != s->p && ac_bank && fh_owns(ac_bank, q);
    s->p = q;
    reshaped(a, s, size);
}

void ac_step(ac_actor *a, bool is_main)
{
    ac_slot *s = &a->slots[th_rand_range(&a->rng, 0, a->nr_slots - 1u)];
    if (is_main)
        main_in_call = true;
    if (s->p == NULL)
        allocate(a, s);
    else if (th_rand_range(&a->rng, 0, 1) == 0)
        release(a, s);
    else
        reshape(a, s);
    if (is_main)
        main_in_call = false;
    a->ops++;
}

void ac_start(ac_actor *isr_actor)
{
    ac_ticks = ac_ticks_in_call = 0;
    tick_actor = isr_actor;
}

void ac_tick(void)
{
    if (main_in_call)
        ac_ticks_in_call++;
    ac_ticks++;
    ac_step(tick_actor, false);
}

void ac_init(ac_actor *a, ac_slot *slots, uint32_t nr, uint32_t max_size,
             uint32_t max_align_log2, uint32_t seed)
{
    th_memset(slots, 0, nr * sizeof *slots);
    th_memset(a, 0, sizeof *a);
    a->slots = slots;
    a->nr_slots = nr;
    a->max_size = max_size < 16u ? 16u : max_size;
    a->max_align_log2 = max_align_log2;
    a->rng = seed;
}

void ac_drain(ac_actor *a)
{
    for (uint32_t i = 0; i < a->nr_slots; i++)
        if (a->slots[i].p)
            release(a, &a->slots[i]);
}

bool ac_check_all_regions(void)
{
    bool ok = true;
    fh_heap *h;
    fh_lock();
    for (unsigned i = 0; (h = fh_default_region(i)) != NULL; i++)
        ok = ok && fh_check(h);
    fh_unlock();
    return ok;
}
