//! The one gatekeeper every command passes: lookup, arity, authentication,
//! then the call itself with its bookkeeping (statistics, slow log, MONITOR
//! feed, CLIENT REPLY modes) and the one post-write path.
//!
//! Later policy checks (OOM, MULTI queueing, pub/sub context, scripts) go
//! here too, never into handlers.

use crate::client::{Client, ReplyMode};
use crate::command::{flags, Resolved, Table};
use crate::ctx::Ctx;
use crate::errors::{self, CmdError};
use crate::server::{now_ms, now_us, Shared, SlowEntry, Store};
use bytes::Bytes;
use resp::Out;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Resolves `argv` to a command, or the error to reply with.
pub fn resolve(argv: &[Bytes]) -> Result<Resolved, CmdError> {
    let table = Table::get();
    let Some(cmd) = table.lookup(&argv[0]) else {
        return Err(errors::unknown_command(argv).into());
    };
    // A plain command, or a container that has a handler of its own for
    // the bare form (COMMAND): run it directly.
    if cmd.spec.subcommands.is_empty() || (cmd.spec.handler.is_some() && argv.len() == 1) {
        return Ok(cmd);
    }
    if argv.len() < 2 {
        return Err(errors::wrong_args(cmd.spec.name).into());
    }
    table.lookup_sub(cmd, &argv[1]).ok_or_else(|| errors::unknown_subcommand(cmd.spec.name, &argv[1]).into())
}

/// [`resolve`] with a one-entry cache per client: pipelines and busy
/// connections mostly repeat one command name, spelled the same way, and
/// the exact-bytes comparison is cheaper than lower-casing and hashing.
/// Containers (whose subcommand is in argv[1]) are never cached.
fn resolve_cached(client: &mut Client, argv: &[Bytes]) -> Result<Resolved, CmdError> {
    if let Some((name, cmd)) = &client.last_resolved {
        if name.as_slice() == &argv[0][..] {
            return Ok(*cmd);
        }
    }
    let cmd = resolve(argv)?;
    if cmd.parent.is_none() && cmd.spec.subcommands.is_empty() && argv[0].len() <= 32 {
        client.last_resolved = Some((argv[0].to_vec(), cmd));
    }
    Ok(cmd)
}

/// Runs one request for `client` with the store locked, writing its reply to `out`.
pub fn execute(shared: &Arc<Shared>, client: &mut Client, store: &mut Store, out: &mut Out, argv: &[Bytes]) {
    let mark = out.len();
    if let Some(m) = client.multi.as_mut() {
        // A command this client sent while a script was busy was refused.
        if client.handle.busy_doomed.load(Ordering::Relaxed) {
            client.handle.busy_doomed.store(false, Ordering::Relaxed);
            m.error = true;
        }
    }
    if client.reply_mode == ReplyMode::SkipNext {
        client.reply_mode = ReplyMode::Skipping;
    }
    match check(shared, client, store, argv) {
        Ok(cmd) if client.multi.is_some() && !runs_in_multi(cmd) => {
            client.multi.as_mut().expect("checked").push(argv, cmd);
            out.simple(b"QUEUED");
        }
        Ok(cmd) => {
            call(shared, client, store, out, argv, cmd);
            if let Some(req) = client.block_req.take() {
                park(client, store, argv, cmd, req);
            }
        }
        Err((cmd, e)) => {
            if let Some(cmd) = cmd {
                store.cmd_stats[cmd.id].rejected += 1;
            }
            // A command refused while queueing dooms the transaction.
            if let Some(m) = client.multi.as_mut() {
                m.error = true;
            }
            count_error(store, &e);
            if cmd.is_some_and(|c| c.parent.is_none() && c.spec.name == "exec") {
                // A refused EXEC discards the transaction and says why (Redis's execCommandAbort).
                if client.multi.take().is_some() {
                    let id = client.id();
                    crate::cmd::multi::forget_watches(store, client, id);
                }
                let why = e.0.strip_prefix("ERR ").unwrap_or(&e.0);
                out.error(&format!("{}{why}", errors::EXECABORT_BECAUSE));
            } else {
                out.error(&e.0);
            }
        }
    }
    store.drain_ks_events();
    if store.blocking.has_ready() {
        crate::blocking::serve_ready(shared, store);
    }
    // One request, one unit in the AOF (MULTI/EXEC around several ops).
    crate::aof::commit(shared, store, true);
    client.sync_state();
    // CLIENT REPLY OFF/SKIP: drop what this command wrote.
    match client.reply_mode {
        ReplyMode::Off => out.truncate(mark),
        ReplyMode::Skipping => {
            out.truncate(mark);
            client.reply_mode = ReplyMode::On;
        }
        _ => {}
    }
}

