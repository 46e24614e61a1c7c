/*
 * What the four libFuzzer targets share: the input decoder, the shadow model,
 * the error-hook and lock witnesses, and the one way to fail.
 *
 * An input is a byte-coded operation sequence: each operation takes one byte
 * for its kind and a few more for its arguments (fz_byte and friends read 0
 * past the end, so every input is valid and short inputs are short
 * programs). The shadow model is a fixed table of slots, each a live block
 * the target handed out: address, requested size, alignment, usable size
 * and a pattern seed. Every block is filled with its pattern over its whole
 * usable size, so a block that overlaps another, or a move that loses bytes,
 * shows up when the block is next verified (on every resize, free and at the
 * end of the input). The model knows nothing of the allocator's internals:
 * what it checks is the contract of include/firmheap.h and DESIGN.md.
 *
 * A failed check prints "fuzz model: ..." with the operation number and the
 * input offset, then aborts: libFuzzer saves the input as a crash artifact.
 * Replaying that one file (the fuzzer binary with the file as argument)
 * repeats the failure; every target resets its heaps at the start of each
 * input so that an input alone decides what happens.
 */
#ifndef FZ_FUZZ_H
#define FZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmheap.h"
#include "harden.h" /* FH_HARDEN and its canary's size (src/, internal) */

/* ---- the input ---- */

typedef struct {
    const uint8_t *data;
    size_t size, at;
} fz_input;

/* Every input starts here: resets the decoder and the failure report. */
void fz_start(fz_input *in, const uint8_t *data, size_t size);
bool fz_more(const fz_input *in);
uint8_t fz_byte(fz_input *in);
uint32_t fz_u32(fz_input *in);
/* 1..max, about as many tiny sizes as large ones (max >= 1). */
size_t fz_size(fz_input *in, size_t max);
/* A power of two 1..max (max a power of two); now and then 0 ("default"). */
size_t fz_align(fz_input *in, size_t max);

/* ---- failing ---- */

/* Called by each target before every operation: names it in failure reports. */
void fz_begin_op(const char *name);
_Noreturn void fz_fail(const char *file, int line, const char *what, uintmax_t a, uintmax_t b);
#define FZ_CHECK(c) ((c) ? (void)0 : fz_fail(__FILE__, __LINE__, #c, 0, 0))
/* Integers; each side evaluated once; both values reported. */
#define FZ_CHECK_EQ(a, b) fz_check_eq((uintmax_t)(a), (uintmax_t)(b), #a " == " #b, __FILE__, __LINE__)
void fz_check_eq(uintmax_t a, uintmax_t b, const char *what, const char *file, int line);

/* ---- the shadow model ---- */

#define FZ_SLOTS 32u

typedef struct {
    unsigned char *p;  /* NULL: the slot is empty */
    size_t size;       /* last requested size */
    size_t align;      /* alignment it was asked for (0 means the default) */
    size_t usable;     /* bytes it may use, and that hold its pattern */
    uint32_t seed;
    unsigned tag;      /* which front end made it (targets' own meaning) */
} fz_block;

typedef struct {
    fz_block slot[FZ_SLOTS];
    uintptr_t lo, hi;  /* where blocks may lie: the regions' span */
    size_t held_extra; /* bytes each block holds beyond its usable size */
    uint32_t next_seed;
} fz_model;

/* What a hardened default heap (FH_HARDEN=1, README "Hardening") changes in
 * what the model may expect of it: each block asks the core for its canary
 * too (held beyond the usable size, counted in used_bytes), and a bad
 * pointer goes through the const fh_usable_size first: reported, not
 * counted. Instances (fh_init) and the bump allocator are never hardened. */
#define FZ_DEFAULT_HEAP_EXTRA (FH_HARDEN ? (size_t)FH_HARDEN_CANARY_BYTES : 0u)
#define FZ_DEFAULT_HEAP_COUNTS_BAD_POINTERS (!FH_HARDEN)

