/*
 * Exhaustive test on tiny heaps: every sequence of operations up to a small
 * depth, from an alphabet of allocations (slab objects of three classes, a
 * three-page run, a page on a four-page boundary), frees and in-place
 * resizes (to a slab object, two pages, five pages) of each live block.
 * Depth-first; to go back a step the heap is set up afresh and the moves so
 * far are replayed, so nothing but the sequence itself is kept (a region
 * snapshot per level would not fit the stack of a 16 KiB board).
 * After every step: fh_check, every live block's pattern, and the oracles:
 * an allocation fails only when nothing could serve it (no slab of its class
 * with room and no free block large enough), and a resize succeeds exactly
 * when the rule says it can. On the first failed check it prints the
 * region, the sequence number and the moves that led there, and the heap
 * map.
 */
#include "testutil.h"
#include "slab.h"

#define EX_SLOTS 4u
#define EX_PAGES 12u
#define EX_REGION (EX_PAGES * FH_PAGE_SIZE + 512u)

typedef struct {
    unsigned char *p;
    size_t bytes;
} ex_slot;

#define EX_DEPTH_MAX 4u

typedef struct {
    fh_heap *h;
    unsigned char *region;
    size_t region_size;
    ex_slot slot[EX_SLOTS];
    unsigned long sequences;
    unsigned path[EX_DEPTH_MAX]; /* the moves that led here */
    tu_first_failure ff;
} ex_state;

static const struct {
    size_t size, align;
} ex_allocs[] = {{16, 16}, {40, 64}, {300, 16}, {700, 16}, {100, 1024}};
#define EX_NR_ALLOCS (sizeof ex_allocs / sizeof ex_allocs[0])
static const size_t ex_resizes[] = {32, 500, 1100};

/* Every live block holds its pattern, the heap counts as many live
 * allocations as the model (a free that was skipped shows here), and
 * fh_check holds. */
static bool ex_verify_all(ex_state *st)
{
    uint32_t live = 0;
    for (unsigned i = 0; i < EX_SLOTS; i++) {
        if (!st->slot[i].p)
            continue;
        live++;
        if (!tu_verify(st->slot[i].p, st->slot[i].bytes, i + 1u))
            return false;
    }
    fh_stats s;
    fh_get_stats(st->h, &s);
    return s.live_allocs == live && fh_check(st->h);
}

/* Could anything serve (size, align)? A slab with room, or a free block of
 * the order the request would cut from. */
static bool ex_servable(const fh_heap *h, size_t size, size_t align)
{
    unsigned c = fh_class_of(size, align);
    unsigned k;
    if (c != FH_NO_CLASS) {
        if (h->partial[c].next != &h->partial[c])
            return true;
        k = fh_classes[c].order;
    } else {
        uintptr_t pages = fh_usable_size_for(size, align) / FH_PAGE_SIZE, b = 1;
        k = 0;
        while (b < pages || b * FH_PAGE_SIZE < align) {
            b <<= 1;
            k++;
        }
    }
    return (h->nonempty >> k) != 0;
}

static bool ex_resizable(const fh_heap *h, const ex_slot *s, size_t want)
{
    size_t usable = fh_usable_size(h, s->p), need = fh_usable_size_for(want, 16);
    bool from_slab = PG_TYPE(*fh_pw(h, fh_page_of(s->p))) == PG_SLAB;
    bool to_slab = fh_class_of(want, 16) != FH_NO_CLASS;
    if (from_slab || to_slab)
        return from_slab && to_slab && need == usable;
    return tu_run_can_grow(h, s->p, usable, need);
}

#define EX_MOVES ((unsigned)EX_NR_ALLOCS + EX_SLOTS * 4u)

/* Move m: the first EX_NR_ALLOCS allocate ex_allocs[m]; then four per slot:
 * resize to each of ex_resizes, or free. */
static void ex_print_move(unsigned m)
{
    if (m < EX_NR_ALLOCS) {
        th_print("alloc ");
        th_print_u(ex_allocs[m].size);
        th_print(" align ");
        th_print_u(ex_allocs[m].align);
        return;
    }
    unsigned i = (m - (unsigned)EX_NR_ALLOCS) / 4u, what = (m - (unsigned)EX_NR_ALLOCS) % 4u;
    th_print(what == 3u ? "free slot " : "resize slot ");
    th_print_u(i);
    if (what != 3u) {
        th_print(" to ");
        th_print_u(ex_resizes[what]);
    }
}

/* The first failure: where (region, sequence) and how (the moves, the last
 * being m), and the heap as it is now. */
