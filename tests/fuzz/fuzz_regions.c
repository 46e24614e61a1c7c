/*
 * Fuzz target (d): the default heap over several regions (fh_add_region).
 * Three regions of odd base and size in one static arena, the linker's one
 * small so that requests spill into the others early:
 *
 *   arena  [ linker ]  ....  [ bank 2 ][ bank 1 ]  ....  (a 4th slot free)
 *
 * Bank 2 ends where bank 1 begins (issue 9's defect 5 refused that). Regions
 * are permanent, so they are added
 * once, by the first input; every input then starts from all three
 * re-initialised in place (fh_init over a region gives back its handle).
 *
 * Operations: alloc, zeroed alloc, free, sized free, realloc (within a
 * region and across), resize in place, usable size, bad pointers, and
 * fh_add_region calls that must be refused (overlapping a region, empty,
 * wrapping). Besides the model's checks (fuzz.h): every block lies in
 * exactly one region, and a block in region j means regions 0..j-1 could
 * not have served it (requests try the regions in order); each region's
 * used bytes and live count match the model's blocks in it; fh_check holds
 * on every region; the rejected pointers add up over the regions.
 */
#include "fuzz.h"

#define ARENA_SIZE (96u * 1024u)
#define MAX_SIZE (8u * 1024u)
#define MAX_ALIGN 1024u
#define NR_REGIONS 3u

unsigned char fz_regions_arena[ARENA_SIZE] __attribute__((aligned(4096)));

/* The linker's region: 6 KiB and a bit at an odd offset. */
#define LINKER_OFFSET 3
#define LINKER_BYTES 6149
#define FZ_STR2(x) #x
#define FZ_STR(x) FZ_STR2(x)
__asm__(".globl __heap_start\n.set __heap_start, fz_regions_arena + " FZ_STR(LINKER_OFFSET) "\n"
        ".globl __heap_end\n.set __heap_end, __heap_start + " FZ_STR(LINKER_BYTES) "\n");

/* Base offset and size in the arena of every region, the linker's first. */
#define BANK1_OFFSET (40u * 1024u + 7u)
#define BANK2_BYTES (20u * 1024u + 13u)
static const struct {
    size_t offset, bytes;
} layout[NR_REGIONS] = {
    {LINKER_OFFSET, LINKER_BYTES},
    {BANK1_OFFSET, 24u * 1024u + 1u},
    {BANK1_OFFSET - BANK2_BYTES, BANK2_BYTES},
};

typedef struct {
    fz_input in;
    fz_model m;
    fh_heap *region[NR_REGIONS];
    size_t largest[NR_REGIONS]; /* each fresh region's largest free block */
    uint32_t rejected;
} state;

static bool regions_added;

static unsigned region_of(const state *s, const void *p)
{
    unsigned n = NR_REGIONS;
    for (unsigned i = 0; i < NR_REGIONS; i++)
        if (fh_owns(s->region[i], p)) {
            if (n != NR_REGIONS)
                fz_fail(__FILE__, __LINE__, "two regions own one pointer", (uintptr_t)p, i);
            n = i;
        }
    return n;
}

static bool owned(const state *s, const void *p)
{
    return region_of(s, p) < NR_REGIONS;
}

/* A fresh block from the default heap: in one region, and in the first that
 * could serve it (`could`: a mask of regions, measured before the call). */
static void check_placement(const state *s, const void *p, unsigned could)
{
    unsigned r = region_of(s, p);
    if (r == NR_REGIONS)
        fz_fail(__FILE__, __LINE__, "block in no region", (uintptr_t)p, 0);
    for (unsigned i = 0; i < r; i++)
        if (could & (1u << i))
            fz_fail(__FILE__, __LINE__, "block skipped a region that could serve it (region, skipped)",
                    r, i);
}

static unsigned could_mask(const state *s, size_t size, size_t align)
{
    unsigned mask = 0;
    for (unsigned i = 0; i < NR_REGIONS; i++)
        mask |= fz_could_serve(s->region[i], fz_request(&s->m, size), align) ? 1u << i : 0u;
    return mask;
}

static uint32_t heap_rejected(const state *s)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < NR_REGIONS; i++) {
        fh_stats st;
        fh_get_stats(s->region[i], &st);
        n += st.rejected_frees;
    }
    return n;
}

