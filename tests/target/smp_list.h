/* The multi-hart image's one test (tests/target/smp.c). */
TH_TEST(two_harts_share_the_default_heap)
