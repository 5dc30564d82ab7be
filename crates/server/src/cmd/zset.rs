//! Sorted-set commands: ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE
//! ZRANK ZREVRANK ZRANGE ZRANGESTORE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
//! ZREVRANGEBYLEX ZREVRANGE ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP
//! ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZUNION ZUNIONSTORE ZINTER
//! ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE ZRANDMEMBER ZSCAN. Semantics live in
//! `keyspace::zset`; this file parses arguments and shapes replies.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx, TimeoutReply};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, ZSET};
use keyspace::value::Value;
use keyspace::zset::{
    combine, parse_score, AddFlags, AddOutcome, Aggregate, LexBound, LexRange, ScoreRange, SetInput, SetOp, ZEntry,
    ZSet,
};
use resp::Out;

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "zadd",
        -4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        &["write", "sortedset", "fast"],
        "sorted-set",
        "1.2.0",
        "Add one or more members to a sorted set, or update its score if it already exists",
        zadd,
    ),
    spec(
        "zincrby",
        4,
        WRITE | DENYOOM | FAST,
        (1, 1, 1),
        &["write", "sortedset", "fast"],
        "sorted-set",
        "1.2.0",
        "Increment the score of a member in a sorted set",
        zincrby,
    ),
    spec(
        "zrem",
        -3,
        WRITE | FAST,
        (1, 1, 1),
        &["write", "sortedset", "fast"],
        "sorted-set",
        "1.2.0",
        "Remove one or more members from a sorted set",
        zrem,
    ),
    spec(
        "zcard",
        2,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "1.2.0",
        "Get the number of members in a sorted set",
        zcard,
    ),
    spec(
        "zcount",
        4,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "2.0.0",
        "Count the members in a sorted set with scores within the given values",
        zcount,
    ),
    spec(
        "zlexcount",
        4,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "2.8.9",
        "Count the number of members in a sorted set between a given lexicographical range",
        zlexcount,
    ),
    spec(
        "zscore",
        3,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "1.2.0",
        "Get the score associated with the given member in a sorted set",
        zscore,
    ),
    spec(
        "zmscore",
        -3,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "6.2.0",
        "Get the score associated with the given members in a sorted set",
        zmscore,
    ),
    spec(
        "zrank",
        3,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "2.0.0",
        "Determine the index of a member in a sorted set",
        zrank,
    ),
    spec(
        "zrevrank",
        3,
        READONLY | FAST,
        (1, 1, 1),
        &["read", "sortedset", "fast"],
        "sorted-set",
        "2.0.0",
        "Determine the index of a member in a sorted set, with scores ordered from high to low",
        zrevrank,
    ),
    spec(
        "zrange",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "1.2.0",
        "Return a range of members in a sorted set",
        zrange,
    ),
    spec(
        "zrangestore",
        -5,
        WRITE | DENYOOM,
        (1, 2, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Store a range of members from sorted set into another key",
        zrangestore,
    ),
    spec(
        "zrangebyscore",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "1.0.5",
        "Return a range of members in a sorted set, by score",
        zrangebyscore,
    ),
    spec(
        "zrevrangebyscore",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "2.2.0",
        "Return a range of members in a sorted set, by score, with scores ordered from high to low",
        zrevrangebyscore,
    ),
    spec(
        "zrangebylex",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "2.8.9",
        "Return a range of members in a sorted set, by lexicographical range",
        zrangebylex,
    ),
    spec(
        "zrevrangebylex",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "2.8.9",
        "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
        zrevrangebylex,
    ),
    spec(
        "zrevrange",
        -4,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "1.2.0",
        "Return a range of members in a sorted set, by index, with scores ordered from high to low",
        zrevrange,
    ),
    spec(
        "zpopmin",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        &["write", "sortedset", "fast"],
        "sorted-set",
        "5.0.0",
        "Remove and return members with the lowest scores in a sorted set",
        zpopmin,
    ),
    spec(
        "zpopmax",
        -2,
        WRITE | FAST,
        (1, 1, 1),
        &["write", "sortedset", "fast"],
        "sorted-set",
        "5.0.0",
        "Remove and return members with the highest scores in a sorted set",
        zpopmax,
    ),
    spec(
        "zmpop",
        -4,
        WRITE,
        (0, 0, 0),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "7.0.0",
        "Remove and return members with scores in a sorted set",
        zmpop,
    ),
    spec(
        "bzpopmin",
        -3,
        WRITE | NOSCRIPT | BLOCKING | FAST,
        (1, -2, 1),
        &["write", "sortedset", "fast", "blocking"],
        "sorted-set",
        "5.0.0",
        "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
        bzpopmin,
    ),
    spec(
        "bzpopmax",
        -3,
        WRITE | NOSCRIPT | BLOCKING | FAST,
        (1, -2, 1),
        &["write", "sortedset", "fast", "blocking"],
        "sorted-set",
        "5.0.0",
        "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
        bzpopmax,
    ),
    spec(
        "bzmpop",
        -5,
        WRITE | BLOCKING,
        (0, 0, 0),
        &["write", "sortedset", "slow", "blocking"],
        "sorted-set",
        "7.0.0",
        "Remove and return members with scores in a sorted set or block until one is available",
        bzmpop,
    ),
    spec(
        "zremrangebyrank",
        4,
        WRITE,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "2.0.0",
        "Remove all members in a sorted set within the given indexes",
        zremrangebyrank,
    ),
    spec(
        "zremrangebyscore",
        4,
        WRITE,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "1.2.0",
        "Remove all members in a sorted set within the given scores",
        zremrangebyscore,
    ),
    spec(
        "zremrangebylex",
        4,
        WRITE,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "2.8.9",
        "Remove all members in a sorted set between the given lexicographical range",
        zremrangebylex,
    ),
    spec(
        "zunion",
        -3,
        READONLY,
        (0, 0, 0),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Add multiple sorted sets",
        zunion,
    ),
    spec(
        "zunionstore",
        -4,
        WRITE | DENYOOM,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "2.0.0",
        "Add multiple sorted sets and store the resulting sorted set in a new key",
        zunionstore,
    ),
    spec(
        "zinter",
        -3,
        READONLY,
        (0, 0, 0),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Intersect multiple sorted sets",
        zinter,
    ),
    spec(
        "zinterstore",
        -4,
        WRITE | DENYOOM,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "2.0.0",
        "Intersect multiple sorted sets and store the resulting sorted set in a new key",
        zinterstore,
    ),
    spec(
        "zintercard",
        -3,
        READONLY,
        (0, 0, 0),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "7.0.0",
        "Intersect multiple sorted sets and return the cardinality of the result",
        zintercard,
    ),
    spec(
        "zdiff",
        -3,
        READONLY,
        (0, 0, 0),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Subtract multiple sorted sets",
        zdiff,
    ),
    spec(
        "zdiffstore",
        -4,
        WRITE | DENYOOM,
        (1, 1, 1),
        &["write", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Subtract multiple sorted sets and store the resulting sorted set in a new key",
        zdiffstore,
    ),
    spec(
        "zrandmember",
        -2,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "6.2.0",
        "Get one or multiple random elements from a sorted set",
        zrandmember,
    ),
    spec(
        "zscan",
        -3,
        READONLY,
        (1, 1, 1),
        &["read", "sortedset", "slow"],
        "sorted-set",
        "2.8.0",
        "Incrementally iterate sorted sets elements and associated scores",
        zscan,
    ),
];

// --- reply helpers -------------------------------------------------------

/// One (member, score) element of a WITHSCORES reply: a nested pair in
/// RESP3, two flat items in RESP2.
#[inline]
fn pair(out: &mut Out, member: &[u8], score: f64) {
    if out.resp3() {
        out.array(2);
    }
    out.bulk(member);
    out.double(score);
}

/// Array header for `n` elements, WITHSCORES-aware.
#[inline]
fn header(out: &mut Out, n: usize, withscores: bool) {
    out.array(if withscores && !out.resp3() { n * 2 } else { n });
}

fn write_entries<'z>(out: &mut Out, n: usize, it: impl Iterator<Item = &'z ZEntry>, withscores: bool) {
    header(out, n, withscores);
    for e in it {
        if withscores {
            pair(out, &e.member, e.score);
        } else {
            out.bulk(&e.member);
        }
    }
}

