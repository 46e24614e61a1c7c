/*
 * fh_check must catch corruption, not just bless healthy heaps: each test
 * breaks one invariant by hand (through the internal header), expects
 * fh_check_report to name it and where, repairs it and expects a clean bill
 * again. fh_check never writes, so a failed check leaves the evidence in
 * place; fh_check itself reports the place to the error hook.
 */
#include "testutil.h"
#include "slab.h"

typedef struct busy {
    fh_heap *h;
    unsigned char *run;  /* 5 pages on a 4-page boundary: blocks 4, 1 */
    unsigned char *obj;  /* a 48-byte object with a free neighbour */
    unsigned char *obj2;
} busy;

static busy busy_heap(void)
{
    busy b;
    b.h = tu_heap(23, 0, NULL);
    b.run = fh_alloc(b.h, 5u * FH_PAGE_SIZE, 4u * FH_PAGE_SIZE);
    b.obj = fh_alloc(b.h, 40, 16);
    b.obj2 = fh_alloc(b.h, 40, 16);
    void *gone = fh_alloc(b.h, 40, 16);
    fh_free(b.h, gone); /* the slab is on its list, with room */
    return b;
}

/* fh_check_report must fail with this fault; fh_check must say false and
 * tell the hook FH_ERR_CORRUPT. */
static void expect_fault(const fh_heap *h, fh_check_fault fault)
{
    fh_check_result r;
    CHECK(!fh_check_report(h, &r));
    CHECK_EQ(r.fault, fault);
    tu_reset_errors();
    CHECK(!fh_check(h));
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_CORRUPT);
    CHECK(tu_last_ptr == r.where);
}

static void expect_clean(const fh_heap *h)
{
    fh_check_result r;
    CHECK(fh_check_report(h, &r));
    CHECK_EQ(r.fault, FH_CHECK_OK);
    CHECK(fh_check(h));
}

void test_check_accepts_a_healthy_heap(void)
{
    busy b = busy_heap();
    CHECK(b.run && b.obj && b.obj2);
    expect_clean(b.h);
    fh_check_result r;
    CHECK(!fh_check_report(NULL, &r));
    CHECK_EQ(r.fault, FH_CHECK_HEAP);
    CHECK(!fh_check(NULL));
}

void test_check_catches_page_map_corruption(void)
{
    busy b = busy_heap();
    fh_heap *h = b.h;
    CHECK(b.run != NULL);
    if (!b.run)
        return;
    uintptr_t g = fh_page_of(b.run);
    uint32_t *w = fh_pw(h, g), old = *w;
    fh_check_result r;
    /* A run that claims a length past its pages. */
    *w = PG_HEAD | (uint32_t)(h->pend - g + 1u) << FH_DATA_SHIFT;
    CHECK(!fh_check_report(h, &r));
    *w = old;
    expect_clean(h);
    /* A run marked free. */
    *w = PG_FREE_TAG(3);
    CHECK(!fh_check_report(h, &r));
    *w = old;
    /* A word inside a run that says something. */
    w = fh_pw(h, g + 2u);
    old = *w;
    *w = PG_FREE_TAG(0);
    expect_fault(h, FH_CHECK_INTERIOR);
    CHECK(r.where != NULL);
    *w = old;
    expect_clean(h);
    /* A run that does not start on its largest power of two. */
    w = fh_pw(h, g);
    old = *w;
    *w = PG_HEAD | 3u << FH_DATA_SHIFT; /* 3 pages at g: then g+3 must start a block */
    CHECK(!fh_check_report(h, &r));
    *w = old;
    expect_clean(h);
}

void test_check_catches_free_list_corruption(void)
{
    busy b = busy_heap();
    fh_heap *h = b.h;
    /* The first non-empty free list. */
    unsigned k = 0;
    while (k <= h->order_max && !((h->nonempty >> k) & 1u))
        k++;
    CHECK(k <= h->order_max);
    if (k > h->order_max)
        return;
    fh_node *n = h->free_area[k].next, *old = n->prev;
    /* A broken back link. */
    n->prev = n;
    expect_fault(h, FH_CHECK_FREE_LIST);
    n->prev = old;
    expect_clean(h);
    /* The non-empty mask lies. */
    h->nonempty ^= 1u << k;
    expect_fault(h, FH_CHECK_FREE_LIST);
    h->nonempty ^= 1u << k;
    expect_clean(h);
    /* A free block whose word names another order. */
    uint32_t *w = fh_pw(h, fh_page_of(n)), ow = *w;
    *w = PG_FREE_TAG(k == 0 ? 1u : k - 1u);
    fh_check_result r;
    CHECK(!fh_check_report(h, &r));
    *w = ow;
    expect_clean(h);
    /* A free block dropped from its list (its neighbours skip it). */
    fh_node *next = n->next, *prev = n->prev;
    prev->next = next;
    next->prev = prev;
    CHECK(!fh_check_report(h, &r));
    prev->next = n;
    next->prev = n;
    expect_clean(h);
}