void fz_model_init(fz_model *m, uintptr_t lo, uintptr_t hi, size_t held_extra);
fz_block *fz_pick(fz_model *m, fz_input *in);  /* any slot, live or empty */
fz_block *fz_pick_live(fz_model *m, fz_input *in); /* NULL if none is live */
fz_block *fz_pick_empty(fz_model *m, fz_input *in); /* NULL if all are live */

/* A new block: aligned, inside [lo, hi), overlapping no other live block;
 * then recorded in b and filled with a fresh pattern. */
void fz_add(fz_model *m, fz_block *b, void *p, size_t size, size_t align, size_t usable);
/* b now lives at p with `usable` bytes: its first `kept` bytes must still
 * hold the old pattern (checked), then it is refilled. */
void fz_moved(fz_model *m, fz_block *b, void *p, size_t size, size_t usable, size_t kept);
void fz_verify(const fz_block *b, size_t bytes);
void fz_verify_all(const fz_model *m);
/* Bytes the heap holds for the live blocks (their used_bytes). */
size_t fz_used(const fz_model *m);
/* What a request of size asks of the core: size plus held_extra; 0 if that
 * overflows (no heap could serve it). */
size_t fz_request(const fz_model *m, size_t size);
uint32_t fz_live(const fz_model *m);
/* The live block that holds address a, or NULL. */
const fz_block *fz_holding(const fz_model *m, uintptr_t a);
bool fz_aligned(const void *p, size_t align);
size_t fz_min(size_t a, size_t b);

/* A pointer for a bad-pointer operation, chosen by the input: inside a live
 * block but not its start, just past or before the span, a freed block's
 * old address, a misaligned one, or an unrelated object. */
void *fz_bad_pointer(fz_model *m, fz_input *in);
/* Could h serve (size, align) now? The contract lets an allocation fail
 * only when no block is free that could hold it. A free buddy block starts
 * on a multiple of its size (DESIGN.md), so one of pow2(max(usable, align))
 * bytes holds any run; a slab object needs a slab with room or a free run
 * for a new slab, at most FZ_SLAB_RUN_MAX bytes (firmheap.h: slabs are runs
 * of 1 to 8 pages). So a free block of the larger of the two must serve;
 * anything smaller the model cannot judge. align 0 means FH_GRANULE. */
#define FZ_SLAB_RUN_MAX (8u * FH_PAGE_SIZE)
bool fz_could_serve(const fh_heap *h, size_t size, size_t align);
/* An allocation of (size, align) from h failed: check it had to. */
void fz_check_honest_failure(const fh_heap *h, size_t size, size_t align);

/* Must fh_resize_in_place(b, to want usable bytes, align) succeed?
 * (firmheap.h) Blocks of whole pages always shrink to whole pages, when
 * aligned; a slab object only "resizes" within its class, and growth needs
 * free pages behind: those the model cannot judge. */
bool fz_shrink_must_succeed(const fz_block *b, size_t want, size_t align);

/* Empties b's slot, remembering its address (for fz_bad_pointer). */
void fz_forget(fz_model *m, fz_block *b);
/* What a call given ptr must report, by the contract: 0 if ptr starts a
 * live block (no bad pointer at all); else the error kinds allowed (a mask).
 * owned is the heap's fh_owns(ptr), cross-checked against the model. */
unsigned fz_bad_kinds(const fz_model *m, const void *ptr, bool owned);

/* ---- the error hook witness ---- */

#define FZ_KIND(k) (1u << (k))
#define FZ_ANY_KIND (~0u)

/* Each operation starts clean (fz_begin_op) and ends with one of these. */
void fz_expect_no_error(void);
/* Exactly one report, of one of the kinds in `kinds`, naming ptr. */
void fz_expect_error(unsigned kinds, const void *ptr);
/* Exactly one report, of any kind, naming anything (a NULL heap handle). */
void fz_expect_some_error(void);
/* Zero or one report; if one, as fz_expect_error. Returns how many. */
unsigned fz_allow_error(unsigned kinds, const void *ptr);

/* ---- the lock witness ---- */

/* The targets define fh_lock/fh_unlock as a depth counter: every default-
 * heap call must leave it at 0, and it must never go negative. */
void fz_expect_unlocked(void);

#endif
