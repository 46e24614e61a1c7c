//! A user's own no_std firmware in Rust on the LM3S6965 (QEMU lm3s6965evb),
//! nothing from firmheap's tree but the crate and heap.ld: its own vector
//! table and reset handler, its own semihosting console, and firmheap as the
//! global allocator over the linker script's heap (examples/lm3s6965/
//! lm3s6965.ld, which INCLUDEs heap.ld).
//!
//! It checks that `alloc` lands on firmheap's default heap, that a
//! `LockedHeap<IrqLock>` works over a buffer of its own, and that the
//! crate's lock masks and restores interrupts; prints "N passed, N failed"
//! and exits through semihosting with the verdict.
//!
//! rustc 1.63 (Debian's) still wants an `#[alloc_error_handler]` in a no_std
//! program that uses `alloc`: hence the feature gate, accepted with
//! RUSTC_BOOTSTRAP=1 (newer compilers have a default handler).
#![no_std]
#![no_main]
#![feature(alloc_error_handler)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::fmt::Write;
use core::panic::PanicInfo;
use core::ptr::{addr_of, addr_of_mut};

use firmheap::{FirmHeap, IrqLock, LockedHeap, RawLock};

#[global_allocator]
static HEAP: FirmHeap = FirmHeap;

// ---- startup: vector table and reset handler ------------------------------

extern "C" {
    // lm3s6965.ld and heap.ld
    static __stack_top: u8;
    static _sidata: u32;
    static mut _sdata: u32;
    static _edata: u32;
    static mut _sbss: u32;
    static _ebss: u32;
    static __heap_start: u8;
    static __heap_end: u8;
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union Vector {
    handler: unsafe extern "C" fn() -> !,
    stack: *const u8,
}
// SAFETY: read only by the hardware.
unsafe impl Sync for Vector {}

#[link_section = ".isr_vector"]
#[no_mangle]
#[used]
pub static VECTOR_TABLE: [Vector; 16] = {
    let fault = Vector { handler: fault };
    [
        Vector { stack: unsafe { addr_of!(__stack_top) } },
        Vector { handler: Reset_Handler },
        fault, fault, fault, fault, fault, fault, fault, // NMI .. reserved
        fault, fault, fault, fault, fault, fault, fault, // .. SysTick
    ]
};

/// Gives .data its values, clears .bss, runs main, exits with its verdict.
#[no_mangle]
pub unsafe extern "C" fn Reset_Handler() -> ! {
    let mut from = addr_of!(_sidata);
    let mut to = addr_of_mut!(_sdata);
    while (to as *const u32) < addr_of!(_edata) {
        to.write_volatile(from.read_volatile());
        to = to.add(1);
        from = from.add(1);
    }
    let mut to = addr_of_mut!(_sbss);
    while (to as *const u32) < addr_of!(_ebss) {
        to.write_volatile(0);
        to = to.add(1);
    }
    exit(main())
}

unsafe extern "C" fn fault() -> ! {
    print("*** fault\n");
    exit(1)
}

// ---- semihosting console and exit ------------------------------------------

const SYS_WRITE0: usize = 0x04;
const SYS_EXIT_EXTENDED: usize = 0x20;
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;

fn semihost(op: usize, arg: usize) -> usize {
    let ret;
    // SAFETY: the debugger (QEMU) serves the call; arg points at live data.
    unsafe { core::arch::asm!("bkpt 0xab", inout("r0") op => ret, in("r1") arg, options(nostack)) };
    ret
}

/// SYS_WRITE0 wants NUL-terminated text: copy through a stack buffer, so
/// printing never allocates.
fn print(s: &str) {
    let mut buf = [0u8; 64];
    for chunk in s.as_bytes().chunks(buf.len() - 1) {
        buf[..chunk.len()].copy_from_slice(chunk);
        buf[chunk.len()] = 0;
        semihost(SYS_WRITE0, buf.as_ptr() as usize);
    }
}

struct Console;
impl Write for Console {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        print(s);
        Ok(())
    }
}

fn exit(status: i32) -> ! {
    let block = [ADP_STOPPED_APPLICATION_EXIT, status as usize];
    loop {
        semihost(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
    }
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    let _ = writeln!(Console, "*** panic: {}", info);
    exit(1)
}

/// Debug builds give the allocator shim unwind tables that name the Arm
/// EHABI personality routine; with panic=abort it is never called. Define
/// it (empty) instead of linking libgcc's unwinder, which would also want
/// __exidx_start/__exidx_end from the linker script (lm3s6965.ld has them).
#[no_mangle]
pub extern "C" fn __aeabi_unwind_cpp_pr0() {}

#[alloc_error_handler]
fn out_of_memory(layout: Layout) -> ! {
    let _ = writeln!(Console, "*** out of memory: {} bytes", layout.size());
    exit(1)
}

// ---- the checks --------------------------------------------------------------

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    /// One TAP line per check; the plan comes after the last (main).
    fn check(&mut self, ok: bool, what: &str) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        let n = self.passed + self.failed;
        let _ = writeln!(Console, "{} {} - {}", if ok { "ok" } else { "not ok" }, n, what);
    }
}

