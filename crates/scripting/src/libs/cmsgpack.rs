//! `cmsgpack`: lua-cmsgpack 0.4.0 as Redis 7.0 ships it. `pack` encodes each
//! argument and concatenates them; `unpack`, `unpack_one` and `unpack_limit`
//! decode a stream of values. Encoding picks the smallest MessagePack form
//! the C library picks (integers by range, floats as 32-bit when exact,
//! tables as arrays only when their keys are exactly 1..n) and writes tables
//! nested deeper than 16 as nil. Decoding is iterative and counts Lua stack
//! slots as the C library does, so nesting and count bombs end in the same
//! `stack overflow (...)` errors instead of deep recursion.

use mlua::{Lua, Table, Value};

use super::{c_f64_to_i32, c_f64_to_i64, fail, lib_fn, num, Args, Fail, LibResult, Work, MAX_C_STACK, MAX_OUTPUT};

/// `LUACMSGPACK_MAX_NESTING`: deeper tables are encoded as nil.
const MAX_NESTING: usize = 16;

const TOO_MANY: &str = "too many return values at once; use unpack_one or unpack_limit instead.";

/// `luaL_checkstack(L, n, msg)` against a counted stack height.
fn check_stack(top: usize, n: usize, msg: &str) -> LibResult<()> {
    if top + n > MAX_C_STACK {
        return fail(format!("stack overflow ({})", msg));
    }
    Ok(())
}

struct Encoder<'a> {
    out: Vec<u8>,
    work: Work<'a>,
}