static void check_regions(state *s)
{
    size_t used[NR_REGIONS] = {0};
    uint32_t live[NR_REGIONS] = {0};
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        const fz_block *b = &s->m.slot[i];
        if (b->p) {
            unsigned r = region_of(s, b->p);
            FZ_CHECK(r < NR_REGIONS);
            used[r] += b->usable + s->m.held_extra;
            live[r]++;
        }
    }
    for (unsigned i = 0; i < NR_REGIONS; i++) {
        fh_stats st;
        fh_get_stats(s->region[i], &st);
        FZ_CHECK_EQ(st.used_bytes, used[i]);
        FZ_CHECK_EQ(st.live_allocs, live[i]);
        FZ_CHECK_EQ(st.free_bytes + st.used_bytes, st.total_bytes);
        FZ_CHECK(fh_check(s->region[i]));
    }
    FZ_CHECK_EQ(heap_rejected(s), s->rejected);
    fz_expect_unlocked();
}

static void check_usable(const fz_block *b)
{
    FZ_CHECK_EQ(fh_default_usable_size(b->p), b->usable);
    fz_expect_no_error();
}

/* ---- operations ---- */

static void op_alloc(state *s, bool zeroed)
{
    fz_begin_op(zeroed ? "fh_default_alloc_zeroed" : "fh_default_alloc");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (b == NULL)
        return;
    unsigned could = could_mask(s, size, align);
    unsigned char *p = zeroed ? fh_default_alloc_zeroed(size, align) : fh_default_alloc(size, align);
    fz_expect_no_error();
    if (p == NULL) {
        FZ_CHECK_EQ(could, 0u);
        return;
    }
    size_t usable = fh_default_usable_size_for(size, align);
    if (zeroed)
        for (size_t i = 0; i < usable; i++)
            if (p[i])
                fz_fail(__FILE__, __LINE__, "zeroed alloc: byte not zero (block, offset)", (uintptr_t)p, i);
    check_placement(s, p, could);
    fz_add(&s->m, b, p, size, align, usable);
    check_usable(b);
}

static void op_free(state *s, bool sized)
{
    fz_begin_op(sized ? "fh_default_free_sized" : "fh_default_free");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    uint32_t k = fz_u32(&s->in);
    if (b == NULL)
        return;
    fz_verify(b, b->usable);
    if (sized)
        fh_default_free_sized(b->p, b->size + k % (b->usable - b->size + 1u), b->align);
    else
        fh_default_free(b->p);
    fz_expect_no_error();
    fz_forget(&s->m, b);
}

static void op_realloc(state *s)
{
    fz_begin_op("fh_default_realloc");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE);
    bool new_align = fz_byte(&s->in) < 64u; /* stricter or looser: may move */
    size_t align = fz_align(&s->in, MAX_ALIGN);
    if (b == NULL)
        return;
    if (!new_align)
        align = b->align;
    fz_verify(b, b->usable);
    unsigned could = could_mask(s, size, align);
    unsigned char *q = fh_default_realloc(b->p, size, align);
    fz_expect_no_error();
    if (q == NULL) { /* in place was impossible, and so was every region */
        FZ_CHECK_EQ(could, 0u);
        fz_verify(b, b->usable);
        check_usable(b);
        return;
    }
    size_t usable = fh_default_usable_size_for(size, align);
    if (q != b->p && region_of(s, q) != region_of(s, b->p))
        check_placement(s, q, could);
    b->align = align;
    /* A move keeps min(old usable, new usable) bytes, within a region or
     * across (one rule; issue 9's defect 8 kept less across). */
    fz_moved(&s->m, b, q, size, usable, fz_min(b->usable, usable));
    check_usable(b);
}

static void op_resize(state *s)
{
    fz_begin_op("fh_default_resize_in_place");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE);
    if (b == NULL)
        return;
    size_t want = fh_default_usable_size_for(size, b->align);
    size_t got = fh_default_resize_in_place(b->p, size, b->align);
    fz_expect_no_error();
    if (got == want) {
        fz_moved(&s->m, b, b->p, size, want, fz_min(b->usable, want));
    } else {
        FZ_CHECK_EQ(got, b->usable);
        FZ_CHECK(!fz_shrink_must_succeed(b, want, b->align));
        fz_verify(b, b->usable);
    }
    check_usable(b);
}

