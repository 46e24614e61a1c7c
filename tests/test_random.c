/*
 * Randomized differential test: a shadow model of every live block (address,
 * requested size, alignment, pattern seed) is checked against the heap after
 * a long random mix of alloc, zeroed alloc, free, sized free, realloc and
 * resize-in-place. What it checks:
 *  - alignment, usable size (exact), ownership of every returned block;
 *  - contents: each block holds its own pattern over its whole usable size,
 *    so any overlap or lost copy shows up at its next use;
 *  - failures are honest. The model knows what occupies memory: each large
 *    block its pages, each slab object its whole slab (base and size follow
 *    from the class table), so the gaps between those are exactly the free
 *    pages (empty slabs go back at once). An allocation fails only if no gap
 *    holds an aligned block of the order it needs and, for a slab object, no
 *    slab of its class has a free object; a run grows in place only if it
 *    starts on a boundary of its new largest power of two and the gap behind
 *    it is long enough;
 *  - stats agree with the model, and fh_check holds, every few hundred ops.
 * On the host: 4 seeds x 250,000 operations on regions with odd base and size.
 * On the first failed check of a run it prints the seed, the region and the
 * operation number (rerun that seed and stop there) and the heap map.
 */
#include "testutil.h"
#include "slab.h"

/* Fewer on a board: a micro:bit's 16 KiB holds the runner, its arena and
 * the default heap. */
#ifdef TH_HOST
#define SLOTS 96u
#else
#define SLOTS 48u
#endif

typedef struct {
    unsigned char *p;
    size_t size;
    size_t align;
    uint32_t seed;
} slot;

static slot slots[SLOTS];

/* What a live block occupies, by the model: [start, end). */
typedef struct {
    uintptr_t start, end;
} extent;

static extent occupied(const slot *s)
{
    unsigned c = fh_class_of(s->size, s->align);
    uintptr_t a = (uintptr_t)s->p;
    if (c == FH_NO_CLASS)
        return (extent){a, a + fh_usable_size_for(s->size, s->align)};
    uintptr_t bytes = FH_PAGE << fh_classes[c].order;
    uintptr_t base = a & ~(bytes - 1u);
    return (extent){base, base + bytes};
}

/* Occupied extents sorted by start, one per slab. */
static extent sorted[SLOTS + 1];

static unsigned occupied_sorted(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < SLOTS; i++) {
        if (!slots[i].p)
            continue;
        extent e = occupied(&slots[i]);
        unsigned j = 0;
        while (j < n && sorted[j].start != e.start)
            j++;
        if (j < n)
            continue; /* another object of the same slab */
        j = n++;
        for (; j > 0 && sorted[j - 1].start > e.start; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = e;
    }
    return n;
}

/* Does some gap hold a whole aligned block of `bytes`? */
static bool model_has_free_block(const fh_heap *h, uintptr_t bytes)
{
    unsigned n = occupied_sorted();
    uintptr_t gap = (uintptr_t)fh_page_addr(h->page0), area_end = (uintptr_t)fh_page_addr(h->pend);
    for (unsigned i = 0; i <= n; i++) {
        uintptr_t gap_end = i < n ? sorted[i].start : area_end;
        uintptr_t at = (gap + bytes - 1u) & ~(bytes - 1u);
        if (at >= gap && at + bytes <= gap_end)
            return true;
        if (i < n)
            gap = sorted[i].end;
    }
    return false;
}

/* Free bytes right behind [start of p, end), by the model. */
static uintptr_t model_room(const fh_heap *h, uintptr_t end)
{
    unsigned n = occupied_sorted();
    uintptr_t next = (uintptr_t)fh_page_addr(h->pend);
    for (unsigned i = 0; i < n; i++)
        if (sorted[i].start >= end && sorted[i].start < next)
            next = sorted[i].start;
    return next - end;
}

