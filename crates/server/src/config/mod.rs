//! Configuration: every directive the server accepts, from redis.conf, the
//! command line and CONFIG SET/GET/REWRITE, in one table. It does not read
//! files or split lines (that is [`file`]), and it does not apply values to
//! the running server beyond the typed [`Hot`] copy (that is `cmd/config.rs`
//! and `Shared::apply_config`).
//!
//! The table holds the 176 parameters of Redis 7.0 (173 listed by
//! `CONFIG GET *`, plus three hidden ones that only an exact name reaches),
//! and 19 aliases (`slaveof`, `slave-*`, `lua-time-limit`, `*-ziplist-*`...).
//! Values are validated by kind with Redis's error texts and stored in
//! canonical text form (what CONFIG GET returns); the ones the hot path reads
//! are also kept typed in [`Hot`]. Directives whose feature has not landed
//! yet are marked `inert`: they are accepted (so a stock redis.conf loads)
//! but a non-default value is reported at start-up and by CONFIG SET as
//! having no effect yet.
//!
//! Number syntaxes follow the C functions Redis uses for each kind, because
//! that is what decides which inputs are errors: integers are strict (no
//! sign `+`, no leading zeros, no spaces), memory amounts take units and wrap
//! on overflow like `memtoull`, and the multi-word values (`save`,
//! `oom-score-adj-values`, buffer-limit seconds) use `strtoll`, which takes a
//! `+`, leading zeros, and saturates.

pub mod file;

use std::collections::BTreeMap;

/// How a parameter's value is checked.
#[derive(Clone, Copy)]
enum Kind {
    /// `yes` or `no`, any case.
    Bool,
    /// A strict decimal integer in `[lo, hi]`.
    Int(i64, i64),
    /// A memory amount (`1gb`, `100k`...) in bytes, in `[lo, hi]`.
    Mem(i64, i64),
    /// A memory amount stored unsigned, so anything up to `u64::MAX` fits.
    MemU64,
    /// One word from the list, any case; the error lists them in this order.
    Enum(&'static [&'static str]),
    /// One or more words from the list, combined as flags (the first word
    /// means "none of the others").
    Flags(&'static [&'static str]),
    /// Any text.
    Str,
    /// Checked by [`Config::special`].
    Special,
}

/// Flag bits of a [`Param`].
const IMMUTABLE: u8 = 1;
/// CONFIG SET refuses it unless `enable-protected-configs` allows it.
const PROTECTED: u8 = 2;
/// Left out of glob matches in CONFIG GET; an exact name still finds it.
const HIDDEN: u8 = 4;
/// Accepted, but the feature behind it is not implemented yet.
const INERT: u8 = 8;
/// Takes several words: several arguments in a config file, and a value
/// CONFIG SET splits on single spaces.
const MULTI: u8 = 16;

struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
    default: &'static str,
    flags: u8,
}

