/*
 * FH_HARDEN=1 (src/harden.h), in the hardened host runner (harden-test),
 * which also runs every other test unchanged: the layer must change nothing
 * but what it reports. Here: a write past the usable size is reported as
 * FH_ERR_OVERFLOW with the block's address when the block is freed or
 * resized; a write to freed memory is reported as FH_ERR_USE_AFTER_FREE
 * with the address of the block that hands those bytes out again; and a
 * long churn through every front end reports nothing at all (the core
 * repaints every list node it lets go, or this one would fail).
 */
#include "testutil.h"
#include "firmheap_rust.h"
#include "front_names.h"

#if FH_HARDEN

void test_harden_overflow_is_reported_on_free(void)
{
    size_t base = tu_default_used();
    unsigned char *p = M(malloc)(40);
    CHECK(p != NULL);
    if (!p)
        return;
    size_t usable = M(malloc_usable_size)(p);
    p[usable - 1] = 1; /* the last usable byte: allowed */
    tu_reset_errors();
    M(free)(p);
    CHECK_EQ(tu_errors, 0u);
    p = M(malloc)(40);
    p[usable] = 1; /* one past: the canary */
    M(free)(p);
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_OVERFLOW);
    CHECK(tu_last_ptr == p);
    CHECK_EQ(tu_default_used(), base); /* freed all the same */
    CHECK(fh_check(fh_default()));
}

void test_harden_overflow_is_reported_on_resize(void)
{
    uint8_t *p = __rust_allocate(100, 64);
    CHECK(p != NULL);
    if (!p)
        return;
    size_t usable = __rust_usable_size(100, 64);
    tu_fill(p, usable, 5);
    p[usable + 3] ^= 0x40u;
    tu_reset_errors();
    uint8_t *q = __rust_reallocate(p, 100, 3000, 64); /* in place or moved */
    CHECK(q != NULL && tu_verify(q, usable, 5));
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_OVERFLOW);
    CHECK(tu_last_ptr == p);
    tu_reset_errors();
    __rust_deallocate(q, 3000, 64); /* the new block's canary is whole */
    CHECK_EQ(tu_errors, 0u);
}

/* A realloc that has to move checks the canary, reports it once, and the
 * free of the old block that follows does not report it again. */
void test_harden_overflow_is_reported_once_on_a_move(void)
{
    unsigned char *p = fh_default_alloc(40, 16);
    CHECK(p != NULL);
    if (!p)
        return;
    size_t usable = fh_default_usable_size(p);
    size_t align = 2u * ((uintptr_t)p & (0u - (uintptr_t)p)); /* p has not got it */
    p[usable] ^= 1u;
    tu_reset_errors();
    unsigned char *q = fh_default_realloc(p, 40, align);
    CHECK(q != NULL && q != p && tu_aligned(q, align));
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_OVERFLOW);
    CHECK(tu_last_ptr == p);
    fh_default_free(q);
    CHECK_EQ(tu_errors, 1u);
}

#define UAF_TRIES 256u

void test_harden_use_after_free_is_reported(void)
{
    static unsigned char *held[UAF_TRIES];
    unsigned char *p = M(malloc)(200);
    CHECK(p != NULL);
    if (!p)
        return;
    M(free)(p);
    unsigned char *victim = p + 37;
    *victim = 0x11; /* after free */
    /* Hand out blocks of that size until one covers the byte. */
    tu_reset_errors();
    unsigned n = 0, hit = UAF_TRIES;
    for (; n < UAF_TRIES && hit == UAF_TRIES; n++) {
        held[n] = M(malloc)(200);
        if (held[n] && victim >= held[n] && victim < held[n] + 200)
            hit = n;
    }
    CHECK(hit < UAF_TRIES);
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_USE_AFTER_FREE);
    CHECK(hit < UAF_TRIES && tu_last_ptr == held[hit]);
    for (unsigned i = 0; i < n; i++)
        M(free)(held[i]);
}

/* Everything the front ends do, much of it, and not one report. */
void test_harden_churn_reports_nothing(void)
{
    enum { SLOTS = 64 };
    static unsigned char *slot[SLOTS];
    static size_t len[SLOTS];
    uint32_t rng = 0x7e57u;
    size_t base = tu_default_used();
    tu_reset_errors();
    for (unsigned i = 0; i < 20000u * th_scale() / 100u + 2000u; i++) {
        unsigned k = th_rand_range(&rng, 0, SLOTS - 1u);
        size_t n = th_rand_range(&rng, 1, 3000);
        if (slot[k] == NULL) {
            slot[k] = th_rand_range(&rng, 0, 1) ? M(calloc)(1, n) : M(malloc)(n);
            len[k] = slot[k] ? n : 0;
        } else if (th_rand_range(&rng, 0, 2) == 0) {
            M(free)(slot[k]);
            slot[k] = NULL;
        } else if (th_rand_range(&rng, 0, 1)) {
            unsigned char *q = M(realloc)(slot[k], n);
            if (q) {
                slot[k] = q;
                len[k] = n;
            }
        } else if (fh_default_resize_in_place(slot[k], n, 16) == fh_default_usable_size_for(n, 16)) {
            len[k] = n;
        }
        if (slot[k])
            th_memset(slot[k], (int)k, len[k]); /* up to the request: legal */
    }
    for (unsigned k = 0; k < SLOTS; k++) {
        M(free)(slot[k]);
        slot[k] = NULL;
    }
    CHECK_EQ(tu_errors, 0u);
    CHECK_EQ(tu_default_used(), base);
    CHECK(fh_check(fh_default()));
}

#endif