/// The post-write trio for a key: signal, notify, count.
fn written(ctx: &mut Ctx, key: &[u8], event: &str, n: u64) {
    ctx.signal(key);
    ctx.notify(ZSET, event, key);
    ctx.changed(n);
}

/// Deletes `key` when emptied, with its `del` event.
fn del_if_empty(ctx: &mut Ctx, key: &[u8]) {
    let db = ctx.db();
    if ctx.store.ks.remove_if_empty(db, key) {
        ctx.notify(GENERIC, "del", key);
    }
}

// --- ZADD / ZINCRBY ---------------------------------------------------------

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
pub(crate) fn zadd(ctx: &mut Ctx) -> CmdResult {
    zadd_generic(ctx, false)
}

/// ZINCRBY key increment member
fn zincrby(ctx: &mut Ctx) -> CmdResult {
    zadd_generic(ctx, true)
}

fn zadd_generic(ctx: &mut Ctx, zincrby: bool) -> CmdResult {
    let mut f = AddFlags { incr: zincrby, ..Default::default() };
    let mut ch = false;
    let mut i = 2;
    if !zincrby {
        while i < ctx.argc() {
            let a = ctx.arg(i);
            if eq(a, "nx") {
                f.nx = true;
            } else if eq(a, "xx") {
                f.xx = true;
            } else if eq(a, "gt") {
                f.gt = true;
            } else if eq(a, "lt") {
                f.lt = true;
            } else if eq(a, "ch") {
                ch = true;
            } else if eq(a, "incr") {
                f.incr = true;
            } else {
                break;
            }
            i += 1;
        }
    }
    let rest = ctx.argc() - i;
    if rest == 0 || !rest.is_multiple_of(2) {
        return Err(errors::SYNTAX.into());
    }
    if f.nx && f.xx {
        return Err(errors::Z_XX_NX.into());
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(errors::Z_GT_LT_NX.into());
    }
    if f.incr && rest > 2 {
        return Err(errors::Z_INCR_PAIR.into());
    }
    let mut elems: Vec<(f64, &[u8])> = Vec::with_capacity(rest / 2);
    for j in (i..ctx.argc()).step_by(2) {
        let s = parse_score(ctx.arg(j)).ok_or(CmdError::from(errors::NOT_FLOAT))?;
        elems.push((s, ctx.arg(j + 1)));
    }
    let (db, key) = (ctx.db(), ctx.arg(1));
    let outcomes = ctx.store.ks.zadd(db, key, &elems, f)?;
    let (mut added, mut updated, mut last, mut processed) = (0i64, 0i64, 0.0, false);
    for o in &outcomes {
        match *o {
            AddOutcome::Added(s) => {
                added += 1;
                last = s;
                processed = true;
            }
            AddOutcome::Updated(s) => {
                updated += 1;
                last = s;
                processed = true;
            }
            AddOutcome::Unchanged(s) => {
                last = s;
                processed = true;
            }
            AddOutcome::Skipped => {}
            AddOutcome::Nan => return Err(errors::Z_NAN.into()),
        }
    }
    if added + updated > 0 {
        written(ctx, key, if f.incr { "zincr" } else { "zadd" }, (added + updated) as u64);
    }
    if f.incr {
        if processed {
            ctx.out.double(last);
        } else {
            ctx.out.null();
        }
    } else {
        ctx.out.int(if ch { added + updated } else { added });
    }
    Ok(())
}

