//! List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
//! LINSERT LREM LTRIM LPOS RPOPLPUSH LMOVE LMPOP and the blocking BLPOP BRPOP
//! BRPOPLPUSH BLMOVE BLMPOP. The list structure lives in `keyspace::list`;
//! this file parses arguments, checks them in Redis's order (which decides
//! which error wins) and writes replies straight from the list's node bytes.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx, TimeoutReply};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, LIST};
use bytes::Bytes;
use keyspace::list::End;
use keyspace::Keyspace;
use resp::Out;

const W: &[&str] = &["write", "list", "slow"];
const WF: &[&str] = &["write", "list", "fast"];
const R: &[&str] = &["read", "list", "slow"];
const RF: &[&str] = &["read", "list", "fast"];
const WB: &[&str] = &["write", "list", "slow", "blocking"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "lpush",
        -3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "list",
        "1.0.0",
        "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
        lpush,
    ),
    spec(
        "rpush",
        -3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "list",
        "1.0.0",
        "Appends one or more elements to a list. Creates the key if it doesn't exist.",
        rpush,
    ),
    spec(
        "lpushx",
        -3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "list",
        "2.2.0",
        "Prepends one or more elements to a list only when the list exists.",
        lpushx,
    ),
    spec(
        "rpushx",
        -3,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        WF,
        "list",
        "2.2.0",
        "Appends an element to a list only when the list exists.",
        rpushx,
    ),
    spec(
        "lpop",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        WF,
        "list",
        "1.0.0",
        "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
        lpop,
    ),
    spec(
        "rpop",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        WF,
        "list",
        "1.0.0",
        "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
        rpop,
    ),
    spec("llen", 2, READONLY | FAST, (1, 1, 1), RF, "list", "1.0.0", "Returns the length of a list.", llen),
    spec("lrange", 4, READONLY, (1, 1, 1), R, "list", "1.0.0", "Returns a range of elements from a list.", lrange),
    spec("lindex", 3, READONLY, (1, 1, 1), R, "list", "1.0.0", "Returns an element from a list by its index.", lindex),
    spec(
        "lset",
        4,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "list",
        "1.0.0",
        "Sets the value of an element in a list by its index.",
        lset,
    ),
    spec(
        "linsert",
        5,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "list",
        "2.2.0",
        "Inserts an element before or after another element in a list.",
        linsert,
    ),
    spec(
        "lrem",
        4,
        WRITE,
        (1, 1, 1),
        W,
        "list",
        "1.0.0",
        "Removes elements from a list. Deletes the list if the last element was removed.",
        lrem,
    ),
    spec(
        "ltrim",
        4,
        WRITE,
        (1, 1, 1),
        W,
        "list",
        "1.0.0",
        "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
        ltrim,
    ),
    spec(
        "lpos",
        -3,
        READONLY,
        (1, 1, 1),
        R,
        "list",
        "6.0.6",
        "Returns the index of matching elements in a list.",
        lpos,
    ),
    spec(
        "rpoplpush",
        3,
        WRITE | DENYOOM,
        (1, 2, 1),
        W,
        "list",
        "1.2.0",
        "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
        rpoplpush,
    ),
    spec(
        "lmove",
        5,
        WRITE | DENYOOM,
        (1, 2, 1),
        W,
        "list",
        "6.2.0",
        "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
        lmove,
    ),
    spec(
        "lmpop",
        -4,
        WRITE,
        (0, 0, 0),
        W,
        "list",
        "7.0.0",
        "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
        lmpop,
    ),
    spec(
        "blpop",
        -3,
        WRITE | NOSCRIPT | BLOCKING,
        (1, -2, 1),
        WB,
        "list",
        "2.0.0",
        "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        blpop,
    ),
    spec(
        "brpop",
        -3,
        WRITE | NOSCRIPT | BLOCKING,
        (1, -2, 1),
        WB,
        "list",
        "2.0.0",
        "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        brpop,
    ),
    spec(
        "brpoplpush",
        4,
        WRITE | DENYOOM | NOSCRIPT | BLOCKING,
        (1, 2, 1),
        WB,
        "list",
        "2.2.0",
        "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
        brpoplpush,
    ),
    spec(
        "blmove",
        6,
        WRITE | DENYOOM | NOSCRIPT | BLOCKING,
        (1, 2, 1),
        WB,
        "list",
        "6.2.0",
        "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
        blmove,
    ),
    spec(
        "blmpop",
        -5,
        WRITE | BLOCKING,
        (0, 0, 0),
        WB,
        "list",
        "7.0.0",
        "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        blmpop,
    ),
];

