//! Process-wide state ([`Shared`], [`Store`]), start-up, the listeners, the
//! periodic task (active expiry, rehashing, client timeouts) and shutdown.

use crate::client::{ClientHandle, ShutdownMode};
use crate::config::Config;
use crate::{notice, warning};
use keyspace::Keyspace;
use parking_lot::{Mutex, RwLock};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Wall-clock time in Unix milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Wall-clock time in Unix microseconds.
pub fn now_us() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

/// Per-command counters for INFO commandstats and latencystats.
#[derive(Default)]
pub struct CmdStat {
    pub calls: u64,
    pub usec: u64,
    pub rejected: u64,
    pub failed: u64,
    /// Allocated on the first call, when `latency-tracking` is on.
    pub latency: Option<crate::latency::Histogram>,
}

/// One SLOWLOG entry.
pub struct SlowEntry {
    pub id: u64,
    pub time: u64,
    pub duration_us: u64,
    pub argv: Vec<Vec<u8>>,
    pub addr: String,
    pub name: Vec<u8>,
}

/// Everything commands read and write, behind one lock: holding it makes
/// a command, a MULTI block or a script atomic with respect to all others.
pub struct Store {
    pub ks: Keyspace,
    /// Writes since the last save (INFO rdb_changes_since_last_save).
    pub dirty: u64,
    pub cmd_stats: Vec<CmdStat>,
    pub error_stats: BTreeMap<String, u64>,
    pub total_error_replies: u64,
    pub total_commands: u64,
    pub slowlog: VecDeque<SlowEntry>,
    pub slowlog_next_id: u64,
    /// Unix seconds of the last successful save (start time until then).
    pub lastsave: u64,
    /// `notify-keyspace-events` as class bits (see `notify.rs`).
    pub notify_flags: u32,
    pub pubsub: crate::pubsub::PubSub,
    pub watches: crate::watch::Watches,
    pub blocking: crate::blocking::Blocking,
    /// The Lua interpreter and script cache, made on first use (SCRIPT FLUSH drops it).
    pub lua: Option<Box<scripting::Engine>>,
    /// FUNCTION's libraries, made on first use.
    pub functions: Option<Box<scripting::engine::Functions>>,
    /// What the running command and request are logged as (AOF).
    pub prop: crate::aof::Propagation,
    /// RDB snapshot state (SAVE, BGSAVE, save points, INFO persistence).
    pub rdb: crate::snapshot::RdbState,
    /// The script that ran past `busy-reply-threshold` (`busy.rs`): while
    /// set, other clients get BUSY.
    pub busy: Option<Box<crate::busy::Running>>,
}

impl Store {
    /// A key's value changed (Redis's signalModifiedKey): invalidates WATCH
    /// and marks clients blocked on the key as ready to retry.
    #[inline]
    pub fn signal_modified(&mut self, db: usize, key: &[u8]) {
        if !self.watches.is_empty() {
            self.watches.touch(&self.ks, db, key);
        }
        self.blocking.signal(db, key);
    }

    /// Turns what happened inside the keyspace since the last call (keys
    /// deleted by expiry, new keys, read misses) into keyspace events, in
    /// order, and expiries into WATCH invalidations.
    pub fn drain_ks_events(&mut self) {
        if self.ks.event_log.is_empty() {
            return;
        }
        let mut log = std::mem::take(&mut self.ks.event_log);
        for (ev, db, key) in &log {
            use crate::notify::class;
            match ev {
                keyspace::KsEvent::Expired => {
                    self.prop.expired(*db, key);
                    self.signal_modified(*db, key);
                    self.publish_event(class::EXPIRED, "expired", *db, key);
                }
                keyspace::KsEvent::New => self.publish_event(class::NEW, "new", *db, key),
                keyspace::KsEvent::Miss => self.publish_event(class::KEY_MISS, "keymiss", *db, key),
                keyspace::KsEvent::Evicted => {
                    self.prop.evicted(*db, key);
                    self.signal_modified(*db, key);
                    self.publish_event(class::EVICTED, "evicted", *db, key);
                }
            }
        }
        log.clear();
        if self.ks.event_log.is_empty() {
            self.ks.event_log = log;
        }
    }

