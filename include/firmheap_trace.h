/*
 * firmheap_trace.h — recording what the firmware asks of its heap, so that
 * it can be replayed, measured and sized off the target (tools/fh-trace).
 *
 * Built with FH_TRACE=1, the default-heap layer (every front end: malloc
 * family, Rust hooks, Rust GlobalAlloc) reports each operation it serves to
 * the trace encoder, which turns it into one binary record and hands the
 * bytes to a sink. Two sinks come with the library: a RAM ring buffer that
 * GDB or the firmware itself reads out, and a semihosting file writer for
 * QEMU and debug probes. Any function of type fh_trace_sink_fn is a sink.
 * Without FH_TRACE nothing here is compiled into the library.
 *
 * Configuration (compiler flags or FH_CONFIG_HEADER, for the library):
 *   FH_TRACE=1              compile the encoder, the sinks and the hooks in
 *   FH_TRACE_WORD_BYTES=4   4-byte fields on a 64-bit build (default: the
 *                           pointer's width). Only for a heap that lies
 *                           below 4 GiB: bigger values are saturated to
 *                           0xffffffff. The host recorders of traces/ use
 *                           it, which halves their traces.
 *
 * The stream (version 1; all multi-byte fields little-endian)
 * -----------------------------------------------------------
 * A 32-byte header (struct fh_trace_header), then records. A record is one
 * 32-bit head word followed by the fields its op carries, each field one
 * "word" of word_bytes bytes (4 on 32-bit targets, 8 on 64-bit ones unless
 * FH_TRACE_WORD_BYTES says 4):
 *
 *   head word   bits 0..7 op, bits 8..15 align code, bits 16..31 sequence
 *   ptr         the pointer the caller passed        (ops with FH_TRACE_F_PTR)
 *   size        the size the caller passed           (FH_TRACE_F_SIZE)
 *   result      pointer returned, or size for RESIZE (FH_TRACE_F_RESULT)
 *
 *   op            fields              bytes (word 4 / 8)
 *   ALLOC         size result         12 / 20
 *   ALLOC_ZEROED  size result         12 / 20
 *   FREE          ptr                  8 / 12
 *   FREE_SIZED    ptr size            12 / 20
 *   REALLOC       ptr size result     16 / 28
 *   RESIZE        ptr size result     16 / 28   result: usable size after
 *   REGION        ptr size result     16 / 28   fh_add_region; result 1/0
 *   MARK          size                 8 / 12   size: the firmware's tag
 *   END           size                 8 / 12   size: records before it
 *
 * The align code is 0 for align 0, k + 1 for align 2^k, and 0xff for an
 * align that is not a power of two (such requests fail; they are recorded
 * as they were made). The sequence is the record's number (0 for the first
 * record after the header) modulo 2^16: a reader that finds a gap knows
 * records were lost (a full ring) or the file is corrupt, and at which
 * record. A pointer result of 0 is a failed request. A stream that ends
 * without an END record was cut off (the firmware stopped or crashed
 * before fh_trace_stop); it is still valid up to its last whole record.
 *
 * Ordering: records are emitted inside the default heap's lock, so their
 * order is the order in which the heap saw the operations, interrupts
 * included. Start recording before the first allocation: a trace started
 * later frees blocks it never saw allocated, and a replay skips those.
 *
 * Not thread-safe beyond that lock; the sinks are called with it held.
 */
#ifndef FIRMHEAP_TRACE_H
#define FIRMHEAP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FH_TRACE_VERSION 1u
/* "fhtr" as the first four bytes of every trace. */
#define FH_TRACE_MAGIC0 0x66u
#define FH_TRACE_MAGIC1 0x68u
#define FH_TRACE_MAGIC2 0x74u
#define FH_TRACE_MAGIC3 0x72u

enum fh_trace_op {
    FH_TRACE_ALLOC = 1,
    FH_TRACE_ALLOC_ZEROED = 2,
    FH_TRACE_FREE = 3,
    FH_TRACE_FREE_SIZED = 4,
    FH_TRACE_REALLOC = 5,
    FH_TRACE_RESIZE = 6,
    FH_TRACE_REGION = 7,
    FH_TRACE_MARK = 8,
    FH_TRACE_END = 9
};
#define FH_TRACE_OP_LAST 9u

