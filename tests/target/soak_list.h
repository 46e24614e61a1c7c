/* The soak image's one test (tests/target/soak.c), in the harness's form so
 * it reports like every other suite. */
TH_TEST(soak)
