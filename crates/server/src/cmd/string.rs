//! String commands: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET
//! MSETNX APPEND STRLEN INCR INCRBY INCRBYFLOAT DECR DECRBY GETRANGE SUBSTR
//! SETRANGE LCS. Semantics live in `keyspace::strings`; this file parses
//! arguments and shapes replies.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, STRING};
use keyspace::strings::{lcs, SetCond, SetOpts};
use keyspace::value::Value;

const W: &[&str] = &["write", "string"];
const R: &[&str] = &["read", "string"];
const WF: &[&str] = &["write", "string", "fast"];
const RF: &[&str] = &["read", "string", "fast"];

pub static COMMANDS: &[CommandSpec] = &[
    spec("get", 2, READONLY | FAST, (1, 1, 1), RF, "string", "1.0.0", "Returns the string value of a key.", get),
    spec(
        "set",
        -3,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "string",
        "1.0.0",
        "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
        set,
    ),
    spec(
        "setnx",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Set the string value of a key only when the key doesn't exist.",
        setnx,
    ),
    spec(
        "setex",
        4,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "string",
        "2.0.0",
        "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
        setex,
    ),
    spec(
        "psetex",
        4,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "string",
        "2.6.0",
        "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
        psetex,
    ),
    spec(
        "getset",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Returns the previous string value of a key after setting it to a new value.",
        getset,
    ),
    spec(
        "getdel",
        2,
        WRITE | FAST,
        (1, 1, 1),
        WF,
        "string",
        "6.2.0",
        "Returns the string value of a key after deleting the key.",
        getdel,
    ),
    spec(
        "getex",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        WF,
        "string",
        "6.2.0",
        "Returns the string value of a key after setting its expiration time.",
        getex,
    ),
    spec(
        "mget",
        -2,
        READONLY | FAST,
        (1, -1, 1),
        RF,
        "string",
        "1.0.0",
        "Atomically returns the string values of one or more keys.",
        mget,
    ),
    spec(
        "mset",
        -3,
        WRITE | DENYOOM,
        (1, -1, 2),
        W,
        "string",
        "1.0.1",
        "Atomically creates or modifies the string values of one or more keys.",
        mset,
    ),
    spec(
        "msetnx",
        -3,
        WRITE | DENYOOM,
        (1, -1, 2),
        W,
        "string",
        "1.0.1",
        "Atomically modifies the string values of one or more keys only when all keys don't exist.",
        msetnx,
    ),
    spec(
        "append",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "2.0.0",
        "Appends a string to the value of a key. Creates the key if it doesn't exist.",
        append,
    ),
    spec(
        "strlen",
        2,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "string",
        "2.2.0",
        "Returns the length of a string value.",
        strlen,
    ),
    spec(
        "incr",
        2,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        incr,
    ),
    spec(
        "decr",
        2,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        decr,
    ),
    spec(
        "incrby",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        incrby,
    ),
    spec(
        "decrby",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "1.0.0",
        "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
        decrby,
    ),
    spec(
        "incrbyfloat",
        3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "string",
        "2.6.0",
        "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        incrbyfloat,
    ),
    spec(
        "getrange",
        4,
        READONLY,
        (1, 1, 1),
        R,
        "string",
        "2.4.0",
        "Returns a substring of the string stored at a key.",
        getrange,
    ),
    spec("substr", 4, READONLY, (1, 1, 1), R, "string", "1.0.0", "Returns a substring from a string value.", getrange),
    spec(
        "setrange",
        4,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "string",
        "2.2.0",
        "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
        setrange,
    ),
    spec("lcs", -3, READONLY, (1, 2, 1), R, "string", "7.0.0", "Finds the longest common substring.", lcs_cmd),
];

/// GET key
fn get(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let key = ctx.arg(1);
    match ctx.store.ks.get_str(db, key, touch)? {
        Some(s) => s.with_bytes(|b| ctx.out.bulk(b)),
        None => ctx.out.null(),
    }
    Ok(())
}

