//! Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT and the
//! CLIENT container (ID SETNAME GETNAME INFO LIST KILL SETINFO REPLY
//! NO-EVICT NO-TOUCH PAUSE UNPAUSE GETREDIR HELP).

use crate::client::{ClientHandle, ReplyMode, REPLY_BLOCK};
use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::server::now_ms;
use std::sync::atomic::Ordering;
use std::sync::Arc;

const CF: &[&str] = &["fast", "connection"];
const CS: &[&str] = &["slow", "connection"];
const ADM: &[&str] = &["admin", "slow", "dangerous", "connection"];

pub static COMMANDS: &[CommandSpec] = &[
    spec("ping", -1, FAST, (0, 0, 0), CF, "connection", "1.0.0", "Returns the server's liveliness response.", ping),
    spec("echo", 2, LOADING | STALE | FAST, (0, 0, 0), CF, "connection", "1.0.0", "Returns the given string.", echo),
    spec(
        "quit",
        -1,
        ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH,
        (0, 0, 0),
        CF,
        "connection",
        "1.0.0",
        "Closes the connection.",
        quit,
    ),
    spec(
        "reset",
        1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        (0, 0, 0),
        CF,
        "connection",
        "6.2.0",
        "Resets the connection.",
        reset,
    ),
    spec(
        "hello",
        -1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        (0, 0, 0),
        CF,
        "connection",
        "6.0.0",
        "Handshakes with the Redis server.",
        hello,
    ),
    spec(
        "auth",
        -2,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        (0, 0, 0),
        CF,
        "connection",
        "1.0.0",
        "Authenticates the connection.",
        auth,
    ),
    spec(
        "select",
        2,
        LOADING | STALE | FAST,
        (0, 0, 0),
        CF,
        "connection",
        "1.0.0",
        "Changes the selected database.",
        select,
    ),
    container("client", &["slow"], "connection", "2.4.0", "A container for client connection commands.", CLIENT),
];

static CLIENT: &[CommandSpec] = &[
    spec(
        "id",
        2,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "5.0.0",
        "Returns the unique client ID of the connection.",
        client_id,
    ),
    spec(
        "setname",
        3,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "2.6.9",
        "Sets the connection name.",
        client_setname,
    ),
    spec(
        "getname",
        2,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "2.6.9",
        "Returns the name of the connection.",
        client_getname,
    ),
    spec(
        "info",
        2,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "6.2.0",
        "Returns information about the connection.",
        client_info,
    ),
    spec(
        "list",
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "2.4.0",
        "Lists open connections.",
        client_list,
    ),
    spec(
        "kill",
        -3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "2.4.0",
        "Terminates open connections.",
        client_kill,
    ),
    spec(
        "setinfo",
        4,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "7.2.0",
        "Sets information specific to the client or connection.",
        client_setinfo,
    ),
    spec(
        "reply",
        3,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "3.2.0",
        "Instructs the server whether to reply to commands.",
        client_reply,
    ),
    spec(
        "no-evict",
        3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "7.0.0",
        "Sets the client eviction mode of the connection.",
        client_no_evict,
    ),
    spec(
        "no-touch",
        3,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "7.2.0",
        "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
        client_no_touch,
    ),
    spec(
        "pause",
        -3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "3.0.0",
        "Suspends commands processing.",
        client_pause,
    ),
    spec(
        "unblock",
        -3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "5.0.0",
        "Unblock a client blocked in a blocking command from a different connection",
        client_unblock,
    ),
    spec(
        "unpause",
        2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "connection",
        "6.2.0",
        "Resumes processing commands from paused clients.",
        client_unpause,
    ),
    spec(
        "getredir",
        2,
        NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "6.0.0",
        "Returns the client ID to which the connection's tracking notifications are redirected.",
        client_getredir,
    ),
    spec(
        "help",
        2,
        LOADING | STALE,
        (0, 0, 0),
        CS,
        "connection",
        "5.0.0",
        "Returns helpful text about the different subcommands.",
        client_help,
    ),
];

