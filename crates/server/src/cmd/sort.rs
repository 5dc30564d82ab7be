//! SORT and SORT_RO: sort (or, with `BY nosort`, just page through) the
//! elements of a list, set or sorted set, optionally by the values of other
//! keys or hash fields (`BY weight_*`, `BY obj_*->field`), fetching other keys
//! per element (`GET #`, `GET data_*`), and storing the result as a list.
//! The element order, tie-breaks and edge cases follow Redis 7.0's
//! sortCommandGeneric.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdResult};
use crate::notify::class::GENERIC;
use keyspace::list::{End, List};
use keyspace::value::Value;
use std::cmp::Ordering;

const ACL_W: &[&str] = &["write", "set", "sortedset", "list", "slow", "dangerous"];
const ACL_R: &[&str] = &["read", "set", "sortedset", "list", "slow", "dangerous"];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        ..spec("sort", -2, WRITE | DENYOOM, (1, 1, 1), ACL_W, "generic", "1.0.0", "Sort the elements in a list, set or sorted set", sort)
    },
    CommandSpec {
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        ..spec("sort_ro", -2, READONLY, (1, 1, 1), ACL_R, "generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", sort_ro)
    },
];

fn sort(ctx: &mut Ctx) -> CmdResult {
    sort_generic(ctx, false)
}

fn sort_ro(ctx: &mut Ctx) -> CmdResult {
    sort_generic(ctx, true)
}

/// One element being sorted and what it sorts by.
struct Item {
    elem: Vec<u8>,
    score: f64,
    /// ALPHA with BY: the BY value (None when the key or field is missing).
    by: Option<Vec<u8>>,
}

