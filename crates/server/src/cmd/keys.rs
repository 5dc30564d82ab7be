//! Generic key commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX COPY MOVE
//! TOUCH KEYS SCAN RANDOMKEY, the EXPIRE family, TTL/PTTL/EXPIRETIME/
//! PEXPIRETIME, PERSIST and OBJECT. Semantics live in `keyspace::keys`.

use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::GENERIC;
use keyspace::keys::{ExpireCond, Ttl};
use keyspace::value::{Str, Value};

const KWF: &[&str] = &["keyspace", "write", "fast"];
const KRF: &[&str] = &["keyspace", "read", "fast"];
const KRS: &[&str] = &["keyspace", "read", "slow"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "del",
        -2,
        WRITE,
        (1, -1, 1),
        &["keyspace", "write", "slow"],
        "generic",
        "1.0.0",
        "Deletes one or more keys.",
        del,
    ),
    spec(
        "unlink",
        -2,
        WRITE | FAST,
        (1, -1, 1),
        KWF,
        "generic",
        "4.0.0",
        "Asynchronously deletes one or more keys.",
        del,
    ),
    spec(
        "exists",
        -2,
        READONLY | FAST,
        (1, -1, 1),
        KRF,
        "generic",
        "1.0.0",
        "Determines whether one or more keys exist.",
        exists,
    ),
    spec(
        "type",
        2,
        READONLY | FAST,
        (1, 1, 1),
        KRF,
        "generic",
        "1.0.0",
        "Determines the type of value stored at a key.",
        type_cmd,
    ),
    spec(
        "rename",
        3,
        WRITE,
        (1, 2, 1),
        &["keyspace", "write", "slow"],
        "generic",
        "1.0.0",
        "Renames a key and overwrites the destination.",
        rename,
    ),
    spec(
        "renamenx",
        3,
        WRITE | FAST,
        (1, 2, 1),
        KWF,
        "generic",
        "1.0.0",
        "Renames a key only when the target key name doesn't exist.",
        renamenx,
    ),
    spec(
        "copy",
        -3,
        WRITE | DENYOOM,
        (1, 2, 1),
        &["keyspace", "write", "slow"],
        "generic",
        "6.2.0",
        "Copies the value of a key to a new key.",
        copy,
    ),
    spec("move", 3, WRITE | FAST, (1, 1, 1), KWF, "generic", "1.0.0", "Moves a key to another database.", move_cmd),
    spec(
        "touch",
        -2,
        READONLY | FAST,
        (1, -1, 1),
        KRF,
        "generic",
        "3.2.1",
        "Returns the number of existing keys out of those specified after updating the time they were last accessed.",
        touch,
    ),
    spec(
        "keys",
        2,
        READONLY,
        (0, 0, 0),
        &["keyspace", "read", "slow", "dangerous"],
        "generic",
        "1.0.0",
        "Returns all key names that match a pattern.",
        keys,
    ),
    spec(
        "scan",
        -2,
        READONLY,
        (0, 0, 0),
        KRS,
        "generic",
        "2.8.0",
        "Iterates over the key names in the database.",
        scan,
    ),
    spec(
        "randomkey",
        1,
        READONLY,
        (0, 0, 0),
        KRS,
        "generic",
        "1.0.0",
        "Returns a random key name from the database.",
        randomkey,
    ),
    spec(
        "expire",
        -3,
        WRITE | FAST,
        (1, 1, 1),
        KWF,
        "generic",
        "1.0.0",
        "Sets the expiration time of a key in seconds.",
        expire,
    ),
    spec(
        "pexpire",
        -3,
        WRITE | FAST,
        (1, 1, 1),
        KWF,
        "generic",
        "2.6.0",
        "Sets the expiration time of a key in milliseconds.",
        pexpire,
    ),
    spec(
        "expireat",
        -3,
        WRITE | FAST,
        (1, 1, 1),
        KWF,
        "generic",
        "1.2.0",
        "Sets the expiration time of a key to a Unix timestamp.",
        expireat,
    ),
    spec(
        "pexpireat",
        -3,
        WRITE | FAST,
        (1, 1, 1),
        KWF,
        "generic",
        "2.6.0",
        "Sets the expiration time of a key to a Unix milliseconds timestamp.",
        pexpireat,
    ),
    spec(
        "ttl",
        2,
        READONLY | FAST,
        (1, 1, 1),
        KRF,
        "generic",
        "1.0.0",
        "Returns the expiration time in seconds of a key.",
        ttl,
    ),
    spec(
        "pttl",
        2,
        READONLY | FAST,
        (1, 1, 1),
        KRF,
        "generic",
        "2.6.0",
        "Returns the expiration time in milliseconds of a key.",
        pttl,
    ),
    spec(
        "expiretime",
        2,
        READONLY | FAST,
        (1, 1, 1),
        KRF,
        "generic",
        "7.0.0",
        "Returns the expiration time of a key as a Unix timestamp.",
        expiretime,
    ),
    spec(
        "pexpiretime",
        2,
        READONLY | FAST,
        (1, 1, 1),
        KRF,
        "generic",
        "7.0.0",
        "Returns the expiration time of a key as a Unix milliseconds timestamp.",
        pexpiretime,
    ),
    spec(
        "persist",
        2,
        WRITE | FAST,
        (1, 1, 1),
        KWF,
        "generic",
        "2.2.0",
        "Removes the expiration time of a key.",
        persist,
    ),
    container("object", &["slow"], "generic", "2.2.3", "A container for object introspection commands.", OBJECT),
];

