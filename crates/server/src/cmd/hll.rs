//! HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG. The values are
//! strings in Redis's own HLL layout (`keyspace::hll`).

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::STRING;
use keyspace::hll;
use keyspace::value::{Str, Value};

const W: &[&str] = &["write", "hyperloglog"];
const WF: &[&str] = &["write", "hyperloglog", "fast"];
const R: &[&str] = &["read", "hyperloglog"];
const WA: &[&str] = &["write", "hyperloglog", "admin", "dangerous"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "pfadd",
        -2,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "hyperloglog",
        "2.8.9",
        "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
        pfadd,
    ),
    spec(
        "pfcount",
        -2,
        READONLY | MAY_REPLICATE,
        (1, -1, 1),
        R,
        "hyperloglog",
        "2.8.9",
        "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
        pfcount,
    ),
    spec(
        "pfmerge",
        -2,
        WRITE | DENYOOM,
        (1, -1, 1),
        W,
        "hyperloglog",
        "2.8.9",
        "Merges one or more HyperLogLog values into a single key.",
        pfmerge,
    ),
    spec(
        "pfdebug",
        3,
        WRITE | DENYOOM | ADMIN,
        (2, 2, 1),
        WA,
        "hyperloglog",
        "2.8.9",
        "Internal commands for debugging HyperLogLog values.",
        pfdebug,
    ),
];

/// Mutable bytes of the HLL at `key`: Ok(None) when the key is missing,
/// Redis's "not a valid HyperLogLog" WRONGTYPE for other values.
fn hll_mut<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut Vec<u8>>, CmdError> {
    let (db, touch) = (ctx.db(), ctx.touch());
    let Some(e) = ctx.store.ks.lookup(db, key, touch) else { return Ok(None) };
    match &mut e.value {
        // An integer-encoded string is never an HLL, as in Redis.
        Value::Str(s) if !matches!(s, Str::Int(_)) && s.with_bytes(hll::is_hll) => Ok(Some(s.make_raw())),
        Value::Str(_) => Err(errors::HLL_NOT_VALID.into()),
        _ => Err(errors::WRONGTYPE.into()),
    }
}

