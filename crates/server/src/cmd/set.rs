//! Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
//! SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
//! SDIFFSTORE SSCAN. Semantics live in `keyspace::set`; this file parses
//! arguments, shapes replies and runs the post-write trio (signal, notify,
//! changed) with the events Redis 7.0 emits.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, SET};
use keyspace::glob::glob_match;
use keyspace::set::{Access, Member, Set, SetOp, SmoveResult};
use keyspace::KsEvent;
use keyspace::SmallBytes;

const W: &[&str] = &["write", "set", "slow"];
const WF: &[&str] = &["write", "set", "fast"];
const R: &[&str] = &["read", "set", "slow"];
const RF: &[&str] = &["read", "set", "fast"];

pub static COMMANDS: &[CommandSpec] = &[
    spec("sadd", -3, WRITE | DENYOOM | FAST, (1, 1, 1), WF, "set", "1.0.0", "Add one or more members to a set", sadd),
    spec("srem", -3, WRITE | FAST, (1, 1, 1), WF, "set", "1.0.0", "Remove one or more members from a set", srem),
    spec("smembers", 2, READONLY, (1, 1, 1), R, "set", "1.0.0", "Get all the members in a set", smembers),
    spec(
        "sismember",
        3,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "set",
        "1.0.0",
        "Determine if a given value is a member of a set",
        sismember,
    ),
    spec(
        "smismember",
        -3,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "set",
        "6.2.0",
        "Returns the membership associated with the given elements for a set",
        smismember,
    ),
    spec("scard", 2, READONLY | FAST, (1, 1, 1), RF, "set", "1.0.0", "Get the number of members in a set", scard),
    spec(
        "spop",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        WF,
        "set",
        "1.0.0",
        "Remove and return one or multiple random members from a set",
        spop,
    ),
    spec(
        "srandmember",
        -2,
        READONLY,
        (1, 1, 1),
        R,
        "set",
        "1.0.0",
        "Get one or multiple random members from a set",
        srandmember,
    ),
    spec("smove", 4, WRITE | FAST, (1, 2, 1), WF, "set", "1.0.0", "Move a member from one set to another", smove),
    spec("sinter", -2, READONLY, (1, -1, 1), R, "set", "1.0.0", "Intersect multiple sets", sinter),
    spec(
        "sintercard",
        -3,
        READONLY,
        (0, 0, 0),
        R,
        "set",
        "7.0.0",
        "Intersect multiple sets and return the cardinality of the result",
        sintercard,
    ),
    spec(
        "sinterstore",
        -3,
        WRITE | DENYOOM,
        (1, -1, 1),
        W,
        "set",
        "1.0.0",
        "Intersect multiple sets and store the resulting set in a key",
        sinterstore,
    ),
    spec("sunion", -2, READONLY, (1, -1, 1), R, "set", "1.0.0", "Add multiple sets", sunion),
    spec(
        "sunionstore",
        -3,
        WRITE | DENYOOM,
        (1, -1, 1),
        W,
        "set",
        "1.0.0",
        "Add multiple sets and store the resulting set in a key",
        sunionstore,
    ),
    spec("sdiff", -2, READONLY, (1, -1, 1), R, "set", "1.0.0", "Subtract multiple sets", sdiff),
    spec(
        "sdiffstore",
        -3,
        WRITE | DENYOOM,
        (1, -1, 1),
        W,
        "set",
        "1.0.0",
        "Subtract multiple sets and store the resulting set in a key",
        sdiffstore,
    ),
    spec("sscan", -3, READONLY, (1, 1, 1), R, "set", "2.8.0", "Incrementally iterate Set elements", sscan),
];

/// Key lookups of a plain read command.
fn read_access(ctx: &Ctx) -> Access {
    Access { read: true, touch: ctx.touch() }
}

/// Writes one member as a bulk string.
#[inline]
fn bulk_member(out: &mut resp::Out, m: Member) {
    m.with_bytes(|b| out.bulk(b));
}

