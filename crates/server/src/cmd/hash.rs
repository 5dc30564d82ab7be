//! Hash commands: HSET HSETNX HGET HMGET HMSET HGETALL HDEL HEXISTS HLEN
//! HSTRLEN HKEYS HVALS HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN. Semantics live
//! in `keyspace::hash`; this file parses arguments and shapes replies.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class;
use keyspace::hash::{rng_from, PairRef};
use keyspace::longdouble::LongDouble;
use keyspace::KsError;

const WF: &[&str] = &["write", "hash", "fast"];
const RF: &[&str] = &["read", "hash", "fast"];
const RS: &[&str] = &["read", "hash", "slow"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "hset",
        -4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hash",
        "2.0.0",
        "Set the string value of a hash field",
        hset,
    ),
    spec(
        "hsetnx",
        4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hash",
        "2.0.0",
        "Set the value of a hash field, only if the field does not exist",
        hsetnx,
    ),
    spec("hget", 3, READONLY | FAST, (1, 1, 1), RF, "hash", "2.0.0", "Get the value of a hash field", hget),
    spec(
        "hmget",
        -3,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "hash",
        "2.0.0",
        "Get the values of all the given hash fields",
        hmget,
    ),
    spec(
        "hmset",
        -4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hash",
        "2.0.0",
        "Set multiple hash fields to multiple values",
        hmset,
    ),
    spec("hgetall", 2, READONLY, (1, 1, 1), RS, "hash", "2.0.0", "Get all the fields and values in a hash", hgetall),
    spec("hdel", -3, WRITE | FAST, (1, 1, 1), WF, "hash", "2.0.0", "Delete one or more hash fields", hdel),
    spec("hexists", 3, READONLY | FAST, (1, 1, 1), RF, "hash", "2.0.0", "Determine if a hash field exists", hexists),
    spec("hlen", 2, READONLY | FAST, (1, 1, 1), RF, "hash", "2.0.0", "Get the number of fields in a hash", hlen),
    spec(
        "hstrlen",
        3,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "hash",
        "3.2.0",
        "Get the length of the value of a hash field",
        hstrlen,
    ),
    spec("hkeys", 2, READONLY, (1, 1, 1), RS, "hash", "2.0.0", "Get all the fields in a hash", hkeys),
    spec("hvals", 2, READONLY, (1, 1, 1), RS, "hash", "2.0.0", "Get all the values in a hash", hvals),
    spec(
        "hincrby",
        4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hash",
        "2.0.0",
        "Increment the integer value of a hash field by the given number",
        hincrby,
    ),
    spec(
        "hincrbyfloat",
        4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hash",
        "2.6.0",
        "Increment the float value of a hash field by the given amount",
        hincrbyfloat,
    ),
    spec(
        "hrandfield",
        -2,
        READONLY,
        (1, 1, 1),
        RS,
        "hash",
        "6.2.0",
        "Get one or multiple random fields from a hash",
        hrandfield,
    ),
    spec(
        "hscan",
        -3,
        READONLY,
        (1, 1, 1),
        RS,
        "hash",
        "2.8.0",
        "Incrementally iterate hash fields and associated values",
        hscan,
    ),
];

/// Post-write path of commands that set fields: signal, `hset` event, dirty.
fn wrote(ctx: &mut Ctx, event: &str, changes: u64) {
    let key = ctx.arg(1);
    ctx.signal(key);
    ctx.notify(class::HASH, event, key);
    ctx.changed(changes);
}

/// HSET key field value [field value ...]
fn hset(ctx: &mut Ctx) -> CmdResult {
    let created = hset_generic(ctx)?;
    ctx.out.int(created as i64);
    Ok(())
}

/// HMSET key field value [field value ...]
fn hmset(ctx: &mut Ctx) -> CmdResult {
    hset_generic(ctx)?;
    ctx.out.ok();
    Ok(())
}

