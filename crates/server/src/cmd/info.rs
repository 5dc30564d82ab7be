//! INFO: the server's state as Redis 7.0's text report, section by section,
//! with Redis 7.0.15's field names and order. It only reads: the counters
//! are kept by the dispatcher, the connections, the cron and the keyspace.
//!
//! Fields for features Vermilion does not have (replication, persistence
//! jobs, Lua, eviction, defrag, tracking) are reported with the values an
//! idle Redis without that activity shows, so clients that parse INFO keep
//! working.

use crate::command::{flags, spec, CommandSpec, Table};
use crate::ctx::Ctx;
use crate::errors::CmdResult;
use crate::memory;
use crate::server::now_us;
use std::fmt::Display;
use std::sync::atomic::Ordering;

pub static COMMANDS: &[CommandSpec] = &[CommandSpec {
    complexity: "O(1)",
    ..spec(
        "info",
        -1,
        flags::LOADING | flags::STALE,
        (0, 0, 0),
        &["slow", "dangerous"],
        "server",
        "1.0.0",
        "Get information and statistics about the server",
        info,
    )
}];

/// Sections in the order Redis prints them: (name, header).
const SECTIONS: &[(&str, &str)] = &[
    ("server", "Server"),
    ("clients", "Clients"),
    ("memory", "Memory"),
    ("persistence", "Persistence"),
    ("stats", "Stats"),
    ("replication", "Replication"),
    ("cpu", "CPU"),
    ("modules", "Modules"),
    ("commandstats", "Commandstats"),
    ("errorstats", "Errorstats"),
    ("latencystats", "Latencystats"),
    ("cluster", "Cluster"),
    ("keyspace", "Keyspace"),
];

/// A set of sections: bit `i` is `SECTIONS[i]`.
type Mask = u32;

const fn bit(name: &str) -> Mask {
    let mut i = 0;
    while i < SECTIONS.len() {
        if const_eq(SECTIONS[i].0, name) {
            return 1 << i;
        }
        i += 1;
    }
    panic!("unknown INFO section");
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const ALL: Mask = (1 << SECTIONS.len()) - 1;
/// Redis's default set: everything but the per-command sections.
const DEFAULT: Mask = ALL & !bit("commandstats") & !bit("latencystats");

/// The sections INFO's arguments ask for. No argument means `default`;
/// `all` and `everything` mean every section (no module adds any);
/// unknown names select nothing.
fn select<A: AsRef<[u8]>>(args: &[A]) -> Mask {
    if args.is_empty() {
        return DEFAULT;
    }
    let mut mask = 0;
    for a in args {
        let a = String::from_utf8_lossy(a.as_ref()).to_ascii_lowercase();
        mask |= match a.as_str() {
            "default" => DEFAULT,
            "all" | "everything" => ALL,
            name => SECTIONS.iter().position(|(n, _)| *n == name).map_or(0, |i| 1 << i),
        };
    }
    mask
}

/// One section's lines.
struct Section(String);

impl Section {
    fn new() -> Section {
        Section(String::new())
    }

    fn kv(&mut self, key: &str, value: impl Display) {
        use std::fmt::Write;
        let _ = write!(self.0, "{key}:{value}\r\n");
    }
}

/// Joins sections the way Redis does: `# Header` lines, a blank line
/// between sections, every line ending in CRLF.
fn assemble(sections: &[(&str, Section)]) -> String {
    let mut s = String::new();
    for (i, (header, body)) in sections.iter().enumerate() {
        if i > 0 {
            s.push_str("\r\n");
        }
        s.push_str("# ");
        s.push_str(header);
        s.push_str("\r\n");
        s.push_str(&body.0);
    }
    s
}

/// INFO [section [section ...]]
///
/// A bulk string (RESP3: a `txt` verbatim string) of the selected sections.
fn info(ctx: &mut Ctx) -> CmdResult {
    // No argument copy: INFO memory's used_memory should not count INFO's
    // own allocations (a Vec here read 16 bytes over maxmemory at the limit).
    let mask = select(&ctx.argv[1..]);
    let mut sections = Vec::new();
    for (i, (name, header)) in SECTIONS.iter().enumerate() {
        if mask & (1 << i) == 0 {
            continue;
        }
        let mut s = Section::new();
        match *name {
            "server" => server(ctx, &mut s),
            "clients" => clients(ctx, &mut s),
            "memory" => memory_section(ctx, &mut s),
            "persistence" => persistence(ctx, &mut s),
            "stats" => stats(ctx, &mut s),
            "replication" => replication(ctx, &mut s),
            "cpu" => cpu(&mut s),
            "commandstats" => commandstats(ctx, &mut s),
            "errorstats" => errorstats(ctx, &mut s),
            "cluster" => s.kv("cluster_enabled", 0),
            "keyspace" => keyspace_section(ctx, &mut s),
            "latencystats" => latencystats(ctx, &mut s),
            // modules: none can be loaded.
            _ => {}
        }
        sections.push((*header, s));
    }
    ctx.out.verbatim("txt", assemble(&sections).as_bytes());
    Ok(())
}

/// `sysname release machine`, as `uname -srm` prints them.
fn os_name() -> String {
    // SAFETY: utsname is plain old data; uname fills it with NUL-terminated
    // strings and we read them only on success.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return String::new();
        }
        let f = |p: &[libc::c_char]| std::ffi::CStr::from_ptr(p.as_ptr()).to_string_lossy().into_owned();
        format!("{} {} {}", f(&u.sysname), f(&u.release), f(&u.machine))
    }
}

