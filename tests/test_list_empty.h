/* The default heap over an empty linker region (host only, own runner). */
TH_TEST(empty_linker_region_fails_cleanly)
TH_TEST(added_regions_serve_an_empty_linker_region)
TH_TEST(moving_realloc_keeps_the_usable_bytes)
