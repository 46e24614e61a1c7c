/*
 * Runs every test listed in tests/test_list.h and reports through the return
 * value: 0 if all passed. The list is an X-macro so a test exists in one place
 * and both the host runner and the QEMU images pick it up. Host-only tests
 * (those needing libc or a lot of memory) are listed under TH_HOST_TEST.
 */
#include "harness.h"

/* Which list: the whole suite, or a build-specific one (the bump backend). */
#ifndef TH_TEST_LIST
#define TH_TEST_LIST "test_list.h"
#endif

#define TH_TEST(name) void test_##name(void);
#define TH_HOST_TEST(name) TH_TEST(name)
#include TH_TEST_LIST
#ifdef TH_BOARD_TESTS
#include "board_tests.h"
#endif
#undef TH_TEST
#undef TH_HOST_TEST

typedef struct {
    const char *name;
    void (*fn)(void);
} th_entry;

static const th_entry th_tests[] = {
#define TH_TEST(name) {#name, test_##name},
#ifdef TH_HOST
#define TH_HOST_TEST(name) TH_TEST(name)
#else
#define TH_HOST_TEST(name)
#endif
#include TH_TEST_LIST
#ifdef TH_BOARD_TESTS
#include "board_tests.h" /* tests/target/: tests that need a real board (IRQs) */
#endif
};

static unsigned th_failures_in_test;

void th_memset(void *dst, int c, size_t n)
{
    volatile unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
}

void th_print_u(uintmax_t v)
{
    char buf[24];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + (unsigned)(v % 10u));
        v /= 10u;
    } while (v);
    th_print(p);
}

void th_print_x(uintptr_t v)
{
    char buf[2 + 2 * sizeof v + 1];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15u];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    th_print(p);
}

void th_check(bool ok, const char *expr, const char *file, int line)
{
    if (ok)
        return;
    /* Cap the noise: a broken loop should not print a million lines. */
    if (++th_failures_in_test <= 5) {
        th_print("  FAIL ");
        th_print(file);
        th_print(":");
        th_print_u((uintmax_t)line);
        th_print(": ");
        th_print(expr);
        th_print("\n");
    }
}

#ifdef TH_FORCE_FAIL
/* Proves the verdict path: `make test FORCE_FAIL=1` must go red. */
void test_forced_failure(void);
void test_forced_failure(void) { CHECK(1 + 1 == 3); }
#endif

int th_run_all(void)
{
    unsigned passed = 0, failed = 0;
    size_t n = sizeof th_tests / sizeof th_tests[0];
    for (size_t i = 0; i <= n; i++) {
        const char *name;
        void (*fn)(void);
        if (i < n) {
            name = th_tests[i].name;
            fn = th_tests[i].fn;
        } else {
#ifdef TH_FORCE_FAIL
            name = "forced_failure";
            fn = test_forced_failure;
#else
            break;
#endif
        }
        th_failures_in_test = 0;
        fn();
        if (th_failures_in_test) {
            failed++;
            th_print("not ok ");
        } else {
            passed++;
            th_print("ok ");
        }
        th_print(name);
        th_print("\n");
    }
    th_print_u(passed);
    th_print(" passed, ");
    th_print_u(failed);
    th_print(" failed\n");
    return failed ? 1 : 0;
}