/// A build id stable for a given version (Redis hashes its build; we hash
/// our version string, FNV-1a).
fn build_id() -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in format!("vermilion-{}", crate::VERMILION_VERSION).bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:x}")
}

/// The replication id: 40 hex digits, stable for the process, distinct
/// from the run id (each digit of the run id mapped through a fixed
/// permutation of 0..16).
fn master_replid(run_id: &str) -> String {
    run_id
        .chars()
        .map(|c| c.to_digit(16).map_or('0', |d| char::from_digit((d * 7 + 5) % 16, 16).unwrap_or('0')))
        .collect()
}

fn server(ctx: &Ctx, s: &mut Section) {
    let sh = ctx.shared;
    let (hz, supervised, config_file) = {
        let c = sh.config.read();
        let sup = match c.value("supervised").unwrap_or("no") {
            "auto" => "no".to_string(),
            v => v.to_string(),
        };
        (c.hot.hz, sup, c.file.as_ref().map(|p| p.display().to_string()).unwrap_or_default())
    };
    let uptime = sh.start.elapsed().as_secs();
    let now = now_us();
    s.kv("redis_version", crate::REDIS_VERSION);
    s.kv("redis_git_sha1", "00000000");
    s.kv("redis_git_dirty", 0);
    s.kv("redis_build_id", build_id());
    s.kv("redis_mode", "standalone");
    s.kv("os", os_name());
    s.kv("arch_bits", usize::BITS);
    s.kv("monotonic_clock", "POSIX clock_gettime");
    s.kv("multiplexing_api", "epoll");
    s.kv("atomicvar_api", "c11-builtin");
    // Redis prints its C compiler's version; there is none here.
    s.kv("gcc_version", "0.0.0");
    s.kv("process_id", std::process::id());
    s.kv("process_supervised", supervised);
    s.kv("run_id", &sh.run_id);
    s.kv("tcp_port", sh.tcp_port.load(Ordering::Relaxed));
    s.kv("server_time_usec", now);
    s.kv("uptime_in_seconds", uptime);
    s.kv("uptime_in_days", uptime / 86400);
    s.kv("hz", hz);
    s.kv("configured_hz", hz);
    s.kv("lru_clock", (now / 1_000_000) & ((1 << 24) - 1));
    s.kv("executable", &sh.executable);
    s.kv("config_file", config_file);
    s.kv("io_threads_active", 0);
    s.kv("vermilion_version", crate::VERMILION_VERSION);
}

