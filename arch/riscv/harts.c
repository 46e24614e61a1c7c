/*
 * The mailboxes of the parked harts (harts.h). One per hart id, four words
 * each, the stack pointer first: start.S's park loop reads it with one load
 * and no stack of its own.
 *
 *   hart 0                                 hart N (parked in wfi, MSIE on)
 *   box[N] = {sp, fn, arg, STARTING}
 *   fence; msip[N] = 1  ------------------> wakes, msip[N] = 0, sp = box[N].sp
 *   waits for RUNNING  <------------------  fw_hart_entry(N): RUNNING, fn(arg)
 *                                           DONE, back to the park loop
 */
#include "harts.h"
#include "fw.h"

#ifndef FW_CLINT_BASE
#error "FW_CLINT_BASE must come from boards/<board>/board.mk"
#endif

/* The CLINT's machine software interrupt pending word of each hart. */
#define CLINT_MSIP(hart) ((volatile uint32_t *)(FW_CLINT_BASE + 4u * (uintptr_t)(hart)))

/* How long fw_hart_start waits for a hart that may not exist. */
#define FW_HART_START_SPINS 10000000u

enum { HART_PARKED = 0, HART_STARTING, HART_RUNNING, HART_DONE };

typedef struct {
    void *volatile sp; /* first: start.S loads it at offset 0 */
    void (*volatile fn)(void *);
    void *volatile arg;
    volatile uintptr_t state;
} fw_hart_box;

_Static_assert(sizeof(fw_hart_box) == 4u * sizeof(void *), "start.S indexes boxes by 4 words");

fw_hart_box fw_hart_boxes[FW_HARTS_MAX];
/* For start.S, which cannot take the board's "0x...u" constant itself. */
const uintptr_t fw_clint_msip = FW_CLINT_BASE;

void fw_hart_entry(uintptr_t hart);

bool fw_hart_start(unsigned hart, void (*fn)(void *), void *arg, void *stack_top)
{
    if (hart == 0 || hart >= (unsigned)FW_HARTS_MAX)
        return false;
    fw_hart_box *box = &fw_hart_boxes[hart];
    if (box->state == HART_STARTING || box->state == HART_RUNNING)
        return false;
    box->fn = fn;
    box->arg = arg;
    box->state = HART_STARTING;
    box->sp = stack_top;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the box before the wake-up */
    *CLINT_MSIP(hart) = 1u;
    for (uint32_t spin = 0; spin < FW_HART_START_SPINS; spin++)
        if (box->state != HART_STARTING)
            return true;
    return false;
}

bool fw_hart_done(unsigned hart)
{
    return hart < (unsigned)FW_HARTS_MAX && fw_hart_boxes[hart].state == HART_DONE;
}

/* Called from start.S on the woken hart, on the stack from its box. */
void fw_hart_entry(uintptr_t hart)
{
    fw_hart_box *box = &fw_hart_boxes[hart];
    box->state = HART_RUNNING;
    box->fn(box->arg);
    box->sp = 0; /* until the next start */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    box->state = HART_DONE;
}