/// Writes a whole set as a RESP3 set / RESP2 array, in its iteration order.
fn reply_set(out: &mut resp::Out, s: &Set) {
    out.set(s.len());
    for m in s.iter() {
        bulk_member(out, m);
    }
}

/// SADD key member [member ...]
fn sadd(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let key = ctx.arg(1);
    let n = ctx.store.ks.sadd(db, key, &ctx.argv[2..])?;
    if n > 0 {
        ctx.signal(key);
        ctx.notify(SET, "sadd", key);
        ctx.changed(n as u64);
    }
    ctx.out.int(n as i64);
    Ok(())
}

/// SREM key member [member ...]
fn srem(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let key = ctx.arg(1);
    let (n, deleted) = ctx.store.ks.srem(db, key, &ctx.argv[2..], touch)?;
    if n > 0 {
        ctx.signal(key);
        ctx.notify(SET, "srem", key);
        if deleted {
            ctx.notify(GENERIC, "del", key);
        }
        ctx.changed(n as u64);
    }
    ctx.out.int(n as i64);
    Ok(())
}

/// SMEMBERS key
fn smembers(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    match ctx.store.ks.set_mut(db, ctx.arg(1), true, touch)? {
        Some(s) => reply_set(ctx.out, s),
        None => ctx.out.set(0),
    }
    Ok(())
}

/// SISMEMBER key member
fn sismember(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let m = ctx.arg(2);
    let found = ctx.store.ks.set_mut(db, ctx.arg(1), true, touch)?.is_some_and(|s| s.contains(m));
    ctx.out.int(found as i64);
    Ok(())
}

/// SMISMEMBER key member [member ...]
fn smismember(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let argv = ctx.argv;
    let s = ctx.store.ks.set_mut(db, ctx.arg(1), true, touch)?;
    ctx.out.array(argv.len() - 2);
    for m in &argv[2..] {
        ctx.out.int(s.as_ref().is_some_and(|s| s.contains(m)) as i64);
    }
    Ok(())
}

/// SCARD key
fn scard(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.set_mut(db, ctx.arg(1), true, touch)?.map_or(0, |s| s.len());
    ctx.out.int(n as i64);
    Ok(())
}

/// The post-write trio after SPOP removed members.
fn after_pop(ctx: &mut Ctx, key: &[u8], n: usize, deleted: bool) {
    ctx.signal(key);
    ctx.notify(SET, "spop", key);
    if deleted {
        ctx.notify(GENERIC, "del", key);
    }
    ctx.changed(n as u64);
}

/// SPOP key [count]
fn spop(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let key = ctx.arg(1);
    if ctx.argc() > 3 {
        return Err(errors::SYNTAX.into());
    }
    if ctx.argc() == 2 {
        match ctx.store.ks.spop(db, key, 1, touch)? {
            Some((mut v, deleted)) => {
                let m = v.pop().expect("sets are never empty");
                ctx.out.bulk(&m);
                // A random choice: logged as the removal it was.
                ctx.propagate_as(&[b"SREM", key, &m]);
                after_pop(ctx, key, 1, deleted);
            }
            None => ctx.out.null(),
        }
        return Ok(());
    }
    // Redis reads the count as a positive long: any failure is this error.
    let count = parse_int(ctx.arg(2)).filter(|&n| n >= 0).ok_or(CmdError::from(errors::COUNT_POSITIVE))?;
    if count == 0 {
        // Still a lookup with a type check, but nothing is popped.
        ctx.store.ks.set_mut(db, key, false, true)?;
        ctx.out.set(0);
        return Ok(());
    }
    match ctx.store.ks.spop(db, key, count as usize, touch)? {
        Some((v, deleted)) => {
            ctx.out.set(v.len());
            for m in &v {
                ctx.out.bulk(m);
            }
            if deleted {
                // The whole set went: logged as its deletion, as Redis does.
                let del: &[u8] = if ctx.store.prop.lazy_server_del { b"UNLINK" } else { b"DEL" };
                ctx.propagate_as(&[del, key]);
            } else if ctx.store.prop.on {
                let mut argv: Vec<&[u8]> = vec![b"SREM", key];
                argv.extend(v.iter().map(|m| &m[..]));
                ctx.propagate_as(&argv);
            }
            after_pop(ctx, key, v.len(), deleted);
        }
        None => ctx.out.set(0),
    }
    Ok(())
}