fn clients(ctx: &Ctx, s: &mut Section) {
    let maxclients = ctx.shared.config.read().hot.maxclients;
    let (n, max_qbuf, max_omem) = {
        let clients = ctx.shared.clients.lock();
        let max_in = clients.values().map(|c| c.qbuf_cap.load(Ordering::Relaxed)).max().unwrap_or(0);
        let max_out = clients.values().map(|c| c.output_split().2).max().unwrap_or(0);
        let (recent_in, recent_out) = ctx.shared.recent_peaks.lock().max(crate::server::now_ms() / 1000);
        (clients.len(), max_in.max(recent_in), max_out.max(recent_out))
    };
    s.kv("connected_clients", n);
    s.kv("cluster_connections", 0);
    s.kv("maxclients", maxclients);
    // The largest buffers of the last 8 seconds, as Redis reports them
    // (query buffer capacity, and output beyond the 16 KiB reply buffer,
    // as Redis counts it), and at least the largest ones right now.
    s.kv("client_recent_max_input_buffer", max_qbuf);
    s.kv("client_recent_max_output_buffer", max_omem);
    s.kv("blocked_clients", ctx.store.blocking.len());
    s.kv("tracking_clients", 0);
    s.kv("clients_in_timeout_table", 0);
}

/// `a / b` with two decimals, 0 when `b` is 0 (Redis's ratios).
fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        "0.00".into()
    } else {
        format!("{:.2}", a as f64 / b as f64)
    }
}

