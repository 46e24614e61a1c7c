/*
 * Tests of recording and replaying (issue 11): the encoder behind the
 * default heap (src/trace.c), both sinks, the reader and replayer core
 * (tools/trace/replay.c) and the size search. They run in the host runner
 * and, except the ones that need the fake semihosting host, in the board
 * images that `make trace-test` boots.
 *
 * The central check, trace_replay_reproduces_offsets: a random workload on
 * the default heap is recorded; replaying the recording on a fresh heap over
 * the same region must give every block at the same offset, and every
 * resize the same size. On a board the same recording also goes to a file
 * on the host through semihosting, which the host tool then replays
 * (tools/trace/qemu-record-test): the target and the host must agree too.
 */
#include "firmheap.h"
#include "firmheap_rust.h"
#include "firmheap_trace.h"
#include "harness.h"
#include "replay.h"
#include "trace.h"
#include "trace_glue.h"

extern char __heap_start[], __heap_end[];

/* ---- helpers -------------------------------------------------------------- */

/* A sink into a flat buffer: the reference a ring or file must equal. */
#define FLAT_MAX (160u * 1024u)
typedef struct flat {
    size_t len;
    bool overflow;
    _Alignas(8) unsigned char buf[FLAT_MAX];
} flat;

static void flat_sink(void *ctx, const void *bytes, size_t n)
{
    flat *f = ctx;
    const unsigned char *b = bytes;
    if (f->len + n > FLAT_MAX) {
        f->overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        f->buf[f->len + i] = b[i];
    f->len += n;
}

/* Sends every record to a flat buffer and to a second sink. */
typedef struct tee {
    flat *f;
    fh_trace_sink_fn second;
    void *second_ctx;
} tee;

static void tee_sink(void *ctx, const void *bytes, size_t n)
{
    tee *t = ctx;
    flat_sink(t->f, bytes, n);
    t->second(t->second_ctx, bytes, n);
}

static flat rec_a, rec_b;
static _Alignas(8) unsigned char ring_mem[64u * 1024u];

static size_t region_size(void)
{
    return (size_t)(__heap_end - __heap_start);
}

/* The default heap back to its first state: every test that records starts
 * (and every replay runs) from the same fresh heap, so layouts compare. */
static fh_heap *fresh_default_region(void)
{
    fh_heap *h = fh_init(__heap_start, region_size());
    CHECK(h != NULL && h == fh_default());
    return h;
}

static int replay_flat(const flat *f, const fhr_alloc_ops *ops, void *ctx, uintptr_t base,
                       void (*observe)(void *, const fhr_event *), void *octx, fhr_result *res)
{
    static fhr_slot slots[1024];
    fhr_replay_cfg cfg = {ops, ctx, slots, 1024, base, 0, observe, octx};
    return fhr_replay(&cfg, f->buf, f->len, res);
}

/* The instance API as a replay target. */
static void *i_alloc(void *ctx, size_t size, size_t align, bool zeroed)
{
    return zeroed ? fh_alloc_zeroed(ctx, size, align) : fh_alloc(ctx, size, align);
}
static void i_free(void *ctx, void *ptr, size_t size, size_t align, bool sized)
{
    if (sized)
        fh_free_sized(ctx, ptr, size, align);
    else
        fh_free(ctx, ptr);
}
static void *i_realloc(void *ctx, void *ptr, size_t size, size_t align)
{
    return fh_realloc(ctx, ptr, size, align);
}
static size_t i_resize(void *ctx, void *ptr, size_t size, size_t align)
{
    return fh_resize_in_place(ctx, ptr, size, align);
}
static size_t i_usable(void *ctx, const void *ptr)
{
    return fh_usable_size(ctx, ptr);
}
static const fhr_alloc_ops instance_ops = {i_alloc, i_free, i_realloc, i_resize, i_usable};

/* ---- the workload --------------------------------------------------------- */

#define WL_SLOTS 48u

/* Every default-heap entry point, sizes 1 B..3 KiB with occasional
 * requests too big to succeed, alignment 0..512, all blocks freed at the
 * end. Returns the number of operations made. */
static unsigned run_workload(unsigned steps, uint32_t seed)
{
    void *p[WL_SLOTS] = {0};
    size_t sz[WL_SLOTS] = {0}, al[WL_SLOTS] = {0};
    unsigned ops = 0;
    for (unsigned s = 0; s < steps; s++) {
        unsigned i = xs_range(&seed, 0, WL_SLOTS - 1u);
        uint32_t r = xs_range(&seed, 0, 99);
        size_t size = xs_range(&seed, 0, 7) == 0 ? xs_range(&seed, 1, 3072) : xs_range(&seed, 1, 160);
        size_t align = (size_t)1 << xs_range(&seed, 0, 9);
        if (xs_range(&seed, 0, 9) == 0)
            align = 0;
        if (r == 0)
            size = region_size() + 1u; /* fails, and is recorded failing */
        ops++;
        if (p[i] == NULL) {
            p[i] = r < 50 ? fh_default_alloc(size, align)
                 : r < 80 ? fh_default_alloc_zeroed(size, align)
                          : fh_default_realloc(NULL, size, align);
            sz[i] = size;
            al[i] = align;
        } else if (r < 30) {
            fh_default_free(p[i]);
            p[i] = NULL;
        } else if (r < 45) {
            /* Any size between the request and the usable size is valid. */
            size_t u = fh_default_usable_size(p[i]);
            fh_default_free_sized(p[i], sz[i] + (u - sz[i]) / 2u, al[i]);
            p[i] = NULL;
        } else if (r < 75) {
            void *q = fh_default_realloc(p[i], size, al[i]);
            if (q)
                p[i] = q, sz[i] = size;
        } else if (r < 90) {
            /* Success answers the new layout's usable size; a refusal the
             * old one, which may be larger (a slab object keeps its class). */
            if (fh_default_resize_in_place(p[i], size, al[i]) == fh_default_usable_size_for(size, al[i]))
                sz[i] = size;
        } else if (r < 95) {
            fh_default_realloc(p[i], 0, al[i]); /* frees */
            p[i] = NULL;
        } else {
            fh_default_free((char *)p[i] + 1); /* a bad free: rejected, recorded */
        }
    }
    for (unsigned i = 0; i < WL_SLOTS; i++)
        if (p[i])
            fh_default_free(p[i]), ops++;
    return ops;
}

/* ---- recording ------------------------------------------------------------ */

void test_trace_records_every_default_heap_op(void);
void test_trace_records_every_default_heap_op(void)
{
    fresh_default_region();
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    void *a = fh_default_alloc(100, 64);
    void *z = fh_default_alloc_zeroed(40, 0);
    void *bad = fh_default_alloc(8, 3);
    void *r = fh_default_realloc(a, 300, 64);
    size_t n = fh_default_resize_in_place(r, 20, 64);
    fh_default_free_sized(z, 40, 16);
    fh_trace_mark(0xbeef);
    fh_default_free(r);
    fh_default_free(NULL);
    fh_trace_stop();
    fh_default_free(fh_default_alloc(1, 1)); /* after stop: not recorded */
    CHECK(bad == NULL);

    fhr_reader rd;
    CHECK_EQ(fhr_open(&rd, rec_a.buf, rec_a.len), FHR_OK);
    CHECK_EQ(rd.hdr.word_bytes, __SIZEOF_POINTER__); /* this runner keeps the default */
    CHECK_EQ(rd.hdr.heap_base, (uintptr_t)__heap_start);
    CHECK_EQ(rd.hdr.heap_size, region_size());
    CHECK_EQ(rd.hdr.backend, FH_TRACE_BACKEND_BUDDY);
    CHECK_EQ((size_t)1 << rd.hdr.abi_align_log2, _Alignof(max_align_t));
    static const struct {
        unsigned op;
        uint64_t size, align;
    } want[] = {
        {FH_TRACE_ALLOC, 100, 64}, {FH_TRACE_ALLOC_ZEROED, 40, 0}, {FH_TRACE_ALLOC, 8, 3},
        {FH_TRACE_REALLOC, 300, 64}, {FH_TRACE_RESIZE, 20, 64}, {FH_TRACE_FREE_SIZED, 40, 16},
        {FH_TRACE_MARK, 0xbeef, 0}, {FH_TRACE_FREE, 0, 0}, {FH_TRACE_FREE, 0, 0},
        {FH_TRACE_END, 9, 0},
    };
    const uint64_t ptr[] = {0, 0, 0, (uintptr_t)a, (uintptr_t)r, (uintptr_t)z, 0, (uintptr_t)r, 0, 0};
    const uint64_t res[] = {(uintptr_t)a, (uintptr_t)z, 0, (uintptr_t)r, n, 0, 0, 0, 0, 0};
    fhr_record rec;
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ(fhr_next(&rd, &rec), FHR_OK);
        CHECK_EQ(rec.index, i);
        CHECK_EQ(rec.op, want[i].op);
        CHECK_EQ(rec.size, want[i].size);
        CHECK_EQ(rec.align, want[i].align);
        CHECK_EQ(rec.ptr, ptr[i]);
        CHECK_EQ(rec.result, res[i]);
    }
    CHECK_EQ(fhr_next(&rd, &rec), FHR_END);
}