/* Does a slab of class c have a free object, by the model? */
static bool model_slab_room(unsigned c)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        if (!slots[i].p || fh_class_of(slots[i].size, slots[i].align) != c)
            continue;
        uintptr_t base = occupied(&slots[i]).start;
        unsigned objs = 0;
        for (unsigned j = 0; j < SLOTS; j++)
            if (slots[j].p && fh_class_of(slots[j].size, slots[j].align) == c &&
                occupied(&slots[j]).start == base)
                objs++;
        if (objs < fh_classes[c].count)
            return true;
    }
    return false;
}

/* Could (size, align) be served now, by the model? */
static bool model_servable(const fh_heap *h, size_t size, size_t align)
{
    unsigned c = fh_class_of(size, align);
    if (c != FH_NO_CLASS)
        return model_slab_room(c) || model_has_free_block(h, FH_PAGE << fh_classes[c].order);
    uintptr_t need = fh_usable_size_for(size, align), b = FH_PAGE;
    while (b < need || b < align)
        b <<= 1;
    return model_has_free_block(h, b);
}

/* Can s grow or shrink in place to new_size, by the rule? */
static bool model_resizable(const fh_heap *h, const slot *s, size_t new_size)
{
    size_t usable = fh_usable_size_for(s->size, s->align);
    size_t need = fh_usable_size_for(new_size, s->align);
    bool from_slab = fh_class_of(s->size, s->align) != FH_NO_CLASS;
    bool to_slab = fh_class_of(new_size, s->align) != FH_NO_CLASS;
    if (from_slab || to_slab)
        return from_slab && to_slab && need == usable;
    /* The model says whether the pages are free; the page map how many
     * blocks the heap must read to see it. */
    bool room = need <= usable || model_room(h, (uintptr_t)s->p + usable) >= need - usable;
    return room && tu_run_can_grow(h, s->p, usable, need);
}

static size_t random_size(uint32_t *rng, size_t max)
{
    /* Log-uniform: as many tiny blocks as big ones. */
    uint32_t bits = th_rand_range(rng, 0, 13);
    size_t s = th_rand_range(rng, 1, 1u << bits);
    return s > max ? max : s;
}

static void check_block(const fh_heap *h, const slot *s)
{
    CHECK(tu_aligned(s->p, s->align));
    CHECK(fh_owns(h, s->p));
    CHECK_EQ(fh_usable_size(h, s->p), fh_usable_size_for(s->size, s->align));
}

static void tell_first_failure(const fh_heap *h, uint32_t seed, size_t offset, size_t size,
                               unsigned op, unsigned ops)
{
    th_print("# random_differential: first failure in run seed ");
    th_print_x(seed);
    th_print(", region offset ");
    th_print_u(offset);
    th_print(" size ");
    th_print_u(size);
    if (op < ops) {
        th_print(", at operation ");
        th_print_u(op + 1u); /* 1-based: the one that just ran */
        th_print(" of ");
        th_print_u(ops);
    } else {
        th_print(", in the checks after the last operation");
    }
    th_print("\n");
    tu_print_heap_map(h);
}