impl Param {
    const fn alias(mut self, alias: &'static str) -> Param {
        self.alias = Some(alias);
        self
    }
    const fn immutable(mut self) -> Param {
        self.flags |= IMMUTABLE;
        self
    }
    const fn protected(mut self) -> Param {
        self.flags |= PROTECTED;
        self
    }
    const fn hidden(mut self) -> Param {
        self.flags |= HIDDEN;
        self
    }
    const fn inert(mut self) -> Param {
        self.flags |= INERT;
        self
    }
    const fn multi(mut self) -> Param {
        self.flags |= MULTI;
        self
    }
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

const fn param(name: &'static str, kind: Kind, default: &'static str) -> Param {
    Param { name, alias: None, kind, default, flags: 0 }
}
const fn boolean(name: &'static str, default: &'static str) -> Param {
    param(name, Kind::Bool, default)
}
const fn int(name: &'static str, lo: i64, hi: i64, default: &'static str) -> Param {
    param(name, Kind::Int(lo, hi), default)
}
const fn mem(name: &'static str, lo: i64, default: &'static str) -> Param {
    param(name, Kind::Mem(lo, i64::MAX), default)
}
const fn one_of(name: &'static str, options: &'static [&'static str], default: &'static str) -> Param {
    param(name, Kind::Enum(options), default)
}
const fn text(name: &'static str, default: &'static str) -> Param {
    param(name, Kind::Str, default)
}
const fn special(name: &'static str, default: &'static str) -> Param {
    param(name, Kind::Special, default)
}

const I32: i64 = i32::MAX as i64;
const I32_MIN: i64 = i32::MIN as i64;
const U32: i64 = u32::MAX as i64;
const I64: i64 = i64::MAX;
const PORT: i64 = 65535;
const MB: i64 = 1024 * 1024;

const LOGLEVELS: &[&str] = &["debug", "verbose", "notice", "warning"];
const POLICIES: &[&str] = &[
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
];
const NO_YES_LOCAL: &[&str] = &["no", "yes", "local"];
const SHUTDOWN_FLAGS: &[&str] = &["default", "save", "nosave", "now", "force"];
const SYSLOG_FACILITIES: &[&str] =
    &["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];

/// `client-output-buffer-limit`'s default: the classes always appear in this order.
const OBUF_DEFAULT: &str = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

static PARAMS: &[Param] = &[
    // Network, clients and the server process: implemented.
    // Issue 2 asks for the stock redis.conf's loopback binding as the default
    // (Redis's built-in default is `* -::*`): safe when started with no config.
    special("bind", "127.0.0.1 -::1").multi(),
    int("port", 0, PORT, "6379"),
    boolean("protected-mode", "yes"),
    text("requirepass", ""),
    int("databases", 1, I32, "16").immutable(),
    int("maxclients", 1, U32, "10000"),
    int("timeout", 0, I32, "0"),
    int("tcp-keepalive", 0, I32, "300"),
    int("tcp-backlog", 0, I32, "511").immutable(),
    mem("proto-max-bulk-len", MB, "536870912"),
    mem("client-query-buffer-limit", MB, "1073741824"),
    special("client-output-buffer-limit", OBUF_DEFAULT).multi(),
    int("slowlog-log-slower-than", -1, I64, "10000"),
    int("slowlog-max-len", 0, I64, "128"),
    one_of("loglevel", LOGLEVELS, "notice"),
    text("logfile", "").immutable(),
    text("pidfile", "").immutable(),
    boolean("daemonize", "no").immutable(),
    special("dir", "").protected(),
    int("hz", 0, I32, "10"),
    int("io-threads", 1, 128, "1").immutable(),
    // Vermilion's own: how long the event loop busy-polls after a read
    // before it sleeps (`spin.rs`); 0 turns it off. Hidden, so that
    // CONFIG GET patterns list exactly Redis 7.0's names.
    int("busy-poll-usec", 0, 1_000_000, "100").hidden(),
    one_of("supervised", &["upstart", "systemd", "auto", "no"], "no").immutable(),
    boolean("always-show-logo", "no").immutable(),
    boolean("set-proc-title", "yes").immutable(),
    boolean("latency-tracking", "yes"),
    special("latency-tracking-info-percentiles", "50 99 99.9").multi(),
    one_of("enable-protected-configs", NO_YES_LOCAL, "no").immutable(),
    // More listeners: TLS (tls.rs) and the unix socket (server.rs).
    int("tls-port", 0, PORT, "0"),
    text("unixsocket", "").immutable(),
    special("unixsocketperm", "0").immutable(),
    // Network and process settings not acted on yet.
    text("bind-source-addr", "").inert(),
    int("socket-mark-id", 0, U32, "0").immutable().inert(),
    boolean("io-threads-do-reads", "no").immutable().inert(),
    boolean("syslog-enabled", "no").immutable().inert(),
    text("syslog-ident", "redis").immutable().inert(),
    one_of("syslog-facility", SYSLOG_FACILITIES, "local0").immutable().inert(),
    boolean("crash-log-enabled", "yes").inert(),
    boolean("crash-memcheck-enabled", "yes").inert(),
    param("shutdown-on-sigint", Kind::Flags(SHUTDOWN_FLAGS), "default").multi().inert(),
    param("shutdown-on-sigterm", Kind::Flags(SHUTDOWN_FLAGS), "default").multi().inert(),
    int("shutdown-timeout", 0, I32, "10").inert(),
    text("proc-title-template", "{title} {listen-addr} {server-mode}").inert(),
    one_of("enable-debug-command", NO_YES_LOCAL, "no").immutable(),
    one_of("enable-module-command", NO_YES_LOCAL, "no").immutable().inert(),
    text("server_cpulist", "").immutable().inert(),
    text("bio_cpulist", "").immutable().inert(),
    text("aof_rewrite_cpulist", "").immutable().inert(),
    text("bgsave_cpulist", "").immutable().inert(),
    text("ignore-warnings", "").inert(),
    boolean("dynamic-hz", "yes").inert(),
    boolean("activerehashing", "yes").inert(),
    int("active-expire-effort", 1, 10, "1").inert(),
    // Persistence (issue 6).
    text("dbfilename", "dump.rdb").protected(),
    special("save", "3600 1 300 100 60 10000").multi(),
    boolean("appendonly", "no"),
    text("appendfilename", "appendonly.aof").immutable(),
    text("appenddirname", "appendonlydir").immutable(),
    one_of("appendfsync", &["everysec", "always", "no"], "everysec"),
    boolean("rdbcompression", "yes"),
    boolean("rdbchecksum", "yes").immutable(),
    boolean("stop-writes-on-bgsave-error", "yes"),
    boolean("aof-use-rdb-preamble", "yes"),
    int("auto-aof-rewrite-percentage", 0, I32, "100"),
    mem("auto-aof-rewrite-min-size", 0, "67108864"),
    boolean("aof-load-truncated", "yes"),
    boolean("aof-disable-auto-gc", "no").inert(),
    boolean("aof-rewrite-incremental-fsync", "yes").inert(),
    boolean("aof-timestamp-enabled", "no").inert(),
    boolean("no-appendfsync-on-rewrite", "no").inert(),
    boolean("rdb-del-sync-files", "no").inert(),
    boolean("rdb-save-incremental-fsync", "yes").inert(),
    one_of("sanitize-dump-payload", &["no", "yes", "clients"], "no").inert(),
    int("rdb-key-save-delay", I32_MIN, I32, "0").hidden().inert(),
    int("key-load-delay", I32_MIN, I32, "0").hidden().inert(),
    int("loading-process-events-interval-bytes", 1024, I32, "2097152").hidden().inert(),
    // Memory limits and eviction (issue 7).
    param("maxmemory", Kind::MemU64, "0"),
    one_of("maxmemory-policy", POLICIES, "noeviction"),
    int("maxmemory-samples", 1, I32, "5"),
    int("maxmemory-eviction-tenacity", 0, 100, "10"),
    special("maxmemory-clients", "0").inert(),
    int("lfu-log-factor", 0, I32, "10"),
    int("lfu-decay-time", 0, I32, "1"),
    boolean("lazyfree-lazy-eviction", "no").inert(),
    boolean("lazyfree-lazy-expire", "no").inert(),
    boolean("lazyfree-lazy-server-del", "no").inert(),
    boolean("lazyfree-lazy-user-del", "no").inert(),
    boolean("lazyfree-lazy-user-flush", "no").inert(),
    one_of("oom-score-adj", &["no", "yes", "relative", "absolute"], "no").inert(),
    special("oom-score-adj-values", "0 200 800").multi().inert(),
    boolean("jemalloc-bg-thread", "yes").inert(),
    boolean("disable-thp", "yes").immutable().inert(),
    boolean("activedefrag", "no").inert(),
    int("active-defrag-cycle-min", 1, 99, "1").inert(),
    int("active-defrag-cycle-max", 1, 99, "25").inert(),
    mem("active-defrag-ignore-bytes", 1, "104857600").inert(),
    int("active-defrag-max-scan-fields", 1, I64, "1000").inert(),
    int("active-defrag-threshold-lower", 0, 1000, "10").inert(),
    int("active-defrag-threshold-upper", 0, 1000, "100").inert(),
    // Compact encodings of the collection types.
    int("hash-max-listpack-entries", 0, I64, "512").alias("hash-max-ziplist-entries"),
    mem("hash-max-listpack-value", 0, "64").alias("hash-max-ziplist-value"),
    int("list-max-listpack-size", I32_MIN, I32, "-2").alias("list-max-ziplist-size"),
    int("list-compress-depth", 0, I32, "0").inert(),
    int("set-max-intset-entries", 0, I64, "512"),
    int("zset-max-listpack-entries", 0, I64, "128").alias("zset-max-ziplist-entries"),
    mem("zset-max-listpack-value", 0, "64").alias("zset-max-ziplist-value"),
    mem("hll-sparse-max-bytes", 0, "3000"),
    mem("stream-node-max-bytes", 0, "4096"),
    int("stream-node-max-entries", 0, I64, "100"),
    // Keyspace notifications; scripting (issue 4), tracking, latency monitor.
    special("notify-keyspace-events", ""),
    int("busy-reply-threshold", 0, I64, "5000").alias("lua-time-limit"),
    int("tracking-table-max-keys", 0, I64, "1000000").inert(),
    int("latency-monitor-threshold", 0, I64, "0").inert(),
    // ACL.
    text("aclfile", "").immutable().inert(),
    int("acllog-max-len", 0, I64, "128").inert(),
    one_of("acl-pubsub-default", &["allchannels", "resetchannels"], "resetchannels").inert(),
    // Replication.
    special("replicaof", "").alias("slaveof").immutable().multi().inert(),
    text("masterauth", "").inert(),
    text("masteruser", "").inert(),
    boolean("replica-serve-stale-data", "yes").alias("slave-serve-stale-data").inert(),
    boolean("replica-read-only", "yes").alias("slave-read-only").inert(),
    int("replica-priority", 0, I32, "100").alias("slave-priority").inert(),
    text("replica-announce-ip", "").alias("slave-announce-ip").inert(),
    int("replica-announce-port", 0, PORT, "0").alias("slave-announce-port").inert(),
    boolean("replica-announced", "yes").inert(),
    boolean("replica-lazy-flush", "no").alias("slave-lazy-flush").inert(),
    boolean("replica-ignore-maxmemory", "yes").alias("slave-ignore-maxmemory").inert(),
    boolean("replica-ignore-disk-write-errors", "no").inert(),
    int("repl-ping-replica-period", 1, I32, "10").alias("repl-ping-slave-period").inert(),
    int("repl-timeout", 1, I32, "60").inert(),
    mem("repl-backlog-size", 1, "1048576").inert(),
    int("repl-backlog-ttl", 0, I64, "3600").inert(),
    boolean("repl-disable-tcp-nodelay", "no").inert(),
    boolean("repl-diskless-sync", "yes").inert(),
    int("repl-diskless-sync-delay", 0, I32, "5").inert(),
    int("repl-diskless-sync-max-replicas", 0, I32, "0").inert(),
    one_of("repl-diskless-load", &["disabled", "on-empty-db", "swapdb"], "disabled").inert(),
    int("min-replicas-to-write", 0, I32, "0").alias("min-slaves-to-write").inert(),
    int("min-replicas-max-lag", 0, I32, "10").alias("min-slaves-max-lag").inert(),
    one_of("propagation-error-behavior", &["ignore", "panic", "panic-on-replicas"], "ignore").inert(),
    // Cluster.
    boolean("cluster-enabled", "no").immutable().inert(),
    text("cluster-config-file", "nodes.conf").immutable().inert(),
    int("cluster-port", 0, PORT, "0").immutable().inert(),
    int("cluster-node-timeout", 0, I64, "15000").inert(),
    text("cluster-announce-ip", "").inert(),
    text("cluster-announce-hostname", "").inert(),
    int("cluster-announce-port", 0, PORT, "0").inert(),
    int("cluster-announce-bus-port", 0, PORT, "0").inert(),
    int("cluster-announce-tls-port", 0, PORT, "0").inert(),
    one_of("cluster-preferred-endpoint-type", &["ip", "hostname", "unknown-endpoint"], "ip").inert(),
    int("cluster-replica-validity-factor", 0, I32, "10").alias("cluster-slave-validity-factor").inert(),
    boolean("cluster-replica-no-failover", "no").alias("cluster-slave-no-failover").inert(),
    int("cluster-migration-barrier", 0, I32, "1").inert(),
    boolean("cluster-allow-replica-migration", "yes").inert(),
    boolean("cluster-require-full-coverage", "yes").inert(),
    boolean("cluster-allow-reads-when-down", "no").inert(),
    boolean("cluster-allow-pubsubshard-when-down", "yes").inert(),
    param("cluster-link-sendbuf-limit", Kind::MemU64, "0").inert(),
    // TLS (tls.rs). DH parameters, outgoing TLS (replication, cluster) and
    // the client-side certificate have nothing to act on here.
    text("tls-cert-file", ""),
    text("tls-key-file", ""),
    text("tls-key-file-pass", ""),
    text("tls-client-cert-file", "").inert(),
    text("tls-client-key-file", "").inert(),
    text("tls-client-key-file-pass", "").inert(),
    text("tls-dh-params-file", "").inert(),
    text("tls-ca-cert-file", ""),
    text("tls-ca-cert-dir", ""),
    text("tls-protocols", ""),
    text("tls-ciphers", ""),
    text("tls-ciphersuites", ""),
    one_of("tls-auth-clients", &["no", "yes", "optional"], "yes"),
    boolean("tls-replication", "no").inert(),
    boolean("tls-cluster", "no").inert(),
    boolean("tls-prefer-server-ciphers", "no"),
    boolean("tls-session-caching", "yes"),
    int("tls-session-cache-size", 0, I32, "20480"),
    int("tls-session-cache-timeout", 0, I32, "300"),
];

/// Directives Redis 7.0 still accepts in a config file and ignores (their
/// feature was removed); CONFIG GET and SET do not know them.
const DEPRECATED: &[&str] = &["list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands"];

/// The keyspace event classes, in the order CONFIG GET prints them; `A`
/// stands for the first ten.
const EVENT_CLASSES: &str = "g$lshzxetdn";
const EVENT_ALL: &str = "g$lshzxetd";

const ERR_ARITY: &str = "wrong number of arguments";
const ERR_DEFRAG: &str = concat!(
    "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc ",
    "like the one shipped by default with the Redis source distribution"
);

/// Values the request path reads on every command, kept typed.
#[derive(Clone, Debug)]
pub struct Hot {
    pub requirepass: Option<Vec<u8>>,
    pub protected_mode: bool,
    pub maxclients: usize,
    pub timeout_secs: u64,
    pub tcp_keepalive: u64,
    pub proto_max_bulk_len: usize,
    pub query_buffer_limit: usize,
    pub slowlog_slower_than: i64,
    pub slowlog_max_len: usize,
    pub hz: u64,
    /// client-output-buffer-limit hard limits (bytes, 0 = none).
    pub obuf_normal_hard: usize,
    pub obuf_pubsub_hard: usize,
    pub loglevel: u8,
}

/// The whole configuration.
pub struct Config {
    values: BTreeMap<&'static str, String>,
    pub hot: Hot,
    /// Path of the config file the server started with (for CONFIG REWRITE).
    pub file: Option<std::path::PathBuf>,
    /// Whether a `save` directive was already read at start-up: the first
    /// one replaces the default save points, later ones add to them.
    save_loaded: bool,
}

fn find(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name.eq_ignore_ascii_case(name) || p.alias.is_some_and(|a| a.eq_ignore_ascii_case(name)))
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// Redis 7's defaults.
    pub fn new() -> Config {
        let values = PARAMS.iter().map(|p| (p.name, p.default.to_string())).collect();
        let mut c = Config { values, hot: Hot::from_defaults(), file: None, save_loaded: false };
        c.refresh_hot();
        c
    }

    /// Applies one directive at start-up (file or command line).
    ///
    /// `save` adds save points (the first `save` line drops the defaults, and
    /// `save ""` clears them) and `client-output-buffer-limit` replaces only
    /// the classes it names; every other directive replaces the value.
    ///
    /// # Errors
    /// Redis's reason text ("Bad directive or wrong number of arguments", ...).
    pub fn apply_directive(&mut self, name: &str, args: &[Vec<u8>]) -> Result<(), String> {
        if DEPRECATED.iter().any(|d| d.eq_ignore_ascii_case(name)) {
            return Ok(());
        }
        let p = find(name).ok_or_else(|| "Bad directive or wrong number of arguments".to_string())?;
        let mut words: Vec<String> = args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        // Redis 7 splits a single non-empty argument of a multi-word directive
        // on spaces, so that `--save "3600 1"` works from the command line.
        if p.has(MULTI) && words.len() == 1 && words[0].contains(' ') {
            words = words[0].split_whitespace().map(String::from).collect();
        }
        if !p.has(MULTI) && words.len() != 1 {
            return Err(ERR_ARITY.into());
        }
        if p.name == "dir" {
            check_dir(&words[0])?;
        }
        let mut v = self.canonical(p, &words)?;
        if p.name == "save" {
            let current = if self.save_loaded { self.values["save"].as_str() } else { "" };
            if !current.is_empty() && !v.is_empty() {
                v = format!("{current} {v}");
            }
            self.save_loaded = true;
        }
        self.values.insert(p.name, v);
        self.refresh_hot();
        Ok(())
    }

    /// Names of inert parameters set to a non-default value.
    pub fn inert_in_use(&self) -> Vec<&'static str> {
        PARAMS.iter().filter(|p| p.has(INERT) && self.values[p.name] != p.default).map(|p| p.name).collect()
    }

    /// CONFIG GET for several patterns: (name, value) pairs, each name once.
    ///
    /// A pattern without glob characters is looked up directly and answered
    /// under the spelling it was asked with (`CONFIG GET MAXMEMORY` answers
    /// `MAXMEMORY`), hidden parameters included; a glob matches, without
    /// regard to case, every visible name and alias. Aliases are listed as
    /// parameters of their own, as Redis 7.0 does.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let seen = |out: &Vec<(String, String)>, name: &str| out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        for pat in patterns {
            if !pat.iter().any(|c| matches!(c, b'*' | b'?' | b'[')) {
                let name = String::from_utf8_lossy(pat).into_owned();
                if let Some(p) = find(&name) {
                    if !seen(&out, &name) {
                        let v = self.display(p);
                        out.push((name, v));
                    }
                }
                continue;
            }
            for p in PARAMS.iter().filter(|p| !p.has(HIDDEN)) {
                for name in std::iter::once(p.name).chain(p.alias) {
                    if !seen(&out, name) && keyspace::glob::glob_match(pat, name.as_bytes(), true) {
                        out.push((name.to_string(), self.display(p)));
                    }
                }
            }
        }
        out
    }

    /// What CONFIG GET shows for a parameter.
    fn display(&self, p: &Param) -> String {
        let v = &self.values[p.name];
        match p.name {
            // Redis answers with the working directory, wherever it came from.
            "dir" => std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|_| v.clone()),
            // Redis prints `A` without the `n` class even when `n` is set.
            "notify-keyspace-events" if v.starts_with('A') => v.replace('n', ""),
            _ => v.clone(),
        }
    }

    /// A value by name, if the parameter exists (the stored value: for
    /// `dir`, the configured directory, empty when none was given).
    pub fn value(&self, name: &str) -> Option<&str> {
        find(name).map(|p| self.values[p.name].as_str())
    }

    /// CONFIG SET of several pairs, all or nothing, from a client that is
    /// not local (see [`Config::set_from`]).
    ///
    /// # Errors
    /// The full error reply text.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<Vec<&'static str>, String> {
        self.set_from(pairs, false)
    }

    /// CONFIG SET of several pairs, all or nothing. Returns the names of
    /// inert parameters that were set. `local_client` says whether the
    /// client connected over loopback (`enable-protected-configs local`).
    ///
    /// Redis's order of checks: first every name (unknown, immutable,
    /// protected, given twice), then every value, then the effects outside
    /// the table (listening sockets, TLS, the working directory).
    ///
    /// # Errors
    /// The full error reply text.
    pub fn set_from(&mut self, pairs: &[(&[u8], &[u8])], local_client: bool) -> Result<Vec<&'static str>, String> {
        let names: Vec<String> = pairs.iter().map(|(n, _)| String::from_utf8_lossy(n).into_owned()).collect();
        let protected_ok = match self.values["enable-protected-configs"].as_str() {
            "yes" => true,
            "local" => local_client,
            _ => false,
        };
        let mut params: Vec<&'static Param> = Vec::with_capacity(pairs.len());
        for (i, n) in names.iter().enumerate() {
            let Some(p) = find(n) else {
                return Err(format!("ERR Unknown option or number of arguments for CONFIG SET - '{n}'"));
            };
            if p.has(IMMUTABLE) {
                return Err(crate::errors::config_set_failed(n, "can't set immutable config"));
            }
            if p.has(PROTECTED) && !protected_ok {
                return Err(crate::errors::config_set_failed(n, "can't set protected config"));
            }
            if names[..i].iter().any(|m| m.eq_ignore_ascii_case(n)) {
                return Err(crate::errors::config_set_failed(n, "duplicate parameter"));
            }
            params.push(p);
        }
        let mut staged: Vec<(&'static Param, String)> = Vec::with_capacity(pairs.len());
        for ((p, (_, val)), n) in params.iter().zip(pairs).zip(&names) {
            let val = String::from_utf8_lossy(val).into_owned();
            let words: Vec<String> = if !p.has(MULTI) {
                vec![val]
            } else if val.is_empty() {
                Vec::new()
            } else {
                val.split(' ').map(String::from).collect()
            };
            let mut v = self.canonical(p, &words).map_err(|e| crate::errors::config_set_failed(n, &e))?;
            if p.name == "repl-backlog-size" {
                // Redis's resize at run time has a floor that loading does not.
                v = v.parse::<i64>().unwrap_or(0).max(16384).to_string();
            }
            staged.push((p, v));
        }
        if let Some(((_, dir), n)) = staged.iter().zip(&names).find(|((p, _), _)| p.name == "dir") {
            std::env::set_current_dir(dir).map_err(|e| crate::errors::config_set_failed(n, &os_reason(&e)))?;
        }
        let mut inert = Vec::new();
        for (p, v) in staged {
            self.values.insert(p.name, v);
            if p.has(INERT) {
                inert.push(p.name);
            }
        }
        self.refresh_hot();
        Ok(inert)
    }

    /// The stored values of the parameters `names` names (unknown ones
    /// skipped), for [`Config::restore`].
    pub fn snapshot(&self, names: &[&[u8]]) -> Vec<(&'static str, String)> {
        names
            .iter()
            .filter_map(|n| find(&String::from_utf8_lossy(n)))
            .map(|p| (p.name, self.values[p.name].clone()))
            .collect()
    }

    /// Puts back values a [`Config::snapshot`] took: CONFIG SET's undo when
    /// an effect outside the table (sockets, TLS) fails after the values
    /// were stored. They were valid before, so they are not checked again.
    pub fn restore(&mut self, old: Vec<(&'static str, String)>) {
        for (name, v) in old {
            if name == "dir" && !v.is_empty() {
                let _ = std::env::set_current_dir(&v);
            }
            self.values.insert(name, v);
        }
        self.refresh_hot();
    }

    /// Checks words against a parameter and returns the canonical text.
    /// A single-word parameter gets exactly one word.
    fn canonical(&self, p: &Param, words: &[String]) -> Result<String, String> {
        let one = words.first().map(String::as_str).unwrap_or("");
        let v = match p.kind {
            Kind::Bool => match file::parse_yes_no(one.as_bytes()) {
                Some(b) => if b { "yes" } else { "no" }.to_string(),
                None => return Err("argument must be 'yes' or 'no'".into()),
            },
            Kind::Int(lo, hi) => {
                let v = string2ll(one).ok_or("argument couldn't be parsed into an integer")?;
                if v < lo || v > hi {
                    return Err(format!("argument must be between {lo} and {hi} inclusive"));
                }
                v.to_string()
            }
            Kind::Mem(lo, hi) => {
                // Redis keeps these signed: what wrapped past i64::MAX is out of range.
                let v = memtoull(one).ok_or("argument must be a memory value")? as i64;
                if v < lo || v > hi {
                    return Err(format!("argument must be between {lo} and {hi} inclusive"));
                }
                v.to_string()
            }
            Kind::MemU64 => memtoull(one).ok_or("argument must be a memory value")?.to_string(),
            Kind::Enum(options) => match options.iter().find(|o| o.eq_ignore_ascii_case(one)) {
                // `relative` is another name for `yes`, and Redis prints the first name.
                Some(&"relative") if p.name == "oom-score-adj" => "yes".to_string(),
                Some(o) => o.to_string(),
                None => return Err(enum_error(options)),
            },
            Kind::Flags(options) => flags_canonical(options, words)?,
            Kind::Str => one.to_string(),
            Kind::Special => return self.special(p.name, words),
        };
        check_value(p.name, &v)?;
        Ok(match p.name {
            // Redis clamps the frequency instead of refusing it.
            "hz" => v.parse::<i64>().unwrap_or(10).clamp(1, 500).to_string(),
            _ => v,
        })
    }

    /// Values with a syntax of their own.
    fn special(&self, name: &str, words: &[String]) -> Result<String, String> {
        let one = words.first().map(String::as_str).unwrap_or("");
        let blank = words.is_empty() || (words.len() == 1 && words[0].is_empty());
        match name {
            "bind" => {
                if words.len() > 16 {
                    return Err("Too many bind addresses specified.".into());
                }
                Ok(words.join(" "))
            }
            "dir" => Ok(one.to_string()),
            "save" => {
                if blank {
                    return Ok(String::new());
                }
                if !words.len().is_multiple_of(2) {
                    return Err("Invalid save parameters".into());
                }
                let mut points = Vec::new();
                for pair in words.chunks(2) {
                    let (Some(secs), Some(changes)) = (strtoll(&pair[0]), strtoll(&pair[1])) else {
                        return Err("Invalid save parameters".into());
                    };
                    if secs < 1 || changes < 0 {
                        return Err("Invalid save parameters".into());
                    }
                    // Redis keeps the change count in a C int.
                    points.push(format!("{secs} {}", changes as i32));
                }
                Ok(points.join(" "))
            }
            "client-output-buffer-limit" => self.output_buffer_limits(words),
            "oom-score-adj-values" => {
                if words.len() != 3 {
                    return Err(ERR_ARITY.into());
                }
                let mut vals = Vec::new();
                for w in words {
                    match strtoll(w) {
                        Some(v) if (-2000..=2000).contains(&v) => vals.push(v.to_string()),
                        _ => {
                            return Err("Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into())
                        }
                    }
                }
                Ok(vals.join(" "))
            }
            "latency-tracking-info-percentiles" => {
                if blank {
                    return Ok(String::new());
                }
                let mut vals = Vec::new();
                for w in words {
                    let v = strtod(w)
                        .filter(|v| !v.is_nan())
                        .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
                    if !(0.0..=100.0).contains(&v) {
                        return Err(
                            "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]".into()
                        );
                    }
                    vals.push(format_percentile(v));
                }
                Ok(vals.join(" "))
            }
            "notify-keyspace-events" => {
                let mut set = [false; 14];
                let classes = format!("{EVENT_CLASSES}KEm");
                for c in one.chars() {
                    if c == 'A' {
                        set[..EVENT_ALL.len()].iter_mut().for_each(|s| *s = true);
                        continue;
                    }
                    match classes.find(c) {
                        Some(i) => set[i] = true,
                        None => return Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
                    }
                }
                let mut out = String::new();
                let all = set[..EVENT_ALL.len()].iter().all(|s| *s);
                for (i, c) in classes.chars().enumerate() {
                    if all && i == 0 {
                        out.push('A');
                    }
                    // Under `A` the classes it covers are implied; `n` is kept
                    // here (CONFIG GET leaves it out, as Redis does).
                    if set[i] && !(all && i < EVENT_ALL.len()) {
                        out.push(c);
                    }
                }
                Ok(out)
            }
            "maxmemory-clients" => {
                if let Some(pct) = one.strip_suffix('%') {
                    let p = string2ll(pct).filter(|p| *p >= 0).ok_or("argument must be a memory or percent value")?;
                    if p > 100 {
                        return Err("percentage argument must be less or equal to 100".into());
                    }
                    return Ok(if p == 0 { "0".into() } else { format!("{p}%") });
                }
                // Redis stores a percentage as a negative number, so a byte
                // count that wraps negative reads back as one.
                let v = memtoull(one).ok_or("argument must be a memory or percent value")? as i64;
                if v < -100 {
                    return Err("percentage argument must be less or equal to 100".into());
                }
                Ok(if v < 0 { format!("{}%", -v) } else { v.to_string() })
            }
            "unixsocketperm" => {
                let v = strtol_octal(one).ok_or("argument couldn't be parsed as an octal number")?;
                if !(0..=0o777).contains(&v) {
                    return Err("argument must be between 0 and 777 inclusive".into());
                }
                Ok(format!("{v:o}"))
            }
            "replicaof" => {
                if words.len() != 2 {
                    return Err(ERR_ARITY.into());
                }
                if words[0].eq_ignore_ascii_case("no") && words[1].eq_ignore_ascii_case("one") {
                    return Ok(String::new());
                }
                let port = string2ll(&words[1]).filter(|p| (0..=PORT).contains(p)).ok_or("Invalid master port")?;
                Ok(format!("{} {port}", words[0]))
            }
            _ => Ok(words.join(" ")),
        }
    }

    /// `client-output-buffer-limit <class> <hard> <soft> <seconds> ...`:
    /// the named classes are replaced in the current value, the others kept.
    fn output_buffer_limits(&self, words: &[String]) -> Result<String, String> {
        if !words.len().is_multiple_of(4) {
            return Err("Wrong number of arguments in buffer limit configuration.".into());
        }
        let mut classes: Vec<Vec<String>> = self.values["client-output-buffer-limit"]
            .split(' ')
            .map(String::from)
            .collect::<Vec<_>>()
            .chunks(4)
            .map(<[String]>::to_vec)
            .collect();
        for c in words.chunks(4) {
            let class = match c[0].to_ascii_lowercase().as_str() {
                "normal" => "normal",
                "slave" | "replica" => "slave",
                "pubsub" => "pubsub",
                _ => return Err("Invalid client class specified in buffer limit configuration.".into()),
            };
            // Redis keeps the seconds in a C int.
            let (hard, soft, secs) = (memtoull(&c[1]), memtoull(&c[2]), strtoll(&c[3]).map(|s| s as i32));
            let (Some(hard), Some(soft), Some(secs)) = (hard, soft, secs.filter(|s| *s >= 0)) else {
                return Err("Error in hard, soft or soft_seconds setting in buffer limit configuration.".into());
            };
            let entry = vec![class.to_string(), hard.to_string(), soft.to_string(), secs.to_string()];
            match classes.iter_mut().find(|e| e[0] == class) {
                Some(e) => *e = entry,
                None => classes.push(entry),
            }
        }
        Ok(classes.concat().join(" "))
    }

    fn int(&self, name: &str) -> i64 {
        self.values[name].parse().unwrap_or(0)
    }

    fn refresh_hot(&mut self) {
        let pass = self.values["requirepass"].clone();
        let (mut normal, mut pubsub) = (0usize, 0usize);
        let words: Vec<&str> = self.values["client-output-buffer-limit"].split_whitespace().collect();
        for c in words.chunks(4) {
            let hard = c.get(1).and_then(|h| h.parse::<u64>().ok()).unwrap_or(0);
            let hard = usize::try_from(hard).unwrap_or(usize::MAX);
            match c[0] {
                "normal" => normal = hard,
                "pubsub" => pubsub = hard,
                _ => {}
            }
        }
        self.hot = Hot {
            requirepass: if pass.is_empty() { None } else { Some(pass.into_bytes()) },
            protected_mode: self.values["protected-mode"] == "yes",
            maxclients: self.int("maxclients") as usize,
            timeout_secs: self.int("timeout") as u64,
            tcp_keepalive: self.int("tcp-keepalive") as u64,
            proto_max_bulk_len: self.int("proto-max-bulk-len") as usize,
            query_buffer_limit: self.int("client-query-buffer-limit") as usize,
            slowlog_slower_than: self.int("slowlog-log-slower-than"),
            slowlog_max_len: self.int("slowlog-max-len") as usize,
            hz: self.int("hz") as u64,
            obuf_normal_hard: normal,
            obuf_pubsub_hard: pubsub,
            loglevel: LOGLEVELS.iter().position(|l| *l == self.values["loglevel"]).unwrap_or(2) as u8,
        };
    }

    /// CONFIG REWRITE: rewrites the config file in place, keeping comments
    /// and unknown lines, replacing lines of known directives with current
    /// values and appending non-default values that had no line.
    ///
    /// # Errors
    /// Redis's error texts.
    pub fn rewrite(&self) -> Result<(), String> {
        let path = self.file.as_ref().ok_or("ERR The server is running without a config file")?;
        let old = std::fs::read_to_string(path).unwrap_or_default();
        let mut written: Vec<&str> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        for line in old.lines() {
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') {
                lines.push(line.to_string());
                continue;
            }
            let name = t.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
            match find(&name) {
                Some(p) if !written.contains(&p.name) => {
                    written.push(p.name);
                    lines.push(self.render(p));
                }
                Some(_) => {} // a repeated directive collapses into the first line
                None => lines.push(line.to_string()),
            }
        }
        let mut appended = false;
        for p in PARAMS {
            if written.contains(&p.name) || self.values[p.name] == p.default {
                continue;
            }
            if !appended {
                lines.push("# Generated by CONFIG REWRITE".into());
                appended = true;
            }
            lines.push(self.render(p));
        }
        let tmp = path.with_extension("rewrite.tmp");
        let body = lines.join("\n") + "\n";
        std::fs::write(&tmp, body)
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(|e| format!("ERR Rewriting config file: {e}"))
    }

    /// The config-file line(s) for a parameter's current value.
    fn render(&self, p: &Param) -> String {
        let v = &self.values[p.name];
        let words: Vec<&str> = v.split(' ').collect();
        let line = |name: &str, ws: &[&str]| {
            let args: Vec<String> = ws.iter().map(|w| quote(w)).collect();
            format!("{name} {}", args.join(" "))
        };
        match p.name {
            "save" if v.is_empty() => "save \"\"".into(),
            "save" => words.chunks(2).map(|c| line("save", c)).collect::<Vec<_>>().join("\n"),
            "client-output-buffer-limit" => words.chunks(4).map(|c| line(p.name, c)).collect::<Vec<_>>().join("\n"),
            _ if p.has(MULTI) && !v.is_empty() => line(p.name, &words),
            _ => format!("{} {}", p.name, quote(v)),
        }
    }
}

