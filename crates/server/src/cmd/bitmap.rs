//! Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
//! Bitmaps are strings; the bit arithmetic lives in `keyspace::bitmap`.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, STRING};
use keyspace::bitmap::{self, BitOp, FieldType, Overflow};
use keyspace::value::Value;

const W: &[&str] = &["write", "bitmap"];
const R: &[&str] = &["read", "bitmap"];
const RF: &[&str] = &["read", "bitmap", "fast"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "setbit",
        4,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "bitmap",
        "2.2.0",
        "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
        setbit,
    ),
    spec("getbit", 3, READONLY | FAST, (1, 1, 1), RF, "bitmap", "2.2.0", "Returns a bit value by offset.", getbit),
    spec(
        "bitcount",
        -2,
        READONLY,
        (1, 1, 1),
        R,
        "bitmap",
        "2.6.0",
        "Counts the number of set bits (population counting) in a string.",
        bitcount,
    ),
    spec(
        "bitpos",
        -3,
        READONLY,
        (1, 1, 1),
        R,
        "bitmap",
        "2.8.7",
        "Finds the first set (1) or clear (0) bit in a string.",
        bitpos,
    ),
    spec(
        "bitop",
        -4,
        WRITE | DENYOOM,
        (2, -1, 1),
        W,
        "bitmap",
        "2.6.0",
        "Performs bitwise operations on multiple strings, and stores the result.",
        bitop,
    ),
    spec(
        "bitfield",
        -2,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "bitmap",
        "3.2.0",
        "Performs arbitrary bitfield integer operations on strings.",
        bitfield,
    ),
    spec(
        "bitfield_ro",
        -2,
        READONLY | FAST,
        (1, 1, 1),
        RF,
        "bitmap",
        "6.0.0",
        "Performs arbitrary read-only bitfield integer operations on strings.",
        bitfield_ro,
    ),
];

/// A bit offset argument (Redis's getBitOffsetFromArgument): a non-negative
/// integer whose byte fits proto-max-bulk-len. With `field_bits`, `#n`
/// means n times the field width (BITFIELD).
fn bit_offset(ctx: &Ctx, arg: &[u8], field_bits: Option<u32>) -> Result<u64, CmdError> {
    let err = || CmdError::from(errors::BIT_OFFSET);
    let (hash, digits) = match (arg.first(), field_bits) {
        (Some(b'#'), Some(_)) => (true, &arg[1..]),
        _ => (false, arg),
    };
    let mut v = parse_int(digits).ok_or_else(err)?;
    if hash {
        v = v.checked_mul(field_bits.unwrap_or(1) as i64).ok_or_else(err)?;
    }
    if v < 0 || (v as u64 >> 3) >= ctx.store.ks.max_string_len as u64 {
        return Err(err());
    }
    Ok(v as u64)
}

