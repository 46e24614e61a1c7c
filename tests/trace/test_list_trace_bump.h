/* The trace tests for the default heap on the bump backend (host only). */
TH_HOST_TEST(trace_records_the_bump_backend)
