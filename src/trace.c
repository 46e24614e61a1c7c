/*
 * The trace encoder: turns each default-heap operation into one record of
 * the stream that include/firmheap_trace.h defines, and hands it to the
 * sink the firmware attached. Built only with FH_TRACE=1.
 *
 * A record is assembled in a small array of 32-bit words on the stack (the
 * head word, then each field as one or two words, low half first), so the
 * sink always gets whole, 4-byte aligned records and the encoder needs no
 * byte shuffling: on the little-endian targets we support, the words in
 * memory are the stream's bytes. The sequence counter is what lets a
 * reader see lost records; it wraps at 2^16 in the stream, not here.
 */
#include "firmheap.h"
#include "firmheap_trace.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#include "trace.h"

#if FH_TRACE

_Static_assert(sizeof(fh_trace_header) == FH_TRACE_HEADER_BYTES, "trace header layout");
_Static_assert(sizeof(size_t) == sizeof(uintptr_t), "a record field holds a pointer or a size");
_Static_assert(sizeof(uintptr_t) == 4u || sizeof(uintptr_t) == 8u, "word is 4 or 8 bytes");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the trace stream is little-endian");

#define WORD_U32S (sizeof(uintptr_t) / sizeof(uint32_t))

extern char __heap_start[];
extern char __heap_end[];

static fh_trace_sink_fn sink;
static void *sink_ctx;
static uint32_t seq; /* records sent since fh_trace_start */

static unsigned put_word(uint32_t *rec, unsigned n, uintptr_t v)
{
    rec[n++] = (uint32_t)v;
#if UINTPTR_MAX > 0xffffffffu
    rec[n++] = (uint32_t)(v >> 32);
#endif
    return n;
}

void fh_trace_op(unsigned op, const void *ptr, size_t size, size_t align, uintptr_t result)
{
    if (sink == NULL)
        return;
    uint32_t rec[1u + 3u * WORD_U32S];
    unsigned f = fh_trace_fields(op), n = 0;
    rec[n++] = fh_trace_head(op, fh_trace_align_code(align), seq++);
    if (f & FH_TRACE_F_PTR)
        n = put_word(rec, n, (uintptr_t)ptr);
    if (f & FH_TRACE_F_SIZE)
        n = put_word(rec, n, size);
    if (f & FH_TRACE_F_RESULT)
        n = put_word(rec, n, result);
    sink(sink_ctx, rec, n * sizeof(uint32_t));
}

void fh_trace_start(fh_trace_sink_fn fn, void *ctx)
{
    fh_trace_header h = {
        .magic = {FH_TRACE_MAGIC0, FH_TRACE_MAGIC1, FH_TRACE_MAGIC2, FH_TRACE_MAGIC3},
        .version = FH_TRACE_VERSION,
        .header_bytes = FH_TRACE_HEADER_BYTES,
        .word_bytes = sizeof(uintptr_t),
        .heap_base = (uintptr_t)__heap_start,
        .heap_size = (uintptr_t)__heap_end - (uintptr_t)__heap_start,
#if defined(FH_BACKEND_BUMP) && FH_BACKEND_BUMP
        .backend = FH_TRACE_BACKEND_BUMP,
#else
        .backend = FH_TRACE_BACKEND_BUDDY,
#endif
        .abi_align_log2 = (uint8_t)(fh_trace_align_code(_Alignof(max_align_t)) - 1u),
    };
    fh_lock();
    sink = fn;
    sink_ctx = ctx;
    seq = 0;
    if (fn)
        fn(ctx, &h, sizeof h);
    fh_unlock();
}

void fh_trace_stop(void)
{
    fh_lock();
    fh_trace_op(FH_TRACE_END, NULL, seq, 0, 0);
    sink = NULL;
    fh_unlock();
}

void fh_trace_mark(uint32_t tag)
{
    fh_lock();
    fh_trace_op(FH_TRACE_MARK, NULL, tag, 0, 0);
    fh_unlock();
}

#endif /* FH_TRACE */