fn in_heap<T: ?Sized>(p: *const T) -> bool {
    // SAFETY: only the addresses are taken.
    let (start, end) = unsafe { (addr_of!(__heap_start) as usize, addr_of!(__heap_end) as usize) };
    (p as *const u8 as usize) >= start && (p as *const u8 as usize) < end
}

fn used_bytes() -> usize {
    HEAP.stats().map_or(usize::MAX, |s| s.used_bytes)
}

fn collections_live_on_firmheap(c: &mut Checks) {
    let before = used_bytes();
    {
        let b = Box::new(0x5eed_u32);
        c.check(in_heap(&*b), "a Box comes from [__heap_start, __heap_end)");
        let v: Vec<u32> = (0..5000).collect();
        c.check(in_heap(v.as_ptr()) && v.iter().sum::<u32>() == 5000 * 4999 / 2, "a Vec grows on it");
        let mut s = String::new();
        for i in 0..200 {
            let _ = write!(s, "{i},");
        }
        let mut m = BTreeMap::new();
        for (i, word) in s.split(',').enumerate() {
            m.insert(word, i);
        }
        c.check(m.len() == 201 && m["199"] == 199, "String and BTreeMap work");
        c.check(used_bytes() > before, "the default heap's stats count them");
    }
    c.check(used_bytes() == before, "and get every byte back");
    let layout = Layout::from_size_align(100, 4096).unwrap();
    // SAFETY: a valid, non-zero layout; freed with the same.
    let p = unsafe { alloc::alloc::alloc(layout) };
    c.check(!p.is_null() && p as usize % 4096 == 0, "a 4096-aligned Layout");
    unsafe { alloc::alloc::dealloc(p, layout) };
    c.check(HEAP.check(), "FirmHeap::check holds");
}

static mut BANK: [u8; 8192] = [0; 8192];
static LOCKED: LockedHeap<IrqLock> = LockedHeap::new(IrqLock::new());

fn locked_heap_with_the_ready_lock(c: &mut Checks) {
    // SAFETY: BANK is handed over for good and used by nothing else.
    let ok = unsafe { LOCKED.init(addr_of_mut!(BANK) as *mut u8, 8192) };
    c.check(ok, "LockedHeap<IrqLock>::init over a static buffer");
    let layout = Layout::from_size_align(300, 64).unwrap();
    let p = unsafe { LOCKED.alloc(layout) };
    let inside = p as usize >= unsafe { addr_of!(BANK) } as usize && !in_heap(p);
    c.check(!p.is_null() && p as usize % 64 == 0 && inside, "it allocates from its own region");
    unsafe { LOCKED.dealloc(p, layout) };
    c.check(LOCKED.stats().map_or(false, |s| s.used_bytes == 0) && LOCKED.check(), "and frees");
}

fn irqs_enabled() -> bool {
    let primask: u32;
    // SAFETY: reads PRIMASK.
    unsafe { core::arch::asm!("mrs {}, PRIMASK", out(reg) primask) };
    primask & 1 == 0
}

fn the_lock_masks_and_restores(c: &mut Checks) {
    let lock = IrqLock::new();
    let was = irqs_enabled();
    lock.lock();
    lock.lock();
    let masked = !irqs_enabled();
    lock.unlock();
    let still = !irqs_enabled();
    lock.unlock();
    c.check(masked && still && irqs_enabled() == was, "IrqLock nests and restores PRIMASK");
}

fn main() -> i32 {
    print("rust example: firmheap as the global allocator of a no_std firmware\n");
    let mut c = Checks { passed: 0, failed: 0 };
    collections_live_on_firmheap(&mut c);
    locked_heap_with_the_ready_lock(&mut c);
    the_lock_masks_and_restores(&mut c);
    if option_env!("EX_FORCE_FAIL").is_some() {
        c.check(false, "forced failure (EX_FORCE_FAIL)");
    }
    let _ = writeln!(Console, "1..{}", c.passed + c.failed);
    let _ = writeln!(Console, "{} passed, {} failed", c.passed, c.failed);
    if c.failed == 0 {
        0
    } else {
        1
    }
}