fn memory_section(ctx: &Ctx, s: &mut Section) {
    let b = crate::cmd::memory::breakdown(ctx);
    let used = b.used;
    let (allocated, active, resident) = memory::allocator_stats();
    let (allocated, active, resident) = (allocated as u64, active as u64, resident as u64);
    let rss = memory::rss() as u64;
    // INFO refreshes the peak too, as Redis does, so peak >= used always.
    let peak = b.peak;
    let (maxmemory, policy) = {
        let c = ctx.shared.config.read();
        (
            c.value("maxmemory").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0),
            c.value("maxmemory-policy").unwrap_or("noeviction").to_string(),
        )
    };
    let clients_mem = b.clients_normal;
    let startup = b.startup;
    let overhead = b.overhead;
    let dataset = b.dataset;
    let net = used.saturating_sub(startup);
    let total_mem = memory::total_system_memory() as u64;
    let diff = |a: u64, b: u64| a as i64 - b as i64;
    s.kv("used_memory", used);
    s.kv("used_memory_human", memory::human(used));
    s.kv("used_memory_rss", rss);
    s.kv("used_memory_rss_human", memory::human(rss));
    s.kv("used_memory_peak", peak);
    s.kv("used_memory_peak_human", memory::human(peak));
    s.kv("used_memory_peak_perc", format!("{:.2}%", if peak == 0 { 0.0 } else { used as f64 * 100.0 / peak as f64 }));
    s.kv("used_memory_overhead", overhead);
    s.kv("used_memory_startup", startup);
    s.kv("used_memory_dataset", dataset);
    s.kv(
        "used_memory_dataset_perc",
        format!("{:.2}%", if net == 0 { 0.0 } else { dataset as f64 * 100.0 / net as f64 }),
    );
    s.kv("allocator_allocated", allocated);
    s.kv("allocator_active", active);
    s.kv("allocator_resident", resident);
    s.kv("total_system_memory", total_mem);
    s.kv("total_system_memory_human", memory::human(total_mem));
    // Both interpreters are made on first use: 0 until then.
    let (lua, scripts, cached) = ctx
        .store
        .lua
        .as_ref()
        .map_or((0, 0, 0), |e| (e.used_memory() as u64, e.scripts_memory() as u64, e.len() as u64));
    let (fvm, nfuncs, nlibs, fmem) = ctx.store.functions.as_ref().map_or((0, 0, 0, 0), |f| {
        let code: usize = f.libraries.values().map(|l| l.code.len() + l.name.len() + 64).sum();
        (f.used_memory() as u64, f.functions.len() as u64, f.libraries.len() as u64, code as u64)
    });
    s.kv("used_memory_lua", lua);
    s.kv("used_memory_vm_eval", lua);
    s.kv("used_memory_lua_human", memory::human(lua));
    s.kv("used_memory_scripts_eval", scripts);
    s.kv("number_of_cached_scripts", cached);
    s.kv("number_of_functions", nfuncs);
    s.kv("number_of_libraries", nlibs);
    s.kv("used_memory_vm_functions", fvm);
    s.kv("used_memory_vm_total", lua + fvm);
    s.kv("used_memory_vm_total_human", memory::human(lua + fvm));
    s.kv("used_memory_functions", fmem);
    s.kv("used_memory_scripts", scripts + fmem);
    s.kv("used_memory_scripts_human", memory::human(scripts + fmem));
    s.kv("maxmemory", maxmemory);
    s.kv("maxmemory_human", memory::human(maxmemory));
    s.kv("maxmemory_policy", policy);
    s.kv("allocator_frag_ratio", ratio(active, allocated));
    s.kv("allocator_frag_bytes", diff(active, allocated));
    s.kv("allocator_rss_ratio", ratio(resident, active));
    s.kv("allocator_rss_bytes", diff(resident, active));
    s.kv("rss_overhead_ratio", ratio(rss, resident));
    s.kv("rss_overhead_bytes", diff(rss, resident));
    s.kv("mem_fragmentation_ratio", ratio(rss, used));
    s.kv("mem_fragmentation_bytes", diff(rss, used));
    s.kv("mem_not_counted_for_evict", memory::NOT_COUNTED_FOR_EVICT.load(Ordering::Relaxed));
    s.kv("mem_replication_backlog", 0);
    s.kv("mem_total_replication_buffers", 0);
    s.kv("mem_clients_slaves", 0);
    s.kv("mem_clients_normal", clients_mem);
    s.kv("mem_cluster_links", 0);
    s.kv("mem_aof_buffer", 0);
    s.kv("mem_allocator", "jemalloc-5.3.0");
    s.kv("active_defrag_running", 0);
    s.kv("lazyfree_pending_objects", 0);
    s.kv("lazyfreed_objects", 0);
}

