//! The command table: one [`CommandSpec`] per command and subcommand, as
//! each `cmd/*.rs` family declares them. The dispatcher, `COMMAND` and
//! (later) ACLs and scripting read this one table.

use crate::ctx::Ctx;
use crate::errors::CmdResult;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A command handler: parse `ctx.argv`, run typed keyspace operations,
/// write the reply to `ctx.out`.
pub type Handler = fn(&mut Ctx) -> CmdResult;

/// Command flags, as COMMAND INFO names them.
pub mod flags {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const PUBSUB: u32 = 1 << 4;
    pub const NOSCRIPT: u32 = 1 << 5;
    pub const BLOCKING: u32 = 1 << 6;
    pub const LOADING: u32 = 1 << 7;
    pub const STALE: u32 = 1 << 8;
    pub const SKIP_MONITOR: u32 = 1 << 9;
    pub const SKIP_SLOWLOG: u32 = 1 << 10;
    pub const FAST: u32 = 1 << 11;
    pub const NO_AUTH: u32 = 1 << 12;
    pub const MAY_REPLICATE: u32 = 1 << 13;
    pub const NO_MULTI: u32 = 1 << 14;
    pub const ALLOW_BUSY: u32 = 1 << 15;
    pub const SENTINEL: u32 = 1 << 16;
    /// Derived, never declared: the key specs cannot be read from argv's
    /// shape alone (COMMAND INFO computes it as Redis's populateCommandMovableKeys).
    pub const MOVABLEKEYS: u32 = 1 << 17;
    /// Refused while a replica loads a dataset asynchronously (SAVE, BGREWRITEAOF ...).
    pub const NO_ASYNC_LOADING: u32 = 1 << 18;
    /// The command may run with no key arguments at all (EVAL, FCALL).
    pub const NO_MANDATORY_KEYS: u32 = 1 << 19;

    /// (bit, name) pairs in the order Redis prints them.
    pub const NAMES: &[(u32, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MULTI, "no_multi"),
        (MOVABLEKEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
    ];
}

/// One command or subcommand.
pub struct CommandSpec {
    /// Lower-case name (the subcommand's own name for subcommands).
    pub name: &'static str,
    /// Redis arity: exact argument count when positive, minimum when negative
    /// (the command name counts; for subcommands the container name counts too).
    pub arity: i32,
    /// Bit set of [`flags`].
    pub flags: u32,
    /// Legacy key positions: first key, last key (negative: from the end), step.
    pub keys: (i32, i32, i32),
    /// ACL categories without the `@`.
    pub acl: &'static [&'static str],
    /// COMMAND DOCS group.
    pub group: &'static str,
    /// COMMAND DOCS summary.
    pub summary: &'static str,
    /// Version that introduced the command.
    pub since: &'static str,
    /// COMMAND DOCS complexity.
    pub complexity: &'static str,
    /// The handler; None for containers that only dispatch to subcommands.
    pub handler: Option<Handler>,
    /// Subcommands (CLIENT KILL, CONFIG GET, ...).
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    /// True when `n` arguments (command name included) satisfy the arity.
    pub fn arity_ok(&self, n: usize) -> bool {
        let a = self.arity;
        (a > 0 && n as i32 == a) || (a < 0 && n as i32 >= -a)
    }

    /// True when the command has flag `f`.
    #[inline]
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    /// Positions of key arguments in `argv`, by the legacy (first, last, step) rule.
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        let (first, last, step) = self.keys;
        if first <= 0 || step <= 0 {
            return Vec::new();
        }
        let last = if last < 0 { argc as i32 + last } else { last };
        let mut v = Vec::new();
        let mut i = first;
        while i <= last && (i as usize) < argc {
            v.push(i as usize);
            i += step;
        }
        v
    }
}

/// A resolved command: its spec, its container (for subcommands) and an
/// index into the per-command statistics.
#[derive(Clone, Copy)]
pub struct Resolved {
    pub spec: &'static CommandSpec,
    pub parent: Option<&'static CommandSpec>,
    pub id: usize,
}