static OBJECT: &[CommandSpec] = &[
    spec(
        "encoding",
        3,
        READONLY,
        (2, 2, 1),
        KRS,
        "generic",
        "2.2.3",
        "Returns the internal encoding of a Redis object.",
        object_encoding,
    ),
    spec(
        "freq",
        3,
        READONLY,
        (2, 2, 1),
        KRS,
        "generic",
        "4.0.0",
        "Returns the logarithmic access frequency counter of a Redis object.",
        object_freq,
    ),
    spec(
        "idletime",
        3,
        READONLY,
        (2, 2, 1),
        KRS,
        "generic",
        "2.2.3",
        "Returns the time since the last access to a Redis object.",
        object_idletime,
    ),
    spec(
        "refcount",
        3,
        READONLY,
        (2, 2, 1),
        KRS,
        "generic",
        "2.2.3",
        "Returns the reference count of a value of a key.",
        object_refcount,
    ),
    spec(
        "help",
        2,
        LOADING | STALE,
        (0, 0, 0),
        &["keyspace", "slow"],
        "generic",
        "6.2.0",
        "Returns helpful text about the different subcommands.",
        object_help,
    ),
];

/// DEL key [key ...] (and UNLINK: values are freed inline either way; they are small)
fn del(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let mut n = 0;
    for i in 1..ctx.argc() {
        if ctx.store.ks.del(db, ctx.arg(i)) {
            n += 1;
            ctx.wrote(GENERIC, "del", ctx.arg(i));
        }
    }
    ctx.changed(n);
    ctx.out.int(n as i64);
    Ok(())
}

/// EXISTS key [key ...]
fn exists(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let n = (1..ctx.argc()).filter(|&i| ctx.store.ks.exists(db, &ctx.argv[i])).count();
    ctx.out.int(n as i64);
    Ok(())
}

/// TOUCH key [key ...]
fn touch(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let n = (1..ctx.argc()).filter(|&i| ctx.store.ks.touch(db, &ctx.argv[i])).count();
    ctx.out.int(n as i64);
    Ok(())
}

/// TYPE key
fn type_cmd(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let t = ctx.store.ks.type_of(db, ctx.arg(1));
    ctx.out.simple(t.as_bytes());
    Ok(())
}

/// RENAME key newkey
fn rename(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    ctx.store.ks.rename(db, ctx.arg(1), ctx.arg(2), false)?;
    ctx.changed(1);
    renamed(ctx);
    ctx.out.ok();
    Ok(())
}

/// RENAMENX key newkey
fn renamenx(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let done = ctx.store.ks.rename(db, ctx.arg(1), ctx.arg(2), true)?;
    if done {
        renamed(ctx);
    }
    ctx.reply_changed_one(done);
    Ok(())
}

