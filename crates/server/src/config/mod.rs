//! Configuration: every directive the server accepts, from redis.conf, the
//! command line and CONFIG SET/GET/REWRITE, in one table.
//!
//! Values are validated by kind and stored in canonical text form (what
//! CONFIG GET returns); the ones the hot path reads are also kept typed in
//! [`Hot`]. Directives whose feature has not landed yet are marked `inert`:
//! they are accepted (so a stock redis.conf loads) but a non-default value
//! is reported at start-up and by CONFIG SET as having no effect yet.

pub mod file;

use std::collections::BTreeMap;

/// How a parameter's value is checked.
#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Int(i64, i64),
    Mem(i64, i64),
    Enum(&'static [&'static str]),
    Str,
    /// Checked by [`special_check`].
    Special,
}

struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
    default: &'static str,
    mutable: bool,
    /// Accepted, but the feature behind it is not implemented yet.
    inert: bool,
}

const fn p(name: &'static str, kind: Kind, default: &'static str, mutable: bool) -> Param {
    Param { name, alias: None, kind, default, mutable, inert: false }
}
const fn inert(name: &'static str, kind: Kind, default: &'static str) -> Param {
    Param { name, alias: None, kind, default, mutable: true, inert: true }
}
const fn aliased(name: &'static str, alias: &'static str, kind: Kind, default: &'static str, is_inert: bool) -> Param {
    Param { name, alias: Some(alias), kind, default, mutable: true, inert: is_inert }
}

const I32: i64 = i32::MAX as i64;
const LOGLEVELS: &[&str] = &["debug", "verbose", "notice", "warning", "nothing"];
const POLICIES: &[&str] =
    &["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"];

static PARAMS: &[Param] = &[
    p("bind", Kind::Special, "127.0.0.1 -::1", false),
    p("port", Kind::Int(0, 65535), "6379", false),
    p("protected-mode", Kind::Bool, "yes", true),
    p("requirepass", Kind::Str, "", true),
    p("databases", Kind::Int(1, I32), "16", false),
    p("maxclients", Kind::Int(1, I32), "10000", true),
    p("timeout", Kind::Int(0, I32), "0", true),
    p("tcp-keepalive", Kind::Int(0, I32), "300", true),
    p("tcp-backlog", Kind::Int(0, I32), "511", false),
    p("proto-max-bulk-len", Kind::Mem(1024 * 1024, i64::MAX), "536870912", true),
    p("client-query-buffer-limit", Kind::Mem(1024 * 1024, i64::MAX), "1073741824", true),
    p("slowlog-log-slower-than", Kind::Int(-1, i64::MAX), "10000", true),
    p("slowlog-max-len", Kind::Int(0, i64::MAX), "128", true),
    p("loglevel", Kind::Enum(LOGLEVELS), "notice", true),
    p("logfile", Kind::Str, "", false),
    p("pidfile", Kind::Str, "", false),
    p("daemonize", Kind::Bool, "no", false),
    p("dir", Kind::Special, "", true),
    p("hz", Kind::Int(1, 500), "10", true),
    p("client-output-buffer-limit", Kind::Special, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true),
    p("io-threads", Kind::Int(1, 128), "1", false),
    p("supervised", Kind::Enum(&["upstart", "systemd", "auto", "no"]), "no", false),
    p("always-show-logo", Kind::Bool, "no", false),
    p("set-proc-title", Kind::Bool, "yes", false),
    p("latency-tracking", Kind::Bool, "yes", true),
    // Persistence (issue 6).
    inert("dbfilename", Kind::Str, "dump.rdb"),
    inert("save", Kind::Special, "3600 1 300 100 60 10000"),
    inert("appendonly", Kind::Bool, "no"),
    inert("appendfilename", Kind::Str, "appendonly.aof"),
    inert("appenddirname", Kind::Str, "appendonlydir"),
    inert("appendfsync", Kind::Enum(&["always", "everysec", "no"]), "everysec"),
    inert("rdbcompression", Kind::Bool, "yes"),
    inert("rdbchecksum", Kind::Bool, "yes"),
    inert("stop-writes-on-bgsave-error", Kind::Bool, "yes"),
    inert("aof-use-rdb-preamble", Kind::Bool, "yes"),
    inert("auto-aof-rewrite-percentage", Kind::Int(0, I32), "100"),
    inert("auto-aof-rewrite-min-size", Kind::Mem(0, i64::MAX), "67108864"),
    inert("aof-load-truncated", Kind::Bool, "yes"),
    // Memory limits (issue 7).
    inert("maxmemory", Kind::Mem(0, i64::MAX), "0"),
    inert("maxmemory-policy", Kind::Enum(POLICIES), "noeviction"),
    inert("maxmemory-samples", Kind::Int(1, 64), "5"),
    inert("maxmemory-eviction-tenacity", Kind::Int(0, 100), "10"),
    inert("lfu-log-factor", Kind::Int(0, I32), "10"),
    inert("lfu-decay-time", Kind::Int(0, I32), "1"),
    // Keyspace notifications (issue 3) and scripting (issue 4).
    inert("notify-keyspace-events", Kind::Str, ""),
    aliased("busy-reply-threshold", "lua-time-limit", Kind::Int(0, i64::MAX), "5000", true),
];

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
}