/// ZREM key member [member ...]
fn zrem(ctx: &mut Ctx) -> CmdResult {
    let (db, key) = (ctx.db(), ctx.arg(1));
    let Some(z) = ctx.store.ks.zset_write(db, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let mut n = 0;
    for j in 2..ctx.argv.len() {
        if z.remove(&ctx.argv[j]) {
            n += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    if n > 0 {
        written(ctx, key, "zrem", n);
        del_if_empty(ctx, key);
    }
    ctx.out.int(n as i64);
    Ok(())
}

// --- simple reads -----------------------------------------------------------

/// ZCARD key
fn zcard(ctx: &mut Ctx) -> CmdResult {
    let (db, t) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.zset_read(db, ctx.arg(1), t)?.map_or(0, |z| z.len());
    ctx.out.int(n as i64);
    Ok(())
}

fn score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    ScoreRange::parse(min, max).ok_or(CmdError::from(errors::Z_MINMAX_FLOAT))
}

fn lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
    match (LexBound::parse(min), LexBound::parse(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(errors::Z_MINMAX_LEX.into()),
    }
}

/// ZCOUNT key min max
fn zcount(ctx: &mut Ctx) -> CmdResult {
    let r = score_range(ctx.arg(2), ctx.arg(3))?;
    let (db, t) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.zset_read(db, ctx.arg(1), t)?.map_or(0, |z| {
        let (a, b) = z.score_span(&r);
        b - a
    });
    ctx.out.int(n as i64);
    Ok(())
}

/// ZLEXCOUNT key min max
fn zlexcount(ctx: &mut Ctx) -> CmdResult {
    let r = lex_range(ctx.arg(2), ctx.arg(3))?;
    let (db, t) = (ctx.db(), ctx.touch());
    let n = ctx.store.ks.zset_read(db, ctx.arg(1), t)?.map_or(0, |z| {
        let (a, b) = z.lex_span(&r, false);
        b - a
    });
    ctx.out.int(n as i64);
    Ok(())
}

/// ZSCORE key member
fn zscore(ctx: &mut Ctx) -> CmdResult {
    let (db, t) = (ctx.db(), ctx.touch());
    let m = ctx.arg(2);
    match ctx.store.ks.zset_read(db, ctx.arg(1), t)?.and_then(|z| z.score(m)) {
        Some(s) => ctx.out.double(s),
        None => ctx.out.null(),
    }
    Ok(())
}

/// ZMSCORE key member [member ...]
fn zmscore(ctx: &mut Ctx) -> CmdResult {
    let (db, t) = (ctx.db(), ctx.touch());
    let z = ctx.store.ks.zset_read(db, ctx.arg(1), t)?;
    ctx.out.array(ctx.argv.len() - 2);
    for m in &ctx.argv[2..] {
        match z.as_ref().and_then(|z| z.score(m)) {
            Some(s) => ctx.out.double(s),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// ZRANK key member
fn zrank(ctx: &mut Ctx) -> CmdResult {
    rank_generic(ctx, false)
}

/// ZREVRANK key member
fn zrevrank(ctx: &mut Ctx) -> CmdResult {
    rank_generic(ctx, true)
}

fn rank_generic(ctx: &mut Ctx, rev: bool) -> CmdResult {
    let (db, t) = (ctx.db(), ctx.touch());
    let m = ctx.arg(2);
    let z = ctx.store.ks.zset_read(db, ctx.arg(1), t)?;
    match z.and_then(|z| z.rank(m).map(|(r, _)| if rev { z.len() - 1 - r } else { r })) {
        Some(r) => ctx.out.int(r as i64),
        None => ctx.out.null(),
    }
    Ok(())
}

// --- ZRANGE and friends -----------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

#[derive(Clone, Copy, PartialEq)]
enum Dir {
    Auto,
    Fwd,
    Rev,
}

/// What a parsed range selects, in ascending-rank terms.
enum Parsed {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// The ranks `start..end` (ascending) a range selects, and whether to walk
/// them backwards.
fn select(z: &ZSet, p: &Parsed, rev: bool, offset: i64, limit: i64) -> (usize, usize) {
    let len = z.len() as i64;
    let (a, b) = match p {
        Parsed::Rank(start, end) => {
            let (mut s, mut e) = (*start, *end);
            if s < 0 {
                s += len;
            }
            if e < 0 {
                e += len;
            }
            if s < 0 {
                s = 0;
            }
            if s > e || s >= len {
                return (0, 0);
            }
            if e >= len {
                e = len - 1;
            }
            // ZREVRANGE's indexes count from the top.
            if rev {
                ((len - 1 - e) as usize, (len - s) as usize)
            } else {
                (s as usize, (e + 1) as usize)
            }
        }
        Parsed::Score(r) => z.score_span(r),
        Parsed::Lex(r) => z.lex_span(r, rev),
    };
    if matches!(p, Parsed::Rank(..)) {
        return (a, b);
    }
    // LIMIT: a negative offset selects nothing; a negative count means all.
    if offset < 0 {
        return (0, 0);
    }
    let avail = b - a;
    let off = (offset as u64).min(avail as u64) as usize;
    let take = if limit < 0 { avail - off } else { (limit as u64).min((avail - off) as u64) as usize };
    if rev {
        (b - off - take, b - off)
    } else {
        (a + off, a + off + take)
    }
}

/// The shared body of ZRANGE, ZRANGESTORE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
/// ZRANGEBYLEX, ZREVRANGEBYLEX and ZREVRANGE (Redis's zrangeGenericCommand).
fn zrange_generic(ctx: &mut Ctx, argv_start: usize, store: bool, mut rtype: RangeType, mut dir: Dir) -> CmdResult {
    let key = ctx.arg(argv_start);
    let (mut minidx, mut maxidx) = (argv_start + 1, argv_start + 2);
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = argv_start + 3;
    while j < ctx.argc() {
        let a = ctx.arg(j);
        let left = ctx.argc() - j - 1;
        if !store && eq(a, "withscores") {
            withscores = true;
        } else if eq(a, "limit") && left >= 2 {
            offset = ctx.int_arg(j + 1)?;
            limit = ctx.int_arg(j + 2)?;
            j += 2;
        } else if dir == Dir::Auto && eq(a, "rev") {
            dir = Dir::Rev;
        } else if rtype == RangeType::Auto && eq(a, "bylex") {
            rtype = RangeType::Lex;
        } else if rtype == RangeType::Auto && eq(a, "byscore") {
            rtype = RangeType::Score;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let rev = dir == Dir::Rev;
    if rtype == RangeType::Auto {
        rtype = RangeType::Rank;
    }
    if limit != -1 && rtype == RangeType::Rank {
        return Err(errors::Z_LIMIT_RANK.into());
    }
    if withscores && rtype == RangeType::Lex {
        return Err(errors::Z_WITHSCORES_BYLEX.into());
    }
    if rev && rtype != RangeType::Rank {
        std::mem::swap(&mut minidx, &mut maxidx);
    }
    let parsed = match rtype {
        RangeType::Score => Parsed::Score(score_range(ctx.arg(minidx), ctx.arg(maxidx))?),
        RangeType::Lex => Parsed::Lex(lex_range(ctx.arg(minidx), ctx.arg(maxidx))?),
        _ => Parsed::Rank(ctx.int_arg(minidx)?, ctx.int_arg(maxidx)?),
    };
    let (db, t) = (ctx.db(), ctx.touch());
    if store {
        let dst = ctx.arg(1);
        let lim = ctx.store.ks.enc;
        let built = match ctx.store.ks.zset_write(db, key)? {
            None => ZSet::new(),
            Some(z) => {
                let (a, b) = select(z, &parsed, rev, offset, limit);
                ZSet::from_entries(z.tree().iter_range(a, b).cloned().collect(), &lim)
            }
        };
        store_result(ctx, dst, built, "zrangestore");
        return Ok(());
    }
    let Some(z) = ctx.store.ks.zset_read(db, key, t)? else {
        ctx.out.array(0);
        return Ok(());
    };
    let (a, b) = select(z, &parsed, rev, offset, limit);
    if rev {
        write_entries(ctx.out, b - a, z.tree().iter_range_rev(a, b), withscores);
    } else {
        write_entries(ctx.out, b - a, z.tree().iter_range(a, b), withscores);
    }
    Ok(())
}

/// Stores a computed result under `dst` (or deletes `dst` when empty) and
/// replies with its size, with the events Redis emits.
fn store_result(ctx: &mut Ctx, dst: &[u8], z: ZSet, event: &str) {
    let db = ctx.db();
    let existed = ctx.store.ks.lookup(db, dst, false).is_some();
    let n = ctx.store.ks.zset_store(db, dst, z);
    if n > 0 {
        written(ctx, dst, event, 1);
    } else if existed {
        ctx.signal(dst);
        ctx.notify(GENERIC, "del", dst);
        ctx.changed(1);
    }
    ctx.out.int(n as i64);
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
fn zrange(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Auto, Dir::Auto)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
fn zrangestore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 2, true, RangeType::Auto, Dir::Auto)
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
fn zrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Score, Dir::Fwd)
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
fn zrevrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Score, Dir::Rev)
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
fn zrangebylex(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Lex, Dir::Fwd)
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
fn zrevrangebylex(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Lex, Dir::Rev)
}

/// ZREVRANGE key start stop [WITHSCORES]
fn zrevrange(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, false, RangeType::Rank, Dir::Rev)
}

// --- ZREMRANGEBY* -----------------------------------------------------------

fn zremrange_generic(ctx: &mut Ctx, rtype: RangeType) -> CmdResult {
    let parsed = match rtype {
        RangeType::Score => Parsed::Score(score_range(ctx.arg(2), ctx.arg(3))?),
        RangeType::Lex => Parsed::Lex(lex_range(ctx.arg(2), ctx.arg(3))?),
        _ => Parsed::Rank(ctx.int_arg(2)?, ctx.int_arg(3)?),
    };
    let (db, key) = (ctx.db(), ctx.arg(1));
    let Some(z) = ctx.store.ks.zset_write(db, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let (a, b) = select(z, &parsed, false, 0, -1);
    let n = z.remove_span(a, b);
    if n > 0 {
        let ev = match rtype {
            RangeType::Score => "zremrangebyscore",
            RangeType::Lex => "zremrangebylex",
            _ => "zremrangebyrank",
        };
        written(ctx, key, ev, n as u64);
        del_if_empty(ctx, key);
    }
    ctx.out.int(n as i64);
    Ok(())
}

/// ZREMRANGEBYRANK key start stop
fn zremrangebyrank(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeType::Rank)
}

/// ZREMRANGEBYSCORE key min max
fn zremrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeType::Score)
}

/// ZREMRANGEBYLEX key min max
fn zremrangebylex(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeType::Lex)
}

// --- pops -------------------------------------------------------------------

/// Pops up to `count` from `key` (a sorted set, checked by the caller) with
/// the events; returns the popped entries.
fn pop_from(ctx: &mut Ctx, key: &[u8], count: usize, max: bool) -> Result<Vec<ZEntry>, CmdError> {
    let db = ctx.db();
    let popped = match ctx.store.ks.zset_write(db, key)? {
        Some(z) => z.pop(count, max),
        None => Vec::new(),
    };
    if !popped.is_empty() {
        // Blocking pops and ZMPOP/BZMPOP are logged as the plain pop they were.
        let name: &[u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
        match ctx.cmd.spec.name {
            "zpopmin" | "zpopmax" => {}
            "bzpopmin" | "bzpopmax" => ctx.propagate_as(&[name, key]),
            _ => ctx.propagate_as(&[name, key, popped.len().to_string().as_bytes()]),
        }
        written(ctx, key, if max { "zpopmax" } else { "zpopmin" }, popped.len() as u64);
        del_if_empty(ctx, key);
    }
    Ok(popped)
}

/// ZPOPMIN key [count]
fn zpopmin(ctx: &mut Ctx) -> CmdResult {
    zpop_generic(ctx, false)
}

/// ZPOPMAX key [count]
fn zpopmax(ctx: &mut Ctx) -> CmdResult {
    zpop_generic(ctx, true)
}

fn zpop_generic(ctx: &mut Ctx, max: bool) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let has_count = ctx.argc() == 3;
    let count = if has_count {
        match parse_int(ctx.arg(2)) {
            Some(n) if n >= 0 => n as usize,
            _ => return Err(errors::COUNT_POSITIVE.into()),
        }
    } else {
        1
    };
    let key = ctx.arg(1);
    let db = ctx.db();
    // Type errors come before the count-zero shortcut, as in Redis.
    if ctx.store.ks.zset_write(db, key)?.is_none() || count == 0 {
        ctx.out.array(0);
        return Ok(());
    }
    let popped = pop_from(ctx, key, count, max)?;
    if has_count {
        write_entries(ctx.out, popped.len(), popped.iter(), true);
    } else {
        // Without a count the reply is one flat [member, score] in RESP3 too.
        ctx.out.array(2 * popped.len());
        for e in &popped {
            ctx.out.bulk(&e.member);
            ctx.out.double(e.score);
        }
    }
    Ok(())
}

/// BZPOPMIN key [key ...] timeout
fn bzpopmin(ctx: &mut Ctx) -> CmdResult {
    bzpop_generic(ctx, false)
}

/// BZPOPMAX key [key ...] timeout
fn bzpopmax(ctx: &mut Ctx) -> CmdResult {
    bzpop_generic(ctx, true)
}

fn bzpop_generic(ctx: &mut Ctx, max: bool) -> CmdResult {
    let timeout = ctx.timeout_arg(ctx.argc() - 1)?;
    let db = ctx.db();
    let argv = ctx.argv;
    let keys = &argv[1..argv.len() - 1];
    for k in keys {
        if ctx.store.ks.zset_write(db, k)?.is_some() {
            let popped = pop_from(ctx, k, 1, max)?;
            ctx.out.array(3);
            ctx.out.bulk(k);
            ctx.out.bulk(&popped[0].member);
            ctx.out.double(popped[0].score);
            return Ok(());
        }
    }
    ctx.block(keys.to_vec(), timeout, TimeoutReply::NullArray);
    Ok(())
}

/// Parses `numkeys key... MIN|MAX [COUNT n]` from `idx`: (keys range, max, count).
fn mpop_args(ctx: &Ctx, idx: usize) -> Result<(usize, usize, bool, usize), CmdError> {
    let numkeys = match parse_int(ctx.arg(idx)) {
        Some(n) if n >= 1 => n as usize,
        _ => return Err(errors::Z_NUMKEYS.into()),
    };
    let where_idx = idx.saturating_add(numkeys).saturating_add(1);
    if where_idx >= ctx.argc() {
        return Err(errors::SYNTAX.into());
    }
    let max = if eq(ctx.arg(where_idx), "min") {
        false
    } else if eq(ctx.arg(where_idx), "max") {
        true
    } else {
        return Err(errors::SYNTAX.into());
    };
    let mut count: Option<usize> = None;
    let mut j = where_idx + 1;
    while j < ctx.argc() {
        if count.is_none() && eq(ctx.arg(j), "count") && j + 1 < ctx.argc() {
            count = match parse_int(ctx.arg(j + 1)) {
                Some(n) if n >= 1 => Some(n as usize),
                _ => return Err(errors::Z_COUNT_GT0.into()),
            };
            j += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    Ok((idx + 1, where_idx, max, count.unwrap_or(1)))
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
fn zmpop(ctx: &mut Ctx) -> CmdResult {
    let (a, b, max, count) = mpop_args(ctx, 1)?;
    if !mpop_try(ctx, a, b, max, count)? {
        ctx.out.null_array();
    }
    Ok(())
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
fn bzmpop(ctx: &mut Ctx) -> CmdResult {
    let timeout = ctx.timeout_arg(1)?;
    let (a, b, max, count) = mpop_args(ctx, 2)?;
    if !mpop_try(ctx, a, b, max, count)? {
        ctx.block(ctx.argv[a..b].to_vec(), timeout, TimeoutReply::NullArray);
    }
    Ok(())
}

/// Pops from the first non-empty sorted set among argv[a..b] and replies
/// `[key, [[member, score], ...]]`; false when all are empty.
fn mpop_try(ctx: &mut Ctx, a: usize, b: usize, max: bool, count: usize) -> Result<bool, CmdError> {
    let db = ctx.db();
    for i in a..b {
        let k = ctx.arg(i);
        if ctx.store.ks.zset_write(db, k)?.is_some() {
            let popped = pop_from(ctx, k, count, max)?;
            ctx.out.array(2);
            ctx.out.bulk(k);
            ctx.out.array(popped.len());
            for e in &popped {
                ctx.out.array(2);
                ctx.out.bulk(&e.member);
                ctx.out.double(e.score);
            }
            return Ok(true);
        }
    }
    Ok(false)
}

// --- ZUNION / ZINTER / ZDIFF ------------------------------------------------

/// The inputs of a set operation (plain sets copied out, scored 1).
fn gather<'k>(
    ks: &'k mut keyspace::Keyspace,
    db: usize,
    keys: &[bytes::Bytes],
    write: bool,
) -> Result<Vec<SetInput<'k>>, CmdError> {
    // Look every key up first (lazy expiry, hit/miss stats), then borrow
    // them all at once.
    for k in keys {
        if write {
            ks.lookup(db, k, true);
        } else {
            ks.lookup_read(db, k, true);
        }
    }
    let ks: &'k keyspace::Keyspace = ks;
    let mut v = Vec::with_capacity(keys.len());
    for k in keys {
        v.push(match ks.peek(db, k) {
            None => SetInput::Empty,
            Some(e) => match &e.value {
                Value::ZSet(z) => SetInput::Z(z),
                Value::Set(s) => SetInput::Plain(set_members(s)),
                _ => return Err(errors::WRONGTYPE.into()),
            },
        });
    }
    Ok(v)
}

/// Members of a plain set, for ZUNION & co. (score 1 each).
fn set_members(s: &keyspace::set::Set) -> std::collections::HashSet<Vec<u8>, foldhash::fast::RandomState> {
    s.iter().map(|m| m.with_bytes(|b| b.to_vec())).collect()
}

fn setop_generic(ctx: &mut Ctx, op: SetOp, store: bool, card_only: bool) -> CmdResult {
    let numkeys_idx = if store { 2 } else { 1 };
    let numkeys = ctx.int_arg(numkeys_idx)?;
    if numkeys < 1 {
        return Err(errors::z_at_least_one_key(&ctx.cmd.fullname()).into());
    }
    if numkeys > (ctx.argc() - numkeys_idx - 1) as i64 {
        return Err(errors::SYNTAX.into());
    }
    let numkeys = numkeys as usize;
    let db = ctx.db();
    let keys = &ctx.argv[numkeys_idx + 1..numkeys_idx + 1 + numkeys];
    // Type checks come before option parsing, as in Redis.
    for k in keys {
        match ctx.store.ks.peek(db, k).map(|e| &e.value) {
            None | Some(Value::ZSet(_)) | Some(Value::Set(_)) => {}
            Some(_) => return Err(errors::WRONGTYPE.into()),
        }
    }
    let mut weights = vec![1.0f64; numkeys];
    let mut how = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0usize;
    let mut j = numkeys_idx + 1 + numkeys;
    while j < ctx.argc() {
        let remaining = ctx.argc() - j;
        let a = ctx.arg(j);
        if op != SetOp::Diff && !card_only && remaining > numkeys && eq(a, "weights") {
            for w in weights.iter_mut() {
                j += 1;
                *w = parse_score(ctx.arg(j)).ok_or(CmdError::from(errors::Z_WEIGHT_FLOAT))?;
            }
        } else if op != SetOp::Diff && !card_only && remaining >= 2 && eq(a, "aggregate") {
            j += 1;
            let v = ctx.arg(j);
            how = if eq(v, "sum") {
                Aggregate::Sum
            } else if eq(v, "min") {
                Aggregate::Min
            } else if eq(v, "max") {
                Aggregate::Max
            } else {
                return Err(errors::SYNTAX.into());
            };
        } else if !store && !card_only && eq(a, "withscores") {
            withscores = true;
        } else if card_only && remaining >= 2 && eq(a, "limit") {
            j += 1;
            limit = match parse_int(ctx.arg(j)) {
                Some(n) if n >= 0 => n as usize,
                _ => return Err(errors::Z_LIMIT_NEGATIVE.into()),
            };
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let lim = ctx.store.ks.enc;
    let inputs = gather(&mut ctx.store.ks, db, keys, store)?;
    let result = combine(&inputs, &weights, how, op, &lim);
    drop(inputs);
    if card_only {
        let n = if limit == 0 { result.len() } else { result.len().min(limit) };
        ctx.out.int(n as i64);
        return Ok(());
    }
    if store {
        let ev = match op {
            SetOp::Union => "zunionstore",
            SetOp::Inter => "zinterstore",
            SetOp::Diff => "zdiffstore",
        };
        store_result(ctx, ctx.arg(1), result, ev);
        return Ok(());
    }
    write_entries(ctx.out, result.len(), result.tree().iter(), withscores);
    Ok(())
}

/// ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
fn zunion(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Union, false, false)
}

/// ZUNIONSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
fn zunionstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Union, true, false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
fn zinter(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Inter, false, false)
}

/// ZINTERSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
fn zinterstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Inter, true, false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
fn zintercard(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Inter, false, true)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
fn zdiff(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Diff, false, false)
}

/// ZDIFFSTORE dst numkeys key [key ...]
fn zdiffstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Diff, true, false)
}

