//! `struct`: Roberto Ierusalimschy's lua-struct 0.9.2 as Redis 7.0 ships it
//! (with the bounds fixes of CVE-2020-14147 and CVE-2021-32626): `pack`,
//! `unpack` and `size` over the format letters `> < ! x b B h H l L T i In I
//! In s f d c0 cn`, native sizes and alignment of x86-64. Every read is
//! checked against the data string, so bad formats and offsets are errors.

use mlua::{Lua, Table, Value};

use super::{c_f64_to_i64, c_f64_to_u64, fail, lib_fn, num, to_number, Args, LibResult, MAX_C_STACK};

const MAXINTSIZE: usize = 32;
/// Largest alignment of a native type (`offsetof(struct {char c; double d;}, d)`).
const MAXALIGN: i32 = 8;

#[derive(Clone, Copy, PartialEq)]
enum Endian {
    Little,
    Big,
}

struct Header {
    endian: Endian,
    align: i32,
}

impl Header {
    fn new() -> Self {
        Header { endian: Endian::Little, align: 1 }
    }
}

/// The format string as C sees it: up to the first NUL.
struct Fmt {
    s: Vec<u8>,
    i: usize,
}

impl Fmt {
    fn new(mut s: Vec<u8>) -> Self {
        if let Some(z) = s.iter().position(|&c| c == 0) {
            s.truncate(z);
        }
        Fmt { s, i: 0 }
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.s.get(self.i).copied();
        self.i += 1;
        c
    }

    fn peek_digit(&self) -> bool {
        self.s.get(self.i).is_some_and(|c| c.is_ascii_digit())
    }

    /// `getnum`: an optional decimal count after an option.
    fn num(&mut self, default: i32) -> LibResult<i32> {
        if !self.peek_digit() {
            return Ok(default);
        }
        let mut a: i32 = 0;
        while self.peek_digit() {
            let d = (self.s[self.i] - b'0') as i32;
            if a > i32::MAX / 10 || a * 10 > i32::MAX - d {
                return fail("integral size overflow");
            }
            a = a * 10 + d;
            self.i += 1;
        }
        Ok(a)
    }
}

/// `optsize`: bytes taken by option `opt` (0 for control characters).
fn optsize(fmt: &mut Fmt, opt: u8) -> LibResult<usize> {
    Ok(match opt {
        b'B' | b'b' | b'x' => 1,
        b'H' | b'h' => 2,
        b'L' | b'l' | b'T' | b'd' => 8,
        b'f' => 4,
        // A negative count cannot be written (digits only), so the cast is exact.
        b'c' => fmt.num(1)? as usize,
        b'i' | b'I' => {
            let sz = fmt.num(4)?;
            if sz as usize > MAXINTSIZE {
                return fail(format!("integral size {} is larger than limit of {}", sz, MAXINTSIZE));
            }
            sz as usize
        }
        _ => 0,
    })
}

/// `gettoalign`: padding before an item of `size` bytes at offset `len`.
fn gettoalign(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align as usize);
    (size.wrapping_sub(len & size.wrapping_sub(1))) & size.wrapping_sub(1)
}

/// `controloptions`: endianness, alignment, spaces; anything else is an error.
fn controloptions(a: &Args, fmt: &mut Fmt, opt: u8, h: &mut Header) -> LibResult<()> {
    match opt {
        b' ' => Ok(()),
        b'>' => {
            h.endian = Endian::Big;
            Ok(())
        }
        b'<' => {
            h.endian = Endian::Little;
            Ok(())
        }
        b'!' => {
            let al = fmt.num(MAXALIGN)?;
            if !(al > 0 && al & (al - 1) == 0) {
                return fail(format!("alignment {} is not a power of 2", al));
            }
            h.align = al;
            Ok(())
        }
        _ => {
            let mut msg = b"invalid format option '".to_vec();
            msg.push(opt);
            msg.push(b'\'');
            Err(a.arg_error(1, &msg))
        }
    }
}

fn putinteger(out: &mut Vec<u8>, n: f64, endian: Endian, size: usize) {
    let mut value: u64 = if n < 0.0 { c_f64_to_i64(n) as u64 } else { c_f64_to_u64(n) };
    let mut buf = [0u8; MAXINTSIZE];
    // Bytes past the eighth are zero, not sign-extended, as in the C code.
    for i in 0..size {
        let idx = if endian == Endian::Little { i } else { size - 1 - i };
        buf[idx] = (value & 0xff) as u8;
        value >>= 8;
    }
    out.extend_from_slice(&buf[..size]);
}

