//! FirmHeap as the global allocator under cargo's default test harness,
//! which runs the tests below on worker threads at once; one of them adds
//! eight threads of its own. Everything the program allocates, the harness
//! included, comes from the default heap, so this holds only if fh_lock is a
//! real lock on the host (the crate's `lock` feature, src/host_lock.rs).
//! Each thread checks its own data after churning: a race in the heap would
//! hand one block to two owners.
use std::collections::BTreeMap;
use std::thread;

#[global_allocator]
static HEAP: firmheap::FirmHeap = firmheap::FirmHeap;

/// Allocates, fills with a tag, grows, checks, frees; `rounds` times.
fn churn(tag: u32, rounds: u32) {
    let mut kept: Vec<Vec<u32>> = Vec::new();
    for r in 0..rounds {
        let mut v: Vec<u32> = (0..(r % 97) + 1).map(|i| tag ^ i).collect();
        v.extend(std::iter::repeat(tag).take((r % 13) as usize));
        let s: String = format!("{tag}-{r}");
        assert!(s.starts_with(&tag.to_string()));
        kept.push(v);
        if kept.len() > 32 {
            let old = kept.remove((r as usize * 7) % kept.len());
            assert!(old.iter().enumerate().all(|(i, &x)| x == tag ^ i as u32 || x == tag));
        }
    }
    for v in &kept {
        assert!(v.iter().enumerate().all(|(i, &x)| x == tag ^ i as u32 || x == tag));
    }
}

#[test]
fn vectors_and_strings() {
    churn(1, 12000);
}

#[test]
fn btree_maps() {
    let mut m = BTreeMap::new();
    for i in 0..5000u32 {
        m.insert(i.wrapping_mul(2654435761), i);
    }
    for i in 0..5000u32 {
        assert_eq!(m.remove(&i.wrapping_mul(2654435761)), Some(i));
    }
}

#[test]
fn eight_more_threads() {
    let handles: Vec<_> = (10..18).map(|tag| thread::spawn(move || churn(tag, 5000))).collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn the_heap_stays_consistent() {
    for _ in 0..50 {
        churn(99, 100);
        assert!(HEAP.check());
    }
}