/// Events of a RENAME that happened (none when a key is renamed to itself).
fn renamed(ctx: &mut Ctx) {
    if ctx.arg(1) != ctx.arg(2) {
        ctx.wrote(GENERIC, "rename_from", ctx.arg(1));
        ctx.wrote(GENERIC, "rename_to", ctx.arg(2));
    }
}

/// Parses a database index argument for COPY/MOVE.
fn db_index(ctx: &Ctx, i: usize) -> Result<usize, CmdError> {
    let n = ctx.int_arg(i)?;
    if n < 0 || n >= ctx.store.ks.db_count() as i64 || n > i32::MAX as i64 {
        return Err(errors::DB_INDEX_OUT_OF_RANGE.into());
    }
    Ok(n as usize)
}

/// COPY source destination [DB destination-db] [REPLACE]
fn copy(ctx: &mut Ctx) -> CmdResult {
    let mut dst_db = ctx.db();
    let mut replace = false;
    let mut i = 3;
    while i < ctx.argc() {
        if eq(ctx.arg(i), "replace") {
            replace = true;
        } else if eq(ctx.arg(i), "db") && i + 1 < ctx.argc() {
            i += 1;
            dst_db = db_index(ctx, i)?;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let db = ctx.db();
    let done = ctx.store.ks.copy(db, ctx.arg(1), dst_db, ctx.arg(2), replace)?;
    if done {
        ctx.store.signal_modified(dst_db, ctx.arg(2));
        ctx.store.notify(GENERIC, "copy_to", dst_db, ctx.arg(2));
    }
    ctx.reply_changed_one(done);
    Ok(())
}

/// MOVE key db
fn move_cmd(ctx: &mut Ctx) -> CmdResult {
    let dst = db_index(ctx, 2)?;
    let db = ctx.db();
    let done = ctx.store.ks.move_key(db, ctx.arg(1), dst)?;
    if done {
        ctx.wrote(GENERIC, "move_from", ctx.arg(1));
        ctx.store.signal_modified(dst, ctx.arg(1));
        ctx.store.notify(GENERIC, "move_to", dst, ctx.arg(1));
    }
    ctx.reply_changed_one(done);
    Ok(())
}

/// KEYS pattern
fn keys(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let keys = ctx.store.ks.keys(db, ctx.arg(1));
    ctx.out.array(keys.len());
    for k in keys {
        ctx.out.bulk(&k);
    }
    Ok(())
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
fn scan(ctx: &mut Ctx) -> CmdResult {
    let cursor = parse_cursor(ctx.arg(1)).ok_or(CmdError::from(errors::INVALID_CURSOR))?;
    let (mut pattern, mut count, mut typ) = (None, 10usize, None);
    let mut i = 2;
    while i < ctx.argc() {
        let has_next = i + 1 < ctx.argc();
        let a = ctx.arg(i);
        if eq(a, "match") && has_next {
            pattern = Some(ctx.arg(i + 1));
        } else if eq(a, "count") && has_next {
            let c = ctx.int_arg(i + 1)?;
            if c < 1 {
                return Err(errors::SYNTAX.into());
            }
            count = c as usize;
        } else if eq(a, "type") && has_next {
            typ = Some(String::from_utf8_lossy(ctx.arg(i + 1)).into_owned());
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 2;
    }
    let db = ctx.db();
    let (next, keys) = ctx.store.ks.scan(db, cursor, count, pattern, typ.as_deref());
    ctx.out.array(2);
    ctx.out.bulk(next.to_string().as_bytes());
    ctx.out.array(keys.len());
    for k in keys {
        ctx.out.bulk(&k);
    }
    Ok(())
}

/// The MATCH and COUNT options of HSCAN/SSCAN/ZSCAN (argv[3..]), as Redis
/// parses them: COUNT must be >= 1, anything else is a syntax error.
pub fn collection_scan_options<'a>(ctx: &Ctx<'a>) -> Result<(Option<&'a [u8]>, usize), CmdError> {
    let (mut pattern, mut count) = (None, 10usize);
    let mut i = 3;
    while i < ctx.argc() {
        let has_next = i + 1 < ctx.argc();
        let a = ctx.arg(i);
        if eq(a, "match") && has_next {
            pattern = Some(ctx.arg(i + 1));
        } else if eq(a, "count") && has_next {
            let c = ctx.int_arg(i + 1)?;
            if c < 1 {
                return Err(errors::SYNTAX.into());
            }
            count = c as usize;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 2;
    }
    Ok((pattern, count))
}

/// The reply of HSCAN/SSCAN/ZSCAN on a missing key: cursor 0, no elements.
pub fn reply_empty_scan(out: &mut resp::Out) {
    out.array(2);
    out.bulk(b"0");
    out.array(0);
}

/// Parses a SCAN cursor as Redis does with C's strtoul: an optional sign
/// (a negative value wraps around), decimal digits, nothing else; the empty
/// string reads as 0. Overflow and leading spaces are errors.
pub fn parse_cursor(b: &[u8]) -> Option<u64> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() && !b.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// RANDOMKEY
fn randomkey(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    match ctx.store.ks.random_key(db) {
        Some(k) => ctx.out.bulk(&k),
        None => ctx.out.null(),
    }
    Ok(())
}

/// Unit and base of an EXPIRE-family command.
#[derive(Clone, Copy)]
enum Unit {
    RelSec,
    RelMs,
    AbsSec,
    AbsMs,
}

/// EXPIRE-family: key time [NX | XX | GT | LT]
fn expire_generic(ctx: &mut Ctx, unit: Unit) -> CmdResult {
    let mut cond = ExpireCond::Always;
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for i in 3..ctx.argc() {
        let a = ctx.arg(i);
        if eq(a, "nx") {
            nx = true;
            cond = ExpireCond::Nx;
        } else if eq(a, "xx") {
            xx = true;
            cond = ExpireCond::Xx;
        } else if eq(a, "gt") {
            gt = true;
            cond = ExpireCond::Gt;
        } else if eq(a, "lt") {
            lt = true;
            cond = ExpireCond::Lt;
        } else {
            return Err(format!("ERR Unsupported option {}", String::from_utf8_lossy(a)).into());
        }
    }
    if nx && (xx || gt || lt) {
        return Err(errors::EXPIRE_OPTS_NX.into());
    }
    if gt && lt {
        return Err(errors::EXPIRE_OPTS_GT_LT.into());
    }
    // With XX plus GT/LT, GT/LT already imply an existing TTL (or none for LT): apply both.
    let when = ctx.int_arg(2)?;
    let name = ctx.cmd.spec.name;
    let bad = || CmdError::from(errors::invalid_expire(name));
    let ms = match unit {
        Unit::RelSec | Unit::AbsSec => when.checked_mul(1000).ok_or_else(bad)?,
        _ => when,
    };
    let at = match unit {
        Unit::RelSec | Unit::RelMs => ms.checked_add(ctx.store.ks.now() as i64).ok_or_else(bad)?,
        _ => ms,
    };
    let db = ctx.db();
    let key = ctx.arg(1);
    if xx && (gt || lt) {
        let has_ttl = matches!(ctx.store.ks.lookup(db, key, false).map(|e| e.expire_at()), Some(t) if t != 0);
        if !has_ttl {
            ctx.out.int(0);
            return Ok(());
        }
    }
    let done = ctx.store.ks.expire_at(db, key, at, cond);
    if done {
        // A time in the past deletes the key.
        let gone = ctx.store.ks.peek(db, key).is_none();
        if gone {
            ctx.propagate_as(&[ctx.expire_del_cmd(), key]);
        } else {
            // Redis keeps the NX/XX/GT/LT flags on the logged command.
            let at = at.to_string();
            let mut argv: Vec<&[u8]> = vec![b"PEXPIREAT", key, at.as_bytes()];
            argv.extend(ctx.argv[3..].iter().map(|a| &a[..]));
            ctx.propagate_as(&argv);
        }
        ctx.wrote(GENERIC, if gone { "del" } else { "expire" }, key);
    }
    ctx.reply_changed_one(done);
    Ok(())
}

fn expire(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, Unit::RelSec)
}
fn pexpire(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, Unit::RelMs)
}
fn expireat(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, Unit::AbsSec)
}
fn pexpireat(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, Unit::AbsMs)
}