/// Copy of the HLL at `key` for reading (counting hits and misses).
fn hll_read(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Vec<u8>>, CmdError> {
    let (db, touch) = (ctx.db(), ctx.touch());
    let Some(e) = ctx.store.ks.lookup_read(db, key, touch) else { return Ok(None) };
    match &e.value {
        Value::Str(s) if !matches!(s, Str::Int(_)) && s.with_bytes(hll::is_hll) => Ok(Some(s.to_vec())),
        Value::Str(_) => Err(errors::HLL_NOT_VALID.into()),
        _ => Err(errors::WRONGTYPE.into()),
    }
}

/// PFADD key [element ...]
fn pfadd(ctx: &mut Ctx) -> CmdResult {
    let max = ctx.store.ks.enc.hll_sparse_max_bytes;
    let key = ctx.arg(1);
    let mut updated = 0u64;
    let argv = ctx.argv;
    // A corrupt value stops the command at once, as in Redis: what was
    // already added stays, but nothing is signalled.
    match hll_mut(ctx, key)? {
        Some(h) => {
            add_all(h, &argv[2..], max, &mut updated)?;
            if updated > 0 {
                hll::invalidate(h);
            }
        }
        None => {
            let mut h = hll::create();
            updated += 1;
            add_all(&mut h, &argv[2..], max, &mut updated)?;
            hll::invalidate(&mut h);
            let db = ctx.db();
            ctx.store.ks.set_value(db, key, Value::Str(Str::Raw(h)), false, 0);
        }
    }
    if updated > 0 {
        ctx.changed(updated);
        ctx.wrote(STRING, "pfadd", key);
    }
    ctx.out.int((updated > 0) as i64);
    Ok(())
}

fn add_all(h: &mut Vec<u8>, eles: &[bytes::Bytes], max: usize, updated: &mut u64) -> CmdResult {
    for e in eles {
        if hll::add(h, e, max).map_err(|_| CmdError::from(errors::HLL_CORRUPT))? {
            *updated += 1;
        }
    }
    Ok(())
}

/// PFCOUNT key [key ...]
fn pfcount(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 2 {
        let mut max = vec![0u8; hll::REGISTERS];
        for i in 1..ctx.argc() {
            let Some(h) = hll_read(ctx, ctx.arg(i))? else { continue };
            hll::merge_into(&mut max, &h).map_err(|_| CmdError::from(errors::HLL_CORRUPT))?;
        }
        ctx.out.int(hll::count_registers(&max) as i64);
        return Ok(());
    }
    let key = ctx.arg(1);
    let Some(h) = hll_mut(ctx, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let card = match hll::cached(h) {
        Some(c) => c,
        None => {
            let c = hll::count(h).map_err(|_| CmdError::from(errors::HLL_CORRUPT))?;
            hll::set_cached(h, c);
            // Refreshing the cache changes the string: Redis counts it as a
            // write (WATCH sees it) without a keyspace event.
            ctx.changed(1);
            ctx.signal(key);
            c
        }
    };
    ctx.out.int(card as i64);
    Ok(())
}

/// PFMERGE destkey [sourcekey ...]
fn pfmerge(ctx: &mut Ctx) -> CmdResult {
    let mut max = vec![0u8; hll::REGISTERS];
    let mut dense = false;
    for i in 1..ctx.argc() {
        let Some(h) = hll_read(ctx, ctx.arg(i))? else { continue };
        dense |= hll::is_dense(&h);
        hll::merge_into(&mut max, &h).map_err(|_| CmdError::from(errors::HLL_CORRUPT))?;
    }
    let sparse_max = ctx.store.ks.enc.hll_sparse_max_bytes;
    let key = ctx.arg(1);
    if hll_mut(ctx, key)?.is_none() {
        let db = ctx.db();
        ctx.store.ks.set_value(db, key, Value::Str(Str::Raw(hll::create())), false, 0);
    }
    let h = hll_mut(ctx, key)?.expect("created above");
    let corrupt = || CmdError::from(errors::HLL_CORRUPT);
    if dense {
        hll::to_dense(h).map_err(|_| corrupt())?;
    }
    for (i, &v) in max.iter().enumerate() {
        if v != 0 {
            hll::set_register(h, i, v, sparse_max).map_err(|_| corrupt())?;
        }
    }
    hll::invalidate(h);
    ctx.changed(1);
    // Redis reports PFMERGE as a "pfadd" event.
    ctx.wrote(STRING, "pfadd", key);
    ctx.out.ok();
    Ok(())
}

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
fn pfdebug(ctx: &mut Ctx) -> CmdResult {
    let sub = ctx.arg(1);
    let key = ctx.arg(2);
    let corrupt = || CmdError::from(errors::HLL_CORRUPT);
    let Some(h) = hll_mut(ctx, key)? else { return Err(errors::HLL_PFDEBUG_NO_KEY.into()) };
    if eq(sub, "getreg") {
        let dense_before = hll::is_dense(h);
        hll::to_dense(h).map_err(|_| corrupt())?;
        let regs = hll::registers(h).map_err(|_| corrupt())?;
        if !dense_before {
            // Redis counts the conversion as a change (for propagation) but signals nothing.
            ctx.changed(1);
        }
        ctx.out.array(regs.len());
        for r in regs {
            ctx.out.int(r as i64);
        }
    } else if eq(sub, "encoding") {
        let enc = if hll::is_dense(h) { "dense" } else { "sparse" };
        ctx.out.simple(enc.as_bytes());
    } else if eq(sub, "todense") {
        let conv = !hll::is_dense(h);
        hll::to_dense(h).map_err(|_| corrupt())?;
        if conv {
            ctx.changed(1);
        }
        ctx.out.int(conv as i64);
    } else if eq(sub, "decode") {
        if hll::is_dense(h) {
            return Err(errors::HLL_DECODE_DENSE.into());
        }
        let text = hll::decode_sparse(h).map_err(|_| corrupt())?;
        ctx.out.bulk(text.as_bytes());
    } else {
        return Err(errors::hll_pfdebug_unknown(sub).into());
    }
    Ok(())
}
