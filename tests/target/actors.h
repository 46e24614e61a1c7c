/*
 * Actors for the tests that run the default heap under interrupts
 * (irq_safety.c, soak.c): the main loop and a timer interrupt each own a
 * set of slots and churn them through every front end of the default heap.
 *
 * A slot holds one block, filled with a pattern from its seed; the block is
 * checked before it is resized, moved or freed, and when the run drains. A
 * step picks a slot at random: an empty one gets malloc, calloc (must read
 * zero), aligned_alloc or __rust_allocate; a full one is freed, realloc'd
 * (growing, shrinking, moving: the kept bytes must survive) or resized in
 * place. The interrupt steps its own actor, so it lands in every phase of a
 * main-loop call, including the unlocked ones (calloc's zero fill,
 * realloc's copy), which run on blocks only the caller owns.
 */
#ifndef TH_ACTORS_H
#define TH_ACTORS_H

#include "harness.h"
#include "firmheap.h"

typedef struct {
    uint8_t *p;
    uint32_t size;  /* bytes the pattern covers */
    uint32_t align; /* 0: the malloc family's */
    uint8_t seed;
    uint8_t sized;  /* from __rust_allocate: freed with its layout */
} ac_slot;

typedef struct {
    ac_slot *slots;
    uint32_t nr_slots;
    uint32_t max_size;
    uint32_t max_align_log2;
    uint32_t rng;
    uint32_t ops, allocs, failed, bad;
    uint32_t in_bank; /* blocks that landed in ac_bank (if set) */
} ac_actor;

/* Counted by ac_tick: ticks, and ticks that hit the main actor mid-call. */
extern volatile uint32_t ac_ticks, ac_ticks_in_call;
/* A region whose blocks the actors count in in_bank (NULL: none). */
extern fh_heap *ac_bank;

void ac_init(ac_actor *a, ac_slot *slots, uint32_t nr, uint32_t max_size,
             uint32_t max_align_log2, uint32_t seed);
/* One random operation; is_main marks the window ac_tick looks for (one
 * actor only: the main loop of hart 0). */
void ac_step(ac_actor *a, bool is_main);
/* The timer interrupt's body: one step of the actor given to ac_start. */
void ac_start(ac_actor *isr_actor);
void ac_tick(void);
/* Frees every block left, checking each. */
void ac_drain(ac_actor *a);
/* fh_check on every region of the default heap, under the lock. */
bool ac_check_all_regions(void);

#endif