/* The fields a record carries after its head word, in this order. */
#define FH_TRACE_F_PTR 1u
#define FH_TRACE_F_SIZE 2u
#define FH_TRACE_F_RESULT 4u

/* Which fields op carries; 0 for an op that does not exist. */
static inline unsigned fh_trace_fields(unsigned op)
{
    switch (op) {
    case FH_TRACE_ALLOC:
    case FH_TRACE_ALLOC_ZEROED:
        return FH_TRACE_F_SIZE | FH_TRACE_F_RESULT;
    case FH_TRACE_FREE:
        return FH_TRACE_F_PTR;
    case FH_TRACE_FREE_SIZED:
        return FH_TRACE_F_PTR | FH_TRACE_F_SIZE;
    case FH_TRACE_REALLOC:
    case FH_TRACE_RESIZE:
    case FH_TRACE_REGION:
        return FH_TRACE_F_PTR | FH_TRACE_F_SIZE | FH_TRACE_F_RESULT;
    case FH_TRACE_MARK:
    case FH_TRACE_END:
        return FH_TRACE_F_SIZE;
    default:
        return 0;
    }
}

/* Number of fields op carries (0..3). */
static inline unsigned fh_trace_nr_fields(unsigned op)
{
    unsigned f = fh_trace_fields(op);
    return (f & 1u) + ((f >> 1) & 1u) + ((f >> 2) & 1u);
}

/* The align code of the head word (see above) and its inverse. */
#define FH_TRACE_ALIGN_BAD 0xffu
static inline unsigned fh_trace_align_code(size_t align)
{
    if (align == 0)
        return 0;
    if ((align & (align - 1u)) != 0)
        return FH_TRACE_ALIGN_BAD;
    unsigned k = 0;
    while ((align >>= 1) != 0)
        k++;
    return k + 1u;
}
/* An align code back to the align; a code that names no power of two that
 * fits 64 bits comes back as 3, which every entry point refuses. */
static inline uint64_t fh_trace_align_of(unsigned code)
{
    if (code == 0)
        return 0;
    return code <= 64u ? (uint64_t)1 << (code - 1u) : 3u;
}

/* The head word, and its parts. */
static inline uint32_t fh_trace_head(unsigned op, unsigned align_code, uint32_t seq)
{
    return (uint32_t)op | (uint32_t)align_code << 8 | (seq & 0xffffu) << 16;
}
#define FH_TRACE_HEAD_OP(w) ((unsigned)(w) & 0xffu)
#define FH_TRACE_HEAD_ALIGN(w) ((unsigned)((w) >> 8) & 0xffu)
#define FH_TRACE_HEAD_SEQ(w) ((uint32_t)(w) >> 16)

/* The stream header. Its layout is the same on every ABI: fields are
 * naturally aligned and nothing is implied. */
typedef struct fh_trace_header {
    uint8_t magic[4];        /* FH_TRACE_MAGIC0..3 */
    uint16_t version;        /* FH_TRACE_VERSION */
    uint8_t header_bytes;    /* sizeof(fh_trace_header); readers skip any more */
    uint8_t word_bytes;      /* 4 or 8: the width of every record field */
    uint64_t heap_base;      /* __heap_start of the recording firmware */
    uint64_t heap_size;      /* __heap_end - __heap_start */
    uint8_t backend;         /* FH_TRACE_BACKEND_* */
    uint8_t abi_align_log2;  /* log2 of the recorder's _Alignof(max_align_t) */
    uint16_t reserved0;      /* 0 */
    uint32_t reserved1;      /* 0 */
} fh_trace_header;
#define FH_TRACE_HEADER_BYTES 32u
#define FH_TRACE_BACKEND_BUDDY 0u
#define FH_TRACE_BACKEND_BUMP 1u

/* Largest record: head word plus three 8-byte fields. */
#define FH_TRACE_RECORD_MAX (4u + 3u * 8u)