impl Encoder<'_> {
    fn put(&mut self, b: &[u8]) -> LibResult<()> {
        if self.out.len() + b.len() > MAX_OUTPUT {
            return fail("MessagePack output too large.");
        }
        self.out.extend_from_slice(b);
        Ok(())
    }

    fn int(&mut self, n: i64) -> LibResult<()> {
        if n >= 0 {
            if n <= 127 {
                self.put(&[n as u8])
            } else if n <= 0xff {
                self.put(&[0xcc, n as u8])
            } else if n <= 0xffff {
                self.put(&[0xcd, (n >> 8) as u8, n as u8])
            } else if n <= 0xffff_ffff {
                let mut b = vec![0xce];
                b.extend_from_slice(&(n as u32).to_be_bytes());
                self.put(&b)
            } else {
                let mut b = vec![0xcf];
                b.extend_from_slice(&(n as u64).to_be_bytes());
                self.put(&b)
            }
        } else if n >= -32 {
            self.put(&[n as i8 as u8])
        } else if n >= -128 {
            self.put(&[0xd0, n as i8 as u8])
        } else if n >= -32768 {
            let mut b = vec![0xd1];
            b.extend_from_slice(&(n as i16).to_be_bytes());
            self.put(&b)
        } else if n >= -2_147_483_648 {
            let mut b = vec![0xd2];
            b.extend_from_slice(&(n as i32).to_be_bytes());
            self.put(&b)
        } else {
            let mut b = vec![0xd3];
            b.extend_from_slice(&n.to_be_bytes());
            self.put(&b)
        }
    }

    fn number(&mut self, n: f64) -> LibResult<()> {
        // IS_INT64_EQUIVALENT: not infinite and survives a round trip
        // through a C cast to int64 (so -0.0 is the integer 0).
        if !n.is_infinite() && c_f64_to_i64(n) as f64 == n {
            return self.int(c_f64_to_i64(n));
        }
        let f = n as f32;
        if f as f64 == n {
            let mut b = vec![0xca];
            b.extend_from_slice(&f.to_be_bytes());
            self.put(&b)
        } else {
            let mut b = vec![0xcb];
            b.extend_from_slice(&n.to_be_bytes());
            self.put(&b)
        }
    }

    fn bytes(&mut self, s: &[u8]) -> LibResult<()> {
        let len = s.len();
        if len < 32 {
            self.put(&[0xa0 | len as u8])?;
        } else if len <= 0xff {
            self.put(&[0xd9, len as u8])?;
        } else if len <= 0xffff {
            self.put(&[0xda, (len >> 8) as u8, len as u8])?;
        } else {
            let mut b = vec![0xdb];
            b.extend_from_slice(&(len as u32).to_be_bytes());
            self.put(&b)?;
        }
        self.put(s)
    }

    fn header(&mut self, n: usize, fix: u8, b16: u8, b32: u8) -> LibResult<()> {
        if n <= 15 {
            self.put(&[fix | n as u8])
        } else if n <= 0xffff {
            self.put(&[b16, (n >> 8) as u8, n as u8])
        } else {
            let mut b = vec![b32];
            b.extend_from_slice(&(n as u32).to_be_bytes());
            self.put(&b)
        }
    }

    /// `mp_encode_lua_type` for the value at stack height `top`.
    fn value(&mut self, lua: &Lua, v: &Value, level: usize, top: usize) -> LibResult<()> {
        self.work.tick()?;
        match v {
            Value::String(s) => self.bytes(&s.as_bytes()),
            Value::Boolean(b) => self.put(&[if *b { 0xc3 } else { 0xc2 }]),
            Value::Integer(i) => self.number(*i as f64),
            Value::Number(n) => self.number(*n),
            Value::Table(t) if level < MAX_NESTING => self.table(lua, t, level, top),
            _ => self.put(&[0xc0]),
        }
    }

    fn table(&mut self, lua: &Lua, t: &Table, level: usize, top: usize) -> LibResult<()> {
        check_stack(top, 2, "in function table_is_an_array")?;
        // Tables are walked with `next` and never collected: mlua can only
        // hold about 8000 live references at once.
        if let Some(len) = array_len(t)? {
            self.header(len, 0x90, 0xdc, 0xdd)?;
            check_stack(top, 1, "in function mp_encode_lua_table_as_array")?;
            for i in 1..=len {
                let v: Value = t.raw_get(i)?;
                self.value(lua, &v, level + 1, top + 1)?;
            }
        } else {
            check_stack(top, 3, "in function mp_encode_lua_table_as_map")?;
            let mut len = 0usize;
            for pair in t.pairs::<Value, Value>() {
                pair?;
                len += 1;
            }
            self.header(len, 0x80, 0xde, 0xdf)?;
            for pair in t.pairs::<Value, Value>() {
                let (k, v) = pair?;
                // Stack: table, key, value, copy of key.
                self.value(lua, &k, level + 1, top + 3)?;
                self.value(lua, &v, level + 1, top + 2)?;
            }
        }
        Ok(())
    }
}

/// `table_is_an_array`: only positive integral numeric keys (in `int`
/// range), and as many of them as the largest. Returns that count.
fn array_len(t: &Table) -> LibResult<Option<usize>> {
    let mut max: i32 = 0;
    let mut count: i32 = 0;
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair?;
        let n = match k {
            Value::Integer(i) => i as f64,
            Value::Number(n) => n,
            _ => return Ok(None),
        };
        if n <= 0.0 || n.is_infinite() || c_f64_to_i32(n) as f64 != n {
            return Ok(None);
        }
        if n > max as f64 {
            max = c_f64_to_i32(n);
        }
        count = count.wrapping_add(1);
    }
    Ok(if max == count { Some(count as usize) } else { None })
}

fn mp_pack(a: &Args) -> LibResult<Vec<Value>> {
    let nargs = a.len();
    if nargs == 0 {
        return Err(a.arg_error(0, b"MessagePack pack needs input."));
    }
    // `lua_checkstack(L, nargs)` with the nargs arguments already there.
    if nargs * 2 > MAX_C_STACK {
        return Err(a.arg_error(0, b"Too many arguments for MessagePack pack."));
    }
    let mut enc = Encoder { out: Vec::new(), work: Work::new(a.lua) };
    for (i, v) in a.vals.iter().enumerate() {
        // The arguments, the strings packed so far and a copy of this one.
        enc.value(a.lua, v, 0, nargs + i + 1)?;
    }
    Ok(vec![Value::String(a.lua.create_string(&enc.out)?)])
}