void test_check_catches_unmerged_buddies(void)
{
    busy b = busy_heap();
    fh_heap *h = b.h;
    /* Split a free block of order k > 0 into two free halves by hand, both
     * on their list: a state the allocator never leaves. */
    unsigned k = 1;
    while (k <= h->order_max && !((h->nonempty >> k) & 1u))
        k++;
    CHECK(k <= h->order_max);
    if (k > h->order_max)
        return;
    fh_node *n = h->free_area[k].next;
    uintptr_t p = fh_page_of(n), half = (uintptr_t)1 << (k - 1u);
    bool emptied = fh_list_del(n);
    if (emptied)
        h->nonempty &= ~(1u << k);
    fh_list_add(&h->free_area[k - 1u], fh_page_addr(p));
    fh_list_add(&h->free_area[k - 1u], fh_page_addr(p + half));
    uint32_t saved_mask = h->nonempty;
    h->nonempty |= 1u << (k - 1u);
    *fh_pw(h, p) = PG_FREE_TAG(k - 1u);
    *fh_pw(h, p + half) = PG_FREE_TAG(k - 1u);
    expect_fault(h, FH_CHECK_UNMERGED);
    /* Repair. */
    fh_list_del(fh_page_addr(p));
    fh_list_del(fh_page_addr(p + half));
    h->nonempty = saved_mask;
    *fh_pw(h, p + half) = PG_NONE;
    *fh_pw(h, p) = PG_FREE_TAG(k);
    fh_list_add(&h->free_area[k], fh_page_addr(p));
    h->nonempty |= 1u << k;
    expect_clean(h);
}

void test_check_catches_slab_corruption(void)
{
    busy b = busy_heap();
    fh_heap *h = b.h;
    CHECK(b.obj != NULL);
    if (!b.obj)
        return;
    uintptr_t page = fh_page_of(b.obj);
    uint32_t *w = fh_pw(h, page), old = *w;
    /* A bitmap with bits past the class's objects. */
    *w = old | (1u << 20) << FH_DATA_SHIFT;
    expect_fault(h, FH_CHECK_SLAB);
    *w = old;
    expect_clean(h);
    /* An object freed behind the list's back: the bitmap says free but the
     * node is not in the lowest free object any more. */
    uint32_t low = PG_DATA(old) & (0u - PG_DATA(old));
    uint32_t below = low >> 1;
    while (below && (PG_DATA(old) & below))
        below >>= 1;
    if (below) {
        *w = old | below << FH_DATA_SHIFT;
        expect_fault(h, FH_CHECK_SLAB_LIST);
        *w = old;
    }
    /* A full slab marked as having room: it is not on its list. */
    *w = old & ((1u << FH_DATA_SHIFT) - 1u);
    fh_check_result r;
    CHECK(!fh_check_report(h, &r));
    *w = old;
    expect_clean(h);
    /* A slab page that names another class. */
    uint32_t *w2 = fh_pw(h, page);
    uint32_t o2 = *w2;
    *w2 = (o2 & ~(63u << 2)) | 7u << 2;
    CHECK(!fh_check_report(h, &r));
    *w2 = o2;
    expect_clean(h);
}

void test_check_catches_bad_counters(void)
{
    busy b = busy_heap();
    fh_heap *h = b.h;
    h->used += 16u;
    expect_fault(h, FH_CHECK_COUNTERS);
    h->used -= 16u;
    h->live++;
    expect_fault(h, FH_CHECK_COUNTERS);
    h->live--;
    h->peak = h->used - 1u;
    expect_fault(h, FH_CHECK_COUNTERS);
    h->peak = h->used;
    expect_clean(h);
    /* The instance itself. */
    uint32_t om = h->order_max;
    h->order_max = FH_ORDER_LIMIT + 1u;
    expect_fault(h, FH_CHECK_HEAP);
    h->order_max = om;
    expect_clean(h);
}
