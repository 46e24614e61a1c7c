/* firmheap settings for this firmware (FIRMHEAP_CONFIG_HEADER): the linker's
 * region and one more RAM bank, no more. */
#define FH_CONFIG_MAX_REGIONS 2u