fn hset_generic(ctx: &mut Ctx) -> Result<usize, CmdError> {
    // Arity says at least one pair; an odd count is a wrong-arity error too.
    if ctx.argc() % 2 == 1 {
        return Err(errors::wrong_args(&ctx.cmd.fullname()).into());
    }
    let db = ctx.db();
    let created = ctx.store.ks.hset(db, ctx.arg(1), &ctx.argv[2..])?;
    wrote(ctx, "hset", (ctx.argc() as u64 - 2) / 2);
    Ok(created)
}

/// HSETNX key field value
fn hsetnx(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let done = ctx.store.ks.hsetnx(db, ctx.arg(1), ctx.arg(2), ctx.arg(3))?;
    if done {
        wrote(ctx, "hset", 1);
    }
    ctx.out.int(done as i64);
    Ok(())
}

/// HGET key field
fn hget(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let field = ctx.arg(2);
    match ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.and_then(|h| h.get(field)) {
        Some(v) => ctx.out.bulk(&v),
        None => ctx.out.null(),
    }
    Ok(())
}

/// HMGET key field [field ...]
fn hmget(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let fields = &ctx.argv[2..];
    let h = ctx.store.ks.hash_read(db, ctx.arg(1), touch)?;
    ctx.out.array(fields.len());
    for f in fields {
        match h.and_then(|h| h.get(f)) {
            Some(v) => ctx.out.bulk(&v),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// Which parts of each pair HGETALL / HKEYS / HVALS reply.
#[derive(Clone, Copy, PartialEq)]
enum Parts {
    Both,
    Fields,
    Values,
}

fn getall_generic(ctx: &mut Ctx, parts: Parts) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let h = ctx.store.ks.hash_read(db, ctx.arg(1), touch)?;
    let n = h.map_or(0, |h| h.len());
    match parts {
        Parts::Both => ctx.out.map(n),
        _ => ctx.out.array(n),
    }
    if let Some(h) = h {
        for p in h.iter() {
            if parts != Parts::Values {
                ctx.out.bulk(p.field());
            }
            if parts != Parts::Fields {
                ctx.out.bulk(p.value());
            }
        }
    }
    Ok(())
}

/// HGETALL key
fn hgetall(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, Parts::Both)
}

/// HKEYS key
fn hkeys(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, Parts::Fields)
}

/// HVALS key
fn hvals(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, Parts::Values)
}

/// HDEL key field [field ...]
fn hdel(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let key = ctx.arg(1);
    let (n, removed) = ctx.store.ks.hdel(db, key, &ctx.argv[2..])?;
    if n > 0 {
        ctx.signal(key);
        ctx.notify(class::HASH, "hdel", key);
        if removed {
            ctx.notify(class::GENERIC, "del", key);
        }
        ctx.changed(n as u64);
    }
    ctx.out.int(n as i64);
    Ok(())
}

/// HEXISTS key field
fn hexists(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let field = ctx.arg(2);
    let found = ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.is_some_and(|h| h.get(field).is_some());
    ctx.out.int(found as i64);
    Ok(())
}

/// HLEN key
fn hlen(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.map_or(0, |h| h.len());
    ctx.out.int(n as i64);
    Ok(())
}

/// HSTRLEN key field
fn hstrlen(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let field = ctx.arg(2);
    let n = ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.and_then(|h| h.get(field)).map_or(0, |v| v.len());
    ctx.out.int(n as i64);
    Ok(())
}

/// HINCRBY key field increment
fn hincrby(ctx: &mut Ctx) -> CmdResult {
    let delta = ctx.int_arg(3)?;
    let db = ctx.db();
    let n = ctx.store.ks.hincrby(db, ctx.arg(1), ctx.arg(2), delta).map_err(|e| match e {
        KsError::NotInteger => CmdError::from(errors::HASH_NOT_INTEGER),
        e => e.into(),
    })?;
    wrote(ctx, "hincrby", 1);
    ctx.out.int(n);
    Ok(())
}

