/*
 * Records zlib through its zalloc/zfree hooks: what a data logger does,
 * compressing log blocks with a window and memory level sized for a small
 * device (windowBits 12, memLevel 5) and inflating them back with the full
 * 32 KiB window, one stream per block.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "record.h"

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    /* zlib's own zcalloc is malloc(items * size): no zeroing needed. */
    if (size != 0 && items > (size_t)-1 / size)
        return NULL;
    return FH_NAME(malloc)((size_t)items * size);
}

static void z_free(voidpf opaque, voidpf ptr)
{
    (void)opaque;
    FH_NAME(free)(ptr);
}

static unsigned char block[24 * 1024], packed[32 * 1024], unpacked[24 * 1024];

/* A log block: lines that repeat with variations, as logs do. */
static size_t make_block(unsigned n)
{
    size_t len = 0;
    for (unsigned i = 0; len + 96 < sizeof block; i++)
        len += (size_t)snprintf((char *)block + len, sizeof block - len,
                                "%08u node-17 ch%u sample=%u status=%s seq=%u\n", n * 1000u + i,
                                i % 4u, (i * 37u + n) % 1024u, i % 11u ? "ok" : "retry", i);
    return len - (n % 3u) * 4096u;
}

/* One whole stream through deflate or inflate (step), in one call, then
 * its end; returns the bytes it wrote to out. */
static size_t whole(z_stream *z, int (*step)(z_streamp, int), int (*end)(z_streamp),
                    const unsigned char *in, size_t len, unsigned char *out, size_t cap)
{
    z->next_in = (unsigned char *)in;
    z->avail_in = (uInt)len;
    z->next_out = out;
    z->avail_out = (uInt)cap;
    int s = step(z, Z_FINISH);
    if (s != Z_STREAM_END)
        rec_fail(step == deflate ? "deflate" : "inflate", s);
    end(z);
    return cap - z->avail_out;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.fht\n", argv[0]);
        return 2;
    }
    rec_start(argv[1]);
    for (unsigned n = 0; n < 12; n++) {
        size_t len = make_block(n);
        z_stream d = {.zalloc = z_alloc, .zfree = z_free};
        int s = deflateInit2(&d, 6, Z_DEFLATED, 12, 5, Z_DEFAULT_STRATEGY);
        if (s != Z_OK)
            rec_fail("deflateInit2", s);
        size_t plen = whole(&d, deflate, deflateEnd, block, len, packed, sizeof packed);
        z_stream i = {.zalloc = z_alloc, .zfree = z_free};
        if ((s = inflateInit2(&i, 15)) != Z_OK)
            rec_fail("inflateInit2", s);
        size_t ulen = whole(&i, inflate, inflateEnd, packed, plen, unpacked, sizeof unpacked);
        if (ulen != len || memcmp(block, unpacked, len) != 0)
            rec_fail("round trip", (long)n);
    }
    rec_stop();
    return 0;
}