/// PING [message]
fn ping(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 2 {
        return Err(errors::wrong_args("ping").into());
    }
    // In RESP2 subscribed mode the reply is a two-element array, as Redis sends it.
    if !ctx.client.resp3 && ctx.client.subs.any() {
        ctx.out.array(2);
        ctx.out.bulk(b"pong");
        ctx.out.bulk(if ctx.argc() == 2 { ctx.arg(1) } else { b"" });
        return Ok(());
    }
    match ctx.argc() {
        1 => ctx.out.simple(b"PONG"),
        _ => ctx.out.bulk(ctx.arg(1)),
    }
    Ok(())
}

/// ECHO message
fn echo(ctx: &mut Ctx) -> CmdResult {
    ctx.out.bulk(ctx.arg(1));
    Ok(())
}

/// QUIT
fn quit(ctx: &mut Ctx) -> CmdResult {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
    Ok(())
}

/// RESET: back to a fresh connection's state.
fn reset(ctx: &mut Ctx) -> CmdResult {
    let needs_auth = ctx.shared.config.read().hot.requirepass.is_some();
    ctx.client.select(0);
    ctx.client.reply_mode = ReplyMode::On;
    ctx.client.no_touch = false;
    ctx.client.authenticated = !needs_auth;
    if ctx.client.monitor {
        stop_monitor(ctx);
    }
    ctx.out.set_resp3(false);
    ctx.client.resp3 = false;
    ctx.client.multi = None;
    crate::cmd::multi::unwatch_all(ctx);
    crate::cmd::pubsub::forget_client(ctx.store, ctx.client);
    {
        let mut info = ctx.client.handle.info.lock();
        info.resp = 2;
        info.name.clear();
        // Redis 7.0's RESET keeps CLIENT NO-EVICT; it clears NO-TOUCH.
        info.no_touch = false;
        info.authenticated = !needs_auth;
    }
    ctx.out.simple(b"RESET");
    Ok(())
}