/// `LEFT` / `RIGHT`, case-insensitively.
fn end_arg(a: &[u8]) -> Result<End, CmdError> {
    if eq(a, "left") {
        Ok(End::Left)
    } else if eq(a, "right") {
        Ok(End::Right)
    } else {
        Err(errors::SYNTAX.into())
    }
}

fn pop_event(end: End) -> &'static str {
    match end {
        End::Left => "lpop",
        End::Right => "rpop",
    }
}

fn push_event(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

/// Redis's index normalisation for LRANGE/LTRIM: the kept positions
/// `start..end` (half-open), empty when the range misses the list.
fn clamp_range(start: i64, end: i64, len: usize) -> (usize, usize) {
    let llen = len as i64;
    let mut s = if start < 0 { llen + start } else { start };
    let mut e = if end < 0 { llen + end } else { end };
    if s < 0 {
        s = 0;
    }
    if s > e || s >= llen {
        return (0, 0);
    }
    if e >= llen {
        e = llen - 1;
    }
    (s as usize, e as usize + 1)
}

/// The post-write trio after `n` elements were popped from `key` at `end`:
/// the pop event, deletion (and its `del` event) if the list is now empty,
/// WATCH/blocking signal, change count.
fn after_pop(ctx: &mut Ctx, key: &[u8], end: End, n: usize) {
    let db = ctx.db();
    ctx.notify(LIST, pop_event(end), key);
    if ctx.store.ks.remove_if_empty(db, key) {
        ctx.notify(GENERIC, "del", key);
    }
    ctx.signal(key);
    ctx.changed(n as u64);
}

/// Pops up to `count` elements of the (existing) list at `key`, writing an
/// array of them. Returns how many went.
fn pop_array(ks: &mut Keyspace, out: &mut Out, db: usize, key: &[u8], end: End, count: usize) -> usize {
    let Ok(Some(l)) = ks.list_write(db, key) else {
        out.array(0);
        return 0;
    };
    let n = count.min(l.len());
    out.array(n);
    for _ in 0..n {
        l.pop_with(end, |b| out.bulk(b));
    }
    n
}

fn push_generic(ctx: &mut Ctx, end: End, only_existing: bool) -> CmdResult {
    let key = ctx.arg(1);
    let db = ctx.db();
    let elems = ctx.argv[2..].iter().map(|b| &b[..]);
    match ctx.store.ks.list_push(db, key, end, elems, only_existing)? {
        None => ctx.out.int(0),
        Some(len) => {
            ctx.out.int(len as i64);
            ctx.signal(key);
            ctx.notify(LIST, push_event(end), key);
            ctx.changed((ctx.argc() - 2) as u64);
        }
    }
    Ok(())
}

/// `LPUSH key element [element ...]`
fn lpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, End::Left, false)
}

/// `RPUSH key element [element ...]`
fn rpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, End::Right, false)
}

/// `LPUSHX key element [element ...]`
fn lpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, End::Left, true)
}

/// `RPUSHX key element [element ...]`
fn rpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, End::Right, true)
}

