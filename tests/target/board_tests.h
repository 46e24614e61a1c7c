/*
 * Tests that need a real (emulated) board, X-macro style like
 * tests/test_list.h. tests/runner.c includes this file when the image is
 * built with -DTH_BOARD_TESTS (boards whose board.mk sets IRQ_TEST).
 */
TH_TEST(lock_nests)
TH_TEST(irq_safety)