/* Compares each replayed result with the recorded one, as offsets. */
typedef struct compare {
    uintptr_t rec_base, base;
    unsigned checked, mismatched;
} compare;

static void compare_event(void *ctx, const fhr_event *ev)
{
    compare *c = ctx;
    const fhr_record *r = ev->rec;
    uint64_t want = r->result, got = ev->result;
    if (r->op == FH_TRACE_ALLOC || r->op == FH_TRACE_ALLOC_ZEROED || r->op == FH_TRACE_REALLOC) {
        want = want ? want - c->rec_base : UINT64_MAX;
        got = got ? got - c->base : UINT64_MAX;
    } else if (r->op != FH_TRACE_RESIZE) {
        return;
    }
    c->checked++;
    if (want != got && c->mismatched++ == 0) {
        th_print("  first mismatch at record ");
        th_print_u(r->index);
        th_print("\n");
    }
}

void test_trace_replay_reproduces_offsets(void);
void test_trace_replay_reproduces_offsets(void)
{
    /* Record to a flat buffer and, through the semihosting sink, to a file:
     * on a board, the file tools/trace/qemu-record-test replays on the host. */
    static fh_trace_semihost sh;
    bool opened = fh_trace_semihost_open(&sh, tt_semihost_call(), tt_trace_path());
    CHECK(opened);
    tee t = {&rec_a, fh_trace_semihost_sink, &sh};
    fresh_default_region();
    rec_a.len = 0;
    fh_trace_start(tee_sink, &t);
    unsigned ops = run_workload(tt_workload_steps(), 0x1234567u);
    fh_trace_stop();
    CHECK(fh_trace_semihost_close(&sh));
    CHECK(!rec_a.overflow);

    fhr_result res;
    compare c = {(uintptr_t)__heap_start, (uintptr_t)__heap_start, 0, 0};
    fh_heap *h = fresh_default_region();
    CHECK_EQ(replay_flat(&rec_a, &instance_ops, h, (uintptr_t)__heap_start, compare_event, &c, &res),
             FHR_OK);
    CHECK_EQ(res.records, ops + 1u); /* and END */
    CHECK(c.checked > ops / 2u);
    CHECK_EQ(c.mismatched, 0);
    CHECK_EQ(res.failures, 0);
    CHECK_EQ(res.divergences, 0);
    CHECK(res.unknown_frees > 0); /* the workload's deliberate bad frees */
    CHECK_EQ(res.live_bytes, 0);
    fh_stats st;
    fh_get_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK(fh_check(h));
    fresh_default_region();
#ifdef TH_HOST
    /* The semihosting sink wrote exactly the stream. */
    CHECK_EQ(tt_fake_len, rec_a.len);
    for (size_t i = 0; i < rec_a.len && i < tt_fake_len; i++)
        if (tt_fake_file[i] != rec_a.buf[i]) {
            CHECK(tt_fake_file[i] == rec_a.buf[i]);
            break;
        }
#endif
}