    /// Publishes keyspace notification `event` of `class` for `key`, if
    /// `notify-keyspace-events` selects it.
    pub fn notify(&mut self, class: u32, event: &str, db: usize, key: &[u8]) {
        // Events the keyspace logged during this command (a lazily expired
        // or newly added key) come first, as Redis fires them at that moment.
        self.drain_ks_events();
        self.publish_event(class, event, db, key);
    }

    fn publish_event(&mut self, class: u32, event: &str, db: usize, key: &[u8]) {
        if !crate::notify::wanted(self.notify_flags, class) || self.pubsub.is_empty() {
            return;
        }
        use crate::notify::class::{KEYEVENT, KEYSPACE};
        if self.notify_flags & KEYSPACE != 0 {
            let mut ch = format!("__keyspace@{db}__:").into_bytes();
            ch.extend_from_slice(key);
            self.pubsub.publish(&ch, event.as_bytes(), false);
        }
        if self.notify_flags & KEYEVENT != 0 {
            let ch = format!("__keyevent@{db}__:{event}");
            self.pubsub.publish(ch.as_bytes(), key, false);
        }
    }
}

/// Network counters updated without the store lock.
#[derive(Default)]
pub struct NetStats {
    pub connections_received: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub net_input_bytes: AtomicU64,
    pub net_output_bytes: AtomicU64,
    pub reads_processed: AtomicU64,
    pub writes_processed: AtomicU64,
}

/// CLIENT PAUSE state.
#[derive(Default, Clone, Copy)]
pub struct Pause {
    /// Unix ms when the pause ends (0 = not paused).
    pub until_ms: u64,
    /// True for `WRITE` pauses (only write commands wait).
    pub write_only: bool,
}

/// Samples kept for the instantaneous rates in INFO stats (Redis keeps 16).
const METRIC_SAMPLES: usize = 16;

/// Per-second rates of commands and network bytes, averaged over the last
/// [`METRIC_SAMPLES`] samples taken by the periodic task.
#[derive(Default)]
pub struct Metrics {
    samples: [[f64; METRIC_SAMPLES]; 3],
    next: usize,
    last: [u64; 3],
    last_ms: u64,
}

impl Metrics {
    /// Records the current totals (commands, input bytes, output bytes).
    pub fn sample(&mut self, now_ms: u64, totals: [u64; 3]) {
        if self.last_ms != 0 && now_ms > self.last_ms {
            let dt = (now_ms - self.last_ms) as f64;
            for (i, t) in totals.iter().enumerate() {
                self.samples[i][self.next] = t.saturating_sub(self.last[i]) as f64 * 1000.0 / dt;
            }
            self.next = (self.next + 1) % METRIC_SAMPLES;
        }
        self.last = totals;
        self.last_ms = now_ms;
    }

    /// (ops/s, input bytes/s, output bytes/s).
    pub fn rates(&self) -> (f64, f64, f64) {
        let avg = |i: usize| self.samples[i].iter().sum::<f64>() / METRIC_SAMPLES as f64;
        (avg(0), avg(1), avg(2))
    }
}

