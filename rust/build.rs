//! Builds the C core (../src/*.c) into libfirmheap.a and links it.
//!
//! No `cc` crate: the crate has no dependencies at all, so it builds offline.
//! The compiler and CPU flags per target come from the firmheap tree's one
//! table of cores, mk/cores.txt (the Makefile and CMake read it too), the
//! warning and freestanding flags from mk/lib-flags.txt. Two environment
//! variables override the choice for targets the table does not list:
//!   FIRMHEAP_CC      the C compiler (its archiver is found by name: ...gcc -> ...ar)
//!   FIRMHEAP_CFLAGS  CPU flags, e.g. "-mcpu=cortex-m7 -mthumb"
//! and FIRMHEAP_ROOT points at the firmheap tree if the crate was moved.
//! Feature `bump` compiles the default heap over the bump allocator
//! (FH_BACKEND_BUMP=1), as C builds choose it.
//!
//! The same program also runs outside cargo (mk/part-rust.mk compiles and runs
//! it for the firmware), so it reads only the variables cargo documents.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// Reads a whitespace-separated table: comment and blank lines dropped,
/// each row split into its first `fixed` words and the rest of the line.
fn read_table(path: &Path, fixed: usize) -> Vec<(Vec<String>, String)> {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("firmheap: cannot read {}: {e}", path.display()));
    println!("cargo:rerun-if-changed={}", path.display());
    let mut rows = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut rest = line;
        let mut words = Vec::new();
        for _ in 0..fixed {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
        rows.push((words, rest.to_string()));
    }
    rows
}

fn split(flags: &str) -> Vec<String> {
    flags.split_whitespace().map(String::from).collect()
}

/// A flag set of mk/lib-flags.txt by name.
fn lib_flags(root: &Path, name: &str) -> Vec<String> {
    read_table(&root.join("mk/lib-flags.txt"), 1)
        .into_iter()
        .find(|(w, _)| w[0] == name)
        .map(|(_, flags)| split(&flags))
        .unwrap_or_else(|| panic!("firmheap: mk/lib-flags.txt has no '{name}' line"))
}

/// Compiler and CPU flags for a Rust target triple: the first core of
/// mk/cores.txt that lists it (columns: core, compiler, Rust targets, flags).
fn cross_core(root: &Path, target: &str) -> Option<(String, Vec<String>)> {
    read_table(&root.join("mk/cores.txt"), 3)
        .into_iter()
        .find(|(w, _)| w[2].split(',').any(|t| t == target))
        .map(|(w, flags)| (w[1].clone(), split(&flags)))
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
    let cross = |cc: String, mut cpu: Vec<String>| {
        cpu.extend(lib_flags(&root, "cross"));
        cpu.extend(lib_flags(&root, "freestanding"));
        (cc, cpu)
    };
    let (cc, mut flags): (String, Vec<String>) = if let Ok(cc) = env::var("FIRMHEAP_CC") {
        cross(cc, split(&env::var("FIRMHEAP_CFLAGS").unwrap_or_default()))
    } else if target == host {
        // On a host with an OS the C library's malloc family must not
        // replace libc's (a static archive wins over libc.so, and std's
        // System allocator would silently run on the default heap): rename
        // it, as the host tests in mk/host-tests.mk do.
        let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
        (cc, split("-std=c11 -O2 -g -fPIC -DFH_MALLOC_PREFIX=fh_host_"))
    } else if let Some((cc, cpu)) = cross_core(&root, &target) {
        cross(cc, cpu)
    } else {
        panic!("firmheap: no core in mk/cores.txt for target {target}; set FIRMHEAP_CC and FIRMHEAP_CFLAGS");
    };
    flags.extend(lib_flags(&root, "warn"));
    if env::var_os("CARGO_FEATURE_BUMP").is_some() {
        flags.push("-DFH_BACKEND_BUMP=1".into());
    }
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
    // Feature `lock` supplies it (an interrupt mask on bare metal, a real
    // lock on the host); without the feature the program brings its own,
    // except on the host, where the opt-in no-op serves.
    if target == host && env::var_os("CARGO_FEATURE_LOCK").is_none() {
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