fn persistence(ctx: &Ctx, s: &mut Section) {
    let st = &*ctx.store;
    s.kv("loading", 0);
    s.kv("async_loading", 0);
    s.kv("current_cow_peak", 0);
    s.kv("current_cow_size", 0);
    s.kv("current_cow_size_age", 0);
    s.kv("current_fork_perc", "0.00");
    let r = &st.rdb;
    let (done, total) = if r.in_progress { (r.keys_done.load(Ordering::Relaxed), r.keys_total) } else { (0, 0) };
    s.kv("current_save_keys_processed", done);
    s.kv("current_save_keys_total", total);
    s.kv("rdb_changes_since_last_save", st.dirty);
    s.kv("rdb_bgsave_in_progress", r.in_progress as u8);
    s.kv("rdb_last_save_time", st.lastsave);
    s.kv("rdb_last_bgsave_status", if r.last_ok { "ok" } else { "err" });
    s.kv("rdb_last_bgsave_time_sec", r.last_time_sec);
    s.kv("rdb_current_bgsave_time_sec", r.started.map_or(-1, |t| t.elapsed().as_secs() as i64));
    s.kv("rdb_saves", r.saves);
    s.kv("rdb_last_cow_size", 0);
    s.kv("rdb_last_load_keys_expired", r.loaded_expired);
    s.kv("rdb_last_load_keys_loaded", r.loaded_keys);
    let aof = &ctx.shared.aof;
    let on = aof.enabled.load(Ordering::Relaxed);
    let a = aof.state.lock();
    s.kv("aof_enabled", on as u8);
    s.kv("aof_rewrite_in_progress", a.rewrite_in_progress as u8);
    s.kv("aof_rewrite_scheduled", a.rewrite_scheduled as u8);
    s.kv("aof_last_rewrite_time_sec", a.last_rewrite_secs);
    let current = if a.rewrite_in_progress {
        ((crate::server::now_ms().saturating_sub(a.rewrite_started_ms)) / 1000) as i64
    } else {
        -1
    };
    s.kv("aof_current_rewrite_time_sec", current);
    s.kv("aof_last_bgrewrite_status", if a.last_rewrite_ok { "ok" } else { "err" });
    s.kv("aof_rewrites", a.rewrites);
    s.kv("aof_rewrites_consecutive_failures", a.consecutive_failures);
    s.kv("aof_last_write_status", if a.last_write_ok { "ok" } else { "err" });
    s.kv("aof_last_cow_size", 0);
    let (base, delayed) = (a.base_size, a.delayed_fsync);
    drop(a);
    s.kv("module_fork_in_progress", 0);
    s.kv("module_fork_last_cow_size", 0);
    if on {
        s.kv("aof_current_size", aof.current_size());
        s.kv("aof_base_size", base);
        s.kv("aof_pending_rewrite", 0);
        s.kv("aof_buffer_length", aof.buffer_len());
        s.kv("aof_pending_bio_fsync", aof.pending_fsync() as u8);
        s.kv("aof_delayed_fsync", delayed);
    }
}

fn stats(ctx: &Ctx, s: &mut Section) {
    let st = &*ctx.store;
    let net = &ctx.shared.net;
    let ld = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
    let ks = &st.ks.stats;
    s.kv("total_connections_received", ld(&net.connections_received));
    s.kv("total_commands_processed", st.total_commands);
    let (ops, inb, outb) = ctx.shared.metrics.lock().rates();
    s.kv("instantaneous_ops_per_sec", ops as u64);
    s.kv("total_net_input_bytes", ld(&net.net_input_bytes));
    s.kv("total_net_output_bytes", ld(&net.net_output_bytes));
    s.kv("total_net_repl_input_bytes", 0);
    s.kv("total_net_repl_output_bytes", 0);
    s.kv("instantaneous_input_kbps", format!("{:.2}", inb / 1024.0));
    s.kv("instantaneous_output_kbps", format!("{:.2}", outb / 1024.0));
    s.kv("instantaneous_input_repl_kbps", "0.00");
    s.kv("instantaneous_output_repl_kbps", "0.00");
    s.kv("rejected_connections", ld(&net.rejected_connections));
    s.kv("sync_full", 0);
    s.kv("sync_partial_ok", 0);
    s.kv("sync_partial_err", 0);
    s.kv("expired_keys", ks.expired_keys);
    s.kv("expired_stale_perc", format!("{:.2}", ks.expired_stale_perc));
    s.kv("expired_time_cap_reached_count", ks.expired_time_cap_reached_count);
    s.kv("expire_cycle_cpu_milliseconds", ctx.shared.expire_cpu_us.load(Ordering::Relaxed) / 1000);
    s.kv("evicted_keys", ks.evicted_keys);
    s.kv("evicted_clients", 0);
    let ev = &ctx.shared.evict;
    let since = ev.exceeded_since_us.load(Ordering::Relaxed);
    let current_us = if since == 0 { 0 } else { crate::server::now_us().saturating_sub(since) };
    s.kv("total_eviction_exceeded_time", (ev.exceeded_total_us.load(Ordering::Relaxed) + current_us) / 1000);
    s.kv("current_eviction_exceeded_time", current_us / 1000);
    s.kv("keyspace_hits", ks.keyspace_hits);
    s.kv("keyspace_misses", ks.keyspace_misses);
    s.kv("pubsub_channels", ctx.store.pubsub.num_channels(false));
    s.kv("pubsub_patterns", ctx.store.pubsub.numpat());
    s.kv("pubsubshard_channels", ctx.store.pubsub.num_channels(true));
    s.kv("latest_fork_usec", 0);
    s.kv("total_forks", 0);
    s.kv("migrate_cached_sockets", 0);
    s.kv("slave_expires_tracked_keys", 0);
    s.kv("active_defrag_hits", 0);
    s.kv("active_defrag_misses", 0);
    s.kv("active_defrag_key_hits", 0);
    s.kv("active_defrag_key_misses", 0);
    s.kv("total_active_defrag_time", 0);
    s.kv("current_active_defrag_time", 0);
    s.kv("tracking_total_keys", 0);
    s.kv("tracking_total_items", 0);
    s.kv("tracking_total_prefixes", 0);
    s.kv("unexpected_error_replies", 0);
    s.kv("total_error_replies", st.total_error_replies);
    s.kv("dump_payload_sanitizations", 0);
    s.kv("total_reads_processed", ld(&net.reads_processed));
    s.kv("total_writes_processed", ld(&net.writes_processed));
    s.kv("io_threaded_reads_processed", 0);
    s.kv("io_threaded_writes_processed", 0);
    s.kv("reply_buffer_shrinks", 0);
    s.kv("reply_buffer_expands", 0);
}

