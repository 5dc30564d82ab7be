//! Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XREAD XSETID,
//! consumer groups (XGROUP XREADGROUP XACK XPENDING XCLAIM XAUTOCLAIM) and
//! XINFO. The data structure lives in `keyspace::stream`; this file parses
//! arguments in Redis's order and shapes the replies.

use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx, TimeoutReply};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::STREAM;
use bytes::Bytes;
use keyspace::stream::{AppendError, Group, IdSpec, Nack, Stream, StreamId, Trim};
use resp::Out;

const W: &[&str] = &["write", "stream"];
const WF: &[&str] = &["write", "stream", "fast"];
const R: &[&str] = &["read", "stream"];
const RF: &[&str] = &["read", "stream", "fast"];
const RB: &[&str] = &["read", "stream", "slow", "blocking"];
const WB: &[&str] = &["write", "stream", "slow", "blocking"];
const WS: &[&str] = &["write", "stream", "slow"];
const RS: &[&str] = &["read", "stream", "slow"];

pub static COMMANDS: &[CommandSpec] = &[
    spec("xadd", -5, WRITE | DENYOOM | FAST, (1, 1, 1), WF, "stream", "5.0.0", "Appends a new message to a stream. Creates the key if it doesn't exist.", xadd),
    spec("xlen", 2, READONLY | FAST, (1, 1, 1), RF, "stream", "5.0.0", "Return the number of messages in a stream.", xlen),
    spec("xrange", -4, READONLY, (1, 1, 1), R, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs.", xrange),
    spec("xrevrange", -4, READONLY, (1, 1, 1), R, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs in reverse order.", xrevrange),
    spec("xdel", -3, WRITE | FAST, (1, 1, 1), WF, "stream", "5.0.0", "Returns the number of messages after removing them from a stream.", xdel),
    spec("xtrim", -4, WRITE, (1, 1, 1), W, "stream", "5.0.0", "Deletes messages from the beginning of a stream.", xtrim),
    spec("xread", -4, READONLY | BLOCKING, (0, 0, 0), RB, "stream", "5.0.0", "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.", xread),
    spec("xreadgroup", -7, WRITE | BLOCKING, (0, 0, 0), WB, "stream", "5.0.0", "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.", xreadgroup),
    spec("xsetid", -3, WRITE | DENYOOM | FAST, (1, 1, 1), WF, "stream", "5.0.0", "An internal command for replicating stream values.", xsetid),
    spec("xack", -4, WRITE | FAST, (1, 1, 1), WF, "stream", "5.0.0", "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.", xack),
    spec("xpending", -3, READONLY, (1, 1, 1), R, "stream", "5.0.0", "Returns the information and entries from a stream consumer group's pending entries list.", xpending),
    spec("xclaim", -6, WRITE | FAST, (1, 1, 1), WF, "stream", "5.0.0", "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.", xclaim),
    spec("xautoclaim", -6, WRITE | FAST, (1, 1, 1), WF, "stream", "6.2.0", "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.", xautoclaim),
    container("xgroup", &["slow"], "stream", "5.0.0", "A container for consumer groups commands.", XGROUP),
    container("xinfo", &["slow"], "stream", "5.0.0", "A container for stream introspection commands.", XINFO),
];

static XGROUP: &[CommandSpec] = &[
    spec("create", -5, WRITE | DENYOOM, (2, 2, 1), WS, "stream", "5.0.0", "Creates a consumer group.", xgroup_create),
    spec(
        "setid",
        -5,
        WRITE,
        (2, 2, 1),
        WS,
        "stream",
        "5.0.0",
        "Sets the last-delivered ID of a consumer group.",
        xgroup_setid,
    ),
    spec("destroy", 4, WRITE, (2, 2, 1), WS, "stream", "5.0.0", "Destroys a consumer group.", xgroup_destroy),
    spec(
        "createconsumer",
        5,
        WRITE | DENYOOM,
        (2, 2, 1),
        WS,
        "stream",
        "6.2.0",
        "Creates a consumer in a consumer group.",
        xgroup_createconsumer,
    ),
    spec(
        "delconsumer",
        5,
        WRITE,
        (2, 2, 1),
        WS,
        "stream",
        "5.0.0",
        "Deletes a consumer from a consumer group.",
        xgroup_delconsumer,
    ),
];

static XINFO: &[CommandSpec] = &[
    spec("stream", -3, READONLY, (2, 2, 1), RS, "stream", "5.0.0", "Returns information about a stream.", xinfo_stream),
    spec(
        "groups",
        3,
        READONLY,
        (2, 2, 1),
        RS,
        "stream",
        "5.0.0",
        "Returns a list of the consumer groups of a stream.",
        xinfo_groups,
    ),
    spec(
        "consumers",
        4,
        READONLY,
        (2, 2, 1),
        RS,
        "stream",
        "5.0.0",
        "Returns a list of the consumers in a consumer group.",
        xinfo_consumers,
    ),
];

// ---------------------------------------------------------------------------
// IDs

/// C's strtoull in base 10 over the whole string, as Redis's string2ull
/// falls back to: leading spaces, a sign (a minus wraps), digits, nothing after.
fn strtoull(b: &[u8]) -> Option<u64> {
    if let Some(v) = parse_int(b) {
        return (v >= 0).then_some(v as u64);
    }
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    if i == b.len() || !b[i..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in &b[i..] {
        v = v.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Parses `ms-seq`, `ms` (sequence `missing_seq`) and, when `strict` is
/// false, `-` and `+`. With `ms_star`, `ms-*` gives `(id, false)`.
fn parse_id_full(b: &[u8], missing_seq: u64, strict: bool, ms_star: bool) -> Result<(StreamId, bool), CmdError> {
    let err = || CmdError::from(errors::STREAM_BAD_ID);
    if b.len() > 127 {
        return Err(err());
    }
    // Redis works on a C copy: a NUL byte ends the string.
    let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
    if b == b"-" || b == b"+" {
        if strict {
            return Err(err());
        }
        return Ok((if b == b"-" { StreamId::MIN } else { StreamId::MAX }, true));
    }
    let (ms_part, seq_part) = match b.iter().position(|&c| c == b'-') {
        Some(p) => (&b[..p], Some(&b[p + 1..])),
        None => (b, None),
    };
    let ms = strtoull(ms_part).ok_or_else(err)?;
    match seq_part {
        Some(b"*") if ms_star => Ok((StreamId::new(ms, 0), false)),
        Some(s) => Ok((StreamId::new(ms, strtoull(s).ok_or_else(err)?), true)),
        None => Ok((StreamId::new(ms, missing_seq), true)),
    }
}

fn parse_id_strict(b: &[u8]) -> Result<StreamId, CmdError> {
    parse_id_full(b, 0, true, false).map(|(id, _)| id)
}

/// An XRANGE-style bound: `(` makes it exclusive; `-`/`+` allowed.
fn parse_interval(b: &[u8], missing_seq: u64) -> Result<(StreamId, bool), CmdError> {
    if b.len() > 1 && b[0] == b'(' {
        Ok((parse_id_full(&b[1..], missing_seq, true, false)?.0, true))
    } else {
        Ok((parse_id_full(b, missing_seq, false, false)?.0, false))
    }
}

fn range_start(b: &[u8]) -> Result<StreamId, CmdError> {
    let (id, ex) = parse_interval(b, 0)?;
    if ex {
        return id.incr().ok_or_else(|| errors::STREAM_BAD_START.into());
    }
    Ok(id)
}

fn range_end(b: &[u8]) -> Result<StreamId, CmdError> {
    let (id, ex) = parse_interval(b, u64::MAX)?;
    if ex {
        return id.decr().ok_or_else(|| errors::STREAM_BAD_END.into());
    }
    Ok(id)
}

fn id_bytes(id: StreamId) -> Vec<u8> {
    id.to_string().into_bytes()
}

fn reply_id(out: &mut Out, id: StreamId) {
    out.bulk(&id_bytes(id));
}

fn reply_pairs(out: &mut Out, pairs: &[(&[u8], &[u8])]) {
    out.array(pairs.len() * 2);
    for (f, v) in pairs {
        out.bulk(f);
        out.bulk(v);
    }
}

/// Writes entries in `start..=end` as `[id, [field, value, ...]]` items
/// under one array header; returns the ids written.
fn reply_range(out: &mut Out, s: &Stream, start: StreamId, end: StreamId, rev: bool, count: usize) -> Vec<StreamId> {
    let mut body = Out::new(out.resp3());
    let mut ids = Vec::new();
    s.range(start, end, rev, |e| {
        body.array(2);
        reply_id(&mut body, e.id);
        reply_pairs(&mut body, &e.pairs);
        ids.push(e.id);
        count == 0 || ids.len() < count
    });
    out.array(ids.len());
    out.raw(body.as_bytes());
    ids
}

/// One entry as `[id, [field, value, ...]]`, or false when it is gone.
fn reply_one(out: &mut Out, s: &Stream, id: StreamId) -> bool {
    let mut found = false;
    s.range(id, id, false, |e| {
        out.array(2);
        reply_id(out, e.id);
        reply_pairs(out, &e.pairs);
        found = true;
        false
    });
    found
}

fn now_ms(ctx: &Ctx) -> u64 {
    ctx.store.ks.now()
}

fn node_limits(ctx: &Ctx) -> (usize, usize) {
    let e = &ctx.store.ks.enc;
    (e.stream_node_max_entries, e.stream_node_max_bytes)
}

// ---------------------------------------------------------------------------
// XADD / XTRIM

/// Parsed XADD / XTRIM options.
struct AddTrimArgs {
    trim: Option<Trim>,
    approx: bool,
    limit: u64,
    nomkstream: bool,
    id: IdSpec,
    /// Index of the ID argument (XADD).
    id_pos: usize,
}

/// Redis's streamParseAddOrTrimArgsOrReply.
fn parse_add_trim(ctx: &Ctx, xadd: bool) -> Result<AddTrimArgs, CmdError> {
    let mut a = AddTrimArgs { trim: None, approx: false, limit: 0, nomkstream: false, id: IdSpec::Auto, id_pos: 0 };
    let mut limit: Option<i64> = None;
    let argc = ctx.argc();
    let mut i = 2;
    while i < argc {
        let more = argc - 1 - i;
        let opt = ctx.arg(i);
        if xadd && opt == b"*" {
            break;
        } else if (eq(opt, "maxlen") || eq(opt, "minid")) && more > 0 {
            if a.trim.is_some() {
                return Err(errors::STREAM_MAXLEN_MINID.into());
            }
            a.approx = false;
            let next = ctx.arg(i + 1);
            if more >= 2 && next == b"~" {
                a.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            if eq(opt, "maxlen") {
                let n = parse_int(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
                if n < 0 {
                    return Err(errors::STREAM_MAXLEN_NEGATIVE.into());
                }
                a.trim = Some(Trim::MaxLen(n as u64));
            } else {
                a.trim = Some(Trim::MinId(parse_id_strict(ctx.arg(i + 1))?));
            }
            i += 1;
        } else if eq(opt, "limit") && more > 0 {
            let n = parse_int(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
            if n < 0 {
                return Err(errors::STREAM_LIMIT_NEGATIVE.into());
            }
            limit = Some(n);
            i += 1;
        } else if xadd && eq(opt, "nomkstream") {
            a.nomkstream = true;
        } else if xadd {
            let (id, seq_given) = parse_id_full(opt, 0, true, true)?;
            a.id = if seq_given { IdSpec::Exact(id) } else { IdSpec::Ms(id.ms) };
            break;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    a.id_pos = i;
    if limit.is_some() && a.trim.is_none() {
        return Err(errors::STREAM_LIMIT_NO_TRIM.into());
    }
    if !xadd && a.trim.is_none() {
        return Err(errors::STREAM_XTRIM_NO_STRATEGY.into());
    }
    match limit {
        Some(_) if !a.approx => return Err(errors::STREAM_LIMIT_NOT_APPROX.into()),
        Some(n) => a.limit = n as u64,
        None if a.approx => {
            let per_node = ctx.store.ks.enc.stream_node_max_entries as u64;
            a.limit = (100 * per_node).clamp(1, 10_000);
            if per_node == 0 {
                a.limit = 10_000;
            }
        }
        None => a.limit = 0,
    }
    Ok(a)
}

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
fn xadd(ctx: &mut Ctx) -> CmdResult {
    let a = parse_add_trim(ctx, true)?;
    let field_pos = a.id_pos + 1;
    let argc = ctx.argc();
    if argc < field_pos + 2 || !(argc - field_pos).is_multiple_of(2) {
        return Err(errors::wrong_args("xadd").into());
    }
    if let IdSpec::Exact(id) = a.id {
        if id.is_zero() {
            return Err(errors::STREAM_XADD_ZERO.into());
        }
    }
    let (db, key, argv) = (ctx.db(), ctx.arg(1), ctx.argv);
    let now = now_ms(ctx);
    let (max_entries, max_bytes) = node_limits(ctx);
    let s = match ctx.store.ks.stream_write(db, key)? {
        Some(s) => s,
        None if a.nomkstream => {
            ctx.out.null();
            return Ok(());
        }
        None => ctx.store.ks.stream_create(db, key)?,
    };
    if s.last_id == StreamId::MAX {
        // Nothing was created: the key existed.
        return Err(errors::STREAM_EXHAUSTED.into());
    }
    let pairs: Vec<(&[u8], &[u8])> = argv[field_pos..].chunks_exact(2).map(|p| (&p[0][..], &p[1][..])).collect();
    let id = match s.append(&pairs, a.id, now, max_entries, max_bytes) {
        Ok(id) => id,
        Err(AppendError::TooSmall) => {
            // A stream created just now for this XADD must not stay behind empty.
            if s.length == 0 && s.entries_added == 0 && s.groups.is_empty() {
                ctx.store.ks.remove(db, key);
            }
            return Err(errors::STREAM_XADD_SMALL.into());
        }
    };
    let trimmed = match a.trim {
        Some(t) => s.trim(t, a.approx, a.limit),
        None => 0,
    };
    ctx.out.bulk(&id_bytes(id));
    ctx.changed(1);
    ctx.wrote(STREAM, "xadd", key);
    if trimmed > 0 {
        ctx.notify(STREAM, "xtrim", key);
    }
    Ok(())
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
fn xtrim(ctx: &mut Ctx) -> CmdResult {
    let a = parse_add_trim(ctx, false)?;
    let (db, key) = (ctx.db(), ctx.arg(1));
    let Some(s) = ctx.store.ks.stream_write(db, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let n = s.trim(a.trim.expect("checked by the parser"), a.approx, a.limit);
    if n > 0 {
        ctx.notify(STREAM, "xtrim", key);
        ctx.signal(key);
        ctx.changed(n);
    }
    ctx.out.int(n as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// Plain reads and deletes

/// XLEN key
fn xlen(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.stream_read(db, ctx.arg(1), touch)?.map_or(0, |s| s.length);
    ctx.out.int(n as i64);
    Ok(())
}

fn xrange_generic(ctx: &mut Ctx, rev: bool) -> CmdResult {
    let (sa, ea) = if rev { (ctx.arg(3), ctx.arg(2)) } else { (ctx.arg(2), ctx.arg(3)) };
    let start = range_start(sa)?;
    let end = range_end(ea)?;
    let mut count: i64 = -1;
    let mut j = 4;
    while j < ctx.argc() {
        if eq(ctx.arg(j), "count") && j + 1 < ctx.argc() {
            count = parse_int(ctx.arg(j + 1)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?.max(0);
            j += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let (db, touch) = (ctx.db(), ctx.touch());
    let Some(s) = ctx.store.ks.stream_read(db, ctx.arg(1), touch)? else {
        ctx.out.array(0);
        return Ok(());
    };
    if count == 0 {
        ctx.out.null_array();
        return Ok(());
    }
    reply_range(ctx.out, s, start, end, rev, count.max(0) as usize);
    Ok(())
}

/// XRANGE key start end [COUNT count]
fn xrange(ctx: &mut Ctx) -> CmdResult {
    xrange_generic(ctx, false)
}

/// XREVRANGE key end start [COUNT count]
fn xrevrange(ctx: &mut Ctx) -> CmdResult {
    xrange_generic(ctx, true)
}

/// XDEL key id [id ...]
fn xdel(ctx: &mut Ctx) -> CmdResult {
    let (db, key) = (ctx.db(), ctx.arg(1));
    if ctx.store.ks.stream_write(db, key)?.is_none() {
        ctx.out.int(0);
        return Ok(());
    }
    let ids = (2..ctx.argc()).map(|j| parse_id_strict(ctx.arg(j))).collect::<Result<Vec<_>, _>>()?;
    let s = ctx.store.ks.stream_write(db, key)?.expect("checked above");
    let (mut deleted, mut first) = (0u64, false);
    for id in ids {
        if s.delete(id) {
            first |= id == s.first_id;
            if id > s.max_deleted {
                s.max_deleted = id;
            }
            deleted += 1;
        }
    }
    if deleted > 0 {
        if s.length == 0 {
            s.first_id = StreamId::MIN;
        } else if first {
            s.first_id = s.edge_id(false).unwrap_or_default();
        }
        ctx.changed(deleted);
        ctx.wrote(STREAM, "xdel", key);
    }
    ctx.out.int(deleted as i64);
    Ok(())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
fn xsetid(ctx: &mut Ctx) -> CmdResult {
    let id = parse_id_strict(ctx.arg(2))?;
    let mut entries_added: i64 = -1;
    let mut max_xdel = StreamId::MIN;
    let mut i = 3;
    while i < ctx.argc() {
        let more = ctx.argc() - 1 - i;
        let opt = ctx.arg(i);
        if eq(opt, "entriesadded") && more > 0 {
            entries_added = parse_int(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
            if entries_added < 0 {
                return Err(errors::STREAM_ENTRIES_ADDED_NEGATIVE.into());
            }
            i += 2;
        } else if eq(opt, "maxdeletedid") && more > 0 {
            max_xdel = parse_id_strict(ctx.arg(i + 1))?;
            if id < max_xdel {
                return Err(errors::STREAM_SETID_SMALLER_THAN_GIVEN_MAXDEL.into());
            }
            i += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let (db, key) = (ctx.db(), ctx.arg(1));
    let Some(s) = ctx.store.ks.stream_write(db, key)? else { return Err(errors::NO_SUCH_KEY.into()) };
    if s.length > 0 {
        let top = s.edge_id(true).unwrap_or_default();
        if id < top {
            return Err(errors::STREAM_SETID_SMALLER_THAN_TOP.into());
        }
        if entries_added != -1 && s.length > entries_added as u64 {
            return Err(errors::STREAM_SETID_ENTRIES_ADDED_SMALL.into());
        }
    }
    if id < s.max_deleted {
        return Err(errors::STREAM_SETID_SMALLER_THAN_MAXDEL.into());
    }
    s.last_id = id;
    if entries_added != -1 {
        s.entries_added = entries_added as u64;
    }
    if !max_xdel.is_zero() {
        s.max_deleted = max_xdel;
    }
    ctx.out.ok();
    ctx.changed(1);
    ctx.wrote(STREAM, "xsetid", key);
    Ok(())
}

// ---------------------------------------------------------------------------
// XREAD / XREADGROUP

/// The ID given to XREAD(GROUP) for one stream.
#[derive(Clone, Copy)]
enum ReadFrom {
    After(StreamId),
    /// `>`: entries never delivered to the group.
    New,
}

fn xread(ctx: &mut Ctx) -> CmdResult {
    xread_generic(ctx, false)
}

fn xreadgroup(ctx: &mut Ctx) -> CmdResult {
    xread_generic(ctx, true)
}

/// XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
/// XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
fn xread_generic(ctx: &mut Ctx, group_cmd: bool) -> CmdResult {
    let argc = ctx.argc();
    let mut timeout: Option<u64> = None;
    let mut count: i64 = 0;
    let mut streams_arg = 0;
    let mut nstreams = 0;
    let mut noack = false;
    let mut group: Option<(&[u8], &[u8])> = None;
    let name = if group_cmd { "xreadgroup" } else { "xread" };
    let mut i = 1;
    while i < argc {
        let more = argc - i - 1;
        let o = ctx.arg(i);
        if eq(o, "block") && more > 0 {
            if ctx.client.lua {
                // No sense in blocking inside a script: Redis refuses outright.
                return Err(errors::stream_block_in_script(&String::from_utf8_lossy(ctx.arg(0))).into());
            }
            i += 1;
            timeout = Some(parse_block_ms(ctx.arg(i))?);
        } else if eq(o, "count") && more > 0 {
            i += 1;
            count = parse_int(ctx.arg(i)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?.max(0);
        } else if eq(o, "streams") && more > 0 {
            streams_arg = i + 1;
            let n = argc - streams_arg;
            if n % 2 != 0 {
                return Err(
                    errors::stream_unbalanced(&name.to_ascii_uppercase(), if group_cmd { '>' } else { '$' }).into()
                );
            }
            nstreams = n / 2;
            break;
        } else if eq(o, "group") && more >= 2 {
            if !group_cmd {
                return Err(errors::STREAM_GROUP_ONLY_XREADGROUP.into());
            }
            group = Some((ctx.arg(i + 1), ctx.arg(i + 2)));
            i += 2;
        } else if eq(o, "noack") {
            if !group_cmd {
                return Err(errors::STREAM_NOACK_ONLY_XREADGROUP.into());
            }
            noack = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if streams_arg == 0 {
        return Err(errors::SYNTAX.into());
    }
    if group_cmd && group.is_none() {
        return Err(errors::STREAM_MISSING_GROUP.into());
    }
    let db = ctx.db();
    let touch = ctx.touch();
    let mut from = Vec::with_capacity(nstreams);
    for k in 0..nstreams {
        let key = ctx.arg(streams_arg + k);
        let ida = ctx.arg(streams_arg + nstreams + k);
        let s = ctx.store.ks.stream_read(db, key, touch)?;
        if let Some((g, _)) = group {
            if s.as_ref().is_none_or(|s| !s.groups.contains_key(g)) {
                return Err(errors::stream_nogroup_read(key, g).into());
            }
        }
        if ida == b"$" {
            if group_cmd {
                return Err(errors::STREAM_DOLLAR_IN_XREADGROUP.into());
            }
            from.push(ReadFrom::After(s.map_or(StreamId::MIN, |s| s.last_id)));
        } else if ida == b">" {
            if !group_cmd {
                return Err(errors::STREAM_GT_ONLY_XREADGROUP.into());
            }
            from.push(ReadFrom::New);
        } else {
            from.push(ReadFrom::After(parse_id_strict(ida)?));
        }
    }
    // Serve what can be served now.
    let now = now_ms(ctx);
    let mut body = Out::new(ctx.out.resp3());
    let mut served = 0;
    for (k, f) in from.iter().enumerate() {
        let key = ctx.arg(streams_arg + k);
        let Some(s) = ctx.store.ks.stream_write(db, key)? else { continue };
        let (start, history) = match (*f, group) {
            (ReadFrom::After(id), Some(_)) => (id, true),
            (ReadFrom::New, Some((g, _))) => {
                let last = s.groups[g].last_id;
                match s.edge_id(true) {
                    Some(max) if s.length > 0 && max > last => (last, false),
                    _ => continue,
                }
            }
            (ReadFrom::After(id), None) => match s.edge_id(true) {
                Some(max) if s.length > 0 && max > id => (id, false),
                _ => continue,
            },
            (ReadFrom::New, None) => unreachable!("rejected while parsing"),
        };
        served += 1;
        if !body.resp3() {
            body.array(2);
        }
        body.bulk(key);
        let Some(start) = start.incr() else {
            body.array(0);
            continue;
        };
        match group {
            None => {
                reply_range(&mut body, s, start, StreamId::MAX, false, count as usize);
            }
            Some((g, consumer)) => {
                let created = {
                    let grp = s.groups.get_mut(g).expect("checked while parsing");
                    let created = grp.create_consumer(consumer, now);
                    grp.consumers.get_mut(consumer).expect("exists").seen_time = now;
                    created
                };
                if history {
                    reply_history(&mut body, s, g, consumer, start, count as usize, now);
                } else {
                    deliver_new(&mut body, s, g, consumer, start, count as usize, noack, now);
                }
                if created {
                    ctx.notify(STREAM, "xgroup-createconsumer", key);
                }
                ctx.changed(1);
            }
        }
    }
    if served > 0 {
        if ctx.out.resp3() {
            ctx.out.map(served);
        } else {
            ctx.out.array(served);
        }
        ctx.out.raw(body.as_bytes());
        return Ok(());
    }
    match timeout {
        Some(ms) => {
            // Wait for new entries. `$` is pinned to the IDs resolved now,
            // and without COUNT a woken reader gets at most 1000 entries, as in Redis.
            let keys: Vec<Bytes> = ctx.argv[streams_arg..streams_arg + nstreams].to_vec();
            let mut argv: Vec<Bytes> = ctx.argv[..streams_arg].to_vec();
            if count == 0 {
                argv.splice(1..1, [Bytes::from_static(b"COUNT"), Bytes::from_static(b"1000")]);
            }
            argv.extend_from_slice(&keys);
            for f in &from {
                argv.push(match f {
                    ReadFrom::After(id) => Bytes::from(id_bytes(*id)),
                    ReadFrom::New => Bytes::from_static(b">"),
                });
            }
            ctx.block_with(keys, ms, TimeoutReply::NullArray, Some(argv));
        }
        None => ctx.out.null_array(),
    }
    Ok(())
}

/// XREAD's BLOCK argument: milliseconds, as Redis's getTimeoutFromObjectOrReply.
fn parse_block_ms(b: &[u8]) -> Result<u64, CmdError> {
    let v = parse_int(b).ok_or_else(|| CmdError::from(errors::TIMEOUT_NOT_INT))?;
    if v < 0 {
        return Err(errors::TIMEOUT_NEGATIVE.into());
    }
    let now = crate::server::now_ms() as i64;
    if v > 0 && v > i64::MAX - now {
        return Err(errors::TIMEOUT_OUT_OF_RANGE.into());
    }
    Ok(v as u64)
}

/// XREADGROUP with an explicit ID: the consumer's own pending entries.
fn reply_history(out: &mut Out, s: &mut Stream, g: &[u8], consumer: &[u8], start: StreamId, count: usize, now: u64) {
    let ids: Vec<StreamId> = {
        let c = &s.groups[g].consumers[consumer];
        c.pel.range(start..).copied().take(if count == 0 { usize::MAX } else { count }).collect()
    };
    out.array(ids.len());
    for id in ids {
        if reply_one(out, s, id) {
            let n = s.groups.get_mut(g).expect("exists").pel.get_mut(&id).expect("pending");
            n.delivery_time = now;
            n.delivery_count += 1;
        } else {
            // Pending but deleted from the stream: the ID with a null body.
            out.array(2);
            reply_id(out, id);
            out.null_array();
        }
    }
}

/// XREADGROUP `>`: entries after the group's last ID, added to the PEL.
#[allow(clippy::too_many_arguments)]
fn deliver_new(
    out: &mut Out,
    s: &mut Stream,
    g: &[u8],
    consumer: &[u8],
    start: StreamId,
    count: usize,
    noack: bool,
    now: u64,
) {
    let mut body = Out::new(out.resp3());
    let mut ids = Vec::new();
    s.range(start, StreamId::MAX, false, |e| {
        body.array(2);
        reply_id(&mut body, e.id);
        reply_pairs(&mut body, &e.pairs);
        ids.push(e.id);
        count == 0 || ids.len() < count
    });
    for &id in &ids {
        let tomb = s.has_tombstones(id, StreamId::MAX);
        let estimate = s.estimate_distance(id);
        let added = s.entries_added;
        let grp: &mut Group = s.groups.get_mut(g).expect("exists");
        if id > grp.last_id {
            if grp.entries_read != -1 && !tomb {
                grp.entries_read += 1;
            } else if added > 0 {
                grp.entries_read = estimate;
            }
            grp.last_id = id;
        }
        if !noack {
            grp.assign(id, consumer, Nack { consumer: consumer.into(), delivery_time: now, delivery_count: 1 });
        }
    }
    out.array(ids.len());
    out.raw(body.as_bytes());
}

// ---------------------------------------------------------------------------
// Groups

/// The stream at argument 2 for an XGROUP subcommand, or Redis's error.
fn xgroup_stream<'a>(ctx: &'a mut Ctx, mkstream: bool) -> Result<Option<&'a mut Stream>, CmdError> {
    let (db, key) = (ctx.db(), ctx.arg(2));
    match ctx.store.ks.stream_write(db, key)? {
        Some(s) => Ok(Some(s)),
        None if mkstream => Ok(None),
        None => Err(errors::STREAM_XGROUP_NO_KEY.into()),
    }
}

/// ENTRIESREAD's value: >= 0 or -1.
fn entries_read_arg(b: &[u8]) -> Result<i64, CmdError> {
    let n = parse_int(b).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
    if n < 0 && n != -1 {
        return Err(errors::STREAM_ENTRIES_READ.into());
    }
    Ok(n)
}

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
fn xgroup_create(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let (mut mkstream, mut entries_read) = (false, -1i64);
    let mut i = 5;
    while i < ctx.argc() {
        if eq(ctx.arg(i), "mkstream") {
            mkstream = true;
            i += 1;
        } else if eq(ctx.arg(i), "entriesread") && i + 1 < ctx.argc() {
            entries_read = entries_read_arg(ctx.arg(i + 1))?;
            i += 2;
        } else {
            return Err(errors::subcommand_syntax("xgroup", &argv[1][..]).into());
        }
    }
    // One lookup: the key's last ID (for `$`) if it exists.
    let existing = xgroup_stream(ctx, mkstream)?.map(|s| s.last_id);
    if ctx.argc() > 8 {
        return Err(errors::subcommand_syntax("xgroup", &argv[1][..]).into());
    }
    let last = if &argv[4][..] == b"$" { existing.unwrap_or(StreamId::MIN) } else { parse_id_strict(&argv[4][..])? };
    let (db, key) = (ctx.db(), &argv[2][..]);
    let s = ctx.store.ks.stream_create(db, key)?;
    let g = &argv[3][..];
    if s.groups.contains_key(g) {
        return Err(errors::STREAM_BUSYGROUP.into());
    }
    s.groups.insert(g.into(), Group { last_id: last, entries_read, ..Default::default() });
    if existing.is_none() {
        // MKSTREAM made the key.
        ctx.signal(key);
    }
    ctx.out.ok();
    ctx.changed(1);
    ctx.notify(STREAM, "xgroup-create", key);
    Ok(())
}

/// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
fn xgroup_setid(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let s = xgroup_stream(ctx, false)?.expect("checked");
    let last_id = s.last_id;
    if !s.groups.contains_key(&argv[3][..]) {
        return Err(errors::stream_nogroup(&argv[3], &argv[2]).into());
    }
    if ctx.argc() != 5 && ctx.argc() != 7 {
        return Err(errors::subcommand_syntax("xgroup", &argv[1][..]).into());
    }
    let id = if &argv[4][..] == b"$" { last_id } else { parse_id_full(&argv[4][..], 0, false, false)?.0 };
    let mut entries_read = -1;
    if ctx.argc() == 7 {
        if !eq(&argv[5][..], "entriesread") {
            return Err(errors::subcommand_syntax("xgroup", &argv[1][..]).into());
        }
        entries_read = entries_read_arg(&argv[6][..])?;
    }
    let (db, key) = (ctx.db(), &argv[2][..]);
    let s = ctx.store.ks.stream_write(db, key)?.expect("checked");
    let g = s.groups.get_mut(&argv[3][..]).expect("checked");
    g.last_id = id;
    g.entries_read = entries_read;
    ctx.out.ok();
    ctx.changed(1);
    ctx.notify(STREAM, "xgroup-setid", key);
    Ok(())
}

/// XGROUP DESTROY key group
fn xgroup_destroy(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let s = xgroup_stream(ctx, false)?.expect("checked");
    let removed = s.groups.remove(&argv[3][..]).is_some();
    if removed {
        ctx.changed(1);
        let key = &argv[2][..];
        ctx.notify(STREAM, "xgroup-destroy", key);
        // Readers blocked on the group get to see it is gone.
        ctx.signal(key);
    }
    ctx.out.int(removed as i64);
    Ok(())
}

/// XGROUP CREATECONSUMER key group consumer
fn xgroup_createconsumer(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let now = now_ms(ctx);
    let s = xgroup_stream(ctx, false)?.expect("checked");
    let Some(g) = s.groups.get_mut(&argv[3][..]) else { return Err(errors::stream_nogroup(&argv[3], &argv[2]).into()) };
    let created = g.create_consumer(&argv[4][..], now);
    if created {
        ctx.changed(1);
        ctx.notify(STREAM, "xgroup-createconsumer", &argv[2][..]);
    }
    ctx.out.int(created as i64);
    Ok(())
}

/// XGROUP DELCONSUMER key group consumer
fn xgroup_delconsumer(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let s = xgroup_stream(ctx, false)?.expect("checked");
    let Some(g) = s.groups.get_mut(&argv[3][..]) else { return Err(errors::stream_nogroup(&argv[3], &argv[2]).into()) };
    let pending = match g.delete_consumer(&argv[4][..]) {
        Some(n) => {
            ctx.changed(1);
            ctx.notify(STREAM, "xgroup-delconsumer", &argv[2][..]);
            n
        }
        None => 0,
    };
    ctx.out.int(pending as i64);
    Ok(())
}

/// XACK key group id [id ...]
fn xack(ctx: &mut Ctx) -> CmdResult {
    let (db, touch, key) = (ctx.db(), ctx.touch(), ctx.arg(1));
    let has_group =
        ctx.store.ks.stream_read(db, key, touch)?.is_some_and(|s| s.groups.contains_key(ctx.argv[2].as_ref()));
    if !has_group {
        ctx.out.int(0);
        return Ok(());
    }
    let ids = (3..ctx.argc()).map(|j| parse_id_strict(ctx.arg(j))).collect::<Result<Vec<_>, _>>()?;
    let argv = ctx.argv;
    let s = ctx.store.ks.stream_write(db, key)?.expect("checked");
    let g = s.groups.get_mut(&argv[2][..]).expect("checked");
    let n = ids.into_iter().filter(|id| g.ack(*id)).count();
    ctx.changed(n as u64);
    ctx.out.int(n as i64);
    Ok(())
}

/// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
fn xpending(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(errors::SYNTAX.into());
    }
    let mut range = None;
    let mut minidle = 0i64;
    let mut consumer: Option<&[u8]> = None;
    if argc >= 6 {
        let mut at = 3;
        if eq(ctx.arg(3), "idle") {
            minidle = parse_int(ctx.arg(4)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
            if argc < 8 {
                return Err(errors::SYNTAX.into());
            }
            at += 2;
        }
        let count = parse_int(ctx.arg(at + 2)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?.max(0);
        let start = range_start(ctx.arg(at))?;
        let end = range_end(ctx.arg(at + 1))?;
        if at + 3 < argc {
            consumer = Some(ctx.arg(at + 3));
        }
        range = Some((start, end, count as usize));
    }
    let (db, touch, key, gname) = (ctx.db(), ctx.touch(), ctx.arg(1), ctx.arg(2));
    let now = now_ms(ctx);
    let s = ctx.store.ks.stream_read(db, key, touch)?;
    let Some(g) = s.and_then(|s| s.groups.get(gname)) else {
        return Err(errors::stream_nogroup_read_plain(key, gname).into());
    };
    let out = &mut *ctx.out;
    let Some((start, end, count)) = range else {
        out.array(4);
        out.int(g.pel.len() as i64);
        if g.pel.is_empty() {
            out.null();
            out.null();
            out.null_array();
        } else {
            reply_id(out, *g.pel.keys().next().expect("non-empty"));
            reply_id(out, *g.pel.keys().next_back().expect("non-empty"));
            let busy: Vec<_> = g.consumers.iter().filter(|(_, c)| !c.pel.is_empty()).collect();
            out.array(busy.len());
            for (name, c) in busy {
                out.array(2);
                out.bulk(name);
                out.bulk(c.pel.len().to_string().as_bytes());
            }
        }
        return Ok(());
    };
    let ids: Vec<StreamId> = match consumer {
        Some(c) => match g.consumers.get(c) {
            Some(c) => c.pel.range(start..).copied().collect(),
            None => {
                out.array(0);
                return Ok(());
            }
        },
        None => g.pel.range(start..).map(|(k, _)| *k).collect(),
    };
    let mut body = Out::new(out.resp3());
    let mut n = 0;
    for id in ids {
        if n >= count || start > end || id > end {
            break;
        }
        let nack = &g.pel[&id];
        let idle = now as i64 - nack.delivery_time as i64;
        if minidle != 0 && idle < minidle {
            continue;
        }
        n += 1;
        body.array(4);
        reply_id(&mut body, id);
        body.bulk(&nack.consumer);
        body.int(idle.max(0));
        body.int(nack.delivery_count as i64);
    }
    out.array(n);
    out.raw(body.as_bytes());
    Ok(())
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
fn xclaim(ctx: &mut Ctx) -> CmdResult {
    let (db, touch, key, gname) = (ctx.db(), ctx.touch(), ctx.arg(1), ctx.arg(2));
    let ok = ctx.store.ks.stream_read(db, key, touch)?.is_some_and(|s| s.groups.contains_key(gname));
    if !ok {
        return Err(errors::stream_nogroup_read_plain(key, gname).into());
    }
    let minidle = parse_int(ctx.arg(4)).ok_or_else(|| CmdError::from(errors::STREAM_XCLAIM_MIN_IDLE))?.max(0) as u64;
    let mut j = 5;
    let mut ids = Vec::new();
    while j < ctx.argc() {
        match parse_id_strict(ctx.arg(j)) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let now = now_ms(ctx);
    let (mut force, mut justid) = (false, false);
    let mut retrycount: i64 = -1;
    let mut delivery: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < ctx.argc() {
        let more = ctx.argc() - 1 - j;
        let opt = ctx.arg(j);
        if eq(opt, "force") {
            force = true;
        } else if eq(opt, "justid") {
            justid = true;
        } else if eq(opt, "idle") && more > 0 {
            j += 1;
            let v = parse_int(ctx.arg(j)).ok_or_else(|| CmdError::from(errors::STREAM_XCLAIM_IDLE))?;
            delivery = Some(now as i64 - v);
        } else if eq(opt, "time") && more > 0 {
            j += 1;
            delivery = Some(parse_int(ctx.arg(j)).ok_or_else(|| CmdError::from(errors::STREAM_XCLAIM_TIME))?);
        } else if eq(opt, "retrycount") && more > 0 {
            j += 1;
            retrycount = parse_int(ctx.arg(j)).ok_or_else(|| CmdError::from(errors::STREAM_XCLAIM_RETRYCOUNT))?;
        } else if eq(opt, "lastid") && more > 0 {
            j += 1;
            last_id = parse_id_strict(ctx.arg(j))?;
        } else {
            return Err(errors::stream_xclaim_option(opt).into());
        }
        j += 1;
    }
    let delivery = match delivery {
        Some(d) if d < 0 || d > now as i64 => now,
        Some(d) => d as u64,
        None => now,
    };
    let consumer = ctx.arg(3);
    let s = ctx.store.ks.stream_write(db, key)?.expect("checked");
    let mut changed = 0u64;
    {
        let g = s.groups.get_mut(gname).expect("checked");
        if last_id > g.last_id {
            g.last_id = last_id;
            changed += 1;
        }
    }
    let mut body = Out::new(ctx.out.resp3());
    let mut n = 0;
    let mut created = false;
    for id in ids {
        let exists = s.contains(id);
        let g = s.groups.get_mut(gname).expect("checked");
        if !exists {
            if g.ack(id) {
                changed += 1;
            }
            continue;
        }
        let mut nack = match g.pel.get(&id) {
            Some(n) => n.clone(),
            None if force => Nack { consumer: Box::default(), delivery_time: now, delivery_count: 1 },
            None => continue,
        };
        let forced_new = !g.pel.contains_key(&id);
        if !forced_new && minidle > 0 && (now as i64 - nack.delivery_time as i64) < minidle as i64 {
            continue;
        }
        created |= g.create_consumer(consumer, now);
        nack.delivery_time = delivery;
        if retrycount >= 0 {
            nack.delivery_count = retrycount as u64;
        } else if !justid {
            nack.delivery_count += 1;
        }
        nack.consumer = consumer.into();
        g.assign(id, consumer, nack);
        if justid {
            reply_id(&mut body, id);
        } else if !reply_one(&mut body, s, id) {
            body.null();
        }
        n += 1;
        changed += 1;
    }
    ctx.out.array(n);
    ctx.out.raw(body.as_bytes());
    if created {
        ctx.notify(STREAM, "xgroup-createconsumer", key);
    }
    ctx.changed(changed);
    Ok(())
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
fn xautoclaim(ctx: &mut Ctx) -> CmdResult {
    let minidle =
        parse_int(ctx.arg(4)).ok_or_else(|| CmdError::from(errors::STREAM_XAUTOCLAIM_MIN_IDLE))?.max(0) as u64;
    let start = range_start(ctx.arg(5))?;
    let mut count: u64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < ctx.argc() {
        let more = ctx.argc() - 1 - j;
        if eq(ctx.arg(j), "count") && more > 0 {
            let max = (i64::MAX / 16) as u64;
            count = match parse_int(ctx.arg(j + 1)) {
                Some(v) if v >= 1 && (v as u64) <= max => v as u64,
                _ => return Err(errors::STREAM_XAUTOCLAIM_COUNT.into()),
            };
            j += 1;
        } else if eq(ctx.arg(j), "justid") {
            justid = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let (db, touch, key, gname) = (ctx.db(), ctx.touch(), ctx.arg(1), ctx.arg(2));
    let ok = ctx.store.ks.stream_read(db, key, touch)?.is_some_and(|s| s.groups.contains_key(gname));
    if !ok {
        return Err(errors::stream_nogroup_read_plain(key, gname).into());
    }
    // Redis allocates COUNT stream IDs up front and refuses when that
    // allocation fails; we allocate nothing, but refuse the same requests:
    // those needing more than the machine's memory.
    if count.saturating_mul(16) > crate::memory::total_system_memory() as u64 {
        return Err(errors::STREAM_XAUTOCLAIM_COUNT_TOO_HIGH.into());
    }
    let now = now_ms(ctx);
    let consumer = ctx.arg(3);
    let s = ctx.store.ks.stream_write(db, key)?.expect("checked");
    let mut attempts = count.saturating_mul(10);
    let mut body = Out::new(ctx.out.resp3());
    let (mut n, mut deleted, mut changed) = (0usize, Vec::new(), 0u64);
    let mut created = false;
    let mut cursor = start;
    let mut next: Option<StreamId> = None;
    loop {
        if attempts == 0 || count == 0 {
            // The cursor for the next call: the first entry not looked at.
            next = s.groups[gname].pel.range(cursor..).next().map(|(k, _)| *k);
            break;
        }
        let Some(id) = s.groups[gname].pel.range(cursor..).next().map(|(k, _)| *k) else { break };
        attempts -= 1;
        cursor = match id.incr() {
            Some(c) => c,
            None => StreamId::MAX,
        };
        let exists = s.contains(id);
        let g = s.groups.get_mut(gname).expect("checked");
        if !exists {
            g.ack(id);
            deleted.push(id);
            changed += 1;
            count -= 1;
        } else {
            let mut nack = g.pel[&id].clone();
            if minidle > 0 && (now as i64 - nack.delivery_time as i64) < minidle as i64 {
                if id == StreamId::MAX {
                    break;
                }
                continue;
            }
            created |= g.create_consumer(consumer, now);
            nack.delivery_time = now;
            if !justid {
                nack.delivery_count += 1;
            }
            nack.consumer = consumer.into();
            g.assign(id, consumer, nack);
            if justid {
                reply_id(&mut body, id);
            } else {
                reply_one(&mut body, s, id);
            }
            n += 1;
            count -= 1;
            changed += 1;
        }
        if id == StreamId::MAX {
            break;
        }
    }
    let out = &mut *ctx.out;
    out.array(3);
    reply_id(out, next.unwrap_or(StreamId::MIN));
    out.array(n);
    out.raw(body.as_bytes());
    out.array(deleted.len());
    for id in deleted {
        reply_id(out, id);
    }
    if created {
        ctx.notify(STREAM, "xgroup-createconsumer", key);
    }
    ctx.changed(changed);
    Ok(())
}

// ---------------------------------------------------------------------------
// XINFO

fn stream_for_info<'a>(ctx: &'a mut Ctx) -> Result<&'a mut Stream, CmdError> {
    let (db, touch, key) = (ctx.db(), ctx.touch(), ctx.arg(2));
    ctx.store.ks.stream_read(db, key, touch)?.ok_or_else(|| errors::NO_SUCH_KEY.into())
}

/// A group's lag, or None when it cannot be known (streamReplyWithCGLag).
fn group_lag(s: &Stream, g: &Group) -> Option<i64> {
    if s.entries_added == 0 {
        return Some(0);
    }
    if g.entries_read != -1 && !s.has_tombstones(g.last_id, StreamId::MAX) {
        return Some(s.entries_added as i64 - g.entries_read);
    }
    let est = s.estimate_distance(g.last_id);
    (est != -1).then(|| s.entries_added as i64 - est)
}

fn opt_int(out: &mut Out, v: Option<i64>) {
    match v {
        Some(n) => out.int(n),
        None => out.null(),
    }
}

/// XINFO STREAM key [FULL [COUNT count]]
fn xinfo_stream(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    let mut full = false;
    let mut count: i64 = 10;
    if argc > 3 {
        let bad = || CmdError::from(errors::subcommand_syntax("xinfo", ctx.arg(1)));
        if !eq(ctx.arg(3), "full") {
            return Err(bad());
        }
        full = true;
        if argc == 6 && eq(ctx.arg(4), "count") {
            count = parse_int(ctx.arg(5)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?.max(0);
        } else if argc != 4 {
            return Err(bad());
        }
    }
    let resp3 = ctx.out.resp3();
    let s: &Stream = stream_for_info(ctx)?;
    let mut o = Out::new(resp3);
    let nodes = s.node_count() as i64;
    o.map(if full { 9 } else { 10 });
    o.bulk(b"length");
    o.int(s.length as i64);
    o.bulk(b"radix-tree-keys");
    o.int(nodes);
    o.bulk(b"radix-tree-nodes");
    o.int(nodes + 1);
    o.bulk(b"last-generated-id");
    reply_id(&mut o, s.last_id);
    o.bulk(b"max-deleted-entry-id");
    reply_id(&mut o, s.max_deleted);
    o.bulk(b"entries-added");
    o.int(s.entries_added as i64);
    o.bulk(b"recorded-first-entry-id");
    reply_id(&mut o, s.first_id);
    if !full {
        o.bulk(b"groups");
        o.int(s.groups.len() as i64);
        for (label, last) in [(&b"first-entry"[..], false), (b"last-entry", true)] {
            o.bulk(label);
            match s.edge_id(last) {
                Some(id) => {
                    reply_one(&mut o, s, id);
                }
                None => o.null(),
            }
        }
    } else {
        o.bulk(b"entries");
        reply_range(&mut o, s, StreamId::MIN, StreamId::MAX, false, count as usize);
        o.bulk(b"groups");
        o.array(s.groups.len());
        for (name, g) in &s.groups {
            o.map(7);
            o.bulk(b"name");
            o.bulk(name);
            o.bulk(b"last-delivered-id");
            reply_id(&mut o, g.last_id);
            o.bulk(b"entries-read");
            opt_int(&mut o, (g.entries_read != -1).then_some(g.entries_read));
            o.bulk(b"lag");
            opt_int(&mut o, group_lag(s, g));
            o.bulk(b"pel-count");
            o.int(g.pel.len() as i64);
            o.bulk(b"pending");
            let pel: Vec<_> = g.pel.iter().take(if count == 0 { usize::MAX } else { count as usize }).collect();
            o.array(pel.len());
            for (id, n) in pel {
                o.array(4);
                reply_id(&mut o, *id);
                o.bulk(&n.consumer);
                o.int(n.delivery_time as i64);
                o.int(n.delivery_count as i64);
            }
            o.bulk(b"consumers");
            o.array(g.consumers.len());
            for (cname, c) in &g.consumers {
                o.map(4);
                o.bulk(b"name");
                o.bulk(cname);
                o.bulk(b"seen-time");
                o.int(c.seen_time as i64);
                o.bulk(b"pel-count");
                o.int(c.pel.len() as i64);
                o.bulk(b"pending");
                let pel: Vec<_> = c.pel.iter().take(if count == 0 { usize::MAX } else { count as usize }).collect();
                o.array(pel.len());
                for id in pel {
                    let n = &g.pel[id];
                    o.array(3);
                    reply_id(&mut o, *id);
                    o.int(n.delivery_time as i64);
                    o.int(n.delivery_count as i64);
                }
            }
        }
    }
    ctx.out.raw(o.as_bytes());
    Ok(())
}

/// XINFO GROUPS key
fn xinfo_groups(ctx: &mut Ctx) -> CmdResult {
    let resp3 = ctx.out.resp3();
    let s: &Stream = stream_for_info(ctx)?;
    let mut o = Out::new(resp3);
    o.array(s.groups.len());
    for (name, g) in &s.groups {
        o.map(6);
        o.bulk(b"name");
        o.bulk(name);
        o.bulk(b"consumers");
        o.int(g.consumers.len() as i64);
        o.bulk(b"pending");
        o.int(g.pel.len() as i64);
        o.bulk(b"last-delivered-id");
        reply_id(&mut o, g.last_id);
        o.bulk(b"entries-read");
        opt_int(&mut o, (g.entries_read != -1).then_some(g.entries_read));
        o.bulk(b"lag");
        opt_int(&mut o, group_lag(s, g));
    }
    ctx.out.raw(o.as_bytes());
    Ok(())
}

/// XINFO CONSUMERS key group
fn xinfo_consumers(ctx: &mut Ctx) -> CmdResult {
    let now = now_ms(ctx);
    let resp3 = ctx.out.resp3();
    let gname = ctx.argv[3].clone();
    let key = ctx.argv[2].clone();
    let s: &Stream = stream_for_info(ctx)?;
    let Some(g) = s.groups.get(gname.as_ref()) else {
        return Err(errors::stream_nogroup(&gname, &key).into());
    };
    let mut o = Out::new(resp3);
    o.array(g.consumers.len());
    for (name, c) in &g.consumers {
        o.map(3);
        o.bulk(b"name");
        o.bulk(name);
        o.bulk(b"pending");
        o.int(c.pel.len() as i64);
        o.bulk(b"idle");
        o.int((now as i64 - c.seen_time as i64).max(0));
    }
    ctx.out.raw(o.as_bytes());
    Ok(())
}
