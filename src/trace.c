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

/* Field width: the pointer's, or 4 on a 64-bit build whose heap and every
 * size it is asked for lie below 4 GiB (see firmheap_trace.h). */
#ifndef FH_TRACE_WORD_BYTES
#define FH_TRACE_WORD_BYTES __SIZEOF_POINTER__
#endif

_Static_assert(sizeof(fh_trace_header) == FH_TRACE_HEADER_BYTES, "trace header layout");
_Static_assert(sizeof(size_t) == sizeof(uintptr_t), "a record field holds a pointer or a size");
_Static_assert(FH_TRACE_WORD_BYTES == 4 || FH_TRACE_WORD_BYTES == 8,
               "FH_TRACE_WORD_BYTES: 4 or 8");
_Static_assert(FH_TRACE_WORD_BYTES <= sizeof(uintptr_t), "FH_TRACE_WORD_BYTES: at most a pointer");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the trace stream is little-endian");

#define WORD_U32S (FH_TRACE_WORD_BYTES / 4u)

extern char __heap_start[];
extern char __heap_end[];

static fh_trace_sink_fn sink;
static void *sink_ctx;
static uint32_t seq; /* records sent since fh_trace_start */

static unsigned put_word(uint32_t *rec, unsigned n, uintptr_t v)
{
#if FH_TRACE_WORD_BYTES == 8
    rec[n++] = (uint32_t)v;
    rec[n++] = (uint32_t)(v >> 32);
#else
#if UINTPTR_MAX > 0xffffffffu
    if (v > 0xffffffffu)
        v = 0xffffffffu; /* a size no 32-bit-field heap can give */
#endif
    rec[n++] = (uint32_t)v;
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
    /* Field by field: an initialiser would make GCC call memset, which a
     * freestanding library must not need. */
    fh_trace_header h;
    h.magic[0] = FH_TRACE_MAGIC0;
    h.magic[1] = FH_TRACE_MAGIC1;
    h.magic[2] = FH_TRACE_MAGIC2;
    h.magic[3] = FH_TRACE_MAGIC3;
    h.version = FH_TRACE_VERSION;
    h.header_bytes = FH_TRACE_HEADER_BYTES;
    h.word_bytes = FH_TRACE_WORD_BYTES;
    h.heap_base = (uintptr_t)__heap_start;
    h.heap_size = (uintptr_t)__heap_end - (uintptr_t)__heap_start;
#if defined(FH_BACKEND_BUMP) && FH_BACKEND_BUMP
    h.backend = FH_TRACE_BACKEND_BUMP;
#else
    h.backend = FH_TRACE_BACKEND_BUDDY;
#endif
    h.abi_align_log2 = (uint8_t)(fh_trace_align_code(_Alignof(max_align_t)) - 1u);
    h.reserved0 = 0;
    h.reserved1 = 0;
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