fn replication(ctx: &Ctx, s: &mut Section) {
    s.kv("role", "master");
    s.kv("connected_slaves", 0);
    s.kv("master_failover_state", "no-failover");
    s.kv("master_replid", master_replid(&ctx.shared.run_id));
    s.kv("master_replid2", "0".repeat(40));
    s.kv("master_repl_offset", 0);
    s.kv("second_repl_offset", -1);
    s.kv("repl_backlog_active", 0);
    s.kv("repl_backlog_size", 1048576);
    s.kv("repl_backlog_first_byte_offset", 0);
    s.kv("repl_backlog_histlen", 0);
}

/// (system, user) CPU time of `who` as Redis prints it: `seconds.micros`.
fn rusage(who: libc::c_int) -> (String, String) {
    // SAFETY: getrusage only writes the struct we pass.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(who, &mut ru) != 0 {
            return ("0.000000".into(), "0.000000".into());
        }
        ru
    };
    let tv = |t: libc::timeval| format!("{}.{:06}", t.tv_sec, t.tv_usec);
    (tv(ru.ru_stime), tv(ru.ru_utime))
}

fn cpu(s: &mut Section) {
    let (sys, user) = rusage(libc::RUSAGE_SELF);
    let (csys, cuser) = rusage(libc::RUSAGE_CHILDREN);
    // Commands run on whichever runtime worker holds the store lock; the
    // thread answering INFO stands in for Redis's main thread.
    let (tsys, tuser) = rusage(libc::RUSAGE_THREAD);
    s.kv("used_cpu_sys", sys);
    s.kv("used_cpu_user", user);
    s.kv("used_cpu_sys_children", csys);
    s.kv("used_cpu_user_children", cuser);
    s.kv("used_cpu_sys_main_thread", tsys);
    s.kv("used_cpu_user_main_thread", tuser);
}

fn commandstats(ctx: &Ctx, s: &mut Section) {
    let table = Table::get();
    for (id, (spec, parent)) in table.all.iter().enumerate() {
        let Some(c) = ctx.store.cmd_stats.get(id) else { continue };
        if c.calls == 0 && c.failed == 0 && c.rejected == 0 {
            continue;
        }
        let name = crate::command::fullname(spec, *parent);
        let per_call = if c.calls == 0 { 0.0 } else { c.usec as f64 / c.calls as f64 };
        s.kv(
            &format!("cmdstat_{name}"),
            format!(
                "calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}",
                c.calls, c.usec, per_call, c.rejected, c.failed
            ),
        );
    }
}