static void ex_tell_first_failure(const ex_state *st, unsigned level, unsigned m)
{
    th_print("# exhaustive_tiny_heaps: first failure in region ");
    th_print_x((uintptr_t)st->region);
    th_print(" size ");
    th_print_u(st->region_size);
    th_print(", sequence ");
    th_print_u(st->sequences);
    th_print(", moves:");
    for (unsigned i = 0; i <= level; i++) {
        th_print(i ? ", " : " ");
        ex_print_move(i < level ? st->path[i] : m);
    }
    th_print("\n");
    tu_print_heap_map(st->h);
}

/* Applies move m; with check, against the oracles. false if m does not
 * apply here (no free slot, or no block in the slot). */
static bool ex_move(ex_state *st, unsigned m, bool check)
{
    fh_heap *h = st->h;
    if (m < EX_NR_ALLOCS) {
        unsigned i = 0;
        while (i < EX_SLOTS && st->slot[i].p)
            i++;
        if (i == EX_SLOTS)
            return false;
        size_t size = ex_allocs[m].size, align = ex_allocs[m].align;
        bool servable = ex_servable(h, size, align);
        unsigned char *p = fh_alloc(h, size, align);
        if (p == NULL) {
            if (check)
                CHECK(!servable);
            return true;
        }
        if (check) {
            CHECK(tu_aligned(p, align));
            CHECK_EQ(fh_usable_size(h, p), fh_usable_size_for(size, align));
        }
        st->slot[i] = (ex_slot){p, size};
        tu_fill(p, size, i + 1u);
        return true;
    }
    unsigned i = (m - (unsigned)EX_NR_ALLOCS) / 4u, what = (m - (unsigned)EX_NR_ALLOCS) % 4u;
    ex_slot *s = &st->slot[i];
    if (s->p == NULL)
        return false;
    if (what == 3u) {
        fh_free(h, s->p);
        s->p = NULL;
        return true;
    }
    size_t want = ex_resizes[what], need = fh_usable_size_for(want, 16);
    size_t usable = fh_usable_size(h, s->p);
    bool can = ex_resizable(h, s, want);
    size_t got = fh_resize_in_place(h, s->p, want, 16);
    if (check) {
        CHECK_EQ(got, can ? need : usable);
        CHECK(tu_verify(s->p, want < s->bytes ? want : s->bytes, i + 1u));
    }
    if (got == need) {
        s->bytes = want;
        tu_fill(s->p, want, i + 1u);
    }
    return true;
}

/* The state after the first n moves of the path, from a fresh heap. */
static void ex_replay(ex_state *st, unsigned n)
{
    st->h = fh_init(st->region, st->region_size);
    for (unsigned i = 0; i < EX_SLOTS; i++)
        st->slot[i].p = NULL;
    for (unsigned i = 0; i < n; i++)
        ex_move(st, st->path[i], false);
}

static void ex_explore(ex_state *st, unsigned level, unsigned depth)
{
    st->sequences++;
    if (level == depth)
        return;
    for (unsigned m = 0; m < EX_MOVES; m++) {
        ex_replay(st, level);
        if (!ex_move(st, m, true))
            continue;
        CHECK(ex_verify_all(st));
        if (tu_first_failure_now(&st->ff))
            ex_tell_first_failure(st, level, m);
        st->path[level] = m;
        ex_explore(st, level + 1u, depth);
    }
}

void test_exhaustive_tiny_heaps(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    /* Two shapes: a region at an aligned base and a shorter one at an odd
     * base; what is left after bookkeeping is 8 to 12 pages. */
    static const size_t shapes[][2] = {{0, 0}, {7, 3u * FH_PAGE_SIZE + 5u}};
    unsigned depth = th_scale() >= 10u ? 4u : 3u;
    for (unsigned s = 0; s < 2; s++) {
        ex_state st = {0};
        tu_first_failure_begin(&st.ff);
        st.region = arena + shapes[s][0];
        st.region_size = EX_REGION - shapes[s][1];
        CHECK(shapes[s][0] + st.region_size <= arena_size);
        st.h = fh_init(st.region, st.region_size);
        CHECK(st.h != NULL);
        if (!st.h)
            return;
        fh_stats s0;
        fh_get_stats(st.h, &s0);
        CHECK(s0.total_bytes >= 8u * FH_PAGE_SIZE && s0.total_bytes <= EX_PAGES * FH_PAGE_SIZE);
        ex_explore(&st, 0, depth);
        CHECK(st.sequences > 100u); /* the search really branched */
    }
}