/// Decoder errors that `mp_unpack_full` turns into messages.
enum DecErr {
    Eof,
    BadFmt,
    Fail(Fail),
}

impl From<Fail> for DecErr {
    fn from(f: Fail) -> Self {
        DecErr::Fail(f)
    }
}

impl From<mlua::Error> for DecErr {
    fn from(e: mlua::Error) -> Self {
        DecErr::Fail(Fail::Lua(e))
    }
}

struct Cursor<'d> {
    p: &'d [u8],
}

impl<'d> Cursor<'d> {
    fn need(&self, n: usize) -> Result<(), DecErr> {
        if self.p.len() < n {
            Err(DecErr::Eof)
        } else {
            Ok(())
        }
    }

    fn be(&self, from: usize, n: usize) -> u64 {
        self.p[from..from + n].iter().fold(0u64, |acc, &b| (acc << 8) | b as u64)
    }
}

/// An open container while decoding.
enum Open {
    Array { t: Table, left: u64, index: i64, top: usize },
    Map { t: Table, left: u64, key: Option<Value>, top: usize },
}

/// What reading one item produced.
enum Item {
    Value(Value),
    Open(Open),
}

/// Reads one item header (and a scalar's bytes) with the value landing at
/// stack height `top + 1`.
fn read_item(lua: &Lua, c: &mut Cursor, top: usize) -> Result<Item, DecErr> {
    c.need(1)?;
    check_stack(top, 1, TOO_MANY)?;
    let b = c.p[0];
    let (v, used) = match b {
        0xcc => {
            c.need(2)?;
            (num(c.p[1] as f64), 2)
        }
        0xd0 => {
            c.need(2)?;
            (num(c.p[1] as i8 as f64), 2)
        }
        0xcd => {
            c.need(3)?;
            (num(c.be(1, 2) as f64), 3)
        }
        0xd1 => {
            c.need(3)?;
            (num(c.be(1, 2) as u16 as i16 as f64), 3)
        }
        0xce => {
            c.need(5)?;
            (num(c.be(1, 4) as f64), 5)
        }
        0xd2 => {
            c.need(5)?;
            (num(c.be(1, 4) as u32 as i32 as f64), 5)
        }
        // The C code builds uint 64 in a signed lua_Integer too.
        0xcf | 0xd3 => {
            c.need(9)?;
            (num(c.be(1, 8) as i64 as f64), 9)
        }
        0xc0 => (Value::Nil, 1),
        0xc3 => (Value::Boolean(true), 1),
        0xc2 => (Value::Boolean(false), 1),
        0xca => {
            c.need(5)?;
            (num(f32::from_bits(c.be(1, 4) as u32) as f64), 5)
        }
        0xcb => {
            c.need(9)?;
            (num(f64::from_bits(c.be(1, 8))), 9)
        }
        0xd9..=0xdb => {
            let hl = match b {
                0xd9 => 1,
                0xda => 2,
                _ => 4,
            };
            c.need(1 + hl)?;
            let l = c.be(1, hl) as usize;
            c.p = &c.p[1 + hl..];
            c.need(l)?;
            let s = lua.create_string(&c.p[..l])?;
            c.p = &c.p[l..];
            return Ok(Item::Value(Value::String(s)));
        }
        0xdc..=0xdf => {
            let hl = if b == 0xdc || b == 0xde { 2 } else { 4 };
            c.need(1 + hl)?;
            let l = c.be(1, hl);
            c.p = &c.p[1 + hl..];
            return open(lua, b == 0xdc || b == 0xdd, l, top);
        }
        _ if b & 0x80 == 0 => (num(b as f64), 1),
        _ if b & 0xe0 == 0xe0 => (num(b as i8 as f64), 1),
        _ if b & 0xe0 == 0xa0 => {
            let l = (b & 0x1f) as usize;
            c.need(1 + l)?;
            let s = lua.create_string(&c.p[1..1 + l])?;
            c.p = &c.p[1 + l..];
            return Ok(Item::Value(Value::String(s)));
        }
        _ if b & 0xf0 == 0x90 => {
            c.p = &c.p[1..];
            return open(lua, true, (b & 0xf) as u64, top);
        }
        _ if b & 0xf0 == 0x80 => {
            c.p = &c.p[1..];
            return open(lua, false, (b & 0xf) as u64, top);
        }
        _ => return Err(DecErr::BadFmt),
    };
    c.p = &c.p[used..];
    Ok(Item::Value(v))
}