/// Commands that run at once inside MULTI instead of being queued.
fn runs_in_multi(cmd: Resolved) -> bool {
    cmd.parent.is_none() && matches!(cmd.spec.name, "exec" | "discard" | "multi" | "watch" | "quit" | "reset")
}

/// Registers `client` as waiting for the keys its blocking command named.
fn park(client: &mut Client, store: &mut Store, argv: &[Bytes], cmd: Resolved, req: crate::client::BlockRequest) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let deadline_ms = if req.timeout_ms == 0 { 0 } else { now_ms() + req.timeout_ms };
    store.blocking.park(
        client.id(),
        crate::blocking::Parked {
            handle: client.handle.clone(),
            db: client.db,
            resp3: client.resp3,
            argv: req.argv.unwrap_or_else(|| argv.to_vec()),
            cmd,
            keys: req.keys,
            tx,
        },
    );
    client.blocked = Some(crate::client::BlockedWait { rx, deadline_ms });
}

pub(crate) type Rejection = (Option<Resolved>, CmdError);

/// The policy checks, in Redis's order.
pub(crate) fn check(
    shared: &Shared,
    client: &mut Client,
    store: &mut Store,
    argv: &[Bytes],
) -> Result<Resolved, Rejection> {
    let resolved = resolve_cached(client, argv);
    // What CLIENT LIST shows as `cmd=`: set even when the command is then
    // refused or queued, cleared by an unknown one, as Redis does. Here,
    // so that requests a busy script's poller serves count too.
    client.handle.last_cmd.store(resolved.as_ref().map_or(0, |c| c.id + 1), Ordering::Relaxed);
    let cmd = resolved.map_err(|e| (None, e))?;
    if !cmd.spec.arity_ok(argv.len()) {
        return Err((Some(cmd), errors::wrong_args(&cmd.fullname()).into()));
    }
    if !client.authenticated && !cmd.spec.has(flags::NO_AUTH) && shared.config.read().hot.requirepass.is_some() {
        return Err((Some(cmd), errors::NOAUTH.into()));
    }
    if client.multi.is_some() && cmd.spec.has(flags::NO_MULTI) {
        return Err((Some(cmd), errors::NOT_IN_MULTI.into()));
    }
    // No eviction in the middle of a busy script (as Redis).
    if shared.evict.maxmemory.load(Ordering::Relaxed) != 0 && store.busy.is_none() {
        oom_rule(shared, client, store, cmd)?;
    }
    // stop-writes-on-bgsave-error: after a failed background save, writes
    // (and PING, as in Redis) get MISCONF; EXEC counts as a write when its queue holds one.
    // A failed AOF write or fsync (appendfsync everysec/no) does the same
    // until a retry succeeds.
    let aof_failed = shared.aof.write_failed.load(std::sync::atomic::Ordering::Relaxed);
    if (!store.rdb.last_ok || aof_failed)
        && (cmd.spec.has(flags::WRITE)
            || (cmd.parent.is_none() && cmd.spec.name == "ping")
            || (cmd.parent.is_none()
                && cmd.spec.name == "exec"
                && client.multi.as_ref().is_some_and(|m| m.queue.iter().any(|(_, c)| c.spec.has(flags::WRITE)))))
    {
        if !store.rdb.last_ok && crate::snapshot::writes_denied(shared, store) {
            return Err((Some(cmd), errors::MISCONF.into()));
        }
        if aof_failed {
            return Err((Some(cmd), errors::aof_misconf(&shared.aof.state.lock().last_write_error).into()));
        }
    }
    // RESP2 subscribed mode: only (un)subscribing, PING, QUIT and RESET.
    if !client.resp3
        && client.subs.any()
        && !(cmd.parent.is_none()
            && matches!(
                cmd.spec.name,
                "subscribe"
                    | "ssubscribe"
                    | "unsubscribe"
                    | "sunsubscribe"
                    | "psubscribe"
                    | "punsubscribe"
                    | "ping"
                    | "quit"
                    | "reset"
            ))
    {
        return Err((Some(cmd), errors::subscribed_context(&cmd.fullname()).into()));
    }
    // A script past busy-reply-threshold: only allow-busy commands (busy.rs
    // runs this check for other clients from inside the script).
    if let Some(r) = store.busy.as_deref() {
        if !cmd.spec.has(flags::ALLOW_BUSY) {
            return Err((Some(cmd), crate::busy::busy_error(r.eval).into()));
        }
    }
    Ok(cmd)
}