/// `LPOP key [count]` / `RPOP key [count]`. Without a count: one bulk or a
/// null bulk; with one: an array, or a null array for a missing key.
fn pop_generic(ctx: &mut Ctx, end: End) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(errors::wrong_args(&ctx.cmd.fullname()).into());
    }
    let count = if ctx.argc() == 3 {
        match parse_int(ctx.arg(2)) {
            Some(n) if n >= 0 => Some(n as usize),
            _ => return Err(errors::COUNT_POSITIVE.into()),
        }
    } else {
        None
    };
    let key = ctx.arg(1);
    let db = ctx.db();
    let Some(l) = ctx.store.ks.list_write(db, key)? else {
        match count {
            Some(_) => ctx.out.null_array(),
            None => ctx.out.null(),
        }
        return Ok(());
    };
    let n = match count {
        None => {
            let out = &mut *ctx.out;
            l.pop_with(end, |b| out.bulk(b));
            1
        }
        Some(0) => {
            ctx.out.array(0);
            return Ok(());
        }
        Some(c) => pop_array(&mut ctx.store.ks, ctx.out, db, key, end, c),
    };
    after_pop(ctx, key, end, n);
    Ok(())
}

/// `LPOP key [count]`
fn lpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, End::Left)
}

/// `RPOP key [count]`
fn rpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, End::Right)
}

/// `LLEN key`
fn llen(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let touch = ctx.touch();
    let n = ctx.store.ks.list_read(db, ctx.arg(1), touch)?.map_or(0, |l| l.len());
    ctx.out.int(n as i64);
    Ok(())
}

/// `LRANGE key start stop`
fn lrange(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.int_arg(2)?;
    let stop = ctx.int_arg(3)?;
    let db = ctx.db();
    let touch = ctx.touch();
    let Some(l) = ctx.store.ks.list_read(db, ctx.arg(1), touch)? else {
        ctx.out.array(0);
        return Ok(());
    };
    let (s, e) = clamp_range(start, stop, l.len());
    let out = &mut *ctx.out;
    out.array(e - s);
    for b in l.range(s, e) {
        out.bulk(b);
    }
    Ok(())
}

/// `LINDEX key index`
fn lindex(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let db = ctx.db();
    let touch = ctx.touch();
    let Some(l) = ctx.store.ks.list_read(db, ctx.arg(1), touch)? else {
        ctx.out.null();
        return Ok(());
    };
    let idx = parse_int(&argv[2]).ok_or(CmdError::from(errors::NOT_INTEGER))?;
    match l.resolve(idx).and_then(|i| l.get(i)) {
        Some(b) => ctx.out.bulk(b),
        None => ctx.out.null(),
    }
    Ok(())
}

/// `LSET key index element`
fn lset(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let key = ctx.arg(1);
    let db = ctx.db();
    let fill = ctx.store.ks.enc.list_max_listpack_size;
    let Some(l) = ctx.store.ks.list_write(db, key)? else {
        return Err(errors::NO_SUCH_KEY.into());
    };
    let idx = parse_int(&argv[2]).ok_or(CmdError::from(errors::NOT_INTEGER))?;
    let Some(i) = l.resolve(idx) else {
        return Err(errors::LIST_INDEX_OUT_OF_RANGE.into());
    };
    l.set(i, &argv[3], fill);
    ctx.out.ok();
    ctx.signal(key);
    ctx.notify(LIST, "lset", key);
    ctx.changed(1);
    Ok(())
}

