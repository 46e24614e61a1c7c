/*
 * Trace sink 1: a RAM ring buffer of whole records, for firmware that
 * drains it itself (to a UART, flash, a host link) or leaves it for a
 * debugger to read. Built only with FH_TRACE=1.
 *
 *        tail                    head
 *   [ .. | read-out  ...  waiting | free ... ]   (indices modulo size)
 *
 * Single producer (the encoder, under the heap's lock), single consumer
 * (fh_trace_ring_read). Each side writes only its own counter, after the
 * bytes it covers, so neither needs the other's lock on one core. Records
 * and the header are multiples of 4 bytes and the size is a power of two
 * of at least 64, so a 4-byte word never straddles the wrap: the producer
 * copies words.
 */
#include "firmheap.h"
#include "firmheap_trace.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#include "trace.h"

#if FH_TRACE

#define RING_MIN 64u

bool fh_trace_ring_init(fh_trace_ring *r, void *buf, size_t size)
{
    r->magic = 0;
    if (buf == NULL || size < RING_MIN || ((uintptr_t)buf & 3u) != 0)
        return false;
    uint32_t n = RING_MIN;
    while (n <= 0x40000000u && (size_t)n * 2u <= size)
        n *= 2u;
    r->size = n;
    r->head = r->tail = 0;
    r->dropped = 0;
    r->buf = buf;
    r->magic = FH_TRACE_RING_MAGIC;
    return true;
}

void fh_trace_ring_sink(void *ring, const void *bytes, size_t n)
{
    fh_trace_ring *r = ring;
    uint32_t head = r->head;
    if (n > r->size - (head - r->tail)) {
        r->dropped++;
        return;
    }
    const uint32_t *src = bytes;
    uint32_t *words = (void *)r->buf, mask = r->size / 4u - 1u;
    for (uint32_t i = 0; i < n / 4u; i++)
        words[(head / 4u + i) & mask] = src[i];
    /* The bytes before the count that publishes them. */
    __asm__ volatile("" ::: "memory");
    r->head = head + (uint32_t)n;
}

size_t fh_trace_ring_read(fh_trace_ring *r, void *dst, size_t max)
{
    uint32_t tail = r->tail, avail = r->head - tail;
    __asm__ volatile("" ::: "memory");
    size_t n = avail < max ? avail : max;
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++)
        d[i] = r->buf[(tail + i) & (r->size - 1u)];
    __asm__ volatile("" ::: "memory");
    r->tail = tail + (uint32_t)n;
    return n;
}

#endif /* FH_TRACE */