/// State shared by every connection and background task.
pub struct Shared {
    pub store: Mutex<Store>,
    pub config: RwLock<Config>,
    pub clients: Mutex<HashMap<u64, Arc<ClientHandle>>>,
    pub client_count: AtomicUsize,
    pub next_client_id: AtomicU64,
    pub monitors: Mutex<Vec<Arc<ClientHandle>>>,
    pub monitor_count: AtomicUsize,
    pub net: NetStats,
    pub pause: Mutex<Pause>,
    /// True while `pause` may hold a pause; written only under its lock.
    pub paused: AtomicBool,
    pub pause_changed: tokio::sync::Notify,
    pub start: Instant,
    pub start_unix_ms: u64,
    pub run_id: String,
    pub tcp_port: AtomicU64,
    /// Bumped whenever the listening sockets are replaced (CONFIG SET
    /// port/bind): the accept loops of the old ones stop and drop them.
    pub listen_gen: tokio::sync::watch::Sender<u64>,
    /// The current plain listening sockets' fds (for `rebind`, and for a
    /// busy script's poller, which accepts connections itself).
    pub listen_fds: Mutex<Vec<i32>>,
    /// The `unixsocket` listener's fd and path, for a busy script's poller.
    pub unix_listen: Mutex<Option<(i32, String)>>,
    /// The `tls-port` listening sockets' fds (for `rebind`; the poller
    /// cannot speak TLS, so it leaves them alone).
    pub tls_listen_fds: Mutex<Vec<i32>>,
    /// The TLS context new `tls-port` connections use (`tls.rs`).
    pub tls: crate::tls::TlsState,
    pub executable: String,
    pub shutdown_tx: tokio::sync::watch::Sender<Option<ShutdownMode>>,
    pub shutting_down: AtomicBool,
    pub peak_memory: AtomicU64,
    pub expire_cpu_us: AtomicU64,
    pub metrics: Mutex<Metrics>,
    /// used_memory right after start-up (INFO used_memory_startup).
    pub startup_memory: AtomicU64,
    /// `latency-tracking`, read on every command.
    pub latency_tracking: AtomicBool,
    /// `slowlog-log-slower-than`, read on every command.
    pub slowlog_slower_than: std::sync::atomic::AtomicI64,
    /// maxmemory settings and eviction status (`evict.rs`).
    pub evict: crate::evict::EvictState,
    /// The append-only file service.
    pub aof: crate::aof::Aof,
    /// Busy-poll window of the event loop (`spin.rs`).
    pub spin: crate::spin::Spin,
    /// Long-script state shared with the listeners (`busy.rs`).
    pub busy: crate::busy::BusyShared,
    /// The clients' largest input and output buffers per second, for
    /// INFO's client_recent_max_* (`RecentPeaks`).
    pub recent_peaks: Mutex<RecentPeaks>,
}