/// The string at `key` for reading: None when missing, WRONGTYPE otherwise.
fn read_bytes(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Vec<u8>>, CmdError> {
    let (db, touch) = (ctx.db(), ctx.touch());
    Ok(ctx.store.ks.get_str(db, key, touch)?.map(|s| s.to_vec()))
}

/// SETBIT key offset value
fn setbit(ctx: &mut Ctx) -> CmdResult {
    let off = bit_offset(ctx, ctx.arg(2), None)?;
    let on = match ctx.arg(3) {
        b"0" => 0u8,
        b"1" => 1,
        _ => return Err(errors::BIT_VALUE.into()),
    };
    let db = ctx.db();
    let (buf, grown) = ctx.store.ks.bits_for_write(db, ctx.arg(1), off)?;
    let old = bitmap::get_bit(buf, off);
    let mask = 1u8 << (7 - (off & 7));
    let byte = &mut buf[(off >> 3) as usize];
    *byte = if on == 1 { *byte | mask } else { *byte & !mask };
    // Redis 7 reports a write only when something changed.
    if grown || old != on {
        ctx.changed(1);
        ctx.wrote(STRING, "setbit", ctx.arg(1));
    }
    ctx.out.int(old as i64);
    Ok(())
}

/// GETBIT key offset
fn getbit(ctx: &mut Ctx) -> CmdResult {
    let off = bit_offset(ctx, ctx.arg(2), None)?;
    let (db, touch) = (ctx.db(), ctx.touch());
    let bit = match ctx.store.ks.get_str(db, ctx.arg(1), touch)? {
        Some(s) => s.with_bytes(|b| bitmap::get_bit(b, off)),
        None => 0,
    };
    ctx.out.int(bit as i64);
    Ok(())
}

/// Resolves a start/end pair (negative from the end) over `total` units,
/// Redis style; None when the range is empty.
fn clamp_range(mut start: i64, mut end: i64, total: i64) -> Option<(u64, u64)> {
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    (start <= end && total > 0).then_some((start as u64, end as u64))
}

/// `BYTE` (false) or `BIT` (true).
fn unit_arg(a: &[u8]) -> Result<bool, CmdError> {
    if eq(a, "bit") {
        Ok(true)
    } else if eq(a, "byte") {
        Ok(false)
    } else {
        Err(errors::SYNTAX.into())
    }
}

/// BITCOUNT key [start end [BYTE | BIT]]
fn bitcount(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    // As Redis 7.0, the key is looked up first: a missing key counts 0
    // whatever the arguments.
    let Some(b) = read_bytes(ctx, ctx.arg(1))? else {
        ctx.out.int(0);
        return Ok(());
    };
    let (start, end, isbit) = match argc {
        2 => (0, -1, false),
        4 | 5 => {
            let s = ctx.int_arg(2)?;
            let e = ctx.int_arg(3)?;
            if s < 0 && e < 0 && s > e {
                ctx.out.int(0);
                return Ok(());
            }
            (s, e, argc == 5 && unit_arg(ctx.arg(4))?)
        }
        _ => return Err(errors::SYNTAX.into()),
    };
    let total = b.len() as i64 * if isbit { 8 } else { 1 };
    let n = match clamp_range(start, end, total) {
        None => 0,
        Some((s, e)) if isbit => bitmap::count_bit_range(&b, s, e),
        Some((s, e)) => bitmap::popcount(&b[s as usize..=e as usize]),
    };
    ctx.out.int(n as i64);
    Ok(())
}

/// BITPOS key bit [start [end [BYTE | BIT]]]
fn bitpos(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    let bit = match parse_int(ctx.arg(2)) {
        Some(0) => 0u8,
        Some(1) => 1,
        Some(_) => return Err(errors::BITPOS_BIT.into()),
        None => return Err(errors::NOT_INTEGER.into()),
    };
    let Some(b) = read_bytes(ctx, ctx.arg(1))? else {
        // A missing key is an infinite run of zeros.
        ctx.out.int(if bit == 1 { -1 } else { 0 });
        return Ok(());
    };
    let len = b.len() as i64;
    let (start, end, isbit, end_given) = match argc {
        3 => (0, len - 1, false, false),
        4..=6 => {
            let s = ctx.int_arg(3)?;
            let isbit = argc == 6 && unit_arg(ctx.arg(5))?;
            let (e, given) = if argc >= 5 {
                (ctx.int_arg(4)?, true)
            } else if isbit {
                (len * 8 + 7, false)
            } else {
                (len - 1, false)
            };
            (s, e, isbit, given)
        }
        _ => return Err(errors::SYNTAX.into()),
    };
    let total = if isbit { len * 8 } else { len };
    let Some((s, e)) = clamp_range(start, end, total) else {
        ctx.out.int(-1);
        return Ok(());
    };
    let (first, last) = if isbit { (s, e) } else { (s * 8, e * 8 + 7) };
    let pos = match bitmap::find_bit(&b, bit, first, last) {
        Some(p) => p as i64,
        // Looking for a 0 without an explicit end: the string is padded
        // with zeros on the right, so the answer is the first bit after it.
        None if bit == 0 && !end_given => ((last >> 3) as i64 + 1) * 8,
        None => -1,
    };
    ctx.out.int(pos);
    Ok(())
}

/// BITOP AND | OR | XOR | NOT destkey key [key ...]
fn bitop(ctx: &mut Ctx) -> CmdResult {
    let op = match ctx.arg(1).to_ascii_lowercase().as_slice() {
        b"and" => BitOp::And,
        b"or" => BitOp::Or,
        b"xor" => BitOp::Xor,
        b"not" => BitOp::Not,
        _ => return Err(errors::SYNTAX.into()),
    };
    if op == BitOp::Not && ctx.argc() != 4 {
        return Err(errors::BITOP_NOT_ONE_KEY.into());
    }
    let mut srcs = Vec::with_capacity(ctx.argc() - 3);
    for i in 3..ctx.argc() {
        srcs.push(read_bytes(ctx, ctx.arg(i))?.unwrap_or_default());
    }
    let res = bitmap::bitop(op, &srcs);
    let (db, dest) = (ctx.db(), ctx.arg(2));
    let len = res.len();
    if len > 0 {
        ctx.store.ks.set_value(db, dest, Value::Str(keyspace::Str::Raw(res)), false, 0);
        ctx.changed(1);
        ctx.wrote(STRING, "set", dest);
    } else if ctx.store.ks.remove(db, dest).is_some() {
        ctx.changed(1);
        ctx.wrote(GENERIC, "del", dest);
    }
    ctx.out.int(len as i64);
    Ok(())
}

/// One BITFIELD operation.
enum FieldOp {
    Get(FieldType, u64),
    Set(FieldType, u64, i64, Overflow),
    Incr(FieldType, u64, i64, Overflow),
}

fn field_type(a: &[u8]) -> Result<FieldType, CmdError> {
    let err = || CmdError::from(errors::BITFIELD_TYPE);
    let signed = match a.first() {
        Some(b'i' | b'I') => true,
        Some(b'u' | b'U') => false,
        _ => return Err(err()),
    };
    let bits = parse_int(&a[1..]).ok_or_else(err)?;
    let max = if signed { 64 } else { 63 };
    if bits < 1 || bits > max {
        return Err(err());
    }
    Ok(FieldType { signed, bits: bits as u32 })
}

fn bitfield_generic(ctx: &mut Ctx, read_only: bool) -> CmdResult {
    let mut ops = Vec::new();
    let mut ow = Overflow::Wrap;
    let mut writes = false;
    let mut max_bit = 0u64;
    let mut i = 2;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        let left = ctx.argc() - i - 1;
        if eq(a, "get") && left >= 2 {
            let t = field_type(ctx.arg(i + 1))?;
            let off = bit_offset(ctx, ctx.arg(i + 2), Some(t.bits))?;
            ops.push(FieldOp::Get(t, off));
            i += 3;
        } else if (eq(a, "set") || eq(a, "incrby")) && left >= 3 {
            let t = field_type(ctx.arg(i + 1))?;
            let off = bit_offset(ctx, ctx.arg(i + 2), Some(t.bits))?;
            let v = parse_int(ctx.arg(i + 3)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
            writes = true;
            max_bit = max_bit.max(off + t.bits as u64 - 1);
            ops.push(if eq(a, "set") { FieldOp::Set(t, off, v, ow) } else { FieldOp::Incr(t, off, v, ow) });
            i += 4;
        } else if eq(a, "overflow") && left >= 1 {
            let o = ctx.arg(i + 1);
            ow = if eq(o, "wrap") {
                Overflow::Wrap
            } else if eq(o, "sat") {
                Overflow::Sat
            } else if eq(o, "fail") {
                Overflow::Fail
            } else {
                return Err(errors::BITFIELD_OVERFLOW.into());
            };
            i += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    if read_only && writes {
        return Err(errors::BITFIELD_RO_GET_ONLY.into());
    }
    let (db, key) = (ctx.db(), ctx.arg(1));
    if !writes {
        let b = read_bytes(ctx, key)?.unwrap_or_default();
        ctx.out.array(ops.len());
        for op in &ops {
            if let FieldOp::Get(t, off) = op {
                ctx.out.int(t.get(&b, *off));
            }
        }
        return Ok(());
    }
    let (buf, grown) = ctx.store.ks.bits_for_write(db, key, max_bit)?;
    let mut replies: Vec<Option<i64>> = Vec::with_capacity(ops.len());
    let mut changes = 0u64;
    for op in &ops {
        match *op {
            FieldOp::Get(t, off) => replies.push(Some(t.get(buf, off))),
            FieldOp::Set(t, off, v, ow) | FieldOp::Incr(t, off, v, ow) => {
                let old = t.get(buf, off);
                let is_set = matches!(op, FieldOp::Set(..));
                let new = if is_set { t.fit(v, 0, ow) } else { t.fit(old, v, ow) };
                match new {
                    Some(n) => {
                        t.set(buf, off, n);
                        if grown || n != old {
                            changes += 1;
                        }
                        replies.push(Some(if is_set { old } else { n }));
                    }
                    None => replies.push(None),
                }
            }
        }
    }
    if changes > 0 {
        ctx.changed(changes);
        ctx.wrote(STRING, "setbit", key);
    }
    ctx.out.array(replies.len());
    for r in replies {
        match r {
            Some(n) => ctx.out.int(n),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value | INCRBY type offset increment] ...
fn bitfield(ctx: &mut Ctx) -> CmdResult {
    bitfield_generic(ctx, false)
}

/// BITFIELD_RO key [GET type offset ...]
fn bitfield_ro(ctx: &mut Ctx) -> CmdResult {
    bitfield_generic(ctx, true)
}
