//! MEMORY commands: USAGE, STATS, DOCTOR, PURGE, MALLOC-STATS, HELP, and
//! the memory breakdown (overhead vs dataset) that INFO memory shares.
//! Eviction itself lives in `evict.rs`; the figures come from `memory.rs`.

use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdResult};
use crate::memory;
use keyspace::Entry;
use std::sync::atomic::Ordering;

pub static COMMANDS: &[CommandSpec] =
    &[container("memory", &["slow"], "server", "4.0.0", "A container for memory diagnostics commands", MEMORY)];

static MEMORY: &[CommandSpec] = &[
    spec("doctor", 2, 0, (0, 0, 0), &["slow"], "server", "4.0.0", "Outputs memory problems report", doctor),
    spec(
        "help",
        2,
        LOADING | STALE,
        (0, 0, 0),
        &["slow"],
        "server",
        "4.0.0",
        "Show helpful text about the different subcommands",
        help,
    ),
    spec("malloc-stats", 2, 0, (0, 0, 0), &["slow"], "server", "4.0.0", "Show allocator internal stats", malloc_stats),
    spec("purge", 2, 0, (0, 0, 0), &["slow"], "server", "4.0.0", "Ask the allocator to release memory", purge),
    spec("stats", 2, 0, (0, 0, 0), &["slow"], "server", "4.0.0", "Show memory usage details", stats),
    spec(
        "usage",
        -3,
        READONLY,
        (2, 2, 1),
        &["read", "slow"],
        "server",
        "4.0.0",
        "Estimate the memory usage of a key",
        usage,
    ),
];

/// Bytes one key costs beyond its value: the entry block (jemalloc's 80-byte
/// class holds it exactly), its bucket pointer, and a key too long to inline.
fn key_overhead(e: &Entry) -> usize {
    std::mem::size_of::<Entry>() + std::mem::size_of::<usize>() + e.key.heap_size()
}