/// `get`, or `client|kill` for a subcommand, as errors, stats and COMMAND name it.
pub fn fullname(spec: &CommandSpec, parent: Option<&CommandSpec>) -> String {
    match parent {
        Some(p) => format!("{}|{}", p.name, spec.name),
        None => spec.name.to_string(),
    }
}

impl Resolved {
    /// This command's [`fullname`].
    pub fn fullname(&self) -> String {
        fullname(self.spec, self.parent)
    }
}

/// All commands, indexed.
pub struct Table {
    by_name: HashMap<&'static [u8], usize, foldhash::fast::FixedState>,
    /// Top-level commands in declaration order.
    pub top: Vec<&'static CommandSpec>,
    /// Every command and subcommand, by stats id: (spec, parent).
    pub all: Vec<(&'static CommandSpec, Option<&'static CommandSpec>)>,
    sub_ids: HashMap<(usize, &'static str), usize>,
}

impl Table {
    fn build() -> Table {
        let mut t = Table { by_name: HashMap::default(), top: Vec::new(), all: Vec::new(), sub_ids: HashMap::new() };
        for family in crate::cmd::FAMILIES {
            for spec in family.iter() {
                let id = t.all.len();
                t.all.push((spec, None));
                t.top.push(spec);
                t.by_name.insert(spec.name.as_bytes(), id);
                for sub in spec.subcommands {
                    let sid = t.all.len();
                    t.all.push((sub, Some(spec)));
                    t.sub_ids.insert((id, sub.name), sid);
                }
            }
        }
        t
    }

    /// The process-wide table.
    pub fn get() -> &'static Table {
        static T: OnceLock<Table> = OnceLock::new();
        T.get_or_init(Table::build)
    }

    /// Looks up a top-level command by name, case-insensitively.
    pub fn lookup(&self, name: &[u8]) -> Option<Resolved> {
        let mut buf = [0u8; 32];
        if name.len() > buf.len() {
            return None;
        }
        for (d, s) in buf.iter_mut().zip(name) {
            *d = s.to_ascii_lowercase();
        }
        let id = *self.by_name.get(&buf[..name.len()])?;
        Some(Resolved { spec: self.all[id].0, parent: None, id })
    }

    /// Looks up a subcommand of container `parent`.
    pub fn lookup_sub(&self, parent: Resolved, name: &[u8]) -> Option<Resolved> {
        let lname = String::from_utf8_lossy(name).to_ascii_lowercase();
        let sub = parent.spec.subcommands.iter().find(|s| s.name == lname)?;
        let id = *self.sub_ids.get(&(parent.id, sub.name))?;
        Some(Resolved { spec: sub, parent: Some(parent.spec), id })
    }

    /// Finds by full name (`get`, `client|kill`), for COMMAND INFO/DOCS.
    pub fn by_fullname(&self, name: &str) -> Option<Resolved> {
        let lname = name.to_ascii_lowercase();
        match lname.split_once('|') {
            None => self.lookup(lname.as_bytes()),
            Some((p, s)) => {
                let parent = self.lookup(p.as_bytes())?;
                self.lookup_sub(parent, s.as_bytes())
            }
        }
    }
}

/// Shorthand for declaring specs in family files.
#[allow(clippy::too_many_arguments)]
pub const fn spec(
    name: &'static str,
    arity: i32,
    flags: u32,
    keys: (i32, i32, i32),
    acl: &'static [&'static str],
    group: &'static str,
    since: &'static str,
    summary: &'static str,
    handler: Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        keys,
        acl,
        group,
        summary,
        since,
        complexity: "",
        handler: Some(handler),
        subcommands: &[],
    }
}

/// Shorthand for a container command (CLIENT, CONFIG, ...).
pub const fn container(
    name: &'static str,
    acl: &'static [&'static str],
    group: &'static str,
    since: &'static str,
    summary: &'static str,
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        acl,
        group,
        summary,
        since,
        complexity: "",
        handler: None,
        subcommands,
    }
}
