/*
 * fh_dump (include/firmheap_diag.h): the dump is captured into a buffer and
 * read back the way tools/heapmap reads it, field by field, and compared
 * with what the heap itself says (fh_get_stats, fh_usable_size). The map
 * bar is checked on heaps whose answer is known: all free, all used, mixed.
 */
#include "testutil.h"
#include "firmheap_diag.h"

/*
 * The scratch arena's layout here (small boards have 5 KiB of it and no
 * RAM to spare for static buffers):
 *   [0, 2000)     the heaps under test
 *   [2048, 3584)  the map test's block pointers
 *   [3584, 5120)  the captured dump: enough for a dozen blocks
 */
#define HEAP_BYTES 2000u
#define BLOCKS_AT 2048u
#define NR_BLOCKS (1536u / sizeof(void *))
#define OUT_AT 3584u
#define OUT_BYTES 1536u

static char *out;
static size_t out_len;
static bool out_overflow;

static void capture(char c)
{
    if (out_len + 1 < OUT_BYTES)
        out[out_len++] = c;
    else
        out_overflow = true;
    out[out_len] = '\0';
}

static unsigned char *arena_at(size_t offset)
{
    size_t size;
    return (unsigned char *)th_arena(&size) + offset;
}

static const char *dump_of(const fh_heap *h)
{
    out = (char *)arena_at(OUT_AT);
    out_len = 0;
    out_overflow = false;
    out[0] = '\0';
    fh_dump(h, capture);
    return out;
}

/* The line that starts with prefix, or NULL. */
static const char *line_starting(const char *text, const char *prefix)
{
    for (const char *l = text; *l; ) {
        size_t i = 0;
        while (prefix[i] && l[i] == prefix[i])
            i++;
        if (prefix[i] == '\0')
            return l;
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return NULL;
}

/* The number after "key" within line (decimal, or hex after 0x); ~0 if absent. */
static uintmax_t field(const char *line, const char *key)
{
    for (const char *p = line; *p && *p != '\n'; p++) {
        size_t i = 0;
        while (key[i] && p[i] == key[i])
            i++;
        if (key[i] != '\0')
            continue;
        p += i;
        uintmax_t v = 0;
        if (p[0] == '0' && p[1] == 'x') {
            for (p += 2; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
                v = v * 16u + (uintmax_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
        } else {
            for (; *p >= '0' && *p <= '9'; p++)
                v = v * 10u + (uintmax_t)(*p - '0');
        }
        return v;
    }
    return ~(uintmax_t)0;
}

static const char *next_line(const char *l)
{
    while (*l && *l != '\n')
        l++;
    return *l ? l + 1 : l;
}

/* The map bar: the text between '[' and ']' on the map line. */
static size_t bar_of(const char *text, char *bar, size_t cap)
{
    const char *l = line_starting(text, "map ");
    size_t n = 0;
    if (l == NULL)
        return 0;
    while (*l && *l != '[')
        l++;
    if (*l)
        l++;
    while (*l && *l != ']' && n + 1 < cap)
        bar[n++] = *l++;
    bar[n] = '\0';
    return n;
}

static bool bar_is_only(const char *bar, char c)
{
    for (; *bar; bar++)
        if (*bar != c)
            return false;
    return true;
}

void test_dump_lists_every_block_and_the_stats(void)
{
    fh_heap *h = tu_heap(5, HEAP_BYTES - 5, NULL);
    static const size_t sizes[] = {100, 16, 400, 48, 40};
    void *p[5];
    for (unsigned i = 0; i < 5; i++) {
        p[i] = fh_alloc(h, sizes[i], 16);
        CHECK(p[i] != NULL);
    }
    fh_free(h, p[1]);
    fh_free(h, p[3]);
    fh_stats before;
    fh_get_stats(h, &before);

    const char *d = dump_of(h);
    CHECK(!out_overflow);
    CHECK_EQ(field(line_starting(d, "fh_dump "), "heap="), (uintptr_t)h);
    const char *st = line_starting(d, "stats ");
    CHECK(st != NULL);
    CHECK_EQ(field(st, " used="), before.used_bytes);
    CHECK_EQ(field(st, " free="), before.free_bytes);
    CHECK_EQ(field(st, " live="), before.live_allocs);
    CHECK_EQ(field(st, " largest_free="), before.largest_free);

    /* Every live block exactly once, with its usable size; the free runs
     * add up to the free bytes; the end line counts the lines. */
    unsigned used_lines = 0, free_lines = 0, seen[5] = {0};
    size_t free_sum = 0;
    for (const char *l = d; *l; l = next_line(l)) {
        if (line_starting(l, "used ") == l) {
            used_lines++;
            uintptr_t a = (uintptr_t)field(l, "addr=");
            for (unsigned i = 0; i < 5; i++)
                if (p[i] && i != 1 && i != 3 && (uintptr_t)p[i] == a) {
                    seen[i]++;
                    CHECK_EQ(field(l, "size="), fh_usable_size(h, p[i]));
                }
        } else if (line_starting(l, "free ") == l) {
            free_lines++;
            free_sum += (size_t)field(l, "size=");
        }
    }
    CHECK_EQ(used_lines, 3u);
    CHECK(seen[0] == 1 && seen[2] == 1 && seen[4] == 1);
    CHECK_EQ(free_sum, before.free_bytes);
    const char *end = line_starting(d, "end ");
    CHECK_EQ(field(end, "used="), used_lines);
    CHECK_EQ(field(end, "free="), free_lines);

    /* Reading never writes. */
    fh_stats after;
    fh_get_stats(h, &after);
    CHECK_EQ(after.allocs, before.allocs);
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK(fh_check(h));
    for (unsigned i = 0; i < 5; i++)
        if (i != 1 && i != 3)
            fh_free(h, p[i]);
}

void test_dump_map_marks_used_and_free_cells(void)
{
    char bar[80];
    fh_heap *h = tu_heap(7, HEAP_BYTES - 200, NULL);
    CHECK(bar_of(dump_of(h), bar, sizeof bar) > 0);
    CHECK(bar_is_only(bar, '.'));

    /* Fill with granules until nothing is left: every cell used. */
    void **blocks = (void **)arena_at(BLOCKS_AT);
    unsigned n = 0;
    while (n < NR_BLOCKS && (blocks[n] = fh_alloc(h, 1, 1)) != NULL)
        n++;
    CHECK(n < NR_BLOCKS); /* the heap ran out, not the array */
    size_t len = bar_of(dump_of(h), bar, sizeof bar);
    CHECK(len > 0 && len <= 64);
    CHECK(bar_is_only(bar, '#'));

    /* Every other granule back, by address: each cell holds both, but the
     * last may be too short to. */
    for (unsigned i = 0; i < n; i++)
        if (((uintptr_t)blocks[i] / FH_GRANULE) % 2u == 0)
            fh_free(h, blocks[i]);
    len = bar_of(dump_of(h), bar, sizeof bar);
    bar[len > 0 ? len - 1 : 0] = '\0';
    CHECK(len > 1 && bar_is_only(bar, '+'));
    for (unsigned i = 0; i < n; i++)
        if (((uintptr_t)blocks[i] / FH_GRANULE) % 2u == 1)
            fh_free(h, blocks[i]);
    CHECK(fh_check(h));
}

void test_dump_without_a_heap_says_so(void)
{
    CHECK(line_starting(dump_of(NULL), "fh_dump heap=none\n") == out);
    fh_dump(NULL, NULL); /* no output function: nothing happens */
}
