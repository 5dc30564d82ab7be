//! `bit`: LuaBitOp 1.0.2 as Redis 7.0 ships it (with the CVE-2024-31449 fix
//! to `tohex`). Operands are Lua doubles normalised to 32-bit integers the
//! way LuaBitOp does it; results are signed 32-bit values as Lua numbers.

use mlua::{Lua, Table, Value};

use super::{lib_fn, num, Args, LibResult};

/// LuaBitOp's `barg`: adding 2^52+2^51 puts the integer part of any double
/// in range into the low 32 bits of its representation, rounding to nearest
/// even; larger values wrap the same way the C code does.
fn barg(a: &Args, n: usize) -> LibResult<u32> {
    match a.to_number(n)? {
        Some(x) => Ok((x + 6_755_399_441_055_744.0).to_bits() as u32),
        None => Err(a.type_error(n, "number")),
    }
}

fn ret(b: u32) -> LibResult<Vec<Value>> {
    Ok(vec![num(b as i32 as f64)])
}

type Op = fn(&Args) -> LibResult<Vec<Value>>;

/// `band`/`bor`/`bxor` check argument 1, then the rest from the last down.
fn fold(a: &Args, f: fn(u32, u32) -> u32) -> LibResult<Vec<Value>> {
    let mut b = barg(a, 1)?;
    for i in (2..=a.len()).rev() {
        b = f(b, barg(a, i)?);
    }
    ret(b)
}

fn shift(a: &Args, f: fn(u32, u32) -> u32) -> LibResult<Vec<Value>> {
    let b = barg(a, 1)?;
    let n = barg(a, 2)? & 31;
    ret(f(b, n))
}

fn tohex(a: &Args) -> LibResult<Vec<Value>> {
    let mut b = barg(a, 1)?;
    let mut n: i32 = if a.get(2).is_none() { 8 } else { barg(a, 2)? as i32 };
    // Negating i32::MIN overflows; Redis clamps it first (CVE-2024-31449).
    if n == i32::MIN {
        n = i32::MIN + 1;
    }
    let digits: &[u8; 16] = if n < 0 {
        n = -n;
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let n = n.min(8) as usize;
    let mut buf = [0u8; 8];
    for i in (0..n).rev() {
        buf[i] = digits[(b & 15) as usize];
        b >>= 4;
    }
    Ok(vec![Value::String(a.lua.create_string(&buf[..n])?)])
}

/// Builds the `bit` table.
pub fn create(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let fns: [(&str, Op); 12] = [
        ("tobit", |a| ret(barg(a, 1)?)),
        ("bnot", |a| ret(!barg(a, 1)?)),
        ("band", |a| fold(a, |x, y| x & y)),
        ("bor", |a| fold(a, |x, y| x | y)),
        ("bxor", |a| fold(a, |x, y| x ^ y)),
        ("lshift", |a| shift(a, |b, n| b << n)),
        ("rshift", |a| shift(a, |b, n| b >> n)),
        ("arshift", |a| shift(a, |b, n| ((b as i32) >> n) as u32)),
        ("rol", |a| shift(a, |b, n| b.rotate_left(n))),
        ("ror", |a| shift(a, |b, n| b.rotate_right(n))),
        ("bswap", |a| ret(barg(a, 1)?.swap_bytes())),
        ("tohex", tohex),
    ];
    for (name, op) in fns {
        t.raw_set(name, lib_fn(lua, move |lua, args| op(&Args::new(lua, args)))?)?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    // Expected values captured from redis-server 7.0.15 with
    // `redis-cli EVAL "return {...}" 0` (tostring'd where Redis would
    // truncate numbers).

    #[test]
    fn tohex_including_the_cve_edge() {
        ok(
            "return bit.tohex(65535, -2147483648), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255,-4), bit.tohex(1, 0), bit.tohex(1, 100), bit.tohex('16'), bit.tohex(1, 2^31)",
            &["0000FFFF", "ffffffff", "ff", "00FF", "", "00000001", "00000010", "00000001"],
        );
    }

    #[test]
    fn tobit_normalises_like_luabitop() {
        ok(
            "return bit.tobit(2^32+5), bit.tobit(-1), bit.tobit(2^31), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(0/0), bit.tobit(1/0), bit.tobit(2^53+3), bit.tobit(1e300), bit.tobit('0x10'), bit.tobit(' 12 ')",
            &["5", "-1", "-2147483648", "2", "2", "-2", "0", "0", "2", "-2013235812", "16", "12"],
        );
    }

    #[test]
    fn operations() {
        ok(
            "return bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1,2,4), bit.bxor(3,5), bit.lshift(1, 33), bit.rshift(-1, 4), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1), bit.bswap(0x12345678), bit.bor(5), bit.tobit('5', 'junk')",
            &["-1", "3", "7", "6", "2", "268435455", "-16", "3", "-2147483648", "2018915346", "5", "5"],
        );
    }

    #[test]
    fn argument_errors() {
        let e = |code: &str, want: &str| ok(&format!("local ok, e = pcall({code}) return e"), &[want]);
        e("bit.band, 1, 'a', {}", "bad argument #3 to '?' (number expected, got table)");
        e("bit.tohex, 1, nil", "bad argument #2 to '?' (number expected, got nil)");
        e("bit.tobit", "bad argument #1 to '?' (number expected, got no value)");
        e("bit.lshift, 1", "bad argument #2 to '?' (number expected, got no value)");
        e("bit.band", "bad argument #1 to '?' (number expected, got no value)");
        e("bit.tobit, cjson.null", "bad argument #1 to '?' (number expected, got userdata)");
        e("bit.tobit, '1x'", "bad argument #1 to '?' (number expected, got string)");
        e("bit.tobit, true", "bad argument #1 to '?' (number expected, got boolean)");
        err("return bit.band()", "user_script:1: bad argument #1 to 'band' (number expected, got no value)");
    }
}