/* ---- sinks ---------------------------------------------------------------- */

void test_trace_ring_drops_whole_records_and_wraps(void);
void test_trace_ring_drops_whole_records_and_wraps(void)
{
    static fh_trace_ring ring;
    CHECK(!fh_trace_ring_init(&ring, ring_mem, 63));
    CHECK(!fh_trace_ring_init(&ring, ring_mem + 1, 256));
    CHECK(fh_trace_ring_init(&ring, ring_mem, 100)); /* uses 64 bytes */
    CHECK_EQ(ring.size, 64);
    CHECK_EQ(ring.magic, FH_TRACE_RING_MAGIC);

    tee t = {&rec_a, fh_trace_ring_sink, &ring};
    rec_a.len = 0;
    fresh_default_region();
    fh_trace_start(tee_sink, &t);
    /* 32 header bytes; 8- and 12-byte (or 12/20) records until one drops. */
    void *blocks[8];
    for (unsigned i = 0; i < 8; i++)
        blocks[i] = fh_default_alloc(16, 16);
    CHECK(ring.dropped > 0);
    CHECK(ring.head <= 64 && ring.head % 4u == 0);
    uint32_t kept = ring.head;

    /* Read the header and a part: room again, and writes wrap around. */
    static unsigned char out[4096];
    size_t got = fh_trace_ring_read(&ring, out, 40);
    CHECK_EQ(got, 40);
    for (unsigned i = 0; i < 8; i++)
        fh_default_free(blocks[i]);
    CHECK(ring.head > 64);
    size_t total = got;
    while ((got = fh_trace_ring_read(&ring, out + total, 7)) > 0)
        total += got;
    fh_trace_stop();
    total += fh_trace_ring_read(&ring, out + total, sizeof out - total);
    CHECK_EQ(total, ring.head);

    /* What the ring kept is the stream's start, byte for byte; then the
     * reader finds the gap at the first dropped record. */
    for (uint32_t i = 0; i < kept; i++)
        if (out[i] != rec_a.buf[i]) {
            CHECK(out[i] == rec_a.buf[i]);
            break;
        }
    fhr_reader rd;
    fhr_record rec;
    CHECK_EQ(fhr_open(&rd, out, total), FHR_OK);
    int s;
    while ((s = fhr_next(&rd, &rec)) == FHR_OK) {
    }
    CHECK_EQ(s, FHR_E_SEQUENCE);
    CHECK(rd.index > 0 && rd.index < 8);
    CHECK_EQ(rd.pos, kept);
    fresh_default_region();
}