/// HINCRBYFLOAT key field increment
fn hincrbyfloat(ctx: &mut Ctx) -> CmdResult {
    let incr = LongDouble::parse(ctx.arg(3)).ok_or(CmdError::from(errors::NOT_FLOAT))?;
    if !incr.is_finite() {
        return Err(errors::VALUE_NAN_OR_INF.into());
    }
    let db = ctx.db();
    let text = ctx.store.ks.hincrbyfloat(db, ctx.arg(1), ctx.arg(2), incr).map_err(|e| match e {
        KsError::NotFloat => CmdError::from(errors::HASH_NOT_FLOAT),
        e => e.into(),
    })?;
    wrote(ctx, "hincrbyfloat", 1);
    // The result, not the increment, so replay cannot drift.
    ctx.propagate_as(&[b"HSET", ctx.arg(1), ctx.arg(2), text.as_ref()]);
    ctx.out.bulk(&text);
    Ok(())
}

/// HRANDFIELD key [count [WITHVALUES]]
fn hrandfield(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let seed = ctx.store.ks.rand();
    let mut rng = rng_from(seed);
    if ctx.argc() < 3 {
        match ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.and_then(|h| h.random(&mut rng)) {
            Some(p) => ctx.out.bulk(p.field()),
            None => ctx.out.null(),
        }
        return Ok(());
    }
    let l = ctx.int_arg(2)?;
    if l == i64::MIN {
        return Err(errors::RANDFIELD_RANGE.into());
    }
    if ctx.argc() > 4 || (ctx.argc() == 4 && !eq(ctx.arg(3), "withvalues")) {
        return Err(errors::SYNTAX.into());
    }
    let withvalues = ctx.argc() == 4;
    // Redis refuses counts whose doubled reply length would overflow.
    if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(errors::OUT_OF_RANGE.into());
    }
    let Some(h) = ctx.store.ks.hash_read(db, ctx.arg(1), touch)? else {
        ctx.out.array(0);
        return Ok(());
    };
    let (count, uniq) = (l.unsigned_abs() as usize, l >= 0);
    let resp3 = ctx.out.resp3();
    let write = |out: &mut resp::Out, p: &PairRef| {
        if withvalues && resp3 {
            out.array(2);
        }
        out.bulk(p.field());
        if withvalues {
            out.bulk(p.value());
        }
    };
    if !uniq || count == 1 {
        // With repetitions: stream the picks rather than collect them, as
        // the count is only bounded by the client's patience (as in Redis).
        ctx.out.array(if withvalues && !resp3 { count * 2 } else { count });
        let out = &mut *ctx.out;
        h.random_repeated(count, &mut rng, |p| {
            write(out, &p);
            // The count can be near 2^63: stop once the output limit closed the client.
            !out.overflowed()
        });
        return Ok(());
    }
    let pairs = h.random_pairs(count, true, &mut rng);
    ctx.out.array(if withvalues && !resp3 { pairs.len() * 2 } else { pairs.len() });
    for p in pairs.iter() {
        write(ctx.out, &p);
    }
    Ok(())
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
fn hscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = crate::cmd::keys::parse_cursor(ctx.arg(2)).ok_or(CmdError::from(errors::INVALID_CURSOR))?;
    let (db, touch) = (ctx.db(), ctx.touch());
    // As in Redis: a missing key replies before the options are parsed.
    if ctx.store.ks.hash_read(db, ctx.arg(1), touch)?.is_none() {
        crate::cmd::keys::reply_empty_scan(ctx.out);
        return Ok(());
    }
    let (pattern, count) = crate::cmd::keys::collection_scan_options(ctx)?;
    let h = ctx.store.ks.peek(db, ctx.arg(1)).and_then(|e| match &e.value {
        keyspace::Value::Hash(h) => Some(h),
        _ => None,
    });
    let Some(h) = h else { return Ok(()) };
    let (next, pairs) = h.scan(cursor, count, pattern);
    ctx.out.array(2);
    ctx.out.bulk(next.to_string().as_bytes());
    ctx.out.array(pairs.len() * 2);
    for p in pairs.iter() {
        ctx.out.bulk(p.field());
        ctx.out.bulk(p.value());
    }
    Ok(())
}