fn sort_generic(ctx: &mut Ctx, readonly: bool) -> CmdResult {
    let (mut desc, mut alpha) = (false, false);
    let (mut limit_start, mut limit_count) = (0i64, -1i64);
    let mut store: Option<usize> = None;
    let mut sortby: Option<&[u8]> = None;
    let mut dontsort = false;
    let mut gets: Vec<&[u8]> = Vec::new();
    let argc = ctx.argc();
    let mut j = 2;
    while j < argc {
        let a = ctx.arg(j);
        let left = argc - j - 1;
        if eq(a, "asc") {
            desc = false;
        } else if eq(a, "desc") {
            desc = true;
        } else if eq(a, "alpha") {
            alpha = true;
        } else if eq(a, "limit") && left >= 2 {
            limit_start = ctx.int_arg(j + 1)?;
            limit_count = ctx.int_arg(j + 2)?;
            j += 2;
        } else if eq(a, "store") && left >= 1 && !readonly {
            store = Some(j + 1);
            j += 1;
        } else if eq(a, "by") && left >= 1 {
            let p = ctx.arg(j + 1);
            // A pattern without '*' names no key per element: do not sort at all.
            dontsort = !p.contains(&b'*');
            sortby = Some(p);
            j += 1;
        } else if eq(a, "get") && left >= 1 {
            gets.push(ctx.arg(j + 1));
            j += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }

    let db = ctx.db();
    let touch = ctx.touch();
    let key = ctx.arg(1);
    let mut is_set = false;
    let mut nosort_range = false;
    // Elements in the order they are loaded; a list or zset with BY nosort
    // loads only the LIMIT range, in ASC or DESC order (Redis does the same).
    let mut elems: Vec<Vec<u8>> = match ctx.store.ks.lookup_read(db, key, touch).map(|e| &e.value) {
        None => Vec::new(),
        Some(Value::List(l)) => {
            // Like a zset, a list with BY nosort yields its LIMIT range in
            // list order, from the tail for DESC.
            nosort_range = dontsort;
            l.iter().map(|e| e.to_vec()).collect()
        }
        Some(Value::Set(s)) => {
            is_set = true;
            s.iter().map(|m| m.with_bytes(|b| b.to_vec())).collect()
        }
        Some(Value::ZSet(z)) => {
            let all = zset_members(z);
            if dontsort {
                nosort_range = true;
            }
            all
        }
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    // Sorting a set "by nothing" would store hash-table order: make it
    // deterministic for STORE, as Redis does.
    if dontsort && is_set && store.is_some() {
        dontsort = false;
        alpha = true;
        sortby = None;
    }

    let len = elems.len() as i64;
    let mut start = limit_start.max(0);
    let mut end = if limit_count < 0 { len - 1 } else { start.saturating_add(limit_count).saturating_sub(1) };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    if nosort_range {
        // Take the range now, in score order (reversed for DESC), as the output.
        if desc {
            elems.reverse();
        }
        let (s, e) = (start.max(0) as usize, (end + 1).max(0) as usize);
        elems = if s < e { elems.drain(s..e).collect() } else { Vec::new() };
        end -= start;
        start = 0;
    }

    let mut items: Vec<Item> = elems.into_iter().map(|elem| Item { elem, score: 0.0, by: None }).collect();
    if !dontsort {
        let mut bad_score = false;
        for it in items.iter_mut() {
            let byval = match sortby {
                Some(p) => match lookup_by_pattern(ctx, p, &it.elem) {
                    Some(v) => v,
                    None => continue,
                },
                None => it.elem.clone(),
            };
            if alpha {
                if sortby.is_some() {
                    it.by = Some(byval);
                }
            } else {
                match parse_strtod(&byval) {
                    Some(f) => it.score = f,
                    None => bad_score = true,
                }
            }
        }
        if bad_score {
            return Err(errors::SORT_SCORES.into());
        }
        let by_pattern = sortby.is_some();
        let cmp = |a: &Item, b: &Item| -> Ordering {
            let c = if !alpha {
                a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal).then_with(|| a.elem.cmp(&b.elem))
            } else if by_pattern {
                match (&a.by, &b.by) {
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => Ordering::Less,
                    (Some(_), None) => Ordering::Greater,
                    (Some(x), Some(y)) => x.cmp(y),
                }
            } else {
                a.elem.cmp(&b.elem)
            };
            if desc {
                c.reverse()
            } else {
                c
            }
        };
        items.sort_by(cmp);
    }

    let count = if end >= start { (end - start + 1) as usize } else { 0 };
    let range = if count > 0 { &items[start as usize..start as usize + count] } else { &items[..0] };
    match store {
        None => {
            let per = gets.len().max(1);
            ctx.out.array(count * per);
            for it in range {
                if gets.is_empty() {
                    ctx.out.bulk(&it.elem);
                    continue;
                }
                for g in &gets {
                    match lookup_by_pattern(ctx, g, &it.elem) {
                        Some(v) => ctx.out.bulk(&v),
                        None => ctx.out.null(),
                    }
                }
            }
        }
        Some(dst_i) => {
            let fill = ctx.store.ks.enc.list_max_listpack_size;
            let mut list = List::new();
            for it in range {
                if gets.is_empty() {
                    list.push(End::Right, &it.elem, fill);
                    continue;
                }
                for g in &gets {
                    let v = lookup_by_pattern(ctx, g, &it.elem).unwrap_or_default();
                    list.push(End::Right, &v, fill);
                }
            }
            let n = list.len();
            let dst = ctx.arg(dst_i);
            if n > 0 {
                ctx.store.ks.set_value(db, dst, Value::List(Box::new(list)), false, 0);
                ctx.changed(n as u64);
                ctx.wrote(GENERIC, "sortstore", dst);
            } else if ctx.store.ks.del(db, dst) {
                ctx.changed(1);
                ctx.wrote(GENERIC, "del", dst);
            }
            ctx.out.int(n as i64);
        }
    }
    Ok(())
}

/// Redis's lookupKeyByPattern: `#` is the element itself; otherwise the
/// first `*` of the pattern is replaced by the element, and a `->field`
/// after it reads that hash field instead of a string key.
fn lookup_by_pattern(ctx: &mut Ctx, pattern: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(elem.to_vec());
    }
    let star = pattern.iter().position(|&c| c == b'*')?;
    let after = &pattern[star + 1..];
    let (post, field) = match after.windows(2).position(|w| w == b"->") {
        Some(i) if i + 2 < after.len() => (&after[..i], Some(&after[i + 2..])),
        _ => (after, None),
    };
    let mut key = Vec::with_capacity(pattern.len() + elem.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(elem);
    key.extend_from_slice(post);
    let db = ctx.db();
    let touch = ctx.touch();
    match (ctx.store.ks.lookup_read(db, &key, touch).map(|e| &e.value), field) {
        (Some(Value::Str(s)), None) => Some(s.to_vec()),
        (Some(Value::Hash(h)), Some(f)) => h.get(f).map(|v| v.to_vec()),
        _ => None,
    }
}

/// C's strtod over the whole string, as SORT uses it: leading spaces allowed,
/// trailing garbage, overflow and NaN refused.
fn parse_strtod(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let f: f64 = match t.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => f64::INFINITY,
        "-inf" | "-infinity" => f64::NEG_INFINITY,
        "" => return if b.is_empty() { Some(0.0) } else { None },
        _ => t.parse().ok()?,
    };
    if f.is_nan() || (f.is_infinite() && !t.to_ascii_lowercase().contains("inf")) {
        return None;
    }
    Some(f)
}

/// A sorted set's members in ascending score order.
fn zset_members(z: &keyspace::zset::ZSet) -> Vec<Vec<u8>> {
    z.tree().iter().map(|e| e.member.to_vec()).collect()
}
