//! `bit`: LuaBitOp 1.0.2 as Redis 7.0 ships it (with the CVE-2024-31449 fix
//! to `tohex`). Operands are Lua doubles normalised to 32-bit integers the
//! way LuaBitOp does it; results are signed 32-bit values as Lua numbers.
//!
//! These are plain Lua C functions over the raw API: they are called in
//! tight loops, allocate nothing, and their only error is Lua's own
//! `luaL_typerror`, which gives exactly the C library's messages. No Rust
//! value with a destructor is alive when that error unwinds the frame.

use std::os::raw::c_int;

use mlua::{ffi, Lua, Table};

type State = *mut ffi::lua_State;

/// LuaBitOp's `barg`: adding 2^52+2^51 puts the integer part of any double
/// in range into the low 32 bits of its representation, rounding to nearest
/// even; larger values wrap the same way the C code does.
unsafe fn barg(l: State, idx: c_int) -> u32 {
    let n = ffi::lua_tonumber(l, idx);
    let b = (n + 6_755_399_441_055_744.0).to_bits() as u32;
    if b == 0 && ffi::lua_isnumber(l, idx) == 0 {
        ffi::luaL_typerror(l, idx, c"number".as_ptr());
    }
    b
}

unsafe fn ret(l: State, b: u32) -> c_int {
    ffi::lua_pushnumber(l, b as i32 as f64);
    1
}

/// `band`/`bor`/`bxor` check argument 1, then the rest from the last down.
unsafe fn fold(l: State, f: fn(u32, u32) -> u32) -> c_int {
    let mut b = barg(l, 1);
    let mut i = ffi::lua_gettop(l);
    while i > 1 {
        b = f(b, barg(l, i));
        i -= 1;
    }
    ret(l, b)
}

unsafe fn shift(l: State, f: fn(u32, u32) -> u32) -> c_int {
    let b = barg(l, 1);
    let n = barg(l, 2) & 31;
    ret(l, f(b, n))
}

unsafe extern "C-unwind" fn tobit(l: State) -> c_int {
    ret(l, barg(l, 1))
}
unsafe extern "C-unwind" fn bnot(l: State) -> c_int {
    ret(l, !barg(l, 1))
}
unsafe extern "C-unwind" fn band(l: State) -> c_int {
    fold(l, |x, y| x & y)
}
unsafe extern "C-unwind" fn bor(l: State) -> c_int {
    fold(l, |x, y| x | y)
}
unsafe extern "C-unwind" fn bxor(l: State) -> c_int {
    fold(l, |x, y| x ^ y)
}
unsafe extern "C-unwind" fn lshift(l: State) -> c_int {
    shift(l, |b, n| b << n)
}
unsafe extern "C-unwind" fn rshift(l: State) -> c_int {
    shift(l, |b, n| b >> n)
}
unsafe extern "C-unwind" fn arshift(l: State) -> c_int {
    shift(l, |b, n| ((b as i32) >> n) as u32)
}
unsafe extern "C-unwind" fn rol(l: State) -> c_int {
    shift(l, |b, n| b.rotate_left(n))
}
unsafe extern "C-unwind" fn ror(l: State) -> c_int {
    shift(l, |b, n| b.rotate_right(n))
}
unsafe extern "C-unwind" fn bswap(l: State) -> c_int {
    ret(l, barg(l, 1).swap_bytes())
}

unsafe extern "C-unwind" fn tohex(l: State) -> c_int {
    let mut b = barg(l, 1);
    let mut n: i32 = if ffi::lua_isnone(l, 2) != 0 { 8 } else { barg(l, 2) as i32 };
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
    ffi::lua_pushlstring(l, buf.as_ptr() as *const _, n);
    1
}

/// Builds the `bit` table.
pub fn create(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let fns: [(&str, ffi::lua_CFunction); 12] = [
        ("tobit", tobit),
        ("bnot", bnot),
        ("band", band),
        ("bor", bor),
        ("bxor", bxor),
        ("lshift", lshift),
        ("rshift", rshift),
        ("arshift", arshift),
        ("rol", rol),
        ("ror", ror),
        ("bswap", bswap),
        ("tohex", tohex),
    ];
    for (name, f) in fns {
        // SAFETY: each function follows the Lua C API contract above.
        t.raw_set(name, unsafe { lua.create_c_function(f)? })?;
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