void test_trace_semihost_sink_buffers_and_reports(void);
void test_trace_semihost_sink_buffers_and_reports(void)
{
#ifdef TH_HOST
    static fh_trace_semihost sh;
    rec_a.len = 0;
    CHECK(fh_trace_semihost_open(&sh, tt_fake_semihost, "x.fht"));
    tee t = {&rec_a, fh_trace_semihost_sink, &sh};
    fresh_default_region();
    fh_trace_start(tee_sink, &t);
    for (unsigned i = 0; i < 100; i++)
        fh_default_free(fh_default_alloc(i + 1u, 8));
    fh_trace_stop();
    /* Buffered: one write per buffer-full, never a partial record. */
    CHECK(tt_fake_writes <= rec_a.len / (FH_TRACE_SEMIHOST_BUF - FH_TRACE_RECORD_MAX));
    CHECK(tt_fake_writes > 0);
    CHECK(fh_trace_semihost_close(&sh));
    CHECK(tt_fake_largest_write <= FH_TRACE_SEMIHOST_BUF);
    CHECK_EQ(tt_fake_len, rec_a.len);
    CHECK(!fh_trace_semihost_close(&sh)); /* closed already */

    /* A host that refuses: open fails; a refused write fails the close. */
    tt_fake_refuse_open = true;
    CHECK(!fh_trace_semihost_open(&sh, tt_fake_semihost, "x.fht"));
    tt_fake_refuse_open = false;
    CHECK(fh_trace_semihost_open(&sh, tt_fake_semihost, "x.fht"));
    tt_fake_refuse_write = true;
    fh_trace_start(fh_trace_semihost_sink, &sh);
    fh_trace_stop();
    CHECK(!fh_trace_semihost_close(&sh));
    tt_fake_refuse_write = false;
    fresh_default_region();
#endif
}

/* ---- reading ---------------------------------------------------------------- */

/* A stream of known records, written by the encoder itself. */
static void make_stream(flat *f, unsigned records)
{
    f->len = 0;
    fh_trace_start(flat_sink, f);
    for (unsigned i = 0; i < records; i++)
        fh_trace_op(i % 2u ? FH_TRACE_FREE : FH_TRACE_ALLOC, (void *)(uintptr_t)(0x1000u * (i / 2u + 1u)),
                    32, 16, 0x1000u * (i / 2u + 1u));
    fh_trace_stop();
}