/// SRANDMEMBER key [count]
fn srandmember(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let key = ctx.arg(1);
    if ctx.argc() > 3 {
        return Err(errors::SYNTAX.into());
    }
    if ctx.argc() == 2 {
        match ctx.store.ks.srandmember(db, key, 1, touch)? {
            Some(v) => ctx.out.bulk(&v[0]),
            None => ctx.out.null(),
        }
        return Ok(());
    }
    let count = ctx.int_arg(2)?;
    if count == i64::MIN {
        return Err(errors::SRANDMEMBER_COUNT_RANGE.into());
    }
    if count == 0 {
        ctx.store.ks.set_mut(db, key, true, touch)?;
        ctx.out.array(0);
        return Ok(());
    }
    let seed = ctx.store.ks.rand();
    match ctx.store.ks.set_mut(db, key, true, touch)? {
        Some(s) => {
            ctx.out.array(s.sample_len(count));
            let out = &mut *ctx.out;
            if count < 0 {
                s.sample_repeating(count.unsigned_abs(), seed, |m| {
                    bulk_member(out, m);
                    !out.overflowed()
                });
            } else {
                s.sample(count, seed, |m| bulk_member(out, m));
            }
        }
        None => ctx.out.array(0),
    }
    Ok(())
}

/// SMOVE source destination member
fn smove(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let (src, dst, m) = (ctx.arg(1), ctx.arg(2), ctx.arg(3));
    match ctx.store.ks.smove(db, src, dst, m, touch)? {
        SmoveResult::NotMoved => ctx.out.int(0),
        SmoveResult::SameSet => ctx.out.int(1),
        SmoveResult::Moved { src_deleted, dst_added } => {
            // Redis adds the destination key after the source's events: hold
            // back the `new` event the keyspace logged for it until then.
            let (created, before): (Vec<_>, Vec<_>) =
                std::mem::take(&mut ctx.store.ks.event_log).into_iter().partition(|e| e.0 == KsEvent::New);
            ctx.store.ks.event_log = before;
            ctx.notify(SET, "srem", src);
            if src_deleted {
                ctx.notify(GENERIC, "del", src);
            }
            ctx.signal(src);
            ctx.changed(1);
            ctx.store.ks.event_log.extend(created);
            if dst_added {
                ctx.changed(1);
                ctx.signal(dst);
                ctx.notify(SET, "sadd", dst);
            }
            ctx.out.int(1);
        }
    }
    Ok(())
}