/// Checks that only some text parameters need.
fn check_value(name: &str, v: &str) -> Result<(), String> {
    let is_path = v.contains(['/', '\\']);
    match name {
        "dbfilename" if is_path => Err("dbfilename can't be a path, just a filename".into()),
        "appendfilename" if v.is_empty() => Err("appendfilename can't be empty".into()),
        "appendfilename" if is_path => Err("appendfilename can't be a path, just a filename".into()),
        "appenddirname" if v.is_empty() => Err("appenddirname can't be empty".into()),
        "appenddirname" if is_path => Err("appenddirname can't be a path, just a dirname".into()),
        "proc-title-template" if !valid_title_template(v) => {
            Err("template format is invalid or contains unknown variables".into())
        }
        // This server has no defragmenter: Redis says the same when its
        // allocator lacks one.
        "activedefrag" if v == "yes" => Err(ERR_DEFRAG.into()),
        _ => Ok(()),
    }
}

/// `proc-title-template`: `{name}` variables from a fixed set, `{{` and
/// `}}` for braces, and the title it gives with an empty `{title}` must not
/// be blank (spaces trimmed). `{server-mode}` and `{unixsocket}` count as
/// empty, as on a standalone server without a Unix socket; the others as
/// not, as `{config-file}` does for Redis even without a config file.
fn valid_title_template(t: &str) -> bool {
    let mut out = String::new();
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") || rest.starts_with("}}") {
            out.push(c);
            rest = &rest[2..];
        } else if c == '{' {
            let Some(end) = rest.find('}') else { return false };
            match &rest[1..end] {
                "title" | "server-mode" | "unixsocket" => {}
                "listen-addr" | "port" | "tls-port" | "config-file" => out.push('x'),
                _ => return false,
            }
            rest = &rest[end + 1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    !out.trim_matches(' ').is_empty()
}

fn enum_error(options: &[&str]) -> String {
    format!("argument(s) must be one of the following: {}", options.join(", "))
}

/// Several enum words combined as flags: the first option is "none", the
/// others are printed in table order. Only `shutdown-on-sig*` use this.
fn flags_canonical(options: &[&str], words: &[String]) -> Result<String, String> {
    if words.is_empty() {
        return Err(enum_error(options));
    }
    let mut set = vec![false; options.len()];
    for w in words {
        let i = options.iter().position(|o| o.eq_ignore_ascii_case(w)).ok_or_else(|| enum_error(options))?;
        set[i] = true;
    }
    if set[1] && set[2] {
        return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
    }
    let on: Vec<&str> = options.iter().zip(&set).skip(1).filter(|(_, s)| **s).map(|(o, _)| *o).collect();
    Ok(if on.is_empty() { options[0].to_string() } else { on.join(" ") })
}

/// Redis's `string2ll`: an optional `-`, then digits without a leading zero
/// (except `0` itself); no `+`, spaces or overflow.
fn string2ll(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let b = digits.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b[0] == b'0' && (b.len() > 1 || neg)) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in b {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Redis's `memtoull`: digits, then an optional unit (`b`, `k`, `kb`, `m`,
/// `mb`, `g`, `gb`, any case). No digits reads as 0; the number saturates
/// at `u64::MAX` and the unit multiplication wraps, as in C.
fn memtoull(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mul: u64 = match s[digits..].to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // Redis copies the number into a 128-byte buffer and gives up beyond.
    if digits >= 128 {
        return None;
    }
    let v = b[..digits]
        .iter()
        .try_fold(0u64, |v, d| v.checked_mul(10)?.checked_add(u64::from(d - b'0')))
        .unwrap_or(u64::MAX);
    Some(v.wrapping_mul(mul))
}

/// C's `strtoll(s, &end, 10)` with `*end == '\0'` required: leading
/// whitespace, `+` or `-`, saturation at the `i64` bounds; `""` is 0.
fn strtoll(s: &str) -> Option<i64> {
    strtol_radix(s, 10)
}

/// `strtol(s, &end, 8)`, as `unixsocketperm` is read.
fn strtol_octal(s: &str) -> Option<i64> {
    strtol_radix(s, 8)
}

fn strtol_radix(s: &str, radix: u32) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if t.is_empty() || !t.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mut v: i128 = 0;
    for c in t.chars() {
        v = (v * i128::from(radix) + i128::from(c.to_digit(radix)?)).min(i128::from(i64::MAX) + 1);
    }
    let v = if neg { -v } else { v };
    Some(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// C's `strtod` with the whole word consumed: decimal or hexadecimal
/// (`0x10`), exponents, `inf`, `nan`.
fn strtod(s: &str) -> Option<f64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        hex.bytes().fold(0f64, |v, c| v * 16.0 + f64::from((c as char).to_digit(16).unwrap_or(0)))
    } else if body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == 'i' || c == 'I' || c == 'n' || c == 'N')
    {
        body.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// A percentile as Redis prints it: `%f`, then trailing zeros and point dropped.
fn format_percentile(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// At start-up `dir` must name a directory, or the configuration is
/// refused with the system's reason, as Redis's `chdir` failure reads.
fn check_dir(dir: &str) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err("Not a directory".into()),
        Err(e) => Err(os_reason(&e)),
    }
}

/// An I/O error as C's `strerror` words it (without Rust's "(os error N)").
fn os_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl Hot {
    fn from_defaults() -> Hot {
        Hot {
            requirepass: None,
            protected_mode: true,
            maxclients: 10000,
            timeout_secs: 0,
            tcp_keepalive: 300,
            proto_max_bulk_len: 512 << 20,
            query_buffer_limit: 1 << 30,
            slowlog_slower_than: 10000,
            slowlog_max_len: 128,
            hz: 10,
            obuf_normal_hard: 0,
            obuf_pubsub_hard: 32 << 20,
            loglevel: 2,
        }
    }
}

/// Quotes a value for redis.conf when it is empty or has spaces or quotes.
fn quote(v: &str) -> String {
    if !v.is_empty() && !v.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '\\') {
        return v.to_string();
    }
    let mut s = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set1(c: &mut Config, name: &str, value: &str) -> Result<Vec<&'static str>, String> {
        c.set(&[(name.as_bytes(), value.as_bytes())])
    }

    fn get1(c: &Config, pattern: &str) -> Vec<(String, String)> {
        c.get(&[pattern.as_bytes()])
    }

    fn directive(c: &mut Config, name: &str, args: &[&str]) -> Result<(), String> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        c.apply_directive(name, &args)
    }

    #[test]
    fn defaults_are_redis_7() {
        let c = Config::new();
        assert_eq!(c.value("port"), Some("6379"));
        assert_eq!(c.value("databases"), Some("16"));
        assert_eq!(c.value("bind"), Some("127.0.0.1 -::1"));
        assert_eq!(c.value("save"), Some("3600 1 300 100 60 10000"));
        assert_eq!(c.value("oom-score-adj-values"), Some("0 200 800"));
        assert!(c.hot.protected_mode);
        assert_eq!(c.hot.proto_max_bulk_len, 512 << 20);
    }

    #[test]
    fn config_get_star_lists_every_visible_name_once() {
        let c = Config::new();
        let all = get1(&c, "*");
        assert_eq!(all.len(), 192);
        let mut names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 192);
        assert!(!names.contains(&"key-load-delay"));
        assert!(!names.contains(&"busy-poll-usec"));
        // Redis 7.0's 176 parameters plus `busy-poll-usec`.
        assert_eq!(PARAMS.len(), 177);
    }

    #[test]
    fn every_default_is_valid() {
        let c = Config::new();
        // `replicaof` has no spelling for its empty default but `no one`.
        for p in PARAMS.iter().filter(|p| p.name != "replicaof") {
            let words: Vec<String> = if p.has(MULTI) {
                p.default.split(' ').filter(|w| !w.is_empty()).map(String::from).collect()
            } else {
                vec![p.default.to_string()]
            };
            assert_eq!(c.canonical(p, &words).as_deref(), Ok(p.default), "{}", p.name);
        }
    }

    #[test]
    fn set_is_all_or_nothing() {
        let mut c = Config::new();
        let err = c.set(&[(b"maxclients", b"100"), (b"timeout", b"abc")]).unwrap_err();
        assert!(err.contains("'timeout'"), "{err}");
        assert_eq!(c.hot.maxclients, 10000);
        c.set(&[(b"maxclients", b"100"), (b"requirepass", b"pw")]).unwrap();
        assert_eq!(c.hot.maxclients, 100);
        assert_eq!(c.hot.requirepass.as_deref(), Some(&b"pw"[..]));
        assert!(c.set(&[(b"databases", b"3")]).unwrap_err().contains("immutable"));
        assert!(c.set(&[(b"nosuch", b"3")]).unwrap_err().contains("Unknown option"));
    }

    #[test]
    fn set_checks_every_name_before_any_value() {
        let mut c = Config::new();
        let err = c.set(&[(b"timeout", b"abc"), (b"bogus", b"1")]).unwrap_err();
        assert_eq!(err, "ERR Unknown option or number of arguments for CONFIG SET - 'bogus'");
        let err = c.set(&[(b"timeout", b"abc"), (b"databases", b"1")]).unwrap_err();
        assert_eq!(
            err,
            "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"
        );
        let err = c.set(&[(b"timeout", b"1"), (b"TIMEOUT", b"2")]).unwrap_err();
        assert_eq!(err, "ERR CONFIG SET failed (possibly related to argument 'TIMEOUT') - duplicate parameter");
    }

    #[test]
    fn immutables_refuse_even_their_own_value() {
        let mut c = Config::new();
        for name in [
            "databases",
            "daemonize",
            "io-threads",
            "appendfilename",
            "rdbchecksum",
            "replicaof",
            "slaveof",
            "unixsocketperm",
        ] {
            let value = c.value(name).unwrap().to_string();
            let err = set1(&mut c, name, &value).unwrap_err();
            assert!(err.ends_with("can't set immutable config"), "{name}: {err}");
        }
        // ...but they load from the file and the command line.
        directive(&mut c, "databases", &["4"]).unwrap();
        directive(&mut c, "slaveof", &["127.0.0.1", "6380"]).unwrap();
        assert_eq!(c.value("replicaof"), Some("127.0.0.1 6380"));
        directive(&mut c, "replicaof", &["NO", "ONE"]).unwrap();
        assert_eq!(c.value("replicaof"), Some(""));
        assert_eq!(directive(&mut c, "replicaof", &["h", "70000"]).unwrap_err(), "Invalid master port");
    }

    #[test]
    fn protected_configs_need_enable_protected_configs() {
        let mut c = Config::new();
        let err = set1(&mut c, "dbfilename", "x.rdb").unwrap_err();
        assert!(err.ends_with("can't set protected config"), "{err}");
        directive(&mut c, "enable-protected-configs", &["local"]).unwrap();
        assert!(c.set_from(&[(b"dbfilename", b"x.rdb")], false).is_err());
        c.set_from(&[(b"dbfilename", b"x.rdb")], true).unwrap();
        assert_eq!(c.value("dbfilename"), Some("x.rdb"));
        let err = c.set_from(&[(b"dbfilename", b"a/b.rdb")], true).unwrap_err();
        assert!(err.ends_with("dbfilename can't be a path, just a filename"), "{err}");
    }

    #[test]
    fn aliases_share_one_value_and_are_listed_separately() {
        let mut c = Config::new();
        directive(&mut c, "lua-time-limit", &["100"]).unwrap();
        assert_eq!(c.value("busy-reply-threshold"), Some("100"));
        assert_eq!(get1(&c, "lua*"), vec![("lua-time-limit".to_string(), "100".to_string())]);
        set1(&mut c, "hash-max-ziplist-entries", "7").unwrap();
        let mut got = get1(&c, "hash-max-*");
        got.sort();
        assert_eq!(
            got,
            [
                ("hash-max-listpack-entries", "7"),
                ("hash-max-listpack-value", "64"),
                ("hash-max-ziplist-entries", "7"),
                ("hash-max-ziplist-value", "64")
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        // A name and its alias in one CONFIG SET are two different names.
        c.set(&[(b"lua-time-limit", b"1"), (b"busy-reply-threshold", b"2")]).unwrap();
        assert_eq!(c.value("lua-time-limit"), Some("2"));
        directive(&mut c, "slave-read-only", &["no"]).unwrap();
        assert_eq!(c.value("replica-read-only"), Some("no"));
    }

    #[test]
    fn get_exact_names_keep_their_spelling_and_reach_hidden_params() {
        let c = Config::new();
        assert_eq!(get1(&c, "MAXMEMORY"), vec![("MAXMEMORY".to_string(), "0".to_string())]);
        assert_eq!(c.get(&[b"maxmemory", b"MAXMEMORY"]).len(), 1);
        assert_eq!(get1(&c, "key-load-delay"), vec![("key-load-delay".to_string(), "0".to_string())]);
        assert!(get1(&c, "key-load-*").is_empty());
        assert_eq!(c.get(&[b"lua-time-limit", b"lua*"]).len(), 1);
        assert_eq!(c.get(&[b"busy*", b"lua*"]).len(), 2);
        assert_eq!(get1(&c, "busy-poll-usec"), vec![("busy-poll-usec".to_string(), "100".to_string())]);
    }

    #[test]
    fn bool_int_and_enum_errors_are_redis_texts() {
        let mut c = Config::new();
        let reason = |c: &mut Config, n: &str, v: &str| {
            let e = set1(c, n, v).unwrap_err();
            e[e.find(" - ").unwrap() + 3..].to_string()
        };
        assert_eq!(reason(&mut c, "appendonly", "1"), "argument must be 'yes' or 'no'");
        set1(&mut c, "appendonly", "YES").unwrap();
        assert_eq!(c.value("appendonly"), Some("yes"));
        assert_eq!(reason(&mut c, "timeout", "+5"), "argument couldn't be parsed into an integer");
        assert_eq!(reason(&mut c, "timeout", "007"), "argument couldn't be parsed into an integer");
        assert_eq!(reason(&mut c, "timeout", "-0"), "argument couldn't be parsed into an integer");
        assert_eq!(reason(&mut c, "timeout", "99999999999999999999"), "argument couldn't be parsed into an integer");
        assert_eq!(reason(&mut c, "timeout", "-5000000000"), "argument must be between 0 and 2147483647 inclusive");
        assert_eq!(reason(&mut c, "maxclients", "0"), "argument must be between 1 and 4294967295 inclusive");
        assert_eq!(
            reason(&mut c, "appendfsync", "sometimes"),
            "argument(s) must be one of the following: everysec, always, no"
        );
        assert_eq!(
            reason(&mut c, "loglevel", "nothing"),
            "argument(s) must be one of the following: debug, verbose, notice, warning"
        );
        set1(&mut c, "maxmemory-policy", "ALLKEYS-LRU").unwrap();
        assert_eq!(c.value("maxmemory-policy"), Some("allkeys-lru"));
        set1(&mut c, "oom-score-adj", "relative").unwrap();
        assert_eq!(c.value("oom-score-adj"), Some("yes"));
        set1(&mut c, "hz", "1000").unwrap();
        assert_eq!(c.value("hz"), Some("500"));
        set1(&mut c, "hz", "0").unwrap();
        assert_eq!(c.hot.hz, 1);
    }

    #[test]
    fn memory_values_take_units_and_wrap_like_redis() {
        let mut c = Config::new();
        directive(&mut c, "proto-max-bulk-len", &["2mb"]).unwrap();
        assert_eq!(c.value("proto-max-bulk-len"), Some("2097152"));
        for (v, want) in [("1KB", "1024"), ("1k", "1000"), ("1g", "1000000000"), ("1b", "1"), ("", "0")] {
            set1(&mut c, "maxmemory", v).unwrap();
            assert_eq!(c.value("maxmemory"), Some(want), "{v}");
        }
        set1(&mut c, "maxmemory", "99999999999999999999").unwrap();
        assert_eq!(c.value("maxmemory"), Some("18446744073709551615"));
        for bad in ["1tb", "-1", "+1", "1.5", "5 mb"] {
            assert!(set1(&mut c, "maxmemory", bad).unwrap_err().ends_with("argument must be a memory value"), "{bad}");
        }
        let e = set1(&mut c, "hash-max-listpack-value", "99999999999999999999").unwrap_err();
        assert!(e.ends_with("argument must be between 0 and 9223372036854775807 inclusive"), "{e}");
        let e = set1(&mut c, "client-query-buffer-limit", "1kb").unwrap_err();
        assert!(e.ends_with("argument must be between 1048576 and 9223372036854775807 inclusive"), "{e}");
        set1(&mut c, "maxmemory-clients", "10%").unwrap();
        assert_eq!(c.value("maxmemory-clients"), Some("10%"));
        assert!(set1(&mut c, "maxmemory-clients", "101%")
            .unwrap_err()
            .ends_with("percentage argument must be less or equal to 100"));
    }

    #[test]
    fn save_validates_pairs_and_accumulates_at_start_up() {
        let mut c = Config::new();
        for bad in ["3600", "0 1", "-1 1", "abc def", " 3600 1", "3600 1 "] {
            assert!(set1(&mut c, "save", bad).unwrap_err().ends_with("Invalid save parameters"), "{bad:?}");
        }
        set1(&mut c, "save", "+5 1 007 2 1 4294967296").unwrap();
        assert_eq!(c.value("save"), Some("5 1 7 2 1 0"));
        let mut c = Config::new();
        directive(&mut c, "save", &["3600", "1"]).unwrap();
        directive(&mut c, "save", &["300", "100"]).unwrap();
        assert_eq!(c.value("save"), Some("3600 1 300 100"));
        directive(&mut c, "save", &[""]).unwrap();
        directive(&mut c, "save", &["1", "2"]).unwrap();
        assert_eq!(c.value("save"), Some("1 2"));
    }

    #[test]
    fn output_buffer_classes_merge() {
        let mut c = Config::new();
        c.set(&[(b"client-output-buffer-limit", b"normal 1mb 0 0")]).unwrap();
        assert_eq!(c.hot.obuf_normal_hard, 1 << 20);
        assert_eq!(c.hot.obuf_pubsub_hard, 32 << 20);
        set1(&mut c, "client-output-buffer-limit", "pubsub 1 2 +3 REPLICA 4 5 6").unwrap();
        assert_eq!(c.value("client-output-buffer-limit"), Some("normal 1048576 0 0 slave 4 5 6 pubsub 1 2 3"));
        for (bad, why) in [
            ("normal 1 2", "Wrong number of arguments"),
            ("normal  1 2 3", "Wrong number of arguments"),
            ("master 1 2 3", "Invalid client class"),
            ("normal -1 2 3", "Error in hard, soft or soft_seconds"),
            ("normal 1 2 99999999999999999999", "Error in hard, soft or soft_seconds"),
        ] {
            assert!(set1(&mut c, "client-output-buffer-limit", bad).unwrap_err().contains(why), "{bad}");
        }
        set1(&mut c, "client-output-buffer-limit", "").unwrap();
        assert_eq!(
            directive(&mut c, "client-output-buffer-limit", &[""]).unwrap_err(),
            "Wrong number of arguments in buffer limit configuration."
        );
    }

    #[test]
    fn keyspace_event_flags_print_in_redis_order() {
        let mut c = Config::new();
        for (set, want) in [
            ("KEA", "AKE"),
            ("Kx", "xK"),
            ("KEmn", "nKEm"),
            ("Kg$lshzxetmd", "AKm"),
            ("AKn", "AK"),
            ("KKEE", "KE"),
            ("", ""),
        ] {
            set1(&mut c, "notify-keyspace-events", set).unwrap();
            assert_eq!(get1(&c, "notify-keyspace-events")[0].1, want, "{set}");
        }
        let e = set1(&mut c, "notify-keyspace-events", "k").unwrap_err();
        assert!(e.ends_with("Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), "{e}");
    }

    #[test]
    fn multi_word_specials() {
        let mut c = Config::new();
        set1(&mut c, "latency-tracking-info-percentiles", "50.0 99.90 1e-5 0x10").unwrap();
        assert_eq!(c.value("latency-tracking-info-percentiles"), Some("50 99.9 0.00001 16"));
        assert!(set1(&mut c, "latency-tracking-info-percentiles", "101")
            .unwrap_err()
            .ends_with("should sit between [0.0,100.0]"));
        assert!(set1(&mut c, "latency-tracking-info-percentiles", "nan")
            .unwrap_err()
            .ends_with("Invalid latency-tracking-info-percentiles parameters"));
        set1(&mut c, "oom-score-adj-values", "+1 -2000 3").unwrap();
        assert_eq!(c.value("oom-score-adj-values"), Some("1 -2000 3"));
        assert!(set1(&mut c, "oom-score-adj-values", "0 200").unwrap_err().ends_with("wrong number of arguments"));
        assert!(set1(&mut c, "oom-score-adj-values", "0 200 2001").unwrap_err().contains("between -2000 and 2000"));
        set1(&mut c, "shutdown-on-sigint", "now nosave").unwrap();
        assert_eq!(c.value("shutdown-on-sigint"), Some("nosave now"));
        set1(&mut c, "shutdown-on-sigint", "now default").unwrap();
        assert_eq!(c.value("shutdown-on-sigint"), Some("now"));
        assert!(set1(&mut c, "shutdown-on-sigint", "save nosave").is_err());
        directive(&mut c, "unixsocketperm", &["0777"]).unwrap();
        assert_eq!(c.value("unixsocketperm"), Some("777"));
        assert_eq!(
            directive(&mut c, "unixsocketperm", &["1777"]).unwrap_err(),
            "argument must be between 0 and 777 inclusive"
        );
    }

    #[test]
    fn start_up_arity_and_unknown_directives() {
        let mut c = Config::new();
        assert_eq!(directive(&mut c, "timeout", &["1", "2"]).unwrap_err(), "wrong number of arguments");
        assert_eq!(directive(&mut c, "appendonly", &[]).unwrap_err(), "wrong number of arguments");
        assert_eq!(directive(&mut c, "bogus", &["1"]).unwrap_err(), "Bad directive or wrong number of arguments");
        directive(&mut c, "lua-replicate-commands", &["yes"]).unwrap();
        assert!(c.set(&[(b"lua-replicate-commands", b"yes")]).is_err());
        assert!(directive(&mut c, "activedefrag", &["yes"])
            .unwrap_err()
            .starts_with("Active defragmentation cannot be enabled"));
        assert_eq!(
            directive(&mut c, "proc-title-template", &["{title}"]).unwrap_err(),
            "template format is invalid or contains unknown variables"
        );
        directive(&mut c, "proc-title-template", &["{{title}} {port}"]).unwrap();
        assert_eq!(directive(&mut c, "dir", &["/nonexistent-vermilion"]).unwrap_err(), "No such file or directory");
    }

    #[test]
    fn snapshot_and_restore_undo_a_set() {
        let mut c = Config::new();
        let old = c.snapshot(&[b"tls-port", b"MAXMEMORY", b"no-such"]);
        assert_eq!(old, vec![("tls-port", "0".to_string()), ("maxmemory", "0".to_string())]);
        set1(&mut c, "tls-port", "6390").unwrap();
        set1(&mut c, "maxmemory", "1mb").unwrap();
        c.restore(old);
        assert_eq!(c.value("tls-port"), Some("0"));
        assert_eq!(c.value("maxmemory"), Some("0"));
        assert_eq!(set1(&mut c, "tls-cluster", "no").unwrap(), vec!["tls-cluster"]);
    }

    #[test]
    fn rewrite_renders_multi_word_values() {
        let mut c = Config::new();
        set1(&mut c, "save", "").unwrap();
        set1(&mut c, "oom-score-adj-values", "1 2 3").unwrap();
        let p = |n| find(n).unwrap();
        assert_eq!(c.render(p("save")), "save \"\"");
        assert_eq!(c.render(p("oom-score-adj-values")), "oom-score-adj-values 1 2 3");
        assert_eq!(c.render(p("notify-keyspace-events")), "notify-keyspace-events \"\"");
        assert_eq!(c.render(p("latency-tracking-info-percentiles")), "latency-tracking-info-percentiles 50 99 99.9");
    }
}