static int read_all(const flat *f, uint32_t *index, size_t *pos)
{
    fhr_reader rd;
    fhr_record rec;
    int s = fhr_open(&rd, f->buf, f->len);
    while (s == FHR_OK)
        s = fhr_next(&rd, &rec);
    *index = rd.index;
    *pos = rd.pos;
    return s;
}

void test_trace_reader_names_the_bad_record(void);
void test_trace_reader_names_the_bad_record(void)
{
    make_stream(&rec_a, 10);
    uint32_t idx;
    size_t pos;
    CHECK_EQ(read_all(&rec_a, &idx, &pos), FHR_END);
    CHECK_EQ(idx, 11);
    const size_t w = sizeof(void *), rec_alloc = 4u + 2u * w, rec_free = 4u + w;
    const size_t at3 = 32u + 2u * (rec_alloc + rec_free) - rec_free; /* record 3: a free */

    /* Every cut: either a clean end between records, or record k cut short. */
    size_t full = rec_a.len;
    for (size_t cut = 0; cut < full; cut++) {
        rec_b = rec_a;
        rec_b.len = cut;
        int s = read_all(&rec_b, &idx, &pos);
        if (cut < 32u)
            CHECK_EQ(s, FHR_E_HEADER);
        else
            CHECK(s == FHR_END || (s == FHR_E_TRUNCATED && pos < cut));
    }
    rec_b = rec_a;
    rec_b.len = at3 + 3u;
    CHECK_EQ(read_all(&rec_b, &idx, &pos), FHR_E_TRUNCATED);
    CHECK_EQ(idx, 3);
    CHECK_EQ(pos, at3);

    static const struct {
        size_t offset;
        unsigned char value;
        int status;
        uint32_t index;
    } bad[] = {
        {0, 'F', FHR_E_MAGIC, 0},
        {4, 2, FHR_E_VERSION, 0},
        {6, 16, FHR_E_HEADER, 0},
        {7, 5, FHR_E_WORD, 0},
        {0, 0, FHR_E_OP, 3},        /* offset at3: op byte */
        {1, 77, FHR_E_ALIGN, 3},    /* at3 + 1: align code */
        {2, 9, FHR_E_SEQUENCE, 3},  /* at3 + 2: sequence */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rec_b = rec_a;
        size_t off = bad[i].index ? at3 + bad[i].offset : bad[i].offset;
        rec_b.buf[off] = bad[i].value;
        CHECK_EQ(read_all(&rec_b, &idx, &pos), bad[i].status);
        CHECK_EQ(idx, bad[i].index);
    }
    /* END with the wrong count, and bytes after END. */
    rec_b = rec_a;
    rec_b.buf[rec_b.len - w] ^= 1u;
    CHECK_EQ(read_all(&rec_b, &idx, &pos), FHR_E_END_COUNT);
    CHECK_EQ(idx, 10);
    rec_b = rec_a;
    rec_b.len += 4;
    CHECK_EQ(read_all(&rec_b, &idx, &pos), FHR_E_AFTER_END);
    CHECK_EQ(idx, 11);

    /* The replayer stops at the same place and says where. */
    rec_b = rec_a;
    rec_b.buf[at3] = 0x3f;
    fhr_result res;
    CHECK_EQ(replay_flat(&rec_b, NULL, NULL, 0, NULL, NULL, &res), FHR_E_OP);
    CHECK_EQ(res.error_record, 3);
    CHECK_EQ(res.error_offset, at3);
    CHECK_EQ(res.records, 3);
    for (int s = 0; s <= FHR_NR_STATUS; s++)
        CHECK(fhr_status_text(s)[0] != '\0');
}

/* ---- replay semantics ------------------------------------------------------- */

/* A replay target that fails whatever it is told to. */
typedef struct scripted {
    fh_heap *h;
    bool fail_alloc, fail_realloc, fail_resize;
} scripted;

