/*
 * The two loops whose length grows with a block, and the rule for how many
 * bytes a moving realloc keeps, stated once for every path that moves a
 * block: the instance fh_realloc, the default heap's moves (within a region
 * or to another one) and the bump backend's.
 *
 * The rule: a move keeps min(old usable size, new usable size) bytes. That
 * is exactly what a resize in place keeps (a shrink keeps the new usable
 * size, a growth the old one), so what a caller finds in the block after a
 * realloc does not depend on whether it moved, or where to.
 *
 * Both loops are plain stores: the library calls no memset/memcpy (it is
 * built with -fno-builtin and without loop-to-call patterns), and word
 * stores when everything is word-aligned, which usable sizes are.
 */
#ifndef FH_MOVE_H
#define FH_MOVE_H

#include <stddef.h>
#include <stdint.h>

static inline size_t fh_move_bytes(size_t old_usable, size_t new_usable)
{
    return old_usable < new_usable ? old_usable : new_usable;
}

static inline int fh_words_apply(const void *a, const void *b, size_t n)
{
    return (((uintptr_t)a | (uintptr_t)b | n) & (sizeof(uintptr_t) - 1u)) == 0;
}

static inline void fh_copy_bytes(void *dst, const void *src, size_t n)
{
    if (fh_words_apply(dst, src, n)) {
        uintptr_t *d = dst;
        const uintptr_t *s = src;
        for (size_t i = 0; i < n / sizeof(uintptr_t); i++)
            d[i] = s[i];
        return;
    }
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

static inline void fh_zero_bytes(void *p, size_t n)
{
    if (fh_words_apply(p, p, n)) {
        uintptr_t *w = p;
        for (size_t i = 0; i < n / sizeof(uintptr_t); i++)
            w[i] = 0;
        return;
    }
    unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

#endif