// --- ZRANDMEMBER / ZSCAN ----------------------------------------------------

/// ZRANDMEMBER key [count [WITHSCORES]]
fn zrandmember(ctx: &mut Ctx) -> CmdResult {
    let (db, t) = (ctx.db(), ctx.touch());
    if ctx.argc() == 2 {
        let r = ctx.store.ks.rand();
        match ctx.store.ks.zset_read(db, ctx.arg(1), t)? {
            Some(z) => ctx.out.bulk(&z.tree().get((r % z.len() as u64) as usize).member),
            None => ctx.out.null(),
        }
        return Ok(());
    }
    let count = match parse_int(ctx.arg(2)) {
        None => return Err(errors::NOT_INTEGER.into()),
        Some(i64::MIN) => return Err(errors::Z_RANDMEMBER_RANGE.into()),
        Some(n) => n,
    };
    let withscores = match ctx.argc() {
        3 => false,
        4 if eq(ctx.arg(3), "withscores") => true,
        _ => return Err(errors::SYNTAX.into()),
    };
    // The reply would hold 2 × count items: Redis refuses what cannot fit.
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(errors::OUT_OF_RANGE.into());
    }
    let mut rng = {
        // The zset stays borrowed while we draw: seed a local xorshift from
        // the keyspace's PRNG first.
        let mut s = ctx.store.ks.rand() | 1;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    };
    let Some(z) = ctx.store.ks.zset_read(db, ctx.arg(1), t)? else {
        ctx.out.array(0);
        return Ok(());
    };
    let len = z.len();
    let mut picks: Vec<usize> = Vec::new();
    if count < 0 {
        // Repeats allowed: stream the picks rather than collect them.
        let n = count.unsigned_abs() as usize;
        header(ctx.out, n, withscores);
        for _ in 0..n {
            let e = z.tree().get((rng() % len as u64) as usize);
            if withscores {
                pair(ctx.out, &e.member, e.score);
            } else {
                ctx.out.bulk(&e.member);
            }
        }
        return Ok(());
    } else if count as usize >= len {
        picks.extend(0..len);
    } else {
        // Distinct picks: partial Fisher-Yates over the rank space when the
        // request is a large share of the set, rejection sampling otherwise.
        let n = count as usize;
        if n * 3 > len {
            let mut all: Vec<usize> = (0..len).collect();
            for i in 0..n {
                let j = i + (rng() % (len - i) as u64) as usize;
                all.swap(i, j);
            }
            all.truncate(n);
            picks = all;
        } else {
            let mut seen = std::collections::HashSet::with_capacity(n);
            while picks.len() < n {
                let r = (rng() % len as u64) as usize;
                if seen.insert(r) {
                    picks.push(r);
                }
            }
        }
    }
    header(ctx.out, picks.len(), withscores);
    for r in picks {
        let e = z.tree().get(r);
        if withscores {
            pair(ctx.out, &e.member, e.score);
        } else {
            ctx.out.bulk(&e.member);
        }
    }
    Ok(())
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
fn zscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = crate::cmd::keys::parse_cursor(ctx.arg(2)).ok_or(CmdError::from(errors::INVALID_CURSOR))?;
    let (db, t) = (ctx.db(), ctx.touch());
    if ctx.store.ks.zset_read(db, ctx.arg(1), t)?.is_none() {
        crate::cmd::keys::reply_empty_scan(ctx.out);
        return Ok(());
    }
    let (pattern, count) = crate::cmd::keys::collection_scan_options(ctx)?;
    // MATCH * filters nothing: skip the matcher.
    let pattern = pattern.filter(|p| *p != b"*");
    let z = ctx.store.ks.zset_write(db, ctx.arg(1))?.expect("checked above");
    let mut items: Vec<(Vec<u8>, f64)> = Vec::new();
    let next = z.scan(cursor, count, |e| {
        if pattern.is_none_or(|p| keyspace::glob::glob_match(p, &e.member, false)) {
            items.push((e.member.to_vec(), e.score));
        }
    });
    ctx.out.array(2);
    ctx.out.bulk(next.to_string().as_bytes());
    ctx.out.array(items.len() * 2);
    for (m, s) in &items {
        ctx.out.bulk(m);
        ctx.out.bulk(resp::encode::format_double(*s).as_bytes());
    }
    Ok(())
}