/// Redis's maxmemory step of processCommand: evict first; when still out
/// of memory refuse deny-oom commands (EXEC counts as deny-oom when it
/// queued one) and, inside MULTI, everything but EXEC, DISCARD, QUIT and
/// RESET, since queueing takes memory too. Scripts and EXEC remember
/// whether they started out of memory.
fn oom_rule(shared: &Shared, client: &Client, store: &mut Store, cmd: Resolved) -> Result<(), Rejection> {
    let oom = crate::evict::oom_check(shared, store);
    let name = if cmd.parent.is_none() { cmd.spec.name } else { "" };
    let queued_deny = || client.multi.as_ref().is_some_and(|m| m.queue.iter().any(|(_, c)| c.spec.has(flags::DENYOOM)));
    let deny = cmd.spec.has(flags::DENYOOM)
        || (name == "exec" && queued_deny())
        || (client.multi.is_some() && !matches!(name, "exec" | "discard" | "quit" | "reset"));
    if oom && deny {
        return Err((Some(cmd), errors::OOM.into()));
    }
    if matches!(name, "eval" | "evalsha" | "fcall" | "exec") {
        shared.evict.script_oom.store(oom, Ordering::Relaxed);
    }
    Ok(())
}

fn count_error(store: &mut Store, e: &CmdError) {
    count_error_code(store, e.code());
}

/// Counts one error reply with code `code` (`ERR`, `WRONGTYPE`...) in INFO
/// stats (for replies written directly, such as a script's error tables).
pub(crate) fn count_error_code(store: &mut Store, code: &str) {
    store.total_error_replies += 1;
    if let Some(n) = store.error_stats.get_mut(code) {
        *n += 1;
    } else if store.error_stats.len() < 128 {
        // Redis caps distinct error codes at 128 to bound memory.
        store.error_stats.insert(code.to_string(), 1);
    }
}

/// Runs a resolved command with its bookkeeping. EXEC runs its queue through
/// here, and blocked clients are retried through here.
pub(crate) fn call(
    shared: &Arc<Shared>,
    client: &mut Client,
    store: &mut Store,
    out: &mut Out,
    argv: &[Bytes],
    cmd: Resolved,
) {
    let start = crate::clock::stamp();
    store.ks.set_now(start.unix_us() / 1000);
    let handler = cmd.spec.handler.expect("resolve returns only runnable commands");
    let mark = store.prop.begin(client.db);
    let (result, dirty) = {
        let mut ctx = Ctx { argv, out, client, store, shared, cmd, dirty: 0 };
        let r = handler(&mut ctx);
        (r, ctx.dirty)
    };
    if store.prop.on {
        // Keys this command found expired are logged before it.
        store.drain_ks_events();
    }
    store.prop.end(mark, argv, dirty);
    let nanos = start.nanos_until(crate::clock::stamp());
    let usec = nanos / 1000;
    let st = &mut store.cmd_stats[cmd.id];
    st.calls += 1;
    st.usec += usec;
    if shared.latency_tracking.load(Ordering::Relaxed) {
        st.latency.get_or_insert_with(Default::default).record(nanos);
    }
    store.total_commands += 1;
    if let Err(e) = result {
        store.cmd_stats[cmd.id].failed += 1;
        count_error(store, &e);
        out.error(&e.0);
    }
    if dirty > 0 {
        post_write(store, dirty);
    }
    // Commands a script runs stay out of the slow log (the script is logged).
    if !cmd.spec.has(flags::SKIP_SLOWLOG) && !client.lua {
        slowlog_record(shared, store, client, argv, usec);
    }
    if shared.monitor_count.load(Ordering::Relaxed) > 0 && !cmd.spec.has(flags::SKIP_MONITOR | flags::ADMIN) {
        feed_monitors(shared, client, argv);
    }
}

/// Runs one command for a script's `redis.call`/`redis.pcall` (Redis's
/// scriptCall): the script-specific checks, then [`call`] with `client`,
/// the script's own client. The reply goes to `out`.
///
/// # Errors
/// The message for a command refused before it ran, without its `ERR`
/// code (the scripting crate turns it into Redis's error table). The
/// refusal is counted in the error and command statistics here.
pub(crate) fn script_call(
    shared: &Arc<Shared>,
    client: &mut Client,
    store: &mut Store,
    out: &mut Out,
    argv: &[Bytes],
    read_only: bool,
    allow_oom: bool,
    wrote: &mut bool,
) -> Result<(), String> {
    let table = Table::get();
    let reject = |store: &mut Store, cmd: Option<Resolved>, msg: &'static str| {
        if let Some(cmd) = cmd {
            store.cmd_stats[cmd.id].rejected += 1;
        }
        count_error(store, &CmdError::from(format!("ERR {msg}")));
        Err(msg.to_string())
    };
    let Some(mut cmd) = table.lookup(&argv[0]) else {
        return reject(store, None, errors::SCRIPT_UNKNOWN_COMMAND);
    };
    if !cmd.spec.subcommands.is_empty() && !(cmd.spec.handler.is_some() && argv.len() == 1) {
        if argv.len() < 2 {
            return reject(store, Some(cmd), errors::SCRIPT_WRONG_ARITY);
        }
        match table.lookup_sub(cmd, &argv[1]) {
            Some(sub) => cmd = sub,
            None => return reject(store, None, errors::SCRIPT_UNKNOWN_COMMAND),
        }
    }
    if !cmd.spec.arity_ok(argv.len()) {
        return reject(store, Some(cmd), errors::SCRIPT_WRONG_ARITY);
    }
    if cmd.spec.has(flags::NOSCRIPT) {
        return reject(store, Some(cmd), errors::SCRIPT_NOSCRIPT_COMMAND);
    }
    // PUBLISH and SPUBLISH are may-replicate inside Redis, though COMMAND
    // INFO does not list the flag for them.
    let may_replicate =
        cmd.spec.has(flags::MAY_REPLICATE) || (cmd.parent.is_none() && matches!(cmd.spec.name, "publish" | "spublish"));
    if read_only && (cmd.spec.has(flags::WRITE) || may_replicate) {
        return reject(store, Some(cmd), errors::SCRIPT_WRITE_IN_RO);
    }
    // Out of memory when the script started: its first deny-oom command is
    // refused (later ones run, a script is not stopped half way).
    if let Err(e) = crate::evict::script_call_allowed(shared, cmd.spec.has(flags::DENYOOM), *wrote, allow_oom) {
        store.cmd_stats[cmd.id].rejected += 1;
        count_error(store, &e);
        return Err(format!("-{}", e.0));
    }
    if cmd.spec.has(flags::WRITE) {
        *wrote = true;
    }
    call(shared, client, store, out, argv, cmd);
    Ok(())
}

