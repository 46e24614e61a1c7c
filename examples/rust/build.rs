//! Link arguments for the firmware: the board's linker script (the same
//! vendor-style script the C examples use: it INCLUDEs firmheap's heap.ld
//! and defines __exidx_start/__exidx_end, which a debug build's unwinding
//! tables refer to) and firmheap's linker/ folder, where heap.ld lives.
//! From build.rs they reach the link whatever RUSTFLAGS says.
use std::env;
use std::path::PathBuf;

fn main() {
    let here = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let script = here.join("../lm3s6965/lm3s6965.ld");
    let firmheap_linker = here.join("../../linker");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-changed={}", firmheap_linker.join("heap.ld").display());
    println!("cargo:rerun-if-env-changed=EX_FORCE_FAIL");
    // Our own startup (src/main.rs), no C library.
    println!("cargo:rustc-link-arg-bins=-nostartfiles");
    println!("cargo:rustc-link-arg-bins=-nostdlib");
    println!("cargo:rustc-link-arg-bins=-L{}", firmheap_linker.display());
    println!("cargo:rustc-link-arg-bins=-T{}", script.display());
}
