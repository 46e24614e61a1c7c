/* The default-heap front ends built with FH_BACKEND=bump (host only). */
TH_TEST(bump_backend_serves_the_front_ends)
TH_TEST(bump_backend_lifo_free_and_resize)
TH_TEST(bump_backend_rust_hooks)
TH_TEST(bump_backend_realloc_edges)
TH_TEST(bump_backend_odd_sizes)