impl Shared {
    /// Fresh state for a configuration.
    pub fn new(config: Config) -> Arc<Shared> {
        let dbs: usize = config.value("databases").and_then(|v| v.parse().ok()).unwrap_or(16);
        let mut ks = Keyspace::new(dbs);
        // Expired keys become `expired` events and WATCH invalidations (Store::drain_ks_events).
        ks.log_expired = true;
        let n_cmds = crate::command::Table::get().all.len();
        let store = Store {
            ks,
            dirty: 0,
            cmd_stats: (0..n_cmds).map(|_| CmdStat::default()).collect(),
            error_stats: BTreeMap::new(),
            total_error_replies: 0,
            total_commands: 0,
            slowlog: VecDeque::new(),
            slowlog_next_id: 0,
            lastsave: now_ms() / 1000,
            notify_flags: 0,
            pubsub: Default::default(),
            watches: Default::default(),
            blocking: Default::default(),
            lua: None,
            functions: None,
            prop: Default::default(),
            rdb: Default::default(),
            busy: None,
        };
        let (tx, _rx) = tokio::sync::watch::channel(None);
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            config: RwLock::new(config),
            clients: Mutex::new(HashMap::new()),
            client_count: AtomicUsize::new(0),
            next_client_id: AtomicU64::new(1),
            monitors: Mutex::new(Vec::new()),
            monitor_count: AtomicUsize::new(0),
            net: NetStats::default(),
            pause: Mutex::new(Pause::default()),
            paused: AtomicBool::new(false),
            pause_changed: tokio::sync::Notify::new(),
            start: Instant::now(),
            start_unix_ms: now_ms(),
            run_id: random_hex(40),
            tcp_port: AtomicU64::new(0),
            listen_gen: tokio::sync::watch::channel(0).0,
            listen_fds: Mutex::new(Vec::new()),
            tls_listen_fds: Mutex::new(Vec::new()),
            unix_listen: Mutex::new(None),
            tls: Default::default(),
            executable: std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default(),
            shutdown_tx: tx,
            shutting_down: AtomicBool::new(false),
            peak_memory: AtomicU64::new(0),
            expire_cpu_us: AtomicU64::new(0),
            metrics: Mutex::new(Metrics::default()),
            startup_memory: AtomicU64::new(crate::memory::used_exact()),
            latency_tracking: AtomicBool::new(true),
            slowlog_slower_than: std::sync::atomic::AtomicI64::new(10_000),
            evict: Default::default(),
            aof: Default::default(),
            spin: Default::default(),
            busy: Default::default(),
            recent_peaks: Mutex::new(RecentPeaks::default()),
        });
        shared.apply_config(&mut shared.store.lock());
        shared
    }

    /// Pushes configuration values that live outside `Config` to where they
    /// are used: at start-up and after every CONFIG SET.
    pub fn apply_config(&self, store: &mut Store) {
        let cfg = self.config.read();
        self.tls.sync_auth_mode(&cfg);
        store.ks.max_string_len = cfg.hot.proto_max_bulk_len;
        store.pubsub.limit = cfg.hot.obuf_pubsub_hard;
        store.notify_flags = crate::notify::parse_flags(cfg.value("notify-keyspace-events").unwrap_or(""));
        store.ks.log_new = crate::notify::wanted(store.notify_flags, crate::notify::class::NEW);
        store.ks.log_miss = crate::notify::wanted(store.notify_flags, crate::notify::class::KEY_MISS);
        let num = |name: &str, default: i64| cfg.value(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(default);
        store.ks.enc = keyspace::EncodingLimits {
            hash_max_listpack_entries: num("hash-max-listpack-entries", 512) as usize,
            hash_max_listpack_value: num("hash-max-listpack-value", 64) as usize,
            set_max_intset_entries: num("set-max-intset-entries", 512) as usize,
            zset_max_listpack_entries: num("zset-max-listpack-entries", 128) as usize,
            zset_max_listpack_value: num("zset-max-listpack-value", 64) as usize,
            list_max_listpack_size: num("list-max-listpack-size", -2),
            hll_sparse_max_bytes: num("hll-sparse-max-bytes", 3000) as usize,
            stream_node_max_entries: num("stream-node-max-entries", 100) as usize,
            stream_node_max_bytes: num("stream-node-max-bytes", 4096) as usize,
        };
        crate::log::set_level(cfg.hot.loglevel);
        self.latency_tracking.store(cfg.value("latency-tracking") != Some("no"), Ordering::Relaxed);
        self.slowlog_slower_than.store(cfg.hot.slowlog_slower_than, Ordering::Relaxed);
        self.spin.set_window_us(num("busy-poll-usec", 100).max(0) as u64);
        self.evict.maxmemory.store(cfg.value("maxmemory").and_then(|v| v.parse().ok()).unwrap_or(0), Ordering::Relaxed);
        self.evict.tenacity.store(num("maxmemory-eviction-tenacity", 10) as u64, Ordering::Relaxed);
        store.ks.set_evict_config(keyspace::EvictConfig {
            policy: cfg.value("maxmemory-policy").and_then(keyspace::Policy::parse).unwrap_or_default(),
            samples: num("maxmemory-samples", 5).max(1) as usize,
            lfu_log_factor: num("lfu-log-factor", 10).max(0) as u32,
            lfu_decay_time: num("lfu-decay-time", 1).max(0) as u32,
        });
        self.busy.threshold_ms.store(num("busy-reply-threshold", 5000).max(0) as u64, Ordering::Relaxed);
        drop(cfg);
        crate::aof::apply_config(self, store);
    }

    /// Asks the server to stop (SIGTERM, SIGINT, SHUTDOWN).
    pub fn request_shutdown(&self, mode: ShutdownMode) {
        let _ = self.shutdown_tx.send(Some(mode));
    }
}

/// A random lower-case hex string (run ids).
pub fn random_hex(n: usize) -> String {
    let mut seed = now_us() ^ (std::process::id() as u64).rotate_left(32);
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        s.push(char::from_digit((seed % 16) as u32, 16).unwrap_or('0'));
    }
    s
}

/// Parses `bind` into addresses; a leading `-` marks an optional address
/// that may be unavailable (Redis 7's `-::1`).
fn bind_addrs(bind: &str, port: u16) -> Vec<(SocketAddr, bool)> {
    let mut v = Vec::new();
    for word in bind.split_whitespace() {
        let (optional, host) = match word.strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, word),
        };
        let host = match host {
            "*" => "0.0.0.0",
            "::*" => "::",
            h => h,
        };
        let text = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
        match text.parse() {
            Ok(a) => v.push((a, optional)),
            Err(_) => v.push((SocketAddr::from(([0, 0, 0, 0], 0)), optional)),
        }
    }
    v
}