fn latencystats(ctx: &Ctx, s: &mut Section) {
    let percentiles: Vec<f64> = ctx
        .shared
        .config
        .read()
        .value("latency-tracking-info-percentiles")
        .unwrap_or("50 99 99.9")
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    for (id, (spec, parent)) in Table::get().all.iter().enumerate() {
        let Some(h) = ctx.store.cmd_stats.get(id).and_then(|c| c.latency.as_ref()).filter(|h| !h.is_empty()) else {
            continue;
        };
        let name = crate::command::fullname(spec, *parent);
        s.kv(&format!("latency_percentiles_usec_{name}"), crate::latency::format(h, &percentiles));
    }
}

fn errorstats(ctx: &Ctx, s: &mut Section) {
    for (code, n) in &ctx.store.error_stats {
        s.kv(&format!("errorstat_{code}"), format!("count={n}"));
    }
}

fn keyspace_section(ctx: &Ctx, s: &mut Section) {
    let ks = &ctx.store.ks;
    for i in 0..ks.db_count() {
        let db = ks.db(i);
        if db.is_empty() {
            continue;
        }
        s.kv(&format!("db{i}"), format!("keys={},expires={},avg_ttl={}", db.len(), db.volatile(), db.avg_ttl()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(mask: Mask) -> Vec<&'static str> {
        SECTIONS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, (n, _))| *n).collect()
    }

    #[test]
    fn no_argument_is_the_default_set() {
        let d = names(select::<&[u8]>(&[]));
        assert_eq!(
            d,
            [
                "server",
                "clients",
                "memory",
                "persistence",
                "stats",
                "replication",
                "cpu",
                "modules",
                "errorstats",
                "cluster",
                "keyspace"
            ]
        );
        assert_eq!(select(&[b"DEFAULT"]), select::<&[u8]>(&[]));
    }

    #[test]
    fn all_and_everything_add_the_per_command_sections() {
        assert_eq!(names(select(&[b"all"])).len(), SECTIONS.len());
        assert_eq!(select(&[b"everything"]), select(&[b"all"]));
        assert!(names(select(&[b"all"])).contains(&"commandstats"));
        assert!(names(select(&[b"all"])).contains(&"latencystats"));
    }

    #[test]
    fn several_sections_print_in_redis_order() {
        assert_eq!(names(select::<&[u8]>(&[b"keyspace", b"Server", b"cpu"])), ["server", "cpu", "keyspace"]);
        assert_eq!(names(select::<&[u8]>(&[b"commandstats", b"default"])).len(), SECTIONS.len() - 1);
    }

    #[test]
    fn unknown_section_selects_nothing() {
        assert_eq!(select(&[b"nosuch"]), 0);
        assert_eq!(names(select::<&[u8]>(&[b"nosuch", b"cluster"])), ["cluster"]);
        assert_eq!(assemble(&[]), "");
    }

    #[test]
    fn sections_are_separated_by_a_blank_line() {
        let mut a = Section::new();
        a.kv("cluster_enabled", 0);
        let b = Section::new();
        assert_eq!(assemble(&[("Cluster", a), ("Modules", b)]), "# Cluster\r\ncluster_enabled:0\r\n\r\n# Modules\r\n");
    }

    #[test]
    fn replid_is_stable_hex_and_differs_from_run_id() {
        let run = "0123456789abcdef0123456789abcdef01234567";
        let r = master_replid(run);
        assert_eq!(r.len(), 40);
        assert!(r.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(r, run);
        assert_eq!(r, master_replid(run));
    }

    #[test]
    fn ratios_have_two_decimals() {
        assert_eq!(ratio(3, 2), "1.50");
        assert_eq!(ratio(1, 0), "0.00");
    }
}
