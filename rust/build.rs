//! Builds the C core (../src/*.c) into libfirmheap.a and links it.
//!
//! No `cc` crate: the crate has no dependencies at all, so it builds offline.
//! The compiler and flags per target mirror mk/lib.mk (CORE_<core>_CC,
//! CORE_<core>_FLAGS, CROSS_CFLAGS); keep the two in step. Two environment
//! variables override the choice for targets not listed here:
//!   FIRMHEAP_CC      the C compiler (its archiver is found by name: ...gcc -> ...ar)
//!   FIRMHEAP_CFLAGS  CPU flags, e.g. "-mcpu=cortex-m7 -mthumb"
//! and FIRMHEAP_ROOT points at the firmheap tree if the crate was moved.
//!
//! The same program also runs outside cargo (mk/part-rust.mk compiles and runs
//! it for the firmware), so it reads only the variables cargo documents.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

// mk/config.mk's LIB_WARN: the library builds warning-free everywhere.
const WARN: &[&str] = &[
    "-Wall", "-Wextra", "-Werror", "-Wconversion", "-Wsign-conversion", "-Wcast-align",
    "-Wundef", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes",
];
// mk/config.mk's LIB_FREESTANDING plus CROSS_CFLAGS' section flags.
const FREESTANDING: &[&str] = &[
    "-ffreestanding", "-fno-builtin", "-nostdlib", "-fno-tree-loop-distribute-patterns",
    "-ffunction-sections", "-fdata-sections",
];

/// Compiler and CPU flags for a Rust target triple, as mk/lib.mk has them.
fn cross_core(target: &str) -> Option<(&'static str, &'static [&'static str])> {
    let arm = "arm-none-eabi-gcc";
    let rv = "riscv64-unknown-elf-gcc";
    Some(match target {
        "thumbv6m-none-eabi" => (arm, &["-mcpu=cortex-m0", "-mthumb"]),
        "thumbv7m-none-eabi" => (arm, &["-mcpu=cortex-m3", "-mthumb"]),
        "thumbv7em-none-eabi" => (arm, &["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"]),
        "thumbv7em-none-eabihf" => {
            (arm, &["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"])
        }
        "thumbv8m.main-none-eabi" => (arm, &["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=soft"]),
        "riscv32imac-unknown-none-elf" => {
            (rv, &["-march=rv32imac_zicsr", "-mabi=ilp32", "-mcmodel=medany"])
        }
        "riscv32imc-unknown-none-elf" => {
            (rv, &["-march=rv32imc_zicsr", "-mabi=ilp32", "-mcmodel=medany"])
        }
        "riscv64imac-unknown-none-elf" | "riscv64gc-unknown-none-elf" => {
            (rv, &["-march=rv64imac_zicsr", "-mabi=lp64", "-mcmodel=medany"])
        }
        _ => return None,
    })
}

/// The archiver that belongs to a compiler: arm-none-eabi-gcc -> arm-none-eabi-ar.
fn archiver_for(cc: &str) -> String {
    match cc.strip_suffix("gcc") {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}ar"),
        _ => "ar".to_string(),
    }
}

fn run(cmd: &mut Command) {
    let status = cmd.status().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "failed: {cmd:?}");
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = env::var_os("FIRMHEAP_ROOT").map(PathBuf::from).unwrap_or_else(|| manifest.join(".."));
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let target = env::var("TARGET").expect("TARGET");
    let host = env::var("HOST").unwrap_or_else(|_| target.clone());

    for var in ["FIRMHEAP_CC", "FIRMHEAP_CFLAGS", "FIRMHEAP_ROOT"] {
        println!("cargo:rerun-if-env-changed={var}");
    }

    // Pick compiler and flags: host build like mk/lib.mk's HOST_CFLAGS,
    // cross build like its CROSS_CFLAGS.
    let (cc, mut flags): (String, Vec<String>) = if let Ok(cc) = env::var("FIRMHEAP_CC") {
        let cpu = env::var("FIRMHEAP_CFLAGS").unwrap_or_default();
        let mut f: Vec<String> = cpu.split_whitespace().map(String::from).collect();
        f.extend(["-Os"].iter().chain(FREESTANDING).map(|s| s.to_string()));
        (cc, f)
    } else if target == host {
        // On a host with an OS the C library's malloc family must not
        // replace libc's (a static archive wins over libc.so, and std's
        // System allocator would silently run on the default heap): rename
        // it, as the host tests in mk/host-tests.mk do.
        let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
        (cc, vec!["-O2".into(), "-fPIC".into(), "-DFH_MALLOC_PREFIX=fh_host_".into()])
    } else if let Some((cc, cpu)) = cross_core(&target) {
        let f = cpu.iter().chain(&["-Os"]).chain(FREESTANDING).map(|s| s.to_string()).collect();
        (cc.to_string(), f)
    } else {
        panic!("firmheap: no C compiler known for target {target}; set FIRMHEAP_CC and FIRMHEAP_CFLAGS");
    };
    flags.extend(["-std=c11", "-g"].iter().chain(WARN).map(|s| s.to_string()));
    flags.push(format!("-I{}", root.join("include").display()));

    let src_dir = root.join("src");
    let mut sources: Vec<PathBuf> = fs::read_dir(&src_dir)
        .unwrap_or_else(|e| panic!("firmheap: cannot read {}: {e}", src_dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map_or(false, |x| x == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "firmheap: no C sources in {}", src_dir.display());
    // The C library has no lock of its own (a missing one fails the link).
    // On a bare-metal target the irq-lock feature supplies it; on the host,
    // where the crate's tests run one at a time, the opt-in no-op does.
    if target == host {
        sources.push(src_dir.join("opt").join("lock_none.c"));
    }

    println!("cargo:rerun-if-changed={}", src_dir.display());
    println!("cargo:rerun-if-changed={}", root.join("include").display());
    let abi_check = manifest.join("c/abi_check.c");
    println!("cargo:rerun-if-changed={}", abi_check.display());
    for path in fs::read_dir(root.join("include")).into_iter().flatten().flatten() {
        println!("cargo:rerun-if-changed={}", path.path().display());
    }

    // The Rust mirror of fh_stats must match the header: checked at build
    // time by the C compiler for this very target (size_t width included).
    run(Command::new(&cc).args(&flags).arg("-fsyntax-only").arg(&abi_check));

    // Compile all sources at once (they are independent), then archive.
    let obj_dir = out.join("firmheap-obj");
    fs::create_dir_all(&obj_dir).expect("create object dir");
    let mut jobs: Vec<(Child, PathBuf)> = Vec::new();
    let mut objects = Vec::new();
    for src in &sources {
        println!("cargo:rerun-if-changed={}", src.display());
        let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
        let obj = obj_dir.join(format!("{stem}.o"));
        let mut cmd = Command::new(&cc);
        cmd.args(&flags).arg("-c").arg(src).arg("-o").arg(&obj);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
        jobs.push((child, src.clone()));
        objects.push(obj);
    }
    for (mut child, src) in jobs {
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "firmheap: {cc} failed on {}", src.display());
    }

    let lib = out.join("libfirmheap.a");
    let _ = fs::remove_file(&lib);
    run(Command::new(archiver_for(&cc)).arg("rcs").arg(&lib).args(&objects));

    link(&out);
}

fn link(out: &Path) {
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=firmheap");
}