/// Binds every configured address on the port of directive `port_name`
/// (`port` or `tls-port`). Returns the listeners, or an error when a
/// mandatory address could not be bound.
///
/// `tls-port 0` binds nothing. `port 0` binds nothing when a `tls-port` is
/// set (a TLS-only server, as in Redis); with neither, it binds an
/// ephemeral port, which in-process tests use.
fn bind_port(shared: &Shared, port_name: &str) -> Result<Vec<TcpListener>, String> {
    let (bind, port, tls_port) = {
        let c = shared.config.read();
        let num = |k: &str| c.value(k).and_then(|p| p.parse().ok()).unwrap_or(0u16);
        (c.value("bind").unwrap_or("").to_string(), num(port_name), num("tls-port"))
    };
    let tls = port_name == "tls-port";
    if port == 0 && (tls || tls_port != 0) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut actual_port = port;
    for (addr, optional) in bind_addrs(&bind, port) {
        let mut addr = addr;
        if port == 0 {
            addr.set_port(actual_port);
        }
        let sock = match addr {
            SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
            SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
        };
        let res = sock.and_then(|s| {
            s.set_reuseaddr(true)?;
            if addr.is_ipv6() {
                socket2::SockRef::from(&s).set_only_v6(true)?;
            }
            s.bind(addr)?;
            s.listen(511)
        });
        match res {
            Ok(l) => {
                if let Ok(a) = l.local_addr() {
                    actual_port = a.port();
                }
                out.push(l);
            }
            Err(e) if optional => notice!("Skipping optional bind address {addr}: {e}"),
            Err(e) => {
                // Redis's two lines; the second ends start-up or CONFIG SET.
                warning!("Warning: Could not create server TCP listening socket {addr}: bind: {e}");
                let what = if tls { "TLS" } else { "TCP" };
                return Err(format!("Failed listening on port {port} ({what}), aborting."));
            }
        }
    }
    if out.is_empty() && port != 0 {
        return Err("Failed listening on any configured address".into());
    }
    if !tls {
        shared.tcp_port.store(actual_port as u64, Ordering::Relaxed);
    }
    Ok(out)
}

/// The plain and the TLS listeners the configuration asks for.
///
/// # Errors
/// When a mandatory address cannot be bound.
pub fn bind_listeners(shared: &Shared) -> Result<(Vec<TcpListener>, Vec<TcpListener>), String> {
    let plain = bind_port(shared, "port")?;
    let tls = bind_port(shared, "tls-port")?;
    if plain.is_empty() {
        // A TLS-only server reports its TLS port as tcp_port, as Redis does.
        if let Some(a) = tls.first().and_then(|l| l.local_addr().ok()) {
            shared.tcp_port.store(a.port() as u64, Ordering::Relaxed);
        }
    }
    Ok((plain, tls))
}

/// Starts accepting on `plain` and `tls`, retiring the accept loops (and
/// with them the sockets) of any earlier ones.
fn listen(shared: &Arc<Shared>, (plain, tls): (Vec<TcpListener>, Vec<TcpListener>)) {
    shared.listen_gen.send_modify(|g| *g += 1);
    for (listeners, fds, is_tls) in [(plain, &shared.listen_fds, false), (tls, &shared.tls_listen_fds, true)] {
        let mut fds = fds.lock();
        fds.clear();
        for l in listeners {
            fds.push(std::os::fd::AsRawFd::as_raw_fd(&l));
            let (sh, gen) = (shared.clone(), shared.listen_gen.subscribe());
            tokio::spawn(async move { crate::conn::accept_loop(sh, l, gen, is_tls).await });
        }
    }
}