fn stop_monitor(ctx: &mut Ctx) {
    ctx.client.monitor = false;
    ctx.client.handle.info.lock().monitor = false;
    let id = ctx.client.id();
    let mut mons = ctx.shared.monitors.lock();
    if let Some(i) = mons.iter().position(|m| m.id == id) {
        mons.swap_remove(i);
        ctx.shared.monitor_count.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Checks a username/password pair against `requirepass` (the only user
/// is `default`). Compares in constant time.
fn check_password(ctx: &Ctx, user: &[u8], pass: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    match &ctx.shared.config.read().hot.requirepass {
        // The default user has `nopass` when no password is configured.
        None => true,
        Some(p) => p.len() == pass.len() && p.iter().zip(pass).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0,
    }
}

fn set_authenticated(ctx: &mut Ctx) {
    ctx.client.authenticated = true;
    ctx.client.handle.info.lock().authenticated = true;
}

/// AUTH [username] password
fn auth(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let (user, pass) = if ctx.argc() == 2 { (&b"default"[..], ctx.arg(1)) } else { (ctx.arg(1), ctx.arg(2)) };
    if ctx.argc() == 2 && ctx.shared.config.read().hot.requirepass.is_none() {
        return Err(errors::AUTH_NOT_CONFIGURED.into());
    }
    if !check_password(ctx, user, pass) {
        return Err(errors::WRONGPASS.into());
    }
    set_authenticated(ctx);
    ctx.out.ok();
    Ok(())
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
fn hello(ctx: &mut Ctx) -> CmdResult {
    let mut proto = None;
    if ctx.argc() >= 2 {
        let v = ctx.int_arg(1).map_err(|_| CmdError::from(errors::PROTOVER_NOT_INT))?;
        if !(2..=3).contains(&v) {
            return Err(errors::NOPROTO.into());
        }
        proto = Some(v as u8);
    }
    let mut creds = None;
    let mut name = None;
    let mut i = 2;
    while i < ctx.argc() {
        let more = ctx.argc() - i - 1;
        if eq(ctx.arg(i), "auth") && more >= 2 {
            creds = Some((ctx.arg(i + 1), ctx.arg(i + 2)));
            i += 3;
        } else if eq(ctx.arg(i), "setname") && more >= 1 {
            name = Some(ctx.arg(i + 1));
            i += 2;
        } else {
            return Err(format!("ERR Syntax error in HELLO option '{}'", String::from_utf8_lossy(ctx.arg(i))).into());
        }
    }
    if let Some((u, p)) = creds {
        if !check_password(ctx, u, p) {
            return Err(errors::WRONGPASS.into());
        }
        set_authenticated(ctx);
    }
    if !ctx.client.authenticated {
        return Err(errors::HELLO_NOAUTH.into());
    }
    if let Some(n) = name {
        validate_name(n)?;
        ctx.client.handle.info.lock().name = n.to_vec();
    }
    if let Some(p) = proto {
        ctx.out.set_resp3(p == 3);
        ctx.client.resp3 = p == 3;
        ctx.client.handle.info.lock().resp = p;
    }
    let proto_now = if ctx.out.resp3() { 3 } else { 2 };
    ctx.out.map(7);
    ctx.out.bulk(b"server");
    ctx.out.bulk(b"redis");
    ctx.out.bulk(b"version");
    ctx.out.bulk(crate::REDIS_VERSION.as_bytes());
    ctx.out.bulk(b"proto");
    ctx.out.int(proto_now);
    ctx.out.bulk(b"id");
    ctx.out.int(ctx.client.id() as i64);
    ctx.out.bulk(b"mode");
    ctx.out.bulk(b"standalone");
    ctx.out.bulk(b"role");
    ctx.out.bulk(b"master");
    ctx.out.bulk(b"modules");
    ctx.out.array(0);
    Ok(())
}

/// SELECT index
fn select(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.int_arg(1)?;
    if n < 0 || n >= ctx.store.ks.db_count() as i64 {
        return Err(errors::DB_INDEX_OUT_OF_RANGE.into());
    }
    ctx.client.select(n as usize);
    ctx.out.ok();
    Ok(())
}

fn client_id(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(ctx.client.id() as i64);
    Ok(())
}

/// Client names may hold only printable ASCII without spaces.
fn validate_name(n: &[u8]) -> CmdResult {
    if n.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(errors::CLIENT_NAME_SPACES.into());
    }
    Ok(())
}

fn client_setname(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.arg(2);
    validate_name(n)?;
    ctx.client.handle.info.lock().name = n.to_vec();
    ctx.out.ok();
    Ok(())
}

fn client_getname(ctx: &mut Ctx) -> CmdResult {
    let name = ctx.client.handle.info.lock().name.clone();
    if name.is_empty() {
        ctx.out.null();
    } else {
        ctx.out.bulk(&name);
    }
    Ok(())
}

/// One CLIENT LIST / CLIENT INFO line, in Redis 7's field order.
/// `current` is the calling client's own command: its name and argument
/// bytes (`argv-mem`; the other clients are between commands).
fn describe(h: &ClientHandle, now: u64, current: Option<(&str, usize)>) -> String {
    let current_cmd = current.map(|c| c.0);
    let argv_mem = current.map_or(0, |c| c.1);
    let qbuf = h.qbuf.load(Ordering::Relaxed);
    let qbuf_cap = h.qbuf_cap.load(Ordering::Relaxed);
    let (obl, oll, omem) = h.output_split();
    let info = h.info.lock();
    let mut flags = String::new();
    if info.monitor {
        flags.push('O');
    }
    let st = info.state;
    if st.subscribed() {
        flags.push('P');
    }
    if st.multi >= 0 {
        flags.push('x');
    }
    if st.blocked {
        flags.push('b');
    }
    if st.dirty_cas {
        flags.push('d');
    }
    if h.is_unix() {
        flags.push('U');
    }
    if info.no_evict {
        flags.push('e');
    }
    if info.no_touch {
        flags.push('T');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let last = h.last_interaction_ms.load(std::sync::atomic::Ordering::Relaxed);
    let cmd = match (current_cmd, h.last_cmd.load(Ordering::Relaxed)) {
        (Some(c), _) => c.to_string(),
        (None, 0) => "NULL".to_string(),
        (None, id) => {
            let (spec, parent) = crate::command::Table::get().all[id - 1];
            crate::command::fullname(spec, parent)
        }
    };
    format!(
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp=0 obl={} oll={} omem={} tot-mem={} events={} cmd={} user=default redir=-1 resp={} lib-name={} lib-ver={}",
        h.id,
        h.addr,
        h.laddr,
        h.fd,
        String::from_utf8_lossy(&info.name),
        now.saturating_sub(h.created_ms) / 1000,
        now.saturating_sub(last) / 1000,
        flags,
        info.db,
        st.sub,
        st.psub,
        st.ssub,
        st.multi,
        qbuf,
        qbuf_cap.saturating_sub(qbuf),
        argv_mem,
        st.multi_mem,
        REPLY_BLOCK,
        obl,
        oll,
        omem,
        h.memory() + argv_mem + st.multi_mem,
        if obl > 0 { "rw" } else { "r" },
        cmd,
        info.resp,
        String::from_utf8_lossy(&info.lib_name),
        String::from_utf8_lossy(&info.lib_ver),
    )
}

fn client_info(ctx: &mut Ctx) -> CmdResult {
    let line = describe(&ctx.client.handle, now_ms(), Some(("client|info", argv_bytes(ctx)))) + "\n";
    ctx.out.verbatim("txt", line.as_bytes());
    Ok(())
}

/// The client's class for CLIENT LIST/KILL TYPE, as Redis 7 tells them
/// apart: with any subscription (channel, pattern or shard channel) it is
/// `pubsub`, otherwise `normal` (MONITOR clients included; there are no
/// replicas or masters).
fn client_type(c: &ClientHandle) -> &'static str {
    if c.info.lock().state.subscribed() {
        "pubsub"
    } else {
        "normal"
    }
}

/// Bytes of the running command's arguments (CLIENT LIST `argv-mem`).
fn argv_bytes(ctx: &Ctx) -> usize {
    (0..ctx.argc()).map(|i| ctx.arg(i).len()).sum()
}

fn sorted_clients(ctx: &Ctx) -> Vec<Arc<ClientHandle>> {
    let mut v: Vec<_> = ctx.shared.clients.lock().values().cloned().collect();
    v.sort_by_key(|c| c.id);
    v
}

/// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]
fn client_list(ctx: &mut Ctx) -> CmdResult {
    // Redis 7.0 takes one filter: TYPE t, or ID id [id ...].
    let mut ids: Option<Vec<u64>> = None;
    let mut typ: Option<String> = None;
    if ctx.argc() == 4 && eq(ctx.arg(2), "type") {
        let t = String::from_utf8_lossy(ctx.arg(3)).to_ascii_lowercase();
        if !["normal", "master", "replica", "slave", "pubsub"].contains(&t.as_str()) {
            return Err(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(ctx.arg(3))).into());
        }
        typ = Some(t);
    } else if ctx.argc() >= 4 && eq(ctx.arg(2), "id") {
        let mut v = Vec::new();
        for j in 3..ctx.argc() {
            let n = ctx.int_arg(j).ok().filter(|n| *n > 0).ok_or(CmdError::from(errors::INVALID_CLIENT_ID_LIST))?;
            v.push(n as u64);
        }
        ids = Some(v);
    } else if ctx.argc() != 2 {
        return Err(errors::SYNTAX.into());
    }
    let now = now_ms();
    let me = ctx.client.id();
    let mut text = String::new();
    for c in sorted_clients(ctx) {
        if ids.as_ref().is_some_and(|ids| !ids.contains(&c.id)) {
            continue;
        }
        if typ.as_ref().is_some_and(|t| t != client_type(&c)) {
            continue;
        }
        let cur = if c.id == me { Some(("client|list", argv_bytes(ctx))) } else { None };
        text.push_str(&describe(&c, now, cur));
        text.push('\n');
    }
    ctx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

/// CLIENT KILL ip:port | CLIENT KILL <filter> <value> ...
fn client_kill(ctx: &mut Ctx) -> CmdResult {
    let me = ctx.client.id();
    if ctx.argc() == 3 {
        let addr = ctx.arg(2);
        let target = sorted_clients(ctx).into_iter().find(|c| c.addr.as_bytes() == addr);
        return match target {
            Some(c) => {
                c.kill();
                if c.id == me {
                    ctx.client.close_after_reply = true;
                }
                ctx.out.ok();
                Ok(())
            }
            None => Err(errors::NO_SUCH_CLIENT.into()),
        };
    }
    let (mut id, mut addr, mut laddr, mut user, mut typ, mut maxage) = (None, None, None, None, None, None);
    let mut skipme = true;
    let mut i = 2;
    while i < ctx.argc() {
        if i + 1 >= ctx.argc() {
            return Err(errors::SYNTAX.into());
        }
        let (opt, val) = (ctx.arg(i), ctx.arg(i + 1));
        if eq(opt, "id") {
            id = Some(
                ctx.int_arg(i + 1).ok().filter(|n| *n > 0).ok_or(CmdError::from(errors::INVALID_CLIENT_ID))? as u64
            );
        } else if eq(opt, "addr") {
            addr = Some(val.to_vec());
        } else if eq(opt, "laddr") {
            laddr = Some(val.to_vec());
        } else if eq(opt, "user") {
            user = Some(val.to_vec());
        } else if eq(opt, "type") {
            let t = String::from_utf8_lossy(val).to_ascii_lowercase();
            if !["normal", "master", "replica", "slave", "pubsub"].contains(&t.as_str()) {
                return Err(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(val)).into());
            }
            typ = Some(t);
        } else if eq(opt, "skipme") {
            skipme = match crate::config::file::parse_yes_no(val) {
                Some(b) => b,
                None => return Err(errors::SYNTAX.into()),
            };
        } else if eq(opt, "maxage") {
            maxage = Some(ctx.int_arg(i + 1)?);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 2;
    }
    let now = now_ms();
    let mut killed = 0;
    for c in sorted_clients(ctx) {
        let matches = id.is_none_or(|id| c.id == id)
            && addr.as_ref().is_none_or(|a| c.addr.as_bytes() == a.as_slice())
            && laddr.as_ref().is_none_or(|a| c.laddr.as_bytes() == a.as_slice())
            && user.as_ref().is_none_or(|u| u.as_slice() == b"default")
            && typ.as_ref().is_none_or(|t| t == client_type(&c))
            && maxage.is_none_or(|m| (now.saturating_sub(c.created_ms) / 1000) as i64 >= m)
            && !(skipme && c.id == me);
        if matches {
            c.kill();
            if c.id == me {
                ctx.client.close_after_reply = true;
            }
            killed += 1;
        }
    }
    ctx.out.int(killed);
    Ok(())
}

/// CLIENT SETINFO LIB-NAME name | LIB-VER version
fn client_setinfo(ctx: &mut Ctx) -> CmdResult {
    let (attr, val) = (ctx.arg(2), ctx.arg(3));
    let is_name = eq(attr, "lib-name");
    if !is_name && !eq(attr, "lib-ver") {
        return Err(format!("ERR Unrecognized option '{}'", String::from_utf8_lossy(attr)).into());
    }
    if val.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        let what = if is_name { "lib-name" } else { "lib-ver" };
        return Err(format!("ERR {what} cannot contain spaces, newlines or special characters.").into());
    }
    let mut info = ctx.client.handle.info.lock();
    if is_name {
        info.lib_name = val.to_vec();
    } else {
        info.lib_ver = val.to_vec();
    }
    drop(info);
    ctx.out.ok();
    Ok(())
}

/// CLIENT REPLY ON | OFF | SKIP
fn client_reply(ctx: &mut Ctx) -> CmdResult {
    let a = ctx.arg(2);
    if eq(a, "on") {
        ctx.client.reply_mode = ReplyMode::On;
        ctx.out.ok();
    } else if eq(a, "off") {
        ctx.client.reply_mode = ReplyMode::Off;
    } else if eq(a, "skip") {
        if ctx.client.reply_mode == ReplyMode::On || ctx.client.reply_mode == ReplyMode::Skipping {
            ctx.client.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        return Err(errors::SYNTAX.into());
    }
    Ok(())
}

fn on_off(ctx: &Ctx, i: usize) -> Result<bool, CmdError> {
    if eq(ctx.arg(i), "on") {
        Ok(true)
    } else if eq(ctx.arg(i), "off") {
        Ok(false)
    } else {
        Err(errors::SYNTAX.into())
    }
}

/// CLIENT NO-EVICT ON | OFF
fn client_no_evict(ctx: &mut Ctx) -> CmdResult {
    let on = on_off(ctx, 2)?;
    ctx.client.handle.info.lock().no_evict = on;
    ctx.out.ok();
    Ok(())
}

/// CLIENT NO-TOUCH ON | OFF
fn client_no_touch(ctx: &mut Ctx) -> CmdResult {
    let on = on_off(ctx, 2)?;
    ctx.client.no_touch = on;
    ctx.client.handle.info.lock().no_touch = on;
    ctx.out.ok();
    Ok(())
}

/// CLIENT PAUSE timeout [WRITE | ALL]
fn client_pause(ctx: &mut Ctx) -> CmdResult {
    let ms = ctx.int_arg(2).map_err(|_| CmdError::from(errors::TIMEOUT_NOT_INT))?;
    if ms < 0 {
        return Err(errors::TIMEOUT_NEGATIVE.into());
    }
    let write_only = match ctx.argc() {
        3 => false,
        4 if eq(ctx.arg(3), "write") => true,
        4 if eq(ctx.arg(3), "all") => false,
        4 => return Err(errors::PAUSE_MODE.into()),
        _ => return Err(errors::SYNTAX.into()),
    };
    let now = now_ms();
    let until = now.saturating_add(ms as u64);
    {
        // A running pause is extended, never shortened, and ALL wins over WRITE.
        let mut p = ctx.shared.pause.lock();
        if p.until_ms <= now {
            p.until_ms = until;
            p.write_only = write_only;
        } else {
            p.until_ms = p.until_ms.max(until);
            p.write_only = p.write_only && write_only;
        }
        ctx.shared.paused.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    ctx.out.ok();
    Ok(())
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]
fn client_unblock(ctx: &mut Ctx) -> CmdResult {
    let id = ctx.int_arg(2)?;
    let error = match ctx.argc() {
        3 => false,
        4 if eq(ctx.arg(3), "timeout") => false,
        4 if eq(ctx.arg(3), "error") => true,
        4 => return Err(errors::UNBLOCK_REASON.into()),
        _ => return Err(errors::subcommand_syntax("client", ctx.arg(1)).into()),
    };
    let done = id > 0 && crate::blocking::unblock(ctx.store, id as u64, error);
    ctx.out.int(done as i64);
    Ok(())
}

/// CLIENT UNPAUSE
fn client_unpause(ctx: &mut Ctx) -> CmdResult {
    {
        let mut p = ctx.shared.pause.lock();
        *p = Default::default();
        ctx.shared.paused.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    ctx.shared.pause_changed.notify_waiters();
    ctx.out.ok();
    Ok(())
}

/// CLIENT GETREDIR: -1, tracking is not enabled.
fn client_getredir(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(-1);
    Ok(())
}

fn client_help(ctx: &mut Ctx) -> CmdResult {
    crate::cmd::command::reply_help(
        ctx.out,
        "CLIENT",
        &[
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "    * MAXAGE <maxage>",
            "      Kill connections older than the specified age.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "NO-TOUCH (ON|OFF)",
            "    Will not touch LRU/LFU stats when this mode is on.",
        ],
    );
    Ok(())
}