static void op_bad_pointer(state *s)
{
    fz_begin_op("bad pointer");
    uint8_t entry = fz_byte(&s->in) % 5u;
    void *p = fz_bad_pointer(&s->m, &s->in);
    unsigned kinds = fz_bad_kinds(&s->m, p, owned(s, p));
    if (kinds == 0)
        return;
    switch (entry) {
    case 0: fh_default_free(p); break;
    case 1: fh_default_free_sized(p, 16, 16); break;
    case 2: FZ_CHECK(fh_default_realloc(p, 64, 16) == NULL); break;
    case 3: FZ_CHECK_EQ(fh_default_resize_in_place(p, 64, 16), 0u); break;
    default:
        FZ_CHECK_EQ(fh_default_usable_size(p), 0u); /* reported, not counted */
        fz_expect_error(kinds, p);
        return;
    }
    fz_expect_error(kinds, p);
    s->rejected += FZ_DEFAULT_HEAP_COUNTS_BAD_POINTERS;
}

/* fh_add_region calls the contract refuses: overlapping a region, empty,
 * wrapping around. Refused means false and nothing else changes. */
static void op_add_region(state *s)
{
    fz_begin_op("fh_add_region (refused)");
    unsigned r = fz_byte(&s->in) % NR_REGIONS;
    uint8_t how = fz_byte(&s->in) % 4u;
    size_t len = fz_size(&s->in, 16u * 1024u), off = fz_u32(&s->in) % layout[r].bytes;
    unsigned char *base = fz_regions_arena + layout[r].offset;
    bool added;
    switch (how) {
    case 0: added = fh_add_region(base + off, len); break;            /* starts inside */
    case 1: added = fh_add_region(base + off - len, len + 1u); break; /* ends inside */
    case 2: added = fh_add_region(base + off, 0); break;              /* empty */
    default: added = fh_add_region((void *)(UINTPTR_MAX - off % 64u), len + 64u); break; /* wraps */
    }
    FZ_CHECK(!added);
    FZ_CHECK(fh_default_region(NR_REGIONS) == NULL);
    fz_expect_unlocked();
    fz_allow_error(FZ_ANY_KIND, NULL); /* whether a refusal is reported is not said */
}

/* ---- the driver ---- */

static void fresh_regions(state *s)
{
    if (!regions_added) {
        FZ_CHECK(fh_default() != NULL);
        for (unsigned i = 1; i < NR_REGIONS; i++)
            if (!fh_add_region(fz_regions_arena + layout[i].offset, layout[i].bytes))
                fz_fail(__FILE__, __LINE__, "fh_add_region refused a disjoint region (region)", i, 0);
        regions_added = true;
    }
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (unsigned i = 0; i < NR_REGIONS; i++) {
        unsigned char *base = fz_regions_arena + layout[i].offset;
        s->region[i] = fh_default_region(i);
        FZ_CHECK(s->region[i] != NULL);
        if (fh_init(base, layout[i].bytes) != s->region[i])
            fz_fail(__FILE__, __LINE__, "fh_init over a region moved its handle (region)", i, 0);
        fh_stats st;
        fh_get_stats(s->region[i], &st);
        s->largest[i] = st.largest_free;
        lo = (uintptr_t)base < lo ? (uintptr_t)base : lo;
        hi = (uintptr_t)base + layout[i].bytes > hi ? (uintptr_t)base + layout[i].bytes : hi;
    }
    fz_model_init(&s->m, lo, hi, FZ_DEFAULT_HEAP_EXTRA);
    s->rejected = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static state s;
    fz_start(&s.in, data, size);
    fresh_regions(&s);
    fz_expect_no_error();
    while (fz_more(&s.in)) {
        switch (fz_byte(&s.in) % 10u) {
        case 0: case 1: op_alloc(&s, false); break;
        case 2: op_alloc(&s, true); break;
        case 3: op_free(&s, false); break;
        case 4: op_free(&s, true); break;
        case 5: op_realloc(&s); break;
        case 6: op_resize(&s); break;
        case 7: op_bad_pointer(&s); break;
        case 8: op_add_region(&s); break;
        default: {
            fz_begin_op("fh_default_usable_size");
            fz_block *b = fz_pick_live(&s.m, &s.in);
            if (b)
                check_usable(b);
            break;
        }
        }
        check_regions(&s);
    }
    fz_begin_op("free everything");
    fz_verify_all(&s.m);
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (s.m.slot[i].p) {
            fh_default_free(s.m.slot[i].p);
            fz_forget(&s.m, &s.m.slot[i]);
        }
    fz_expect_no_error();
    check_regions(&s);
    for (unsigned i = 0; i < NR_REGIONS; i++) {
        fh_stats st;
        fh_get_stats(s.region[i], &st);
        FZ_CHECK_EQ(st.largest_free, s.largest[i]); /* everything merged back */
    }
    return 0;
}