/// MEMORY USAGE key [SAMPLES count]
///
/// Bytes of the entry, key and value. Redis samples nested elements because
/// it would otherwise walk them all; our collections keep their byte counts
/// as they change, so the figure is exact without sampling and SAMPLES only
/// needs validating (0 = all, negative is a syntax error, as in Redis).
fn usage(ctx: &mut Ctx) -> CmdResult {
    let mut j = 3;
    while j < ctx.argc() {
        if eq(ctx.arg(j), "samples") && j + 1 < ctx.argc() {
            if ctx.int_arg(j + 1)? < 0 {
                return Err(errors::SYNTAX.into());
            }
            j += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let db = ctx.db();
    let key = ctx.argv[2].clone();
    match ctx.store.ks.lookup(db, &key, false) {
        Some(e) => {
            let n = key_overhead(e) + e.value.heap_size();
            ctx.out.int(n as i64);
        }
        None => ctx.out.null(),
    }
    Ok(())
}

/// Where used memory goes, as INFO memory and MEMORY STATS report it.
pub struct Breakdown {
    pub used: u64,
    pub peak: u64,
    pub startup: u64,
    pub clients_normal: u64,
    /// Per non-empty database: (index, key-table bytes, expire-table bytes).
    pub dbs: Vec<(usize, u64, u64)>,
    pub overhead: u64,
    pub keys: u64,
    pub dataset: u64,
}

/// Computes the breakdown. The key tables' own bytes (buckets and the
/// entries, which hold key, TTL and LRU/LFU data) count as overhead, as
/// Redis counts its dict entries; there is no separate expire table.
pub fn breakdown(ctx: &Ctx) -> Breakdown {
    // Also recalibrates the fast counter the eviction check reads.
    let used = memory::calibrate();
    let peak = ctx.shared.peak_memory.fetch_max(used, Ordering::Relaxed).max(used);
    let startup = ctx.shared.startup_memory.load(Ordering::Relaxed);
    let clients_normal: u64 = ctx.shared.clients.lock().values().map(|c| c.memory() as u64).sum();
    let ks = &ctx.store.ks;
    let mut dbs = Vec::new();
    let mut keys = 0u64;
    let mut overhead = startup + clients_normal + memory::NOT_COUNTED_FOR_EVICT.load(Ordering::Relaxed);
    for i in 0..ks.db_count() {
        let d = ks.db(i);
        if d.is_empty() {
            continue;
        }
        let main = (d.dict.slots() * std::mem::size_of::<usize>() + d.len() * std::mem::size_of::<Entry>()) as u64;
        dbs.push((i, main, 0));
        overhead += main;
        keys += d.len() as u64;
    }
    let dataset = used.saturating_sub(overhead);
    Breakdown { used, peak, startup, clients_normal, dbs, overhead, keys, dataset }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// MEMORY STATS: the same keys, in the same order, as Redis 7.0.
fn stats(ctx: &mut Ctx) -> CmdResult {
    let b = breakdown(ctx);
    let (allocated, active, resident) = memory::allocator_stats();
    let (allocated, active, resident) = (allocated as u64, active as u64, resident as u64);
    let rss = memory::rss() as u64;
    let diff = |a: u64, b: u64| a as i64 - b as i64;
    let out = &mut *ctx.out;
    out.map(27 + b.dbs.len());
    let int = |out: &mut resp::Out, k: &str, v: i64| {
        out.bulk(k.as_bytes());
        out.int(v);
    };
    let dbl = |out: &mut resp::Out, k: &str, v: f64| {
        out.bulk(k.as_bytes());
        out.double(v);
    };
    int(out, "peak.allocated", b.peak as i64);
    int(out, "total.allocated", b.used as i64);
    int(out, "startup.allocated", b.startup as i64);
    int(out, "replication.backlog", 0);
    int(out, "clients.slaves", 0);
    int(out, "clients.normal", b.clients_normal as i64);
    int(out, "cluster.links", 0);
    int(out, "aof.buffer", memory::NOT_COUNTED_FOR_EVICT.load(Ordering::Relaxed) as i64);
    int(out, "lua.caches", 0);
    int(out, "functions.caches", 0);
    for &(i, main, expires) in &b.dbs {
        out.bulk(format!("db.{i}").as_bytes());
        out.map(3);
        int(out, "overhead.hashtable.main", main as i64);
        int(out, "overhead.hashtable.expires", expires as i64);
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", b.overhead as i64);
    int(out, "keys.count", b.keys as i64);
    let net = b.used.saturating_sub(b.startup);
    int(out, "keys.bytes-per-key", net.checked_div(b.keys).unwrap_or(0) as i64);
    int(out, "dataset.bytes", b.dataset as i64);
    dbl(out, "dataset.percentage", ratio(b.dataset, net) * 100.0);
    dbl(out, "peak.percentage", ratio(b.used, b.peak) * 100.0);
    int(out, "allocator.allocated", allocated as i64);
    int(out, "allocator.active", active as i64);
    int(out, "allocator.resident", resident as i64);
    dbl(out, "allocator-fragmentation.ratio", ratio(active, allocated));
    int(out, "allocator-fragmentation.bytes", diff(active, allocated));
    dbl(out, "allocator-rss.ratio", ratio(resident, active));
    int(out, "allocator-rss.bytes", diff(resident, active));
    dbl(out, "rss-overhead.ratio", ratio(rss, resident));
    int(out, "rss-overhead.bytes", diff(rss, resident));
    dbl(out, "fragmentation", ratio(rss, b.used));
    int(out, "fragmentation.bytes", diff(rss, b.used));
    Ok(())
}

/// Below this much used memory the doctor declines to judge, as Redis's does.
const DOCTOR_MIN_USED: u64 = 5 * 1024 * 1024;
/// Fragmentation in bytes below which a high ratio is not worth reporting.
const DOCTOR_MIN_FRAG_BYTES: i64 = 10 * 1024 * 1024;

/// MEMORY DOCTOR: a short report of likely memory problems, with the
/// conditions and wording Redis uses.
fn doctor(ctx: &mut Ctx) -> CmdResult {
    let b = breakdown(ctx);
    let (allocated, active, resident) = memory::allocator_stats();
    let (allocated, active, resident) = (allocated as u64, active as u64, resident as u64);
    let rss = memory::rss() as u64;
    let nclients = ctx.shared.client_count.load(Ordering::Relaxed).max(1) as u64;
    let report = if b.used < DOCTOR_MIN_USED {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n".to_string()
    } else {
        let mut issues: Vec<String> = Vec::new();
        if ratio(b.peak, b.used) > 1.5 {
            issues.push(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n".into());
        }
        let frag = |a: u64, c: u64| ratio(a, c) > 1.1 && a as i64 - c as i64 > DOCTOR_MIN_FRAG_BYTES;
        if ratio(rss, b.used) > 1.4 && rss as i64 - b.used as i64 > DOCTOR_MIN_FRAG_BYTES {
            issues.push((" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"jemalloc-5.3.0\".\n\n").into());
        }
        if frag(active, allocated) {
            issues.push((" * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n").into());
        }
        if frag(resident, active) {
            issues.push(" * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n".into());
        }
        if frag(rss, resident) {
            issues.push(" * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n".into());
        }
        if b.clients_normal / nclients > 200 * 1024 {
            issues.push(" * Big client buffers: The clients output buffers are in general very big (on average more than 200 KB per client), this may happen if the output or query buffers of clients are too big, because of a slow consumer or a client that sends a huge amount of data. Please check the settings of client-output-buffer-limit and client-query-buffer-limit.\n\n".into());
        }
        if issues.is_empty() {
            "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
                .to_string()
        } else {
            let mut s = String::from("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
            for i in issues {
                s.push_str(&i);
            }
            s.push_str("I'm here to keep you safe, Sam. I want to help you.\n");
            s
        }
    };
    ctx.out.verbatim("txt", report.as_bytes());
    Ok(())
}

/// MEMORY PURGE: returns jemalloc's dirty pages to the system.
fn purge(ctx: &mut Ctx) -> CmdResult {
    memory::purge();
    ctx.out.ok();
    Ok(())
}

/// MEMORY MALLOC-STATS: jemalloc's own statistics report.
fn malloc_stats(ctx: &mut Ctx) -> CmdResult {
    let text = memory::malloc_stats();
    ctx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

/// MEMORY HELP
fn help(ctx: &mut Ctx) -> CmdResult {
    crate::cmd::command::reply_help(
        ctx.out,
        "MEMORY",
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    );
    Ok(())
}