/// A new table for an array or map of `len` items; the table sits at
/// `top + 1`. Nothing is preallocated: a bogus count costs nothing until
/// its items are actually read.
fn open(lua: &Lua, array: bool, len: u64, top: usize) -> Result<Item, DecErr> {
    let t = lua.create_table()?;
    if array {
        check_stack(top + 1, 1, "in function mp_decode_to_lua_array")?;
    }
    if len == 0 {
        return Ok(Item::Value(Value::Table(t)));
    }
    Ok(Item::Open(if array {
        Open::Array { t, left: len, index: 1, top: top + 1 }
    } else {
        Open::Map { t, left: len, key: None, top: top + 1 }
    }))
}

/// `mp_decode_to_lua_type` without recursion: one complete value.
fn decode_value(lua: &Lua, c: &mut Cursor, top: usize, work: &mut Work) -> Result<Value, DecErr> {
    let mut stack: Vec<Open> = Vec::new();
    let mut item = read_item(lua, c, top)?;
    loop {
        work.tick()?;
        let mut done = match item {
            Item::Open(o) => {
                stack.push(o);
                None
            }
            Item::Value(v) => Some(v),
        };
        // Attach finished values to their containers, closing full ones.
        while let Some(v) = done.take() {
            let Some(parent) = stack.last_mut() else {
                return Ok(v);
            };
            let finished = match parent {
                Open::Array { t, left, index, .. } => {
                    t.raw_set(*index, v)?;
                    *index += 1;
                    *left -= 1;
                    *left == 0
                }
                Open::Map { t, left, key, .. } => match key.take() {
                    None => {
                        *key = Some(v);
                        false
                    }
                    Some(k) => {
                        match &k {
                            Value::Nil => return Err(DecErr::Fail(Fail::Raw(b"table index is nil".to_vec()))),
                            Value::Number(n) if n.is_nan() => {
                                return Err(DecErr::Fail(Fail::Raw(b"table index is NaN".to_vec())))
                            }
                            _ => {}
                        }
                        t.raw_set(k, v)?;
                        *left -= 1;
                        *left == 0
                    }
                },
            };
            if finished {
                let t = match stack.pop() {
                    Some(Open::Array { t, .. }) | Some(Open::Map { t, .. }) => t,
                    None => unreachable!(),
                };
                done = Some(Value::Table(t));
            }
        }
        // Read the next item of the innermost open container.
        let next_top = match stack.last() {
            // table, index
            Some(Open::Array { top, .. }) => top + 1,
            // table (key when reading a value)
            Some(Open::Map { top, key, .. }) => top + if key.is_some() { 1 } else { 0 },
            None => unreachable!(),
        };
        item = read_item(lua, c, next_top)?;
    }
}

