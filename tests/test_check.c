/*
 * fh_check must catch corruption, not just bless healthy heaps: each test
 * breaks one invariant by hand (through the internal header), expects
 * fh_check to say false, repairs it and expects true again. fh_check never
 * writes, so a failed check leaves the evidence in place.
 */
#include "testutil.h"
#include "buddy_internal.h"

static uint32_t *state_word_of(fh_heap *h, const void *p)
{
    return &h->state[fh_granule(p) / FH_GRANULES_PER_WORD - h->g0 / FH_GRANULES_PER_WORD];
}

static unsigned shift_of(const void *p)
{
    return (unsigned)(fh_granule(p) % FH_GRANULES_PER_WORD) * 2u;
}

/* Sets the 2-bit state of p's granule; returns the old word for repair. */
static uint32_t poke_state(fh_heap *h, const void *p, unsigned s)
{
    uint32_t *w = state_word_of(h, p);
    uint32_t old = *w;
    *w = (old & ~(3u << shift_of(p))) | ((uint32_t)s << shift_of(p));
    return old;
}

static fh_heap *busy_heap(void **a, void **b, void **c)
{
    fh_heap *h = tu_heap(23, 0, NULL);
    *a = fh_alloc(h, 200, 256); /* 13 granules, aligned: blocks of 8, 4, 1 */
    *b = fh_alloc(h, 48, 64);
    *c = fh_alloc(h, 16, 16);
    fh_free(h, *b);             /* leaves free blocks around */
    *b = fh_alloc(h, 100, 16);
    return h;
}

void test_check_accepts_a_healthy_heap(void)
{
    void *a, *b, *c;
    fh_heap *h = busy_heap(&a, &b, &c);
    CHECK(fh_check(h));
    CHECK(!fh_check(NULL));
}

void test_check_catches_state_corruption(void)
{
    void *a, *b, *c;
    fh_heap *h = busy_heap(&a, &b, &c);
    unsigned char *pa = a;
    uint32_t *w;
    uint32_t old;
    /* A live block that claims to be free. */
    w = state_word_of(h, a);
    old = poke_state(h, a, ST_FREE);
    CHECK(!fh_check(h));
    *w = old;
    CHECK(fh_check(h));
    /* A block start erased: the tiling breaks. */
    w = state_word_of(h, pa + 128);
    old = poke_state(h, pa + 128, ST_NONE);
    CHECK(!fh_check(h));
    *w = old;
    /* A stray block start inside an allocation (non-canonical run). */
    w = state_word_of(h, pa + 32);
    old = poke_state(h, pa + 32, ST_CONT);
    CHECK(!fh_check(h));
    *w = old;
    /* A second HEAD where a CONT belongs: counts stop adding up. */
    w = state_word_of(h, pa + 128);
    old = poke_state(h, pa + 128, ST_HEAD);
    CHECK(!fh_check(h));
    *w = old;
    CHECK(fh_check(h));
}

void test_check_catches_list_corruption(void)
{
    void *a, *b, *c;
    fh_heap *h = busy_heap(&a, &b, &c);
    /* Find a non-empty free list and break its links in three ways. */
    unsigned k = 0;
    while (k <= h->order_max && !((h->nonempty >> k) & 1u))
        k++;
    CHECK(k <= h->order_max);
    if (k > h->order_max)
        return;
    fh_node *n = h->free_area[k].next;
    fh_node *saved_next = n->next;
    fh_node *saved_prev = n->prev;
    int outside;
    n->next = (fh_node *)(void *)&outside; /* off the heap */
    CHECK(!fh_check(h));
    n->next = n;                           /* a cycle */
    CHECK(!fh_check(h));
    n->next = saved_next;
    n->prev = NULL;                        /* back link broken */
    CHECK(!fh_check(h));
    n->prev = saved_prev;
    CHECK(fh_check(h));
    /* The non-empty mask disagreeing with the lists. */
    h->nonempty ^= 1u << k;
    CHECK(!fh_check(h));
    h->nonempty ^= 1u << k;
    CHECK(fh_check(h));
}

static void link_free(fh_heap *h, void *p)
{
    fh_node *head = &h->free_area[0], *n = p;
    n->next = head->next;
    n->prev = head;
    head->next->prev = n;
    head->next = n;
    h->nonempty |= 1u;
}

static void unlink_node(void *p)
{
    fh_node *n = p;
    n->prev->next = n->next;
    n->next->prev = n->prev;
}

void test_check_catches_unmerged_buddies_and_bad_counters(void)
{
    fh_heap *h = tu_heap(29, 0, NULL);
    unsigned char *x = fh_alloc(h, 32, 32); /* one order-1 block: two granules */
    CHECK(x != NULL);
    if (!x)
        return;
    size_t used = h->used;
    uint32_t live = h->live, mask = h->nonempty;
    h->used = used + 1u;
    CHECK(!fh_check(h));
    h->used = used;
    h->live = live + 1u;
    CHECK(!fh_check(h));
    h->live = live;
    CHECK(fh_check(h));
    /* Free it by hand as two order-0 buddies left unmerged: the lists, the
     * states and the counters all agree, only the merging is missing. */
    poke_state(h, x, ST_FREE);
    poke_state(h, x + 16, ST_FREE);
    link_free(h, x);
    link_free(h, x + 16);
    h->used = used - 2u;
    h->live = live - 1u;
    CHECK(!fh_check(h));
    unlink_node(x + 16);
    unlink_node(x);
    poke_state(h, x, ST_HEAD);
    poke_state(h, x + 16, ST_NONE);
    h->used = used;
    h->live = live;
    h->nonempty = mask;
    CHECK(fh_check(h));
    fh_free(h, x);
    CHECK(fh_check(h));
    CHECK_EQ(h->used, 0u);
}
