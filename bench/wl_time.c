/*
 * The timed workloads: where the per-call instruction counts come from.
 *
 *   churn    512 slots, 200k steps: a step picks a slot at random and
 *            allocates into it from the job's distribution if it is empty,
 *            else frees it. Once the heap is full (a small heap, a wide
 *            distribution) allocations start to fail; those are counted and
 *            timed apart (alloc-fail), never hidden.
 *   realloc  eight vectors, each doubling from 8 B to 16 KiB and halving
 *            back, picked at random for 4000 steps, alignment 8: realloc in
 *            place and moving.
 *   grow     the same through the in-place resize first and realloc only when
 *            that fails: how the legacy Rust hooks grow a Vec.
 *   lifo     scratch buffers pushed and popped like a stack, 8..512 B: the
 *            one workload the bump heap can run.
 */
#include "slots.h"

static void wl_churn(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0xC4u);
    if (!slots_begin(a, j))
        return;
    s_churn(a, 512, bench_steps(j, 200000u), j->dist, &rng);
    slots_end(a);
}

enum { VECS = 8, VEC_MIN = 8, VEC_MAX = 16384 };

/* One vector step: double or halve; on a refusal turn round. */
static void vec_step(const bench_alloc *a, slot *s, int *dir, bool in_place_first)
{
    uint32_t want = *dir > 0 ? s->size * 2u : s->size / 2u;
    bool ok = (in_place_first && s_resize(a, s, want)) || s_realloc(a, s, want);
    if (!ok)
        *dir = -*dir;
    else if (s->size >= VEC_MAX)
        *dir = -1;
    else if (s->size <= VEC_MIN)
        *dir = 1;
}

static void vectors(const bench_alloc *a, const bench_job *j, bool in_place_first)
{
    uint32_t rng = bench_seed(j, 0x5Eu);
    int dir[VECS];
    if (!slots_begin(a, j))
        return;
    for (uint32_t v = 0; v < VECS; v++) {
        s_alloc(a, &ss.slots[v], VEC_MIN, 8);
        dir[v] = 1;
    }
    for (uint32_t step = 0, n = bench_steps(j, 4000u); step < n; step++) {
        uint32_t v = bench_range(&rng, 0, VECS - 1u);
        if (ss.slots[v].ptr)
            vec_step(a, &ss.slots[v], &dir[v], in_place_first);
    }
    slots_end(a);
}

static void wl_realloc(const bench_alloc *a, const bench_job *j) { vectors(a, j, false); }
static void wl_grow(const bench_alloc *a, const bench_job *j) { vectors(a, j, true); }

static void wl_lifo(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0x11u), depth = 0;
    if (!slots_begin(a, j))
        return;
    for (uint32_t step = 0, n = bench_steps(j, 10000u); step < n; step++) {
        if (depth && (depth == 64 || (bench_rand(&rng) & 1u)))
            s_free(a, &ss.slots[--depth]);
        else if (s_alloc(a, &ss.slots[depth], bench_range(&rng, 8, 512), 8))
            depth++;
    }
    while (depth)
        s_free(a, &ss.slots[--depth]);
    slots_end(a);
}

const bench_kind bench_kind_churn = {"churn", wl_churn};
const bench_kind bench_kind_realloc = {"realloc", wl_realloc};
const bench_kind bench_kind_grow = {"grow", wl_grow};
const bench_kind bench_kind_lifo = {"lifo", wl_lifo};
