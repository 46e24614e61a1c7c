//! The default heap's region for host programs (feature `host-region`):
//! `__heap_start`/`__heap_end` around 8 MiB of zeroed memory, defined here
//! because on a host no linker script does. Turn it on for host tests and
//! tools that use [`FirmHeap`](crate::FirmHeap) or the C default heap:
//!
//! ```toml
//! [dev-dependencies]
//! firmheap = { path = "...", features = ["host-region"] }
//! ```
//!
//! The region starts 24 bytes past a page boundary on purpose: the library
//! must cope with a region aligned to nothing in particular. Bare-metal
//! builds get the region from their linker script; there the feature is an
//! error.

#[cfg(target_os = "none")]
compile_error!("firmheap: feature `host-region` is for hosts; on bare metal the linker script defines __heap_start/__heap_end (INCLUDE heap.ld)");

/// Bytes between `__heap_start` and `__heap_end`.
pub const HOST_REGION_BYTES: usize = 8 << 20;
// The assembly below spells the size out (const operands in global_asm!
// need a newer rustc than 1.63): keep the two equal.
const _: () = assert!(HOST_REGION_BYTES == 8388608);

core::arch::global_asm!(
    ".pushsection .bss.firmheap_host_region,\"aw\",%nobits", // % works where @ starts a comment (Arm)
    ".balign 4096",
    ".skip 24",
    ".globl __heap_start",
    "__heap_start:",
    ".skip 8388608", // HOST_REGION_BYTES
    ".globl __heap_end",
    "__heap_end:",
    ".skip 40",
    ".popsection",
);
