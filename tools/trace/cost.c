/*
 * What recording costs (`make trace-cost`): instructions per default-heap
 * call on virt-rv32 under QEMU -icount (minstret, bench/counter.h), for the
 * library without FH_TRACE, and with FH_TRACE=1 when no sink is attached,
 * with the RAM ring and with the semihosting file (its write traps
 * amortised over the buffer). The same workload each time: 64 blocks of
 * 16..256 bytes allocated, then freed in a shuffled order, 40 rounds, from
 * a fresh heap. Prints one "COST" line per setting; exits 0.
 */
#include "counter.h"
#include "firmheap.h"
#include "fw.h"
#include "semihost.h"
#include "xorshift.h"

#if COST_TRACE
#include "firmheap_trace.h"
#endif

#define BLOCKS 64u
#define ROUNDS 40u

extern char __heap_start[], __heap_end[];

static uint32_t overhead;

static void run(const char *name)
{
    /* The default heap back to its first state (same layouts every run). */
    fh_init(__heap_start, (size_t)(__heap_end - __heap_start));
    void *p[BLOCKS];
    uint64_t alloc_sum = 0, free_sum = 0;
    uint32_t seed = 12345u, t0, t1;
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < BLOCKS; i++) {
            size_t size = xs_range(&seed, 16, 256);
            t0 = bench_now();
            p[i] = fh_default_alloc(size, 16);
            t1 = bench_now();
            alloc_sum += bench_delta(t0, t1) - overhead;
        }
        for (unsigned i = BLOCKS; i > 1; i--) {
            unsigned j = xs_range(&seed, 0, i - 1u);
            void *t = p[j];
            p[j] = p[i - 1u];
            p[i - 1u] = t;
        }
        for (unsigned i = 0; i < BLOCKS; i++) {
            t0 = bench_now();
            fh_default_free(p[i]);
            t1 = bench_now();
            free_sum += bench_delta(t0, t1) - overhead;
        }
    }
    fw_print("COST setting=");
    fw_print(name);
    fw_print(" alloc=");
    fw_print_dec(alloc_sum / (BLOCKS * ROUNDS));
    fw_print(" free=");
    fw_print_dec(free_sum / (BLOCKS * ROUNDS));
    fw_print("\n");
}

int main(void)
{
    uint32_t t0 = bench_now(), t1 = bench_now();
    overhead = bench_delta(t0, t1);
#if !COST_TRACE
    run("FH_TRACE=0");
#else
    run("FH_TRACE=1,no-sink");
    static fh_trace_ring ring;
    static uint32_t ring_buf[64u * 1024u / 4u];
    fh_trace_ring_init(&ring, ring_buf, sizeof ring_buf);
    fh_trace_start(fh_trace_ring_sink, &ring);
    run("FH_TRACE=1,ring");
    fh_trace_stop();
    static fh_trace_semihost sh;
    if (!fh_trace_semihost_open(&sh, sh_trap, COST_TRACE_PATH))
        return 1;
    fh_trace_start(fh_trace_semihost_sink, &sh);
    run("FH_TRACE=1,semihosting");
    fh_trace_stop();
    if (!fh_trace_semihost_close(&sh))
        return 1;
#endif
    return 0;
}
