//! Measures what a used_memory reading costs: jemalloc's exact figure (an
//! epoch advance plus `stats.allocated`) against the per-thread counters
//! `used_fast` sums. `cargo run --release --example memcost`.

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let n = 200_000u32;
    let mut keep = Vec::new();
    for i in 0..100_000u32 {
        keep.push(vec![i as u8; 64]);
    }
    let t = std::time::Instant::now();
    let mut s = 0u64;
    for _ in 0..n {
        s = s.wrapping_add(vermilion::memory::allocated() as u64);
    }
    let exact = t.elapsed().as_nanos() as f64 / n as f64;
    vermilion::memory::calibrate();
    let t = std::time::Instant::now();
    for _ in 0..n {
        s = s.wrapping_add(vermilion::memory::used_fast());
    }
    let fast = t.elapsed().as_nanos() as f64 / n as f64;
    let exact_now = vermilion::memory::used_exact();
    println!("exact (epoch + stats.allocated): {exact:.0} ns/read; used_fast: {fast:.1} ns/read");
    println!(
        "exact (minus tcache) {exact_now} fast {} ({} kept, checksum {s})",
        vermilion::memory::used_fast(),
        keep.len()
    );
}
