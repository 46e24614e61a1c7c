/*
 * The trace replayer core: reads a firmheap trace (include/firmheap_trace.h)
 * and plays it against any allocator given as a set of callbacks. One
 * freestanding C file (no libc, no allocation of its own) shared by the
 * host tool (tools/fh-trace through tools/trace/fh_replay.c) and the
 * benchmark images on the boards, so a trace means the same thing
 * everywhere.
 *
 * Reading. fhr_open checks the header; fhr_next hands out one record at a
 * time and stops at the first thing that is wrong with the stream, naming
 * the record (its number and byte offset): a record cut short, an unknown
 * op or align code, a gap in the sequence numbers, bytes after END.
 *
 * Replaying. The trace names blocks by the addresses the recording heap
 * gave out; the replayer maps each live one to the block the replayed
 * allocator gave, in an open-addressing table the caller provides
 * (fhr_slot[], a power of two entries, at least twice the most blocks the
 * trace holds at once: fhr_replay with no allocator finds that number).
 * Each record is replayed as the program saw it:
 *
 *   recorded success, replay success  the block is mapped (or moved)
 *   recorded success, replay failure  a failure: the program needed that
 *                                     memory. The address stays mapped
 *                                     (to the old block, or to nothing)
 *                                     so later frees of it are no
 *                                     surprise. A resize in place that
 *                                     fails is retried as a moving
 *                                     realloc first (what the program
 *                                     would have done).
 *   recorded failure, replay success  a divergence: a new block is freed
 *                                     again (the program never had it); a
 *                                     resize that grew is shrunk back
 *   recorded failure, replay failure  nothing changes
 *
 * Frees of addresses the trace never handed out (blocks from before the
 * recording started, or the firmware's own bad frees) are counted and not
 * replayed. Live bytes count what the program asked for; the footprint is
 * the highest end (base offset + usable size) of any replayed block.
 *
 * Sizing. fhr_find_size bisects for the smallest heap on which a caller's
 * try function completes the trace, then tries every size above it up to
 * a margin, and moves its answer up past any size that fails again.
 *
 * Cost: O(1) expected per record (one table probe sequence), plus the
 * allocator's own. Not thread-safe; no state outside the structures given.
 */
#ifndef FH_TRACE_REPLAY_H
#define FH_TRACE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmheap_trace.h"

/* ---- reading ------------------------------------------------------------ */

typedef enum fhr_status {
    FHR_OK = 0,
    FHR_END,            /* no more records (not an error) */
    FHR_E_HEADER,       /* shorter than its header, or a header length < 32 */
    FHR_E_MAGIC,        /* not a firmheap trace */
    FHR_E_VERSION,      /* a version this reader does not know */
    FHR_E_WORD,         /* word size not 4 or 8 */
    FHR_E_TRUNCATED,    /* the stream ends inside a record */
    FHR_E_OP,           /* unknown op */
    FHR_E_ALIGN,        /* align code that names no alignment */
    FHR_E_SEQUENCE,     /* sequence number gap: records lost or corrupt */
    FHR_E_AFTER_END,    /* bytes after the END record */
    FHR_E_END_COUNT,    /* END says a different number of records */
    FHR_E_DUPLICATE,    /* the recording handed out a live address again */
    FHR_E_TABLE_FULL,   /* the caller's slot table is too small */
    FHR_NR_STATUS
} fhr_status;

/* A sentence for status (never NULL). */
const char *fhr_status_text(int status);

typedef struct fhr_header {
    uint16_t version;
    uint8_t word_bytes;
    uint8_t backend;         /* FH_TRACE_BACKEND_* */
    uint8_t abi_align_log2;
    uint64_t heap_base;
    uint64_t heap_size;
} fhr_header;

typedef struct fhr_record {
    uint32_t index;          /* 0 for the first record */
    uint32_t offset;         /* of its head word, from the start of the stream */
    unsigned op;             /* enum fh_trace_op */
    uint64_t ptr, size, align, result; /* fields the op does not carry are 0 */
} fhr_record;

typedef struct fhr_reader {
    const uint8_t *data;
    size_t len, pos;
    uint32_t index;          /* number of the next record */
    bool ended;              /* END seen */
    int status;              /* sticky error, FHR_OK until one */
    fhr_header hdr;
} fhr_reader;

/* FHR_OK, or why the stream cannot be read (r->pos = 0 then). */
int fhr_open(fhr_reader *r, const void *trace, size_t len);
/* FHR_OK and *rec filled, FHR_END, or an error about record r->index at
 * byte r->pos. After an error every call returns it again. */