static void *s_alloc(void *ctx, size_t size, size_t align, bool zeroed)
{
    scripted *s = ctx;
    return s->fail_alloc ? NULL : i_alloc(s->h, size, align, zeroed);
}
static void s_free(void *ctx, void *ptr, size_t size, size_t align, bool sized)
{
    i_free(((scripted *)ctx)->h, ptr, size, align, sized);
}
static void *s_realloc(void *ctx, void *ptr, size_t size, size_t align)
{
    scripted *s = ctx;
    return s->fail_realloc && size ? NULL : fh_realloc(s->h, ptr, size, align);
}
static size_t s_resize(void *ctx, void *ptr, size_t size, size_t align)
{
    scripted *s = ctx;
    return s->fail_resize ? fh_usable_size(s->h, ptr) : fh_resize_in_place(s->h, ptr, size, align);
}
static const fhr_alloc_ops scripted_ops = {s_alloc, s_free, s_realloc, s_resize, NULL};

/* After record i, set up the failures of record i + 1: allocations fail
 * from record 1 on, reallocs from 3, resizes from 5 (see the trace below). */
static void note_failures(void *ctx, const fhr_event *ev)
{
    scripted *s = ctx;
    uint32_t next = ev->rec->index + 1u;
    s->fail_alloc = next >= 1u;
    s->fail_realloc = next >= 3u;
    s->fail_resize = next >= 5u;
}

void test_trace_replay_failures_and_divergences(void);
void test_trace_replay_failures_and_divergences(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    fh_heap *h = fh_init(arena, 64u * 1024u);
    CHECK(h != NULL);
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    /* The recording's results are made up: the replay maps them. */
    fh_trace_op(FH_TRACE_ALLOC, NULL, 100, 16, 0x1000);        /* 0 ok */
    fh_trace_op(FH_TRACE_ALLOC, NULL, 100, 16, 0x2000);        /* 1 replay fails */
    fh_trace_op(FH_TRACE_ALLOC, NULL, 50, 16, 0);              /* 2 both fail */
    fh_trace_op(FH_TRACE_REALLOC, (void *)0x1000, 900, 16, 0x3000); /* 3 replay fails */
    fh_trace_op(FH_TRACE_FREE, (void *)0x5000, 0, 0, 0);       /* 4 unknown */
    fh_trace_op(FH_TRACE_RESIZE, (void *)0x3000, 2000, 16, 2000); /* 5 no room: moves, fails */
    fh_trace_op(FH_TRACE_FREE_SIZED, (void *)0x3000, 2000, 16, 0); /* 6 */
    fh_trace_op(FH_TRACE_FREE, (void *)0x2000, 0, 0, 0);       /* 7 never replayed: skipped */
    fh_trace_stop();

    scripted s = {h, false, false, false};
    fhr_result res;
    CHECK_EQ(replay_flat(&rec_a, &scripted_ops, &s, (uintptr_t)arena, note_failures, &s, &res),
             FHR_OK);
    CHECK_EQ(res.records, 9);
    CHECK_EQ(res.failures, 3);
    CHECK_EQ(res.first_failure, 1);
    CHECK_EQ(res.unknown_frees, 1);
    CHECK_EQ(res.divergences, 0);
    CHECK_EQ(res.peak_live_bytes, 2100);
    CHECK_EQ(res.live_bytes, 0);
    fh_stats st;
    fh_get_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(st.rejected_frees, 0);

    /* Stop at the first failure. */
    h = fh_init(arena, 64u * 1024u);
    s = (scripted){h, false, false, false};
    static fhr_slot slots[64];
    fhr_replay_cfg cfg = {&scripted_ops, &s, slots, 64, (uintptr_t)arena, FHR_STOP_AT_FAILURE,
                          note_failures, &s};
    CHECK_EQ(fhr_replay(&cfg, rec_a.buf, rec_a.len, &res), FHR_OK);
    CHECK_EQ(res.records, 2);
    CHECK_EQ(res.failures, 1);

    /* Divergences: recorded failures that succeed are undone. */
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    fh_trace_op(FH_TRACE_ALLOC, NULL, 100, 16, 0);             /* 0 succeeds: freed again */
    fh_trace_op(FH_TRACE_ALLOC, NULL, 1000, 16, 0x1000);       /* 1 four pages */
    fh_trace_op(FH_TRACE_REALLOC, (void *)0x1000, 5000, 16, 0); /* 2 grows: put back */
    fh_trace_op(FH_TRACE_RESIZE, (void *)0x1000, 2000, 16, 1024); /* 3 grows: shrunk back */
    fh_trace_op(FH_TRACE_FREE_SIZED, (void *)0x1000, 1000, 16, 0); /* 4 the old size is right */
    fh_trace_stop();
    h = fh_init(arena, 64u * 1024u);
    CHECK_EQ(replay_flat(&rec_a, &instance_ops, h, (uintptr_t)arena, NULL, NULL, &res), FHR_OK);
    CHECK_EQ(res.failures, 0);
    CHECK_EQ(res.divergences, 3);
    fh_get_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(st.rejected_frees, 0);
    CHECK(fh_check(h));

    /* The table: an address handed out twice, and too small a table. */
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    fh_trace_op(FH_TRACE_ALLOC, NULL, 16, 16, 0x1000);
    fh_trace_op(FH_TRACE_ALLOC, NULL, 16, 16, 0x1000);
    fh_trace_stop();
    CHECK_EQ(replay_flat(&rec_a, NULL, NULL, 0, NULL, NULL, &res), FHR_E_DUPLICATE);
    CHECK_EQ(res.error_record, 1);
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    for (unsigned i = 1; i <= 49; i++)
        fh_trace_op(FH_TRACE_ALLOC, NULL, 16, 16, 0x1000u * i);
    fh_trace_stop();
    cfg = (fhr_replay_cfg){NULL, NULL, slots, 64, 0, 0, NULL, NULL};
    CHECK_EQ(fhr_replay(&cfg, rec_a.buf, rec_a.len, &res), FHR_E_TABLE_FULL);
    CHECK_EQ(res.error_record, 48);
    cfg.nslots = 32;
    CHECK_EQ(fhr_replay(&cfg, rec_a.buf, rec_a.len, &res), FHR_E_TABLE_FULL);
    CHECK_EQ(res.error_record, 24);
}