/// `unixsocket`: replaces a stale socket file, listens, applies
/// `unixsocketperm`, and starts the accept loop. The directive is
/// immutable, so this happens once.
///
/// # Errors
/// When the socket cannot be created, in Redis's words.
fn listen_unix(shared: &Arc<Shared>) -> Result<(), String> {
    let (path, perm) = {
        let c = shared.config.read();
        let path = c.value("unixsocket").unwrap_or("").to_string();
        (path, u32::from_str_radix(c.value("unixsocketperm").unwrap_or("0"), 8).unwrap_or(0))
    };
    if path.is_empty() {
        return Ok(());
    }
    // A file left by an earlier run would make bind fail (Redis unlinks it too).
    let _ = std::fs::remove_file(&path);
    // The socket is created with no more than `unixsocketperm` allows, so
    // there is no moment when others may connect before the chmod below
    // (CVE-2023-45145). The umask is process-wide, but nothing else creates
    // files this early in start-up.
    // SAFETY: umask only swaps the process's file-creation mask.
    let old_mask = (perm != 0).then(|| unsafe { libc::umask(!perm & 0o777) });
    let bound = tokio::net::UnixListener::bind(&path);
    if let Some(m) = old_mask {
        // SAFETY: as above; puts the previous mask back.
        unsafe { libc::umask(m) };
    }
    let listener = bound.map_err(|e| format!("Failed opening Unix socket: {e}"))?;
    if perm != 0 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(perm))
            .map_err(|e| format!("Failed opening Unix socket: {e}"))?;
    }
    *shared.unix_listen.lock() = Some((std::os::fd::AsRawFd::as_raw_fd(&listener), path.clone()));
    let sh = shared.clone();
    let p = path.clone();
    tokio::spawn(async move { crate::conn::accept_unix_loop(sh, listener, p).await });
    notice!("The server is now ready to accept connections at {path}");
    Ok(())
}

/// CONFIG SET port / tls-port / bind: listens on what the configuration
/// now says, as Redis does at run time. Connected clients stay. The old
/// sockets stop listening first, because the new set may reuse one of
/// their addresses (same port, another bind list); when binding fails the
/// caller restores the old values and calls this again.
///
/// # Errors
/// The bind failure, for the log.
pub fn rebind(shared: &Arc<Shared>) -> Result<(), String> {
    for fds in [&shared.listen_fds, &shared.tls_listen_fds] {
        for &fd in fds.lock().iter() {
            // SAFETY: `fd` is a listening socket whose accept loop owns it until
            // the next `listen` retires that loop; shutdown only stops it.
            unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
        }
    }
    let listeners = bind_listeners(shared)?;
    listen(shared, listeners);
    Ok(())
}

/// Binds the listeners and starts the accept loops and the periodic task
/// on the current runtime.
///
/// # Errors
/// When a mandatory address cannot be bound.
pub async fn spawn_services(shared: &Arc<Shared>) -> Result<(), String> {
    crate::aof::load_at_startup(shared)?;
    if crate::tls::wanted(&shared.config.read()) {
        if let Err(e) = shared.tls.configure(&shared.config.read()) {
            warning!("{e}");
            return Err("Failed to configure TLS. Check logs for more info.".into());
        }
    }
    listen(shared, bind_listeners(shared)?);
    listen_unix(shared)?;
    tokio::spawn(cron(shared.clone()));
    tokio::spawn(crate::evict::background_task(shared.clone()));
    if tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread {
        let sh = shared.clone();
        tokio::spawn(async move { crate::spin::spinner(&sh.spin).await });
    }
    shared.startup_memory.store(crate::memory::used_exact(), Ordering::Relaxed);
    Ok(())
}

/// Runs the server until shutdown. Returns the process exit code.
pub async fn run(shared: Arc<Shared>) -> i32 {
    if let Err(e) = spawn_services(&shared).await {
        warning!("{e}");
        return 1;
    }
    let mut rx = shared.shutdown_tx.subscribe();
    crate::busy::watch_signals();
    use tokio::signal::unix::{signal, SignalKind};
    let mut sigs = signal(SignalKind::terminate()).and_then(|t| Ok((t, signal(SignalKind::interrupt())?))).ok();
    if !shared.listen_fds.lock().is_empty() {
        notice!("Ready to accept connections tcp");
    }
    if !shared.tls_listen_fds.lock().is_empty() {
        notice!("Ready to accept connections tls");
    }
    loop {
        let signals = async {
            match sigs.as_mut() {
                Some((term, int)) => tokio::select! {
                    _ = term.recv() => "SIGTERM",
                    _ = int.recv() => "SIGINT",
                },
                None => std::future::pending::<&str>().await,
            }
        };
        let mode = tokio::select! {
            sig = signals => {
                notice!("Received {sig} scheduling shutdown...");
                ShutdownMode::Default
            }
            m = rx.wait_for(|m| m.is_some()) => m.map(|m| m.unwrap_or(ShutdownMode::Default)).unwrap_or(ShutdownMode::Default),
        };
        match shutdown(&shared, mode) {
            Some(code) => return code,
            None => {
                // The final save failed: Redis keeps serving rather than lose data.
                warning!("Errors trying to shut down the server. Check the logs for more information.");
                let _ = shared.shutdown_tx.send(None);
            }
        }
    }
}

