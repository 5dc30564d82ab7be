//! The `vermilion-server` binary: parses redis-server style arguments,
//! then runs the server until SIGTERM, SIGINT or SHUTDOWN.

use vermilion::{notice, warning};

// jemalloc: low fragmentation for many small allocations, and statistics
// for INFO memory (used_memory), as Redis uses it.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("-v" | "--version")) {
        println!(
            "Vermilion server v={} (redis-compatible v={})",
            vermilion::VERMILION_VERSION,
            vermilion::REDIS_VERSION
        );
        return;
    }
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        println!("Usage: vermilion-server [/path/to/redis.conf] [--directive value ...]");
        return;
    }
    let cfg = match vermilion::config_from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = vermilion::prepare_process(&cfg) {
        warning!("{e}");
        std::process::exit(1);
    }
    notice!(
        "Vermilion {} starting (redis-compatible {}), pid={}",
        vermilion::VERMILION_VERSION,
        vermilion::REDIS_VERSION,
        std::process::id()
    );
    for name in cfg.inert_in_use() {
        warning!("Directive '{name}' is accepted but has no effect yet in this version.");
    }
    let port = cfg.value("port").unwrap_or("6379").to_string();
    // io-threads 1 (the default, as in Redis) runs every connection on one
    // event-loop thread: on two cores shared with the clients, that spends
    // the fewest instructions and context switches per request (measured in
    // docs/benchmarks.md). io-threads N > 1 spreads connections over N threads.
    let io_threads: usize = cfg.value("io-threads").and_then(|v| v.parse().ok()).unwrap_or(1);
    let rt = if io_threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(io_threads).enable_all().build()
    }
    .expect("tokio runtime");
    let shared = vermilion::Shared::new(cfg);
    notice!("Server initialized, port={port}");
    // Refuse to start on a dump that cannot be loaded, as Redis does: starting
    // empty would let the next save overwrite the operator's data.
    // With appendonly yes the AOF is the dataset (loaded as the server
    // starts its services) and the dump file is ignored, as in Redis.
    let aof_on = shared.config.read().value("appendonly") == Some("yes");
    if aof_on {
        // Loaded by server::spawn_services.
    } else if let Err(e) = vermilion::snapshot::load_at_startup(&shared) {
        warning!("{e}");
        std::process::exit(1);
    }
    let code = rt.block_on(vermilion::server::run(shared));
    std::process::exit(code);
}