fn find(name: &str) -> Option<&'static Param> {
    let n = name.to_ascii_lowercase();
    PARAMS.iter().find(|p| p.name == n || p.alias == Some(n.as_str()))
}

/// Checks a value against its parameter and returns the canonical text.
fn canonical(p: &Param, args: &[Vec<u8>]) -> Result<String, String> {
    let joined = args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect::<Vec<_>>().join(" ");
    match p.kind {
        Kind::Bool => match file::parse_yes_no(joined.as_bytes()) {
            Some(b) => Ok(if b { "yes" } else { "no" }.into()),
            None => Err("argument must be 'yes' or 'no'".into()),
        },
        Kind::Int(lo, hi) => {
            let v: i64 = joined.trim().parse().map_err(|_| "argument couldn't be parsed into an integer".to_string())?;
            if v < lo || v > hi {
                return Err(format!("argument must be between {lo} and {hi} inclusive"));
            }
            Ok(v.to_string())
        }
        Kind::Mem(lo, hi) => {
            let v = file::parse_memory(joined.as_bytes()).ok_or_else(|| "argument must be a memory value".to_string())?;
            if v < lo || v > hi {
                return Err(format!("argument must be between {lo} and {hi} inclusive"));
            }
            Ok(v.to_string())
        }
        Kind::Enum(opts) => {
            let l = joined.to_ascii_lowercase();
            if opts.contains(&l.as_str()) {
                Ok(l)
            } else {
                Err(format!("argument(s) must be one of the following: {}", opts.join(", ")))
            }
        }
        Kind::Str => {
            if args.len() > 1 {
                return Err("wrong number of arguments".into());
            }
            Ok(joined)
        }
        Kind::Special => special_check(p.name, args, &joined),
    }
}