/// TTL-family reply: -2 missing, -1 no expiry, else the time in the unit.
fn ttl_generic(ctx: &mut Ctx, f: fn(at: u64, now: u64) -> i64) -> CmdResult {
    let db = ctx.db();
    let now = ctx.store.ks.now();
    let v = match ctx.store.ks.ttl(db, ctx.arg(1)) {
        Ttl::Missing => -2,
        Ttl::Persistent => -1,
        Ttl::At(at) => f(at, now),
    };
    ctx.out.int(v);
    Ok(())
}

fn ttl(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, |at, now| ((at.saturating_sub(now) + 500) / 1000) as i64)
}
fn pttl(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, |at, now| at.saturating_sub(now) as i64)
}
fn expiretime(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, |at, _| (at / 1000) as i64)
}
fn pexpiretime(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, |at, _| at as i64)
}

/// PERSIST key
fn persist(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let done = ctx.store.ks.persist(db, ctx.arg(1));
    if done {
        ctx.wrote(GENERIC, "persist", ctx.arg(1));
    }
    ctx.reply_changed_one(done);
    Ok(())
}

/// Looks the OBJECT subcommand's key up without touching it.
fn object_entry<'c>(ctx: &'c mut Ctx) -> Option<&'c keyspace::Entry> {
    let db = ctx.db();
    let key = ctx.argv[2].clone();
    ctx.store.ks.lookup(db, &key, false).map(|e| &*e)
}