/// The one path every write goes through after it happened. Today it
/// counts changes for persistence; WATCH invalidation, keyspace events,
/// AOF and blocked-client wake-ups hook in here as they land.
fn post_write(store: &mut Store, dirty: u64) {
    store.dirty += dirty;
}

/// Most arguments and bytes per argument a slow-log entry keeps, as Redis.
const SLOWLOG_MAX_ARGC: usize = 32;
const SLOWLOG_MAX_ARGLEN: usize = 128;

fn slowlog_record(shared: &Shared, store: &mut Store, client: &Client, argv: &[Bytes], usec: u64) {
    let slower = shared.slowlog_slower_than.load(Ordering::Relaxed);
    if slower < 0 || (usec as i64) < slower {
        return;
    }
    let max_len = shared.config.read().hot.slowlog_max_len;
    let mut args = Vec::new();
    for (i, a) in argv.iter().enumerate() {
        if i == SLOWLOG_MAX_ARGC - 1 && argv.len() > SLOWLOG_MAX_ARGC {
            args.push(format!("... ({} more arguments)", argv.len() - SLOWLOG_MAX_ARGC + 1).into_bytes());
            break;
        }
        if a.len() > SLOWLOG_MAX_ARGLEN {
            let mut v = a[..SLOWLOG_MAX_ARGLEN].to_vec();
            v.extend_from_slice(format!("... ({} more bytes)", a.len() - SLOWLOG_MAX_ARGLEN).as_bytes());
            args.push(v);
        } else {
            args.push(a.to_vec());
        }
    }
    let entry = SlowEntry {
        id: store.slowlog_next_id,
        time: now_ms() / 1000,
        duration_us: usec,
        argv: args,
        addr: client.handle.addr.clone(),
        name: client.handle.info.lock().name.clone(),
    };
    store.slowlog_next_id += 1;
    store.slowlog.push_front(entry);
    while store.slowlog.len() > max_len {
        store.slowlog.pop_back();
    }
}

/// [`feed_monitors`] for commands that feed MONITOR themselves (EVAL shows
/// before the commands its script runs).
pub(crate) fn feed_monitors_for(shared: &Shared, client: &Client, argv: &[Bytes]) {
    if shared.monitor_count.load(Ordering::Relaxed) > 0 {
        feed_monitors(shared, client, argv);
    }
}

/// Sends `argv` to every MONITOR client as Redis formats it:
/// `+1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"` (`[0 lua]` for
/// commands a script runs).
fn feed_monitors(shared: &Shared, client: &Client, argv: &[Bytes]) {
    let us = now_us();
    let addr = if client.lua { "lua" } else { client.handle.addr.as_str() };
    let mut line = format!("+{}.{:06} [{} {}]", us / 1_000_000, us % 1_000_000, client.db, addr).into_bytes();
    for a in argv {
        line.push(b' ');
        repr(&mut line, a);
    }
    line.extend_from_slice(b"\r\n");
    let line = Bytes::from(line);
    let limit = shared.config.read().hot.obuf_normal_hard;
    for m in shared.monitors.lock().iter() {
        m.push(line.clone(), limit);
    }
}

/// Quotes bytes the way Redis's sdscatrepr does.
pub fn repr(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b'"');
    for &c in b {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            c if c.is_ascii_graphic() || c == b' ' => out.push(c),
            c => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}