/// SINTER key [key ...]
fn sinter(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let mut members: Vec<SmallBytes> = Vec::new();
    ctx.store.ks.sinter_each(db, &ctx.argv[1..], read_access(ctx), 0, |m| members.push(m.to_small()))?;
    ctx.out.set(members.len());
    for m in &members {
        ctx.out.bulk(m);
    }
    Ok(())
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
fn sintercard(ctx: &mut Ctx) -> CmdResult {
    let numkeys = parse_int(ctx.arg(1)).filter(|&n| n > 0).ok_or(CmdError::from(errors::SET_NUMKEYS_POSITIVE))?;
    if numkeys > ctx.argc() as i64 - 2 {
        return Err(errors::SET_NUMKEYS_TOO_MANY.into());
    }
    let end = 2 + numkeys as usize;
    let mut limit = 0usize;
    let mut i = end;
    while i < ctx.argc() {
        if eq(ctx.arg(i), "limit") && i + 1 < ctx.argc() {
            i += 1;
            let l = parse_int(ctx.arg(i)).filter(|&n| n >= 0).ok_or(CmdError::from(errors::SET_LIMIT_NEGATIVE))?;
            limit = l as usize;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let db = ctx.db();
    let n = ctx.store.ks.sinter_each(db, &ctx.argv[2..end], read_access(ctx), limit, |_| {})?;
    ctx.out.int(n as i64);
    Ok(())
}

/// The *STORE ending: store or delete the destination, then the events.
fn store_result(ctx: &mut Ctx, event: &str, result: Set) {
    let db = ctx.db();
    let dst = ctx.arg(1);
    let (n, deleted) = ctx.store.ks.store_set(db, dst, result);
    if n > 0 {
        ctx.signal(dst);
        ctx.notify(SET, event, dst);
        ctx.changed(1);
    } else if deleted {
        ctx.signal(dst);
        ctx.notify(GENERIC, "del", dst);
        ctx.changed(1);
    }
    ctx.out.int(n as i64);
}

/// SINTERSTORE destination key [key ...]
fn sinterstore(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let result = ctx.store.ks.sinter_set(db, &ctx.argv[2..], touch)?;
    store_result(ctx, "sinterstore", result);
    Ok(())
}

fn union_diff(ctx: &mut Ctx, op: SetOp) -> CmdResult {
    let db = ctx.db();
    let result = ctx.store.ks.sunion_diff(db, &ctx.argv[1..], op, read_access(ctx))?;
    reply_set(ctx.out, &result);
    Ok(())
}

/// SUNION key [key ...]
fn sunion(ctx: &mut Ctx) -> CmdResult {
    union_diff(ctx, SetOp::Union)
}

/// SDIFF key [key ...]
fn sdiff(ctx: &mut Ctx) -> CmdResult {
    union_diff(ctx, SetOp::Diff)
}

fn union_diff_store(ctx: &mut Ctx, op: SetOp, event: &str) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    // Redis reads SUNIONSTORE/SDIFFSTORE sources with lookupKeyRead (hits,
    // misses, keymiss events), unlike SINTERSTORE's.
    let result = ctx.store.ks.sunion_diff(db, &ctx.argv[2..], op, Access { read: true, touch })?;
    store_result(ctx, event, result);
    Ok(())
}

/// SUNIONSTORE destination key [key ...]
fn sunionstore(ctx: &mut Ctx) -> CmdResult {
    union_diff_store(ctx, SetOp::Union, "sunionstore")
}

/// SDIFFSTORE destination key [key ...]
fn sdiffstore(ctx: &mut Ctx) -> CmdResult {
    union_diff_store(ctx, SetOp::Diff, "sdiffstore")
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
fn sscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = super::keys::parse_cursor(ctx.arg(2)).ok_or(CmdError::from(errors::INVALID_CURSOR))?;
    let (db, touch) = (ctx.db(), ctx.touch());
    // As in Redis, the key is looked up before the options are parsed.
    if ctx.store.ks.set_mut(db, ctx.arg(1), true, touch)?.is_none() {
        super::keys::reply_empty_scan(ctx.out);
        return Ok(());
    }
    let (pattern, count) = super::keys::collection_scan_options(ctx)?;
    let s = ctx.store.ks.set_mut(db, ctx.arg(1), false, false)?.expect("found above");
    let mut found: Vec<SmallBytes> = Vec::new();
    let next = s.scan(cursor, count, |m| {
        m.with_bytes(|b| {
            if pattern.is_none_or(|p| glob_match(p, b, false)) {
                found.push(SmallBytes::new(b));
            }
        })
    });
    ctx.out.array(2);
    ctx.out.bulk(next.to_string().as_bytes());
    ctx.out.array(found.len());
    for m in &found {
        ctx.out.bulk(m);
    }
    Ok(())
}