/// OBJECT ENCODING key
fn object_encoding(ctx: &mut Ctx) -> CmdResult {
    match object_entry(ctx).map(|e| e.value.encoding()) {
        Some(enc) => ctx.out.bulk(enc.as_bytes()),
        None => ctx.out.null(),
    }
    Ok(())
}

/// Redis shares the integers 0..9999 between keys and reports them with
/// this refcount; we store them inline, but report the same.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// OBJECT REFCOUNT key
fn object_refcount(ctx: &mut Ctx) -> CmdResult {
    match object_entry(ctx).map(|e| matches!(e.value, Value::Str(Str::Int(n)) if (0..10000).contains(&n))) {
        Some(true) => ctx.out.int(SHARED_REFCOUNT),
        Some(false) => ctx.out.int(1),
        None => ctx.out.null(),
    }
    Ok(())
}

fn lfu_policy(ctx: &Ctx) -> bool {
    ctx.store.ks.evict_config().policy.is_lfu()
}

/// OBJECT IDLETIME key: seconds since the last access.
fn object_idletime(ctx: &mut Ctx) -> CmdResult {
    let clock = ctx.store.ks.lru_clock();
    let Some(idle_ms) = object_entry(ctx).map(|e| clock.wrapping_sub(e.lru) as u64 * keyspace::evict::LRU_TICK_MS)
    else {
        ctx.out.null();
        return Ok(());
    };
    if lfu_policy(ctx) {
        return Err(errors::IDLETIME_LFU.into());
    }
    ctx.out.int((idle_ms / 1000) as i64);
    Ok(())
}

/// OBJECT FREQ key: the logarithmic access counter (decayed to now).
fn object_freq(ctx: &mut Ctx) -> CmdResult {
    let Some(lfu) = object_entry(ctx).map(|e| e.lfu) else {
        ctx.out.null();
        return Ok(());
    };
    if !lfu_policy(ctx) {
        return Err(errors::FREQ_NOT_LFU.into());
    }
    let ks = &ctx.store.ks;
    ctx.out.int(keyspace::evict::lfu_decayed(lfu, ks.now(), ks.evict_config().lfu_decay_time) as i64);
    Ok(())
}

/// OBJECT HELP
fn object_help(ctx: &mut Ctx) -> CmdResult {
    crate::cmd::command::reply_help(
        ctx.out,
        "OBJECT",
        &[
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"+7"), Some(7));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b" 1"), None);
        assert_eq!(parse_cursor(b"1x"), None);
        assert_eq!(parse_cursor(b"-"), None);
    }
}