int fhr_next(fhr_reader *r, fhr_record *rec);

/* ---- replaying ---------------------------------------------------------- */

/* The allocator under replay. resize and usable may be NULL (no in-place
 * resize; footprint from requested sizes). Sizes are what the program
 * passed; free gets the recorded size and align when sized is true. */
typedef struct fhr_alloc_ops {
    void *(*alloc)(void *ctx, size_t size, size_t align, bool zeroed);
    void (*free)(void *ctx, void *ptr, size_t size, size_t align, bool sized);
    void *(*realloc)(void *ctx, void *ptr, size_t size, size_t align);
    size_t (*resize)(void *ctx, void *ptr, size_t size, size_t align);
    size_t (*usable)(void *ctx, const void *ptr);
} fhr_alloc_ops;

typedef struct fhr_slot {
    uint64_t key;            /* recorded address; 0: empty */
    void *ptr;               /* the replayed block; NULL if the replay failed it */
    size_t size;             /* the size the program last asked for */
    bool exact;              /* the replayed block has that size and align */
} fhr_slot;

/* What happened to one record, for the observer. */
typedef struct fhr_event {
    const fhr_record *rec;
    uintptr_t result;        /* replayed pointer, or usable size for RESIZE */
    bool failed;             /* the program's request could not be met */
    bool diverged;           /* succeeded where the recording failed, or a resize moved */
    uint64_t live_bytes;     /* after this record, as the program asked */
} fhr_event;

#define FHR_STOP_AT_FAILURE 1u  /* return at the first failure */

typedef struct fhr_replay_cfg {
    const fhr_alloc_ops *ops; /* NULL: dry run, every record as recorded */
    void *ctx;               /* passed to every ops callback */
    fhr_slot *slots;         /* table of nslots entries; contents overwritten */
    size_t nslots;           /* a power of two */
    uintptr_t base;          /* replayed heap's base, for the footprint */
    unsigned flags;          /* FHR_STOP_AT_FAILURE */
    void (*observe)(void *octx, const fhr_event *ev); /* may be NULL */
    void *octx;
} fhr_replay_cfg;

typedef struct fhr_result {
    uint32_t records;        /* records read (replayed, or up to the failure) */
    uint32_t failures;
    uint32_t first_failure;  /* record number; UINT32_MAX if none */
    uint32_t divergences;
    uint32_t unknown_frees;  /* frees/reallocs of addresses never handed out */
    uint32_t regions;        /* REGION records (the replay uses one region) */
    uint32_t live_blocks, peak_live_blocks;
    uint64_t live_bytes, peak_live_bytes; /* as the program asked */
    uint32_t peak_live_record; /* record at which peak_live_bytes was reached */
    uint64_t peak_footprint; /* highest block end - base */
    uint32_t error_record;   /* for an error status: the record it is about */
    uint32_t error_offset;   /* and its byte offset */
} fhr_result;

/* Replays the whole trace (or up to the first failure). FHR_OK when the
 * stream was read to its end, else the error that stopped it; *out is
 * filled either way. */
int fhr_replay(const fhr_replay_cfg *cfg, const void *trace, size_t len, fhr_result *out);

/* ---- sizing ------------------------------------------------------------- */

/* Runs the whole trace on a fresh heap of heap_size bytes; true if it
 * completed without a failure. */
typedef bool (*fhr_try_fn)(void *ctx, size_t heap_size);

typedef struct fhr_size_result {
    size_t smallest;         /* smallest completing size bisection found */
    size_t stable;           /* smallest size s: every tried size in [s, s*margin] completes */
    size_t recommended;      /* stable * margin, rounded up to the step */
    size_t first_regression; /* first size above smallest that failed; 0 if none */
    uint32_t regressions;    /* sizes above smallest that failed */
    uint32_t tries;
} fhr_size_result;

/*
 * Sizes on the grid lo + i*step up to hi must be tried by try(ctx, size).
 * Requires try(hi) to complete (false otherwise, with tries counted); a
 * stable size is searched up to 4*hi. margin_pct is the margin in percent
 * (150 for 1.5x). Cost: about log2((hi-lo)/step) + (margin-1)*stable/step
 * tries.
 */
bool fhr_find_size(fhr_try_fn try_fn, void *ctx, size_t lo, size_t hi, size_t step,
                   unsigned margin_pct, fhr_size_result *out);

#endif
