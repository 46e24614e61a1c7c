/* The trace tests (tests/trace/test_trace.c), for the host runner and the
 * board images of `make trace-test`. TH_HOST_TEST: host only. */
TH_TEST(trace_records_every_default_heap_op)
TH_TEST(trace_replay_reproduces_offsets)
TH_TEST(trace_ring_drops_whole_records_and_wraps)
TH_HOST_TEST(trace_semihost_sink_buffers_and_reports)
TH_TEST(trace_reader_names_the_bad_record)
TH_TEST(trace_replay_failures_and_divergences)
TH_TEST(trace_find_size_bisects_and_scans_the_margin)
TH_HOST_TEST(trace_find_size_agrees_with_a_linear_scan)
TH_TEST(trace_records_added_regions)