/* ---- recording (compiled into the library with FH_TRACE=1) ------------ */

/*
 * A sink receives whole records (and first the header), never a part of
 * one: bytes is 4-byte aligned, n a multiple of 4, and valid only during
 * the call. Called with the default heap's
 * lock held, so it must not allocate from the default heap.
 */
typedef void (*fh_trace_sink_fn)(void *ctx, const void *bytes, size_t n);

/*
 * Sends the header, then a record per default-heap operation, to sink.
 * Replaces the previous sink (whose stream then has no END record); the
 * record numbers start again at 0. Takes fh_lock().
 */
void fh_trace_start(fh_trace_sink_fn sink, void *ctx);

/* Sends the END record and detaches the sink. Takes fh_lock(). */
void fh_trace_stop(void);

/* A MARK record with tag (a phase of the firmware, for plots). */
void fh_trace_mark(uint32_t tag);

/* ---- sink 1: RAM ring buffer --------------------------------------------
 * A byte FIFO of whole records. The producer is the encoder (with the
 * heap's lock held); the consumer is the firmware's fh_trace_ring_read
 * (from one context, lock not needed) or a debugger. When a record does not
 * fit, it is dropped and counted: the reader sees the gap in the sequence
 * numbers. `head` and `tail` count bytes ever written and read; the byte at
 * count c is buf[c & (size - 1)]. Until the first read the buffer holds the
 * stream from its start at buf[0..head): GDB can dump it as it is
 * (tools/trace/fh-trace.gdb).
 */
#define FH_TRACE_RING_MAGIC 0x676e6972u /* "ring" */
typedef struct fh_trace_ring {
    uint32_t magic;          /* FH_TRACE_RING_MAGIC once initialised */
    uint32_t size;           /* bytes of buf in use: a power of two */
    volatile uint32_t head;  /* bytes written (producer) */
    volatile uint32_t tail;  /* bytes read (consumer) */
    uint32_t dropped;        /* records that did not fit */
    uint8_t *buf;
} fh_trace_ring;

/* Uses the largest power of two <= size bytes of buf (false if below 64). */
bool fh_trace_ring_init(fh_trace_ring *r, void *buf, size_t size);
/* The sink: pass it with the ring as ctx to fh_trace_start. */
void fh_trace_ring_sink(void *ring, const void *bytes, size_t n);
/* Moves up to max bytes, oldest first, into dst; returns how many. */
size_t fh_trace_ring_read(fh_trace_ring *r, void *dst, size_t max);

/* ---- sink 2: semihosting file -------------------------------------------
 * Writes the stream to a file on the debug host (QEMU with
 * -semihosting-config enable=on, or a probe), through a buffer: a write
 * trap every FH_TRACE_SEMIHOST_BUF bytes and at close. The trap runs
 * inside the heap's lock (the core stops while the host writes), so this is
 * for test runs; use the ring where timing matters.
 *
 * call is your startup code's semihosting call: operation number, argument,
 * result (this repository's sh_trap, picolibc's sys_semihost).
 */
#define FH_TRACE_SEMIHOST_BUF 256u
typedef uintptr_t (*fh_semihost_call_fn)(uintptr_t op, uintptr_t arg);
typedef struct fh_trace_semihost {
    fh_semihost_call_fn call;
    intptr_t handle;         /* the host's file handle; -1 if not open */
    uint32_t fill;           /* bytes waiting in buf */
    uint32_t failed;         /* writes the host refused or cut short */
    uint8_t buf[FH_TRACE_SEMIHOST_BUF];
} fh_trace_semihost;

/* Creates (truncates) path on the host; false if the host refuses. */
bool fh_trace_semihost_open(fh_trace_semihost *s, fh_semihost_call_fn call, const char *path);
void fh_trace_semihost_sink(void *semihost, const void *bytes, size_t n);
/* Writes what is buffered and closes; false if any write or the close failed. */
bool fh_trace_semihost_close(fh_trace_semihost *s);

#ifdef __cplusplus
}
#endif

#endif /* FIRMHEAP_TRACE_H */