/* ---- sizing ------------------------------------------------------------- */

/* Completes from 1000 bytes up, except 1200..1210. */
static bool fake_try(void *ctx, size_t size)
{
    unsigned *calls = ctx;
    ++*calls;
    return size >= 1000u && !(size >= 1200u && size <= 1210u);
}

void test_trace_find_size_bisects_and_scans_the_margin(void);
void test_trace_find_size_bisects_and_scans_the_margin(void)
{
    unsigned calls = 0;
    fhr_size_result r;
    CHECK(fhr_find_size(fake_try, &calls, 16, 4000, 8, 150, &r));
    CHECK_EQ(r.smallest, 1000);
    CHECK_EQ(r.first_regression, 1200);
    CHECK_EQ(r.regressions, 2); /* 1200 and 1208 on the grid 16 + 8i */
    CHECK_EQ(r.stable, 1216);
    CHECK_EQ(r.recommended, 1824); /* 1216 * 1.5 */
    CHECK_EQ(r.tries, calls);
    CHECK(calls < 20u + (1824u - 1000u) / 8u);

    CHECK(fhr_find_size(fake_try, &calls, 1000, 1100, 8, 110, &r));
    CHECK_EQ(r.smallest, 1000);
    CHECK_EQ(r.regressions, 0);
    CHECK_EQ(r.stable, 1000);
    CHECK_EQ(r.recommended, 1104);
    CHECK(!fhr_find_size(fake_try, &calls, 16, 900, 8, 150, &r)); /* nothing up to hi */
}

/* The trace the linear scan sizes: the workload, recorded. */
static bool buddy_try(void *ctx, size_t size)
{
    unsigned char *arena = ctx;
    fh_heap *h = fh_init(arena, size);
    if (h == NULL)
        return false;
    static fhr_slot slots[1024];
    fhr_replay_cfg cfg = {&instance_ops, h, slots, 1024, (uintptr_t)arena, FHR_STOP_AT_FAILURE,
                          NULL, NULL};
    fhr_result res;
    return fhr_replay(&cfg, rec_b.buf, rec_b.len, &res) == FHR_OK && res.failures == 0;
}