/* One run; size 0 means the whole arena. Returns how many requests failed. */
static unsigned random_run(uint32_t seed, size_t offset, size_t size, unsigned ops)
{
    size_t arena_size;
    th_arena(&arena_size);
    if (size == 0 || size > arena_size - offset)
        size = arena_size - offset;
    fh_heap *h = tu_heap(offset, size, NULL);
    unsigned failures = 0;
    CHECK(h != NULL);
    if (!h)
        return 0;
    fh_stats s0;
    fh_get_stats(h, &s0);
    size_t max_size = s0.total_bytes / 8u < 8192u ? s0.total_bytes / 8u : 8192u;
    uint32_t rng = seed;
    size_t used = 0;
    uint32_t live = 0;
    th_memset(slots, 0, sizeof slots);
    tu_first_failure ff;
    tu_first_failure_begin(&ff);

    for (unsigned op = 0; op < ops; op++) {
        if (op > 0 && tu_first_failure_now(&ff))
            tell_first_failure(h, seed, offset, size, op - 1u, ops);
        slot *s = &slots[th_rand_range(&rng, 0, SLOTS - 1u)];
        uint32_t r = th_rand_range(&rng, 0, 99);
        if (s->p == NULL) {
            size_t size = random_size(&rng, max_size);
            size_t align = (size_t)1 << th_rand_range(&rng, 0, 12);
            bool zeroed = r < 20;
            bool servable = model_servable(h, size, align);
            unsigned char *p = zeroed ? fh_alloc_zeroed(h, size, align) : fh_alloc(h, size, align);
            if (p == NULL) {
                failures++;
                CHECK(!servable);
                continue;
            }
            *s = (slot){p, size, align, rng};
            check_block(h, s);
            size_t usable = fh_usable_size_for(size, align);
            if (zeroed) {
                bool zero = true;
                for (size_t i = 0; i < usable; i++)
                    zero = zero && p[i] == 0;
                CHECK(zero);
            }
            tu_fill(p, usable, s->seed);
            used += usable;
            live++;
        } else {
            size_t usable = fh_usable_size_for(s->size, s->align);
            CHECK(tu_verify(s->p, usable, s->seed));
            if (r < 40) {
                if (r & 1)
                    fh_free(h, s->p);
                else
                    fh_free_sized(h, s->p, th_rand_range(&rng, (uint32_t)s->size, (uint32_t)usable),
                                  s->align);
                used -= usable;
                live--;
                s->p = NULL;
            } else {
                size_t size = random_size(&rng, max_size);
                size_t new_usable = fh_usable_size_for(size, s->align);
                size_t kept = usable < new_usable ? usable : new_usable;
                bool in_place = model_resizable(h, s, size);
                if (r < 70) {
                    /* Moving needs a new block while the old one is live. */
                    bool servable = in_place || model_servable(h, size, s->align);
                    unsigned char *q = fh_realloc(h, s->p, size, s->align);
                    if (q == NULL) {
                        failures++;
                        CHECK(!servable);
                        CHECK(tu_verify(s->p, usable, s->seed));
                        continue;
                    }
                    CHECK((q == s->p) == in_place);
                    s->p = q;
                } else {
                    size_t got = fh_resize_in_place(h, s->p, size, s->align);
                    CHECK_EQ(got, in_place ? new_usable : usable);
                    if (!in_place) {
                        CHECK(tu_verify(s->p, usable, s->seed));
                        continue;
                    }
                }
                CHECK(tu_verify(s->p, kept, s->seed));
                s->size = size;
                s->seed = rng;
                check_block(h, s);
                tu_fill(s->p, new_usable, s->seed);
                used += new_usable - usable;
            }
        }
        if (op % 512u == 0) {
            fh_stats st;
            fh_get_stats(h, &st);
            CHECK_EQ(st.used_bytes, used);
            CHECK_EQ(st.live_allocs, live);
            CHECK(st.peak_used_bytes >= used);
            CHECK(fh_check(h));
        }
    }
    if (tu_first_failure_now(&ff))
        tell_first_failure(h, seed, offset, size, ops - 1u, ops);
    for (unsigned i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            CHECK(tu_verify(slots[i].p, fh_usable_size_for(slots[i].size, slots[i].align),
                            slots[i].seed));
            fh_free(h, slots[i].p);
        }
    fh_stats st;
    fh_get_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0u);
    CHECK_EQ(st.rejected_frees, 0u);
    for (unsigned k = 0; k < FH_NR_ORDERS; k++)
        CHECK_EQ(st.free_blocks[k], s0.free_blocks[k]); /* all merged back */
    CHECK(fh_check(h));
    if (tu_first_failure_now(&ff))
        tell_first_failure(h, seed, offset, size, ops, ops);
    return failures;
}

void test_random_differential(void)
{
    /* Two runs with room to spare, two on heaps small enough that requests
     * fail often, so the failure oracles get exercised too. */
    static const struct {
        uint32_t seed;
        size_t offset, size;
    } runs[] = {{0x12345678u, 3, 0}, {0x9E3779B9u, 7, 48 * 1024 + 5},
                {0xDEADBEEFu, 16, 0}, {42u, 1, 96 * 1024 + 333}};
    unsigned failures = 0;
    for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++)
        failures += random_run(runs[i].seed, runs[i].offset, runs[i].size, 2500u * th_scale());
    CHECK(failures > 0);
}