fn special_check(name: &str, args: &[Vec<u8>], joined: &str) -> Result<String, String> {
    match name {
        "bind" => {
            if args.is_empty() {
                return Err("wrong number of arguments".into());
            }
            Ok(joined.to_string())
        }
        "dir" => Ok(joined.to_string()),
        "save" => {
            // Empty, or pairs of <seconds> <changes>.
            let words: Vec<&str> = joined.split_whitespace().collect();
            if words.len() % 2 != 0 || words.iter().any(|w| w.parse::<u64>().is_err()) {
                return Err("Invalid save parameters".into());
            }
            Ok(words.join(" "))
        }
        "client-output-buffer-limit" => {
            let words: Vec<&str> = joined.split_whitespace().collect();
            if words.is_empty() || words.len() % 4 != 0 {
                return Err("Wrong number of arguments in buffer limit configuration.".into());
            }
            for c in words.chunks(4) {
                if !["normal", "slave", "replica", "pubsub"].contains(&c[0].to_ascii_lowercase().as_str()) {
                    return Err("Invalid client class specified in buffer limit configuration.".into());
                }
                if file::parse_memory(c[1].as_bytes()).is_none_or(|v| v < 0)
                    || file::parse_memory(c[2].as_bytes()).is_none_or(|v| v < 0)
                    || c[3].parse::<u64>().is_err()
                {
                    return Err("Error in hard, soft or soft_seconds setting in buffer limit configuration.".into());
                }
            }
            Ok(words.join(" "))
        }
        _ => Ok(joined.to_string()),
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// Redis 7's defaults.
    pub fn new() -> Config {
        let mut values = BTreeMap::new();
        for p in PARAMS {
            values.insert(p.name, p.default.to_string());
        }
        let mut c = Config { values, hot: Hot::from_defaults(), file: None };
        c.refresh_hot();
        c
    }

    /// Applies one directive at start-up (file or command line).
    ///
    /// # Errors
    /// Redis's reason text ("Bad directive or wrong number of arguments", ...).
    pub fn apply_directive(&mut self, name: &str, args: &[Vec<u8>]) -> Result<(), String> {
        let p = find(name).ok_or_else(|| "Bad directive or wrong number of arguments".to_string())?;
        let v = canonical(p, args)?;
        let v = self.merge_special(p.name, v);
        self.values.insert(p.name, v);
        self.refresh_hot();
        Ok(())
    }

    /// `client-output-buffer-limit` replaces only the classes it names;
    /// everything else replaces the whole value.
    fn merge_special(&self, name: &str, v: String) -> String {
        if name == "client-output-buffer-limit" {
            // Replace only the classes given, keep the others.
            let mut classes: Vec<Vec<String>> = self.values[name].split_whitespace().map(String::from).collect::<Vec<_>>().chunks(4).map(|c| c.to_vec()).collect();
            for new in v.split_whitespace().map(String::from).collect::<Vec<_>>().chunks(4) {
                let cls = match new[0].to_ascii_lowercase().as_str() {
                    "replica" => "slave".to_string(),
                    c => c.to_string(),
                };
                let mut entry = new.to_vec();
                entry[0] = cls.clone();
                for i in 1..3 {
                    entry[i] = file::parse_memory(entry[i].as_bytes()).unwrap_or(0).to_string();
                }
                match classes.iter_mut().find(|c| c[0] == cls) {
                    Some(c) => *c = entry,
                    None => classes.push(entry),
                }
            }
            return classes.into_iter().flatten().collect::<Vec<_>>().join(" ");
        }
        v
    }

    /// Names of inert parameters set to a non-default value.
    pub fn inert_in_use(&self) -> Vec<&'static str> {
        PARAMS.iter().filter(|p| p.inert && self.values[p.name] != p.default).map(|p| p.name).collect()
    }

    /// CONFIG GET for several glob patterns: (name, value) pairs, each once.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for p in PARAMS {
            for name in std::iter::once(p.name).chain(p.alias) {
                if out.iter().any(|(n, _)| n == name) {
                    continue;
                }
                if patterns.iter().any(|pat| keyspace::glob::glob_match(pat, name.as_bytes(), true)) {
                    out.push((name.to_string(), self.values[p.name].clone()));
                }
            }
        }
        out
    }

    /// A value by name, if the parameter exists.
    pub fn value(&self, name: &str) -> Option<&str> {
        find(name).map(|p| self.values[p.name].as_str())
    }

    /// CONFIG SET of several pairs, all or nothing. Returns the names of
    /// inert parameters that were set.
    ///
    /// # Errors
    /// The full error reply text.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<Vec<&'static str>, String> {
        let mut staged: Vec<(&'static Param, String)> = Vec::new();
        for (name, val) in pairs {
            let n = String::from_utf8_lossy(name).into_owned();
            let Some(p) = find(&n) else {
                return Err(format!("ERR Unknown option or number of arguments for CONFIG SET - '{n}'"));
            };
            if staged.iter().any(|(q, _)| q.name == p.name) {
                return Err(crate::errors::config_set_failed(&n, "duplicate parameter"));
            }
            if !p.mutable {
                return Err(crate::errors::config_set_failed(&n, "can't set immutable config"));
            }
            let args: Vec<Vec<u8>> = match p.kind {
                Kind::Special => val.split(|c| *c == b' ').filter(|w| !w.is_empty()).map(|w| w.to_vec()).collect(),
                _ => vec![val.to_vec()],
            };
            let v = canonical(p, &args).map_err(|e| crate::errors::config_set_failed(&n, &e))?;
            if p.name == "dir" {
                std::env::set_current_dir(&v).map_err(|e| crate::errors::config_set_failed(&n, &e.to_string()))?;
            }
            staged.push((p, v));
        }
        let mut inert = Vec::new();
        for (p, v) in staged {
            let v = self.merge_special(p.name, v);
            self.values.insert(p.name, v);
            if p.inert {
                inert.push(p.name);
            }
        }
        self.refresh_hot();
        Ok(inert)
    }

    fn int(&self, name: &str) -> i64 {
        self.values[name].parse().unwrap_or(0)
    }

    fn refresh_hot(&mut self) {
        let pass = self.values["requirepass"].clone();
        let (mut normal, mut pubsub) = (0usize, 0usize);
        let words: Vec<&str> = self.values["client-output-buffer-limit"].split_whitespace().collect();
        for c in words.chunks(4) {
            let hard = file::parse_memory(c[1].as_bytes()).unwrap_or(0).max(0) as usize;
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
        std::fs::write(&tmp, body).and_then(|_| std::fs::rename(&tmp, path)).map_err(|e| format!("ERR Rewriting config file: {e}"))
    }

    fn render(&self, p: &Param) -> String {
        let v = &self.values[p.name];
        match p.kind {
            Kind::Special if p.name == "save" && v.is_empty() => "save \"\"".into(),
            Kind::Special if p.name == "save" => {
                v.split_whitespace().collect::<Vec<_>>().chunks(2).map(|c| format!("save {} {}", c[0], c[1])).collect::<Vec<_>>().join("\n")
            }
            Kind::Special if p.name == "client-output-buffer-limit" => v
                .split_whitespace()
                .collect::<Vec<_>>()
                .chunks(4)
                .map(|c| format!("client-output-buffer-limit {}", c.join(" ")))
                .collect::<Vec<_>>()
                .join("\n"),
            Kind::Special => format!("{} {}", p.name, v),
            _ => format!("{} {}", p.name, quote(v)),
        }
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

    #[test]
    fn defaults_are_redis_7() {
        let c = Config::new();
        assert_eq!(c.value("port"), Some("6379"));
        assert_eq!(c.value("databases"), Some("16"));
        assert_eq!(c.value("bind"), Some("127.0.0.1 -::1"));
        assert!(c.hot.protected_mode);
        assert_eq!(c.hot.proto_max_bulk_len, 512 << 20);
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
    fn memory_units_and_aliases() {
        let mut c = Config::new();
        c.apply_directive("proto-max-bulk-len", &[b"2mb".to_vec()]).unwrap();
        assert_eq!(c.value("proto-max-bulk-len"), Some("2097152"));
        c.apply_directive("lua-time-limit", &[b"100".to_vec()]).unwrap();
        assert_eq!(c.value("busy-reply-threshold"), Some("100"));
        let got = c.get(&[b"lua*"]);
        assert_eq!(got, vec![("lua-time-limit".to_string(), "100".to_string())]);
    }

    #[test]
    fn output_buffer_classes_merge() {
        let mut c = Config::new();
        c.set(&[(b"client-output-buffer-limit", b"normal 1mb 0 0")]).unwrap();
        assert_eq!(c.hot.obuf_normal_hard, 1 << 20);
        assert_eq!(c.hot.obuf_pubsub_hard, 32 << 20);
    }
}