void test_trace_find_size_agrees_with_a_linear_scan(void);
void test_trace_find_size_agrees_with_a_linear_scan(void)
{
    fresh_default_region();
    rec_b.len = 0;
    fh_trace_start(flat_sink, &rec_b);
    run_workload(300, 0xabcdefu);
    fh_trace_stop();
    fresh_default_region();
    size_t arena_size;
    unsigned char *arena = (unsigned char *)th_arena(&arena_size) + 0x1230;
    fhr_result dry;
    CHECK_EQ(replay_flat(&rec_b, NULL, NULL, 0, NULL, NULL, &dry), FHR_OK);
    const size_t step = 16, lo = (size_t)dry.peak_live_bytes / step * step;
    fhr_size_result r;
    CHECK(fhr_find_size(buddy_try, arena, lo, 8u * lo, step, 150, &r));

    /* Brute force: every size from lo to well past the answer. */
    static bool pass[16384];
    size_t n = 0;
    for (size_t s = lo; n < 16384 && s <= 2u * r.recommended; s += step)
        pass[n++] = buddy_try(arena, s);
    CHECK(n < 16384);
#define PASSES(s) pass[((s) - lo) / step]
    /* smallest: a passing size whose grid neighbour below fails (bisection
     * finds a boundary, not necessarily the first one). */
    CHECK(PASSES(r.smallest));
    CHECK(r.smallest == lo || !PASSES(r.smallest - step));
    /* stable: the least size >= smallest whose whole margin passes. */
    size_t stable = 0;
    for (size_t s = r.smallest; stable == 0 && s <= r.recommended; s += step) {
        bool all = true;
        for (size_t x = s; all && x <= s / 100u * 150u + s % 100u * 150u / 100u; x += step)
            all = PASSES(x);
        if (all)
            stable = s;
    }
    CHECK_EQ(r.stable, stable);
    for (size_t x = r.stable; x <= r.recommended; x += step)
        CHECK(PASSES(x));
#undef PASSES
}

/* ---- regions -------------------------------------------------------------- */

void test_trace_records_added_regions(void);
void test_trace_records_added_regions(void)
{
    static _Alignas(16) unsigned char bank[8192];
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    bool ok = fh_add_region(bank, sizeof bank);
    fh_trace_stop();
    CHECK(ok);
    fhr_reader rd;
    fhr_record rec;
    CHECK_EQ(fhr_open(&rd, rec_a.buf, rec_a.len), FHR_OK);
    CHECK_EQ(fhr_next(&rd, &rec), FHR_OK);
    CHECK_EQ(rec.op, FH_TRACE_REGION);
    CHECK_EQ(rec.ptr, (uintptr_t)bank);
    CHECK_EQ(rec.size, sizeof bank);
    CHECK_EQ(rec.result, 1);
    fhr_result res;
    CHECK_EQ(replay_flat(&rec_a, NULL, NULL, 0, NULL, NULL, &res), FHR_OK);
    CHECK_EQ(res.regions, 1);
}

/* ---- the bump backend ----------------------------------------------------- */

#if defined(FH_BACKEND_BUMP) && FH_BACKEND_BUMP
/* The default heap on the bump allocator records the same way; its sized
 * frees forward to the plain free, and are recorded as that
 * (docs/trace.md). */
void test_trace_records_the_bump_backend(void);
void test_trace_records_the_bump_backend(void)
{
    rec_a.len = 0;
    fh_trace_start(flat_sink, &rec_a);
    void *a = fh_default_alloc(100, 16);
    void *b = fh_default_alloc_zeroed(50, 64);
    void *c = fh_default_realloc(b, 80, 64); /* the newest block: in place */
    size_t n = fh_default_resize_in_place(c, 90, 64);
    fh_default_free_sized(c, 90, 64);
    fh_default_free(a);
    fh_trace_stop();
    CHECK(a != NULL && b != NULL && c == b && n == 90);

    fhr_reader rd;
    fhr_record rec;
    CHECK_EQ(fhr_open(&rd, rec_a.buf, rec_a.len), FHR_OK);
    CHECK_EQ(rd.hdr.backend, FH_TRACE_BACKEND_BUMP);
    static const unsigned want[] = {FH_TRACE_ALLOC, FH_TRACE_ALLOC_ZEROED, FH_TRACE_REALLOC,
                                    FH_TRACE_RESIZE, FH_TRACE_FREE, FH_TRACE_FREE, FH_TRACE_END};
    const uint64_t res[] = {(uintptr_t)a, (uintptr_t)b, (uintptr_t)c, 90, 0, 0, 0};
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ(fhr_next(&rd, &rec), FHR_OK);
        CHECK_EQ(rec.op, want[i]);
        CHECK_EQ(rec.result, res[i]);
    }
    CHECK_EQ(fhr_next(&rd, &rec), FHR_END);
}
#endif