/// Final steps before exit: the final save, then refuse new work, close
/// clients, remove the pidfile. None when the save failed and the server
/// must keep running.
fn shutdown(shared: &Shared, mode: ShutdownMode) -> Option<i32> {
    notice!("User requested shutdown...");
    if !shutdown_locked(shared, &mut shared.store.lock(), mode) {
        return None;
    }
    Some(shutdown_finish(shared))
}

/// The part of shutdown done under the store lock (also from inside a busy
/// script, `busy.rs`): the final save, the AOF's last bytes, then the
/// refusal of new work. False when the save failed.
pub(crate) fn shutdown_locked(shared: &Shared, store: &mut Store, mode: ShutdownMode) -> bool {
    let res = match mode {
        ShutdownMode::Save => crate::snapshot::shutdown_save(shared, store, true),
        ShutdownMode::Default => crate::snapshot::shutdown_save(shared, store, false),
        ShutdownMode::Saved if store.dirty > 0 => crate::snapshot::shutdown_save(shared, store, true),
        ShutdownMode::Saved | ShutdownMode::NoSave => Ok(()),
    };
    if res.is_err() {
        return false;
    }
    // The AOF's last bytes reach the disk before the process exits.
    crate::aof::shutdown(shared);
    // Still under the lock: nothing runs between the save and the refusal of new work.
    shared.shutting_down.store(true, Ordering::Release);
    true
}

/// After [`shutdown_locked`]: closes clients, removes the pidfile. Returns the exit code.
pub(crate) fn shutdown_finish(shared: &Shared) -> i32 {
    for c in shared.clients.lock().values() {
        c.kill();
    }
    if let Some(pidfile) = shared.config.read().value("pidfile").filter(|p| !p.is_empty()) {
        let _ = std::fs::remove_file(pidfile);
    }
    if let Some(path) = shared.config.read().value("unixsocket").filter(|p| !p.is_empty()) {
        notice!("Removing the unix socket file.");
        let _ = std::fs::remove_file(path);
    }
    notice!("Vermilion is now ready to exit, bye bye...");
    0
}

/// Periodic housekeeping at `hz`: active expiry in short lock slices,
/// table rehash/shrink, memory peak, client idle timeouts.
async fn cron(shared: Arc<Shared>) {
    let mut db_cursor = 0usize;
    loop {
        let hz = shared.config.read().hot.hz.max(1);
        tokio::time::sleep(Duration::from_millis(1000 / hz)).await;
        let started = Instant::now();
        // Up to 25% of each period goes to active expiry, as in Redis; the
        // lock is released between 1 ms slices so clients are never stalled
        // for the whole budget.
        let budget = Duration::from_micros(250_000 / hz);
        let ndbs = shared.store.lock().ks.db_count();
        let mut dbs_done = 0;
        while dbs_done < ndbs && started.elapsed() < budget {
            let db = db_cursor % ndbs;
            let keep_going = {
                let mut st = shared.store.lock();
                st.ks.set_now(now_ms());
                let slice_start = Instant::now();
                let mut more = false;
                while slice_start.elapsed() < Duration::from_millis(1) {
                    let r = st.ks.active_expire_slice(db, 64);
                    // Keep working on this db while over 10% of what we see is expired.
                    more = r.sampled > 0 && r.expired * 10 > r.sampled;
                    if !more || r.wrapped && r.expired == 0 {
                        break;
                    }
                }
                st.drain_ks_events();
                // Expired keys are logged one DEL each, not as one transaction.
                crate::aof::commit(&shared, &mut st, false);
                st.ks.maintain(db, 100);
                more
            };
            if !keep_going {
                db_cursor += 1;
                dbs_done += 1;
            }
            // Let clients run between slices (the event loop may be this thread).
            tokio::task::yield_now().await;
        }
        if started.elapsed() >= budget {
            shared.store.lock().ks.stats.expired_time_cap_reached_count += 1;
        }
        shared.expire_cpu_us.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        crate::clock::sync();
        let commands = shared.store.lock().total_commands;
        let totals = [
            commands,
            shared.net.net_input_bytes.load(Ordering::Relaxed),
            shared.net.net_output_bytes.load(Ordering::Relaxed),
        ];
        shared.metrics.lock().sample(now_ms(), totals);
        // Recalibrate the cheap used_memory counter (under the lock, so no
        // command publishes meanwhile) and take the peak from the exact figure.
        let used = {
            let _store = shared.store.lock();
            crate::memory::calibrate()
        };
        shared.peak_memory.fetch_max(used, Ordering::Relaxed);
        clients_cron(&shared);
        crate::aof::cron(&shared);
        crate::snapshot::cron(&shared);
    }
}