/// `mp_unpack_full`. `top` is the stack height before decoding.
fn unpack_full(a: &Args, limit: i64, offset: i64, top: usize) -> LibResult<Vec<Value>> {
    let s = a.check_bytes(1)?;
    let len = s.len();
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        return fail(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        ));
    } else if offset as u64 > len as u64 {
        return fail(format!("Start offset {} greater than input length {}.", offset as i32, len as i32));
    }
    let limit = if decode_all { i32::MAX as i64 } else { limit };
    let mut c = Cursor { p: &s[offset as usize..] };
    let mut out: Vec<Value> = Vec::new();
    let mut work = Work::new(a.lua);
    while !c.p.is_empty() && (out.len() as i64) < limit {
        match decode_value(a.lua, &mut c, top + out.len(), &mut work) {
            Ok(v) => out.push(v),
            Err(DecErr::Eof) => return fail("Missing bytes in input."),
            Err(DecErr::BadFmt) => return fail("Bad data format in input."),
            Err(DecErr::Fail(f)) => return Err(f),
        }
    }
    if !decode_all {
        check_stack(top + out.len(), 1, "in function mp_unpack_full")?;
        let next = if c.p.is_empty() { -1 } else { (len - c.p.len()) as i64 };
        out.insert(0, num(next as f64));
    }
    Ok(out)
}