/// `LINSERT key <BEFORE | AFTER> pivot element`
fn linsert(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let after = if eq(ctx.arg(2), "after") {
        true
    } else if eq(ctx.arg(2), "before") {
        false
    } else {
        return Err(errors::SYNTAX.into());
    };
    let key = ctx.arg(1);
    let db = ctx.db();
    let fill = ctx.store.ks.enc.list_max_listpack_size;
    let Some(l) = ctx.store.ks.list_write(db, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let (pivot, elem) = (&argv[3][..], &argv[4][..]);
    let Some(pos) = l.iter().position(|e| e == pivot) else {
        ctx.out.int(-1);
        return Ok(());
    };
    l.insert(pos + after as usize, elem, fill);
    let n = l.len();
    ctx.signal(key);
    ctx.notify(LIST, "linsert", key);
    ctx.changed(1);
    ctx.out.int(n as i64);
    Ok(())
}

/// `LREM key count element`
fn lrem(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let count = ctx.int_arg(2)?;
    let key = ctx.arg(1);
    let db = ctx.db();
    let Some(l) = ctx.store.ks.list_write(db, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let removed = l.remove_matching(&argv[3], count);
    if removed > 0 {
        ctx.notify(LIST, "lrem", key);
    }
    if ctx.store.ks.remove_if_empty(db, key) {
        ctx.notify(GENERIC, "del", key);
    }
    ctx.out.int(removed as i64);
    if removed > 0 {
        ctx.signal(key);
        ctx.changed(removed as u64);
    }
    Ok(())
}

/// `LTRIM key start stop`
fn ltrim(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.int_arg(2)?;
    let stop = ctx.int_arg(3)?;
    let key = ctx.arg(1);
    let db = ctx.db();
    let Some(l) = ctx.store.ks.list_write(db, key)? else {
        ctx.out.ok();
        return Ok(());
    };
    let before = l.len();
    let (s, e) = clamp_range(start, stop, before);
    l.keep_range(s, e);
    let removed = before - l.len();
    ctx.notify(LIST, "ltrim", key);
    if ctx.store.ks.remove_if_empty(db, key) {
        ctx.notify(GENERIC, "del", key);
    }
    ctx.signal(key);
    ctx.changed(removed as u64);
    ctx.out.ok();
    Ok(())
}

/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`
fn lpos(ctx: &mut Ctx) -> CmdResult {
    let argv = ctx.argv;
    let mut rank: i64 = 1;
    let mut count: i64 = -1;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < ctx.argc() {
        let opt = ctx.arg(j);
        let more = j + 1 < ctx.argc();
        if eq(opt, "rank") && more {
            j += 1;
            rank = ctx.int_arg(j)?;
            if rank == 0 {
                return Err(errors::LIST_RANK_ZERO.into());
            }
        } else if eq(opt, "count") && more {
            j += 1;
            count = parse_int(ctx.arg(j)).filter(|n| *n >= 0).ok_or(CmdError::from(errors::LIST_COUNT_NEGATIVE))?;
        } else if eq(opt, "maxlen") && more {
            j += 1;
            maxlen = parse_int(ctx.arg(j)).filter(|n| *n >= 0).ok_or(CmdError::from(errors::LIST_MAXLEN_NEGATIVE))?;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    // A negative rank searches from the tail. Redis 7.0 negates with
    // wrapping, so RANK i64::MIN stays negative and matches from the first hit.
    let from_tail = rank < 0;
    if from_tail {
        rank = rank.wrapping_neg();
    }
    let db = ctx.db();
    let touch = ctx.touch();
    let Some(l) = ctx.store.ks.list_read(db, ctx.arg(1), touch)? else {
        if count != -1 {
            ctx.out.array(0);
        } else {
            ctx.out.null();
        }
        return Ok(());
    };
    let ele = &argv[2][..];
    let llen = l.len() as i64;
    let mut found: Vec<i64> = Vec::new();
    let mut matches: i64 = 0;
    let limit = if maxlen == 0 { i64::MAX } else { maxlen };
    let mut scan = |index: i64, e: &[u8]| -> bool {
        if index >= limit {
            return false;
        }
        if e == ele {
            matches += 1;
            if matches >= rank {
                found.push(if from_tail { llen - index - 1 } else { index });
                if count == -1 {
                    return false;
                }
                if count != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= count {
                    return false;
                }
            }
        }
        true
    };
    if from_tail {
        for (i, e) in l.iter().rev().enumerate() {
            if !scan(i as i64, e) {
                break;
            }
        }
    } else {
        for (i, e) in l.iter().enumerate() {
            if !scan(i as i64, e) {
                break;
            }
        }
    }
    if count != -1 {
        ctx.out.array(found.len());
        for i in found {
            ctx.out.int(i);
        }
    } else {
        match found.first() {
            Some(&i) => ctx.out.int(i),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// Moves one element from `src` (at `from`) to `dst` (at `to`), replying
/// with it; null when `src` is missing. Redis's order: the source's type is
/// checked first, the destination's only when there is something to move.
fn move_generic(ctx: &mut Ctx, src: &[u8], dst: &[u8], from: End, to: End) -> CmdResult {
    let db = ctx.db();
    let Some(l) = ctx.store.ks.list_write(db, src)? else {
        ctx.out.null();
        return Ok(());
    };
    if l.is_empty() {
        ctx.out.null();
        return Ok(());
    }
    ctx.store.ks.list_write(db, dst)?;
    let Some(v) = ctx.store.ks.list_write(db, src)?.and_then(|l| l.pop(from)) else {
        ctx.out.null();
        return Ok(());
    };
    ctx.store.ks.list_push(db, dst, to, std::iter::once(&v[..]), false)?;
    ctx.signal(dst);
    ctx.notify(LIST, push_event(to), dst);
    ctx.out.bulk(&v);
    after_pop(ctx, src, from, 1);
    Ok(())
}

/// `RPOPLPUSH source destination`
fn rpoplpush(ctx: &mut Ctx) -> CmdResult {
    move_generic(ctx, ctx.arg(1), ctx.arg(2), End::Right, End::Left)
}

/// `LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>`
fn lmove(ctx: &mut Ctx) -> CmdResult {
    let from = end_arg(ctx.arg(3))?;
    let to = end_arg(ctx.arg(4))?;
    move_generic(ctx, ctx.arg(1), ctx.arg(2), from, to)
}

/// Parsed `numkeys key [key ...] <LEFT | RIGHT> [COUNT count]` of LMPOP/BLMPOP.
struct Mpop {
    first_key: usize,
    numkeys: usize,
    end: End,
    count: usize,
}

fn parse_mpop(ctx: &Ctx, numkeys_idx: usize) -> Result<Mpop, CmdError> {
    let numkeys =
        parse_int(ctx.arg(numkeys_idx)).filter(|n| *n > 0).ok_or(CmdError::from(errors::LIST_NUMKEYS))? as u64;
    let where_idx = (numkeys_idx as u64).saturating_add(numkeys).saturating_add(1);
    if where_idx >= ctx.argc() as u64 {
        return Err(errors::SYNTAX.into());
    }
    let where_idx = where_idx as usize;
    let end = end_arg(ctx.arg(where_idx))?;
    let mut count: i64 = -1;
    let mut j = where_idx + 1;
    while j < ctx.argc() {
        if count == -1 && eq(ctx.arg(j), "count") && j + 1 < ctx.argc() {
            j += 1;
            count = parse_int(ctx.arg(j)).filter(|n| *n > 0).ok_or(CmdError::from(errors::LIST_COUNT_GT_ZERO))?;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    Ok(Mpop { first_key: numkeys_idx + 1, numkeys: numkeys as usize, end, count: count.max(1) as usize })
}

/// Serves an MPOP from the first non-empty list among the keys, replying
/// `[key, [elements]]`. Returns false (no reply) when all are empty.
fn serve_mpop(ctx: &mut Ctx, m: &Mpop) -> Result<bool, CmdError> {
    let db = ctx.db();
    for k in m.first_key..m.first_key + m.numkeys {
        let key = ctx.arg(k);
        match ctx.store.ks.list_write(db, key)? {
            Some(l) if !l.is_empty() => {
                ctx.out.array(2);
                ctx.out.bulk(key);
                let n = pop_array(&mut ctx.store.ks, ctx.out, db, key, m.end, m.count);
                // Logged as the plain pop it was (also for BLMPOP).
                let name: &[u8] = if m.end == End::Left { b"LPOP" } else { b"RPOP" };
                ctx.propagate_as(&[name, key, n.to_string().as_bytes()]);
                after_pop(ctx, key, m.end, n);
                return Ok(true);
            }
            _ => {}
        }
    }
    Ok(false)
}

/// `LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]`
fn lmpop(ctx: &mut Ctx) -> CmdResult {
    let m = parse_mpop(ctx, 1)?;
    if !serve_mpop(ctx, &m)? {
        ctx.out.null_array();
    }
    Ok(())
}

/// `BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]`
fn blmpop(ctx: &mut Ctx) -> CmdResult {
    // Redis parses numkeys, the direction and COUNT before the timeout.
    let m = parse_mpop(ctx, 2)?;
    let timeout = ctx.timeout_arg(1)?;
    if !serve_mpop(ctx, &m)? {
        let keys: Vec<Bytes> = ctx.argv[m.first_key..m.first_key + m.numkeys].to_vec();
        ctx.block(keys, timeout, TimeoutReply::NullArray);
    }
    Ok(())
}

/// BLPOP/BRPOP: pops from the first non-empty list in argument order,
/// replying `[key, element]`; blocks on all keys when every list is empty.
fn bpop_generic(ctx: &mut Ctx, end: End) -> CmdResult {
    let last = ctx.argc() - 1;
    let timeout = ctx.timeout_arg(last)?;
    let db = ctx.db();
    for k in 1..last {
        let key = ctx.arg(k);
        match ctx.store.ks.list_write(db, key)? {
            Some(l) if !l.is_empty() => {
                ctx.out.array(2);
                ctx.out.bulk(key);
                let out = &mut *ctx.out;
                l.pop_with(end, |b| out.bulk(b));
                let name: &[u8] = if end == End::Left { b"LPOP" } else { b"RPOP" };
                ctx.propagate_as(&[name, key]);
                after_pop(ctx, key, end, 1);
                return Ok(());
            }
            _ => {}
        }
    }
    let keys: Vec<Bytes> = ctx.argv[1..last].to_vec();
    ctx.block(keys, timeout, TimeoutReply::NullArray);
    Ok(())
}

/// `BLPOP key [key ...] timeout`
fn blpop(ctx: &mut Ctx) -> CmdResult {
    bpop_generic(ctx, End::Left)
}

/// `BRPOP key [key ...] timeout`
fn brpop(ctx: &mut Ctx) -> CmdResult {
    bpop_generic(ctx, End::Right)
}

/// BRPOPLPUSH/BLMOVE: an LMOVE when the source has elements, else block on it.
fn bmove_generic(ctx: &mut Ctx, from: End, to: End, timeout: u64) -> CmdResult {
    let db = ctx.db();
    let src = ctx.arg(1);
    match ctx.store.ks.list_write(db, src)? {
        Some(l) if !l.is_empty() => {
            // Logged as the non-blocking form with the same arguments.
            if ctx.argc() == 4 {
                ctx.propagate_as(&[b"RPOPLPUSH", src, ctx.arg(2)]);
            } else {
                ctx.propagate_as(&[b"LMOVE", src, ctx.arg(2), ctx.arg(3), ctx.arg(4)]);
            }
            move_generic(ctx, src, ctx.arg(2), from, to)
        }
        _ => {
            // Refused blocking (inside MULTI) replies a null bulk; a real
            // timeout replies a null array, which `block` does by itself.
            ctx.block(vec![ctx.argv[1].clone()], timeout, TimeoutReply::NullBulk);
            Ok(())
        }
    }
}

/// `BRPOPLPUSH source destination timeout`
fn brpoplpush(ctx: &mut Ctx) -> CmdResult {
    let timeout = ctx.timeout_arg(3)?;
    bmove_generic(ctx, End::Right, End::Left, timeout)
}

/// `BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout`
fn blmove(ctx: &mut Ctx) -> CmdResult {
    let from = end_arg(ctx.arg(3))?;
    let to = end_arg(ctx.arg(4))?;
    let timeout = ctx.timeout_arg(5)?;
    bmove_generic(ctx, from, to, timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_clamp_like_redis() {
        assert_eq!(clamp_range(0, -1, 5), (0, 5));
        assert_eq!(clamp_range(-100, 100, 5), (0, 5));
        assert_eq!(clamp_range(3, 1, 5), (0, 0));
        assert_eq!(clamp_range(5, 10, 5), (0, 0));
        assert_eq!(clamp_range(i64::MIN, i64::MAX, 5), (0, 5));
        assert_eq!(clamp_range(-2, -1, 5), (3, 5));
        assert_eq!(clamp_range(0, -6, 5), (0, 0));
    }
}