/// Closes clients idle for longer than `timeout` seconds (0 = never).
/// Seconds of history behind INFO's client_recent_max_* (Redis's
/// CLIENTS_PEAK_MEM_USAGE_SLOTS).
const PEAK_SLOTS: usize = 8;

/// The largest client input and output buffers seen in each of the last
/// [`PEAK_SLOTS`] seconds, one slot per second.
#[derive(Default)]
pub struct RecentPeaks {
    slots: [(u64, usize, usize); PEAK_SLOTS],
}

impl RecentPeaks {
    /// Records buffer sizes seen at `sec` (unix seconds).
    pub fn note(&mut self, sec: u64, input: usize, output: usize) {
        let slot = &mut self.slots[(sec % PEAK_SLOTS as u64) as usize];
        if slot.0 != sec {
            *slot = (sec, 0, 0);
        }
        slot.1 = slot.1.max(input);
        slot.2 = slot.2.max(output);
    }

    /// The largest input and output buffers of the last [`PEAK_SLOTS`] seconds.
    pub fn max(&self, sec: u64) -> (usize, usize) {
        self.slots.iter().filter(|s| s.0 + (PEAK_SLOTS as u64) > sec).fold((0, 0), |(i, o), s| (i.max(s.1), o.max(s.2)))
    }
}

/// One pass over the clients per cron tick, as Redis's clientsCron:
/// closes those idle past `timeout`, and records this second's largest
/// buffers for INFO's client_recent_max_* (query buffer capacity, or its
/// peak since the last look, and output pending beyond the 16 KiB reply
/// buffer).
fn clients_cron(shared: &Shared) {
    let timeout_ms = shared.config.read().hot.timeout_secs * 1000;
    let now = now_ms();
    let (mut input, mut output) = (0, 0);
    for c in shared.clients.lock().values() {
        if timeout_ms > 0 {
            let idle = now.saturating_sub(c.last_interaction_ms.load(Ordering::Relaxed));
            if idle > timeout_ms && !c.info.lock().monitor {
                crate::verbose!("Closing idle client");
                c.kill();
            }
        }
        let peak = c.qbuf_peak.swap(0, Ordering::Relaxed);
        input = input.max(c.qbuf_cap.load(Ordering::Relaxed)).max(peak);
        output = output.max(c.output_split().2);
    }
    shared.recent_peaks.lock().note(now / 1000, input, output);
}

#[cfg(test)]
mod tests {
    use super::RecentPeaks;

    #[test]
    fn recent_peaks_cover_eight_seconds() {
        let mut p = RecentPeaks::default();
        p.note(100, 1000, 10);
        p.note(100, 500, 20);
        p.note(103, 200, 5);
        assert_eq!(p.max(103), (1000, 20));
        assert_eq!(p.max(107), (1000, 20), "second 100 is still within 100..=107");
        assert_eq!(p.max(108), (200, 5), "second 100 has aged out");
        // A slot reused by a later second starts afresh.
        p.note(111, 7, 1);
        assert_eq!(p.max(111), (7, 1));
        assert_eq!(p.max(200), (0, 0));
    }
}