fn getinteger(data: &[u8], endian: Endian, signed: bool, size: usize) -> f64 {
    let mut l: u64 = 0;
    for i in 0..size {
        let idx = if endian == Endian::Big { i } else { size - 1 - i };
        l = (l << 8) | data[idx] as u64;
    }
    if !signed {
        return l as f64;
    }
    // x86 masks the shift count to 6 bits; sizes above 8 inherit that.
    let shift = ((size as i32) * 8 - 1) as u32;
    let mask = u64::MAX.wrapping_shl(shift);
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

fn b_pack(a: &mut Args) -> LibResult<Vec<Value>> {
    let mut fmt = Fmt::new(a.check_bytes(1)?);
    // The C code pushes a nil to separate the arguments from its buffer, so
    // a missing argument right after the last one reads as nil.
    a.vals.push(Value::Nil);
    let a = &*a;
    let mut h = Header::new();
    let mut arg = 2;
    let mut out = Vec::new();
    let mut totalsize: usize = 0;
    while let Some(opt) = fmt.next() {
        let mut size = optsize(&mut fmt, opt)?;
        let toalign = gettoalign(totalsize, &h, opt, size);
        totalsize += toalign;
        out.resize(out.len() + toalign, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = a.check_number(arg)?;
                arg += 1;
                putinteger(&mut out, n, h.endian, size);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = a.check_number(arg)? as f32;
                arg += 1;
                let b = if h.endian == Endian::Little { f.to_le_bytes() } else { f.to_be_bytes() };
                out.extend_from_slice(&b);
            }
            b'd' => {
                let d = a.check_number(arg)?;
                arg += 1;
                let b = if h.endian == Endian::Little { d.to_le_bytes() } else { d.to_be_bytes() };
                out.extend_from_slice(&b);
            }
            b'c' | b's' => {
                let s = a.check_bytes(arg)?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // The C code reports the already advanced index.
                    return Err(a.arg_error(arg as i32, b"string too short"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => controloptions(a, &mut fmt, opt, &mut h)?,
        }
        totalsize += size;
    }
    Ok(vec![Value::String(a.lua.create_string(&out)?)])
}

fn b_unpack(a: &Args) -> LibResult<Vec<Value>> {
    let mut fmt = Fmt::new(a.check_bytes(1)?);
    let data = a.check_bytes(2)?;
    let ld = data.len();
    // `size_t pos = luaL_optinteger(...)`: negative offsets become huge and
    // fail the bounds check below.
    let pos0 = a.opt_integer(3, 1)? as u64 as usize;
    if pos0 == 0 {
        return Err(a.arg_error(3, b"offset must be 1 or greater"));
    }
    let mut pos = pos0 - 1;
    let mut h = Header::new();
    let mut res: Vec<Value> = Vec::new();
    while let Some(opt) = fmt.next() {
        let mut size = optsize(&mut fmt, opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if !(size <= ld && pos <= ld - size) {
            return Err(a.arg_error(2, b"data string too short"));
        }
        // `luaL_checkstack(L, 2, "too many results")` with the arguments and
        // the results so far on the C function's stack.
        if a.len() + res.len() + 2 > MAX_C_STACK {
            return fail("stack overflow (too many results)");
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let signed = opt.is_ascii_lowercase();
                res.push(num(getinteger(&data[pos..pos + size], h.endian, signed, size)));
            }
            b'x' => {}
            b'f' => {
                let b: [u8; 4] = data[pos..pos + 4].try_into().unwrap();
                let f = if h.endian == Endian::Little { f32::from_le_bytes(b) } else { f32::from_be_bytes(b) };
                res.push(num(f as f64));
            }
            b'd' => {
                let b: [u8; 8] = data[pos..pos + 8].try_into().unwrap();
                let d = if h.endian == Endian::Little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) };
                res.push(num(d));
            }
            b'c' => {
                if size == 0 {
                    let prev = match res.last() {
                        Some(v) => to_number(a.lua, v)?,
                        None => None,
                    };
                    let Some(n) = prev else {
                        return fail("format 'c0' needs a previous size");
                    };
                    size = c_f64_to_u64(n) as usize;
                    res.pop();
                    if !(size <= ld && pos <= ld - size) {
                        return Err(a.arg_error(2, b"data string too short"));
                    }
                }
                res.push(Value::String(a.lua.create_string(&data[pos..pos + size])?));
            }
            b's' => {
                let Some(e) = data[pos..].iter().position(|&c| c == 0) else {
                    return fail("unfinished string in data");
                };
                res.push(Value::String(a.lua.create_string(&data[pos..pos + e])?));
                size = e + 1;
            }
            _ => controloptions(a, &mut fmt, opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    res.push(num(pos.wrapping_add(1) as i64 as f64));
    Ok(res)
}

fn b_size(a: &Args) -> LibResult<Vec<Value>> {
    let mut fmt = Fmt::new(a.check_bytes(1)?);
    let mut h = Header::new();
    let mut pos: usize = 0;
    while let Some(opt) = fmt.next() {
        let size = optsize(&mut fmt, opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if opt == b's' {
            return Err(a.arg_error(1, b"option 's' has no fixed size"));
        } else if opt == b'c' && size == 0 {
            return Err(a.arg_error(1, b"option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            controloptions(a, &mut fmt, opt, &mut h)?;
        }
        pos = pos.wrapping_add(size);
    }
    Ok(vec![num(pos as i64 as f64)])
}

/// Builds the `struct` table.
pub fn create(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("pack", lib_fn(lua, |lua, args| b_pack(&mut Args::new(lua, args)))?)?;
    t.raw_set("unpack", lib_fn(lua, |lua, args| b_unpack(&Args::new(lua, args)))?)?;
    t.raw_set("size", lib_fn(lua, |lua, args| b_size(&Args::new(lua, args)))?)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    // Expected values captured from redis-server 7.0.15.
    const HX: &str = "local function hx(s) local h = {} for i=1,#s do h[#h+1]=string.format('%02x', s:byte(i)) end return table.concat(h) end ";

    #[test]
    fn pack_layouts() {
        ok(
            &format!("{HX} return hx(struct.pack('>i2<i2bBhHlLT', 1, 2, -1, 255, -2, 65535, -3, 4, 5)), hx(struct.pack('!4bi', 1, 2)), hx(struct.pack('s', 'ab')), hx(struct.pack('c5', 'abcdefg')), hx(struct.pack('c0', 'abc')), hx(struct.pack('<fd', 1.5, 0.1)), hx(struct.pack('x>d', 1)), hx(struct.pack('<i16', -1)), hx(struct.pack('>I3', 2^24+5))"),
            &[
                "00010200fffffefffffffdffffffffffffff04000000000000000500000000000000",
                "0100000002000000",
                "616200",
                "6162636465",
                "616263",
                "0000c03f9a9999999999b93f",
                "003ff0000000000000",
                "ffffffffffffffff0000000000000000",
                "000005",
            ],
        );
    }

    #[test]
    fn pack_out_of_range_numbers_like_x86_c() {
        ok(
            &format!("{HX} return hx(struct.pack('<i8', 2^64)), hx(struct.pack('<i8', -2^64)), hx(struct.pack('<I8', 0/0)), hx(struct.pack('<I8', 2^63)), hx(struct.pack('<i8', 1e19)), struct.pack('s', 12)"),
            &["0000000000000000", "0000000000000080", "0000000000000080", "0000000000000080", "0000e8890423c78a", "12\0"],
        );
    }

    #[test]
    fn sizes() {
        ok("return struct.size('>i2bd'), struct.size('!d b d'), struct.size('!4 b d'), struct.size('c10'), struct.size('z'), struct.size('i17')", &["11", "24", "12", "10", "0", "17"]);
    }

    #[test]
    fn unpack_values() {
        ok(
            "return struct.unpack('>i2<i2bBhHlLT', struct.pack('>i2<i2bBhHlLT', 1, 2, -1, 255, -2, 65535, -3, 4, 5))",
            &["1", "2", "-1", "255", "-2", "65535", "-3", "4", "5", "35"],
        );
        ok("return struct.unpack('s c3 b c0', 'hello\\0abc\\3xyz')", &["hello", "abc", "xyz", "14"]);
        ok("return struct.unpack('i16', string.rep('\\255', 16))", &["-1", "17"]);
        ok("return struct.unpack('<i9', '\\1\\0\\0\\0\\0\\0\\0\\0\\0'), struct.unpack('<i9', '\\0\\0\\0\\0\\0\\0\\0\\0\\1')", &["1", "0", "10"]);
        ok("return struct.unpack('<i0', '')", &["0", "1"]);
        ok(
            "return tostring(struct.unpack('<I8', '\\255\\255\\255\\255\\255\\255\\255\\255')), tostring(struct.unpack('<i8', '\\255\\255\\255\\255\\255\\255\\255\\127'))",
            &["1.844674407371e+19", "9.2233720368548e+18"],
        );
        ok("return struct.unpack('<f>f', '\\0\\0\\192\\63\\63\\192\\0\\0')", &["1.5", "1.5", "9"]);
        ok("return struct.unpack('b', 'abc', 3)", &["99", "4"]);
        ok("return struct.unpack('x b', 'ab')", &["98", "3"]);
        ok("return struct.unpack('', 'abc', 10)", &["10"]);
    }

    #[test]
    fn errors() {
        let e = |code: &str, want: &str| ok(&format!("local ok, e = pcall({code}) return e"), &[want]);
        e("struct.size, 's'", "bad argument #1 to '?' (option 's' has no fixed size)");
        e("struct.size, 'c0'", "bad argument #1 to '?' (option 'c0' has no fixed size)");
        e("struct.size, '!3'", "alignment 3 is not a power of 2");
        e("struct.size, 'i33'", "integral size 33 is larger than limit of 32");
        e("struct.size, 'c99999999999'", "integral size overflow");
        e("struct.pack, 'z'", "bad argument #1 to '?' (invalid format option 'z')");
        e("struct.pack, 'c5', 'ab'", "bad argument #3 to '?' (string too short)");
        e("struct.pack, 'i'", "bad argument #2 to '?' (number expected, got nil)");
        e("struct.pack, 'ii', 1", "bad argument #3 to '?' (number expected, got nil)");
        e("struct.pack, 'iii', 1", "bad argument #3 to '?' (number expected, got nil)");
        e("struct.pack, 'i', 'x'", "bad argument #2 to '?' (number expected, got string)");
        e("struct.pack", "bad argument #1 to '?' (string expected, got no value)");
        e("struct.unpack, 'i4', 'abc'", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'c0', 'abc'", "format 'c0' needs a previous size");
        e("struct.unpack, 'b c0', '\\5abc'", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 's', 'abc'", "unfinished string in data");
        e("struct.unpack, 'b', 'abc', 0", "bad argument #3 to '?' (offset must be 1 or greater)");
        e("struct.unpack, 'b', 'abc', 5", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'b', 'abc', 4", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'b', 'a', -1", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, '!4 i4', 'abcdefgh', -1", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'b', 'abc', 2^53", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'b', 'abc', 'x'", "bad argument #3 to '?' (number expected, got string)");
        e("struct.unpack, '!5b', 'a'", "alignment 5 is not a power of 2");
        err(
            "return struct.unpack('b', 'abc', 4)",
            "user_script:1: bad argument #2 to 'unpack' (data string too short)",
        );
    }

    #[test]
    fn bounds_cves_are_errors() {
        // CVE-2020-14147 / CVE-2021-32626 shapes: huge counts and offsets.
        let e = |code: &str, want: &str| ok(&format!("local ok, e = pcall({code}) return e"), &[want]);
        e("struct.unpack, 'c2147483647', 'abc'", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'i4', 'abc', 9223372036854775807", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'b c0', '\\255abc'", "bad argument #2 to '?' (data string too short)");
        e("struct.unpack, 'i4 c0', '\\255\\255\\255\\255abc'", "bad argument #2 to '?' (data string too short)");
        e("struct.pack, 'c2147483647', 'x'", "bad argument #3 to '?' (string too short)");
    }

    #[test]
    fn result_count_hits_the_c_stack_limit() {
        ok("return select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 8100)))", &["7998"]);
        ok(
            "local ok, e = pcall(struct.unpack, string.rep('b', 7998), string.rep('a', 8100)) return e",
            &["stack overflow (too many results)"],
        );
        ok(
            "local ok, e = pcall(struct.unpack, string.rep('b', 7997), string.rep('a', 8100), 1) return e",
            &["stack overflow (too many results)"],
        );
    }
}