/// Builds the `cmsgpack` table.
pub fn create(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("pack", lib_fn(lua, |lua, args| mp_pack(&Args::new(lua, args)))?)?;
    t.raw_set(
        "unpack",
        lib_fn(lua, |lua, args| {
            let a = Args::new(lua, args);
            let top = a.len();
            unpack_full(&a, 0, 0, top)
        })?,
    )?;
    t.raw_set(
        "unpack_one",
        lib_fn(lua, |lua, args| {
            let a = Args::new(lua, args);
            let offset = a.opt_integer(2, 0)?;
            unpack_full(&a, 1, offset, 1)
        })?,
    )?;
    t.raw_set(
        "unpack_limit",
        lib_fn(lua, |lua, args| {
            let a = Args::new(lua, args);
            let limit = a.check_integer(2)?;
            let offset = a.opt_integer(3, 0)?;
            unpack_full(&a, limit, offset, 1)
        })?,
    )?;
    t.raw_set("_NAME", "cmsgpack")?;
    t.raw_set("_VERSION", "lua-cmsgpack 0.4.0")?;
    t.raw_set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo")?;
    t.raw_set("_DESCRIPTION", "MessagePack C implementation for Lua")?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    // Expected values captured from redis-server 7.0.15.
    const HX: &str = "local function hx(s) local h = {} for i=1,#s do h[#h+1]=string.format('%02x', s:byte(i)) end return table.concat(h) end ";

    #[test]
    fn pack_picks_the_c_encodings() {
        ok(
            &format!("{HX} return hx(cmsgpack.pack(1, -1, 127, 128, -32, -33, 255, 256, 65536, 2^32, -2^31-1, 1.5, 0.1, 'abc', true, false, {{1,2}}, {{a=1}}, {{}}, 2^63, -0.0, 1/0))"),
            &["01ff7fcc80e0d0dfccffcd0100ce00010000cf0000000100000000d3ffffffff7fffffffca3fc00000cb3fb999999999999aa3616263c3c292010281a1610190ca5f00000000caff800000"],
        );
    }

    #[test]
    fn pack_strings_and_containers() {
        ok(
            &format!("{HX} return hx(cmsgpack.pack(string.rep('x', 32))), hx(cmsgpack.pack({{[1]=1,[3]=3}})), hx(cmsgpack.pack({{1.5}})), hx(cmsgpack.pack(nil, cjson.null, function() end))"),
            &[
                "d9207878787878787878787878787878787878787878787878787878787878787878",
                "82010103 03".replace(' ', "").as_str(),
                "91ca3fc00000",
                "c0c0c0",
            ],
        );
    }

    #[test]
    fn pack_nesting_beyond_16_is_nil() {
        ok(
            &format!(
                "{HX} local a = {{}} local b = a for i=1,20 do b[1] = {{}} b = b[1] end return hx(cmsgpack.pack(a))"
            ),
            &["91919191919191919191919191919191c0"],
        );
        // A self-reference is bounded by the same rule.
        ok(&format!("{HX} local a = {{}} a[1] = a return #cmsgpack.pack(a)"), &["17"]);
    }

    #[test]
    fn unpack_values() {
        ok("return cmsgpack.unpack(cmsgpack.pack(1, 'a', true, 2.5, -7))", &["1", "a", "true", "2.5", "-7"]);
        ok("local t = cmsgpack.unpack(cmsgpack.pack({1, 2, {x = 'y'}})) return t[1], t[2], t[3].x", &["1", "2", "y"]);
        ok("return tostring(cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255'))", &["-1"]);
        ok("return tostring(cmsgpack.unpack('\\206\\255\\255\\255\\255'))", &["4294967295"]);
        ok("return cmsgpack.unpack('\\192\\1')", &["nil", "1"]);
        ok("return select('#', cmsgpack.unpack(''))", &["0"]);
    }

    #[test]
    fn unpack_one_and_limit() {
        ok("return cmsgpack.unpack_one(cmsgpack.pack(1,2,3))", &["1", "1"]);
        ok("return cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 2)", &["-1", "3"]);
        ok("return cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)", &["2", "1", "2"]);
        ok("return cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 0)", &["1", "2", "3"]);
        ok("return cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 3)", &["-1"]);
        ok("return cmsgpack.unpack_one('', 0)", &["-1"]);
    }

    #[test]
    fn errors() {
        let e = |code: &str, want: &str| ok(&format!("local ok, e = pcall({code}) return e"), &[want]);
        e("cmsgpack.pack", "bad argument #0 to '?' (MessagePack pack needs input.)");
        e("cmsgpack.unpack, '\\193'", "Bad data format in input.");
        e("cmsgpack.unpack, '\\146\\1'", "Missing bytes in input.");
        e("cmsgpack.unpack", "bad argument #1 to '?' (string expected, got no value)");
        e("cmsgpack.unpack, {}", "bad argument #1 to '?' (string expected, got table)");
        e(
            "cmsgpack.unpack_limit, cmsgpack.pack(1,2,3), -1",
            "Invalid request to unpack with offset of 0 and limit of 3.",
        );
        e("cmsgpack.unpack_one, cmsgpack.pack(1,2,3), 10", "Start offset 10 greater than input length 3.");
        e("cmsgpack.unpack, '\\129\\192\\1'", "table index is nil");
        e("cmsgpack.unpack, '\\221\\255\\255\\255\\255'", "Missing bytes in input.");
        // Offsets and limits are not truncated to 32 bits; only the message is.
        e("cmsgpack.unpack_one, 'ab', 2^32+1", "Start offset 1 greater than input length 2.");
        e("cmsgpack.unpack, '\\219\\255\\255\\255\\255'", "Missing bytes in input.");
        err("return cmsgpack.unpack('\\193')", "user_script:1: Bad data format in input.");
    }

    #[test]
    fn nesting_and_count_bombs_hit_the_stack_limit() {
        let e = |code: &str, want: &str| ok(&format!("local ok, e = pcall({code}) return e"), &[want]);
        e("cmsgpack.unpack, string.rep('\\145', 5000)..'\\1'", "stack overflow (in function mp_decode_to_lua_array)");
        e(
            "cmsgpack.unpack, string.rep('\\129\\1', 5000)..'\\1'",
            "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
        );
        e(
            "cmsgpack.unpack, string.rep('\\1', 8000)",
            "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
        );
        ok("return select('#', cmsgpack.unpack(string.rep('\\1', 7999)))", &["7999"]);
        // A deep but legal nesting decodes without recursion.
        ok(
            "local t = cmsgpack.unpack(string.rep('\\145', 3000)..'\\7') for i = 1, 3000 do t = t[1] end return t",
            &["7"],
        );
    }
}