/// Which expiry option a SET/GETEX argument list carries.
#[derive(Clone, Copy, PartialEq)]
enum Exp {
    None,
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// EX / PX / EXAT / PXAT, case-insensitively.
fn expire_option(a: &[u8]) -> Option<Exp> {
    match a.to_ascii_lowercase().as_slice() {
        b"ex" => Some(Exp::Ex),
        b"px" => Some(Exp::Px),
        b"exat" => Some(Exp::ExAt),
        b"pxat" => Some(Exp::PxAt),
        _ => None,
    }
}

/// Turns an expiry option value into an absolute Unix ms time.
fn expire_to_abs(ctx: &Ctx, kind: Exp, raw: &[u8]) -> Result<u64, CmdError> {
    let name = ctx.cmd.spec.name;
    let v = crate::ctx::parse_int(raw).ok_or(CmdError::from(errors::NOT_INTEGER))?;
    if v <= 0 {
        return Err(errors::invalid_expire(name).into());
    }
    let ms = match kind {
        Exp::Ex | Exp::ExAt => v.checked_mul(1000).ok_or_else(|| CmdError::from(errors::invalid_expire(name)))?,
        _ => v,
    };
    let abs = match kind {
        Exp::Ex | Exp::Px => {
            ms.checked_add(ctx.store.ks.now() as i64).ok_or_else(|| CmdError::from(errors::invalid_expire(name)))?
        }
        _ => ms,
    };
    Ok(abs as u64)
}

/// SET key value [NX | XX] [GET] [EX seconds | PX ms | EXAT ts | PXAT ts-ms | KEEPTTL]
fn set(ctx: &mut Ctx) -> CmdResult {
    let mut opts = SetOpts::default();
    let mut exp = Exp::None;
    let mut exp_raw: &[u8] = b"";
    let mut i = 3;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        let has_next = i + 1 < ctx.argc();
        // As in Redis, repeating an option is fine; combining exclusive ones is not.
        if eq(a, "nx") && opts.cond != SetCond::Xx {
            opts.cond = SetCond::Nx;
        } else if eq(a, "xx") && opts.cond != SetCond::Nx {
            opts.cond = SetCond::Xx;
        } else if eq(a, "get") {
            opts.get = true;
        } else if eq(a, "keepttl") && exp == Exp::None {
            opts.keep_ttl = true;
        } else if let Some(kind) =
            expire_option(a).filter(|k| has_next && !opts.keep_ttl && (exp == Exp::None || exp == *k))
        {
            exp = kind;
            i += 1;
            exp_raw = ctx.arg(i);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if exp != Exp::None {
        opts.expire_at = expire_to_abs(ctx, exp, exp_raw)?;
    }
    let db = ctx.db();
    let r = ctx.store.ks.set_str(db, ctx.arg(1), ctx.arg(2), opts)?;
    if r.written {
        ctx.changed(1);
        // Relative and second-precision expiry is logged as an absolute ms time.
        if opts.expire_at != 0 && exp != Exp::PxAt {
            let at = opts.expire_at.to_string();
            ctx.propagate_as(&[b"SET", ctx.arg(1), ctx.arg(2), b"PXAT", at.as_bytes()]);
        }
        ctx.wrote(STRING, "set", ctx.arg(1));
        if opts.expire_at != 0 {
            ctx.notify(GENERIC, "expire", ctx.arg(1));
        }
    }
    if opts.get {
        match r.old {
            Some(v) => ctx.out.bulk(&v),
            None => ctx.out.null(),
        }
    } else if r.written {
        ctx.out.ok();
    } else {
        ctx.out.null();
    }
    Ok(())
}

/// SETNX key value
fn setnx(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let opts = SetOpts { cond: SetCond::Nx, ..Default::default() };
    let r = ctx.store.ks.set_str(db, ctx.arg(1), ctx.arg(2), opts)?;
    if r.written {
        ctx.wrote(STRING, "set", ctx.arg(1));
    }
    ctx.reply_changed_one(r.written);
    Ok(())
}

fn set_with_expire(ctx: &mut Ctx, kind: Exp) -> CmdResult {
    let at = expire_to_abs(ctx, kind, ctx.arg(2))?;
    let db = ctx.db();
    let opts = SetOpts { expire_at: at, ..Default::default() };
    ctx.store.ks.set_str(db, ctx.arg(1), ctx.arg(3), opts)?;
    ctx.changed(1);
    let at = at.to_string();
    ctx.propagate_as(&[b"SET", ctx.arg(1), ctx.arg(3), b"PXAT", at.as_bytes()]);
    ctx.wrote(STRING, "set", ctx.arg(1));
    ctx.notify(GENERIC, "expire", ctx.arg(1));
    ctx.out.ok();
    Ok(())
}

/// SETEX key seconds value
fn setex(ctx: &mut Ctx) -> CmdResult {
    set_with_expire(ctx, Exp::Ex)
}

/// PSETEX key milliseconds value
fn psetex(ctx: &mut Ctx) -> CmdResult {
    set_with_expire(ctx, Exp::Px)
}

/// GETSET key value
fn getset(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let opts = SetOpts { get: true, ..Default::default() };
    let r = ctx.store.ks.set_str(db, ctx.arg(1), ctx.arg(2), opts)?;
    ctx.changed(1);
    ctx.wrote(STRING, "set", ctx.arg(1));
    match r.old {
        Some(v) => ctx.out.bulk(&v),
        None => ctx.out.null(),
    }
    Ok(())
}

/// GETDEL key
fn getdel(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    match ctx.store.ks.getdel(db, ctx.arg(1))? {
        Some(v) => {
            ctx.changed(1);
            ctx.wrote(GENERIC, "del", ctx.arg(1));
            ctx.out.bulk(&v);
        }
        None => ctx.out.null(),
    }
    Ok(())
}

/// GETEX key [EX seconds | PX ms | EXAT ts | PXAT ts-ms | PERSIST]
fn getex(ctx: &mut Ctx) -> CmdResult {
    let mut exp = Exp::None;
    let mut persist = false;
    let mut raw: &[u8] = b"";
    let mut i = 2;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        let has_next = i + 1 < ctx.argc();
        if eq(a, "persist") && exp == Exp::None {
            persist = true;
        } else if let Some(kind) = expire_option(a).filter(|k| has_next && !persist && (exp == Exp::None || exp == *k))
        {
            exp = kind;
            i += 1;
            raw = ctx.arg(i);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let (db, touch) = (ctx.db(), ctx.touch());
    let key = ctx.arg(1);
    // Redis looks the key up before it validates the expire value.
    let Some(v) = ctx.store.ks.get_str(db, key, touch)?.map(|s| s.to_vec()) else {
        ctx.out.null();
        return Ok(());
    };
    let at = if exp != Exp::None { Some(expire_to_abs(ctx, exp, raw)?) } else { None };
    let ks = &mut ctx.store.ks;
    if let Some(at) = at {
        ks.expire_at(db, key, at as i64, keyspace::keys::ExpireCond::Always);
        ctx.dirty += 1;
        let gone = ctx.store.ks.peek(db, key).is_none();
        if gone {
            ctx.propagate_as(&[ctx.expire_del_cmd(), key]);
        } else {
            ctx.propagate_as(&[b"PEXPIREAT", key, at.to_string().as_bytes()]);
        }
        ctx.wrote(GENERIC, if gone { "del" } else { "expire" }, key);
    } else if persist && ks.persist(db, key) {
        ctx.dirty += 1;
        ctx.propagate_as(&[b"PERSIST", key]);
        ctx.wrote(GENERIC, "persist", key);
    }
    ctx.out.bulk(&v);
    Ok(())
}

/// MGET key [key ...]
fn mget(ctx: &mut Ctx) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    ctx.out.array(ctx.argc() - 1);
    for i in 1..ctx.argc() {
        let key = ctx.arg(i);
        match ctx.store.ks.lookup_read(db, key, touch).map(|e| &e.value) {
            Some(Value::Str(s)) => s.with_bytes(|b| ctx.out.bulk(b)),
            #[allow(unreachable_patterns)]
            _ => ctx.out.null(),
        }
    }
    Ok(())
}

/// MSET key value [key value ...]
fn mset(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() % 2 == 0 {
        return Err(errors::wrong_args("mset").into());
    }
    let db = ctx.db();
    for i in (1..ctx.argc()).step_by(2) {
        ctx.store.ks.set_str(db, ctx.arg(i), ctx.arg(i + 1), SetOpts::default())?;
        ctx.wrote(STRING, "set", ctx.arg(i));
    }
    ctx.changed((ctx.argc() as u64 - 1) / 2);
    ctx.out.ok();
    Ok(())
}

/// MSETNX key value [key value ...]
fn msetnx(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() % 2 == 0 {
        return Err(errors::wrong_args("msetnx").into());
    }
    let db = ctx.db();
    for i in (1..ctx.argc()).step_by(2) {
        if ctx.store.ks.lookup(db, ctx.arg(i), false).is_some() {
            ctx.out.int(0);
            return Ok(());
        }
    }
    for i in (1..ctx.argc()).step_by(2) {
        ctx.store.ks.set_str(db, ctx.arg(i), ctx.arg(i + 1), SetOpts::default())?;
        ctx.wrote(STRING, "set", ctx.arg(i));
    }
    ctx.changed((ctx.argc() as u64 - 1) / 2);
    ctx.out.int(1);
    Ok(())
}

/// APPEND key value
fn append(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let n = ctx.store.ks.append(db, ctx.arg(1), ctx.arg(2))?;
    ctx.changed(1);
    ctx.wrote(STRING, "append", ctx.arg(1));
    ctx.out.int(n as i64);
    Ok(())
}

/// STRLEN key
fn strlen(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let n = ctx.store.ks.strlen(db, ctx.arg(1))?;
    ctx.out.int(n as i64);
    Ok(())
}

fn incr_generic(ctx: &mut Ctx, delta: i64) -> CmdResult {
    let db = ctx.db();
    let n = ctx.store.ks.incr_by(db, ctx.arg(1), delta)?;
    ctx.changed(1);
    ctx.wrote(STRING, "incrby", ctx.arg(1));
    ctx.out.int(n);
    Ok(())
}

/// INCR key
fn incr(ctx: &mut Ctx) -> CmdResult {
    incr_generic(ctx, 1)
}

/// DECR key
fn decr(ctx: &mut Ctx) -> CmdResult {
    incr_generic(ctx, -1)
}

/// INCRBY key increment
fn incrby(ctx: &mut Ctx) -> CmdResult {
    let d = ctx.int_arg(2)?;
    incr_generic(ctx, d)
}

/// DECRBY key decrement
fn decrby(ctx: &mut Ctx) -> CmdResult {
    let d = ctx.int_arg(2)?;
    let d = d.checked_neg().ok_or(CmdError::from(errors::DECREMENT_OVERFLOW))?;
    incr_generic(ctx, d)
}

/// INCRBYFLOAT key increment
fn incrbyfloat(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let v = ctx.store.ks.incr_by_float(db, ctx.arg(1), ctx.arg(2))?;
    ctx.changed(1);
    // The result, not the increment: float formatting must not drift on replay.
    ctx.propagate_as(&[b"SET", ctx.arg(1), &v, b"KEEPTTL"]);
    ctx.wrote(STRING, "incrbyfloat", ctx.arg(1));
    ctx.out.bulk(&v);
    Ok(())
}

/// GETRANGE key start end (and SUBSTR)
fn getrange(ctx: &mut Ctx) -> CmdResult {
    let (start, end) = (ctx.int_arg(2)?, ctx.int_arg(3)?);
    let db = ctx.db();
    let v = ctx.store.ks.getrange(db, ctx.arg(1), start, end)?;
    ctx.out.bulk(&v);
    Ok(())
}

/// SETRANGE key offset value
fn setrange(ctx: &mut Ctx) -> CmdResult {
    let off = ctx.int_arg(2)?;
    if off < 0 {
        return Err(errors::OFFSET_OUT_OF_RANGE.into());
    }
    let db = ctx.db();
    let val = ctx.arg(3);
    let n = ctx.store.ks.setrange(db, ctx.arg(1), off as usize, val)?;
    if !val.is_empty() {
        ctx.changed(1);
        ctx.wrote(STRING, "setrange", ctx.arg(1));
    }
    ctx.out.int(n as i64);
    Ok(())
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
fn lcs_cmd(ctx: &mut Ctx) -> CmdResult {
    let (mut want_len, mut idx, mut with_len, mut min_len) = (false, false, false, 0i64);
    let mut i = 3;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        if eq(a, "len") {
            want_len = true;
        } else if eq(a, "idx") {
            idx = true;
        } else if eq(a, "withmatchlen") {
            with_len = true;
        } else if eq(a, "minmatchlen") && i + 1 < ctx.argc() {
            i += 1;
            min_len = ctx.int_arg(i)?.max(0);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let db = ctx.db();
    let mut fetch = |k: &[u8]| -> Result<Vec<u8>, CmdError> {
        match ctx.store.ks.lookup_read(db, k, true).map(|e| &e.value) {
            None => Ok(Vec::new()),
            Some(Value::Str(s)) => Ok(s.to_vec()),
            #[allow(unreachable_patterns)]
            Some(_) => Err(errors::LCS_NOT_STRINGS.into()),
        }
    };
    let a = fetch(ctx.argv[1].as_ref())?;
    let b = fetch(ctx.argv[2].as_ref())?;
    if want_len && idx {
        return Err(errors::LCS_LEN_IDX.into());
    }
    let max_cells = ctx.shared.config.read().hot.proto_max_bulk_len / 4;
    let (s, matches) = lcs(&a, &b, max_cells).map_err(|_| CmdError::from(errors::LCS_TOO_LONG))?;
    if idx {
        let kept: Vec<_> = matches.iter().filter(|m| m.len as i64 >= min_len).collect();
        ctx.out.map(2);
        ctx.out.bulk(b"matches");
        ctx.out.array(kept.len());
        for m in kept {
            ctx.out.array(if with_len { 3 } else { 2 });
            ctx.out.array(2);
            ctx.out.int(m.a.0 as i64);
            ctx.out.int(m.a.1 as i64);
            ctx.out.array(2);
            ctx.out.int(m.b.0 as i64);
            ctx.out.int(m.b.1 as i64);
            if with_len {
                ctx.out.int(m.len as i64);
            }
        }
        ctx.out.bulk(b"len");
        ctx.out.int(s.len() as i64);
    } else if want_len {
        ctx.out.int(s.len() as i64);
    } else {
        ctx.out.bulk(&s);
    }
    Ok(())
}
