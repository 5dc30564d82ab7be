//! `cjson`: lua-cjson 2.1.0 as Redis 7.0 ships it: `encode`, `decode`,
//! `new` and the configuration functions, `cjson.null`, the sparse array
//! rules, `%.14g` numbers, `\/` escaping and the C library's error texts.
//! Each table made by `new` (and the global one) has its own settings,
//! which persist across calls as they do in Redis.
//!
//! Encoding and decoding walk nested structures with explicit stacks, never
//! Rust recursion, and count Lua stack slots as the C library does, so the
//! depth limits and their messages match and no input can overflow our stack.

use std::sync::{Arc, Mutex};

use mlua::{Function, LightUserData, Lua, Table, Value};

use super::{c_f64_to_i32, c_strtod, fail, fmt_g, lib_fn, num, Args, LibResult, Work, MAX_C_STACK, MAX_OUTPUT};

/// Settings of one cjson instance (`json_config_t`).
#[derive(Clone)]
struct Config {
    encode_sparse_convert: i32,
    encode_sparse_ratio: i32,
    encode_sparse_safe: i32,
    encode_max_depth: i32,
    decode_max_depth: i32,
    encode_invalid_numbers: i32,
    decode_invalid_numbers: i32,
    encode_keep_buffer: i32,
    encode_number_precision: i32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            encode_sparse_convert: 0,
            encode_sparse_ratio: 2,
            encode_sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: 0,
            decode_invalid_numbers: 1,
            encode_keep_buffer: 1,
            encode_number_precision: 14,
        }
    }
}

// Shared by the functions of one instance; a Mutex rather than a RefCell so
// the crate also builds with mlua's `send` feature.
type Cfg = Arc<Mutex<Config>>;

fn lock(cfg: &Cfg) -> std::sync::MutexGuard<'_, Config> {
    cfg.lock().unwrap_or_else(|e| e.into_inner())
}

fn null() -> Value {
    Value::LightUserData(LightUserData(std::ptr::null_mut()))
}

/// `json_arg_init`: at most `n` arguments; missing ones read as nil.
fn arg_init(a: &Args, n: usize) -> LibResult<()> {
    if a.len() > n {
        return Err(a.arg_error(n as i32 + 1, b"found too many arguments"));
    }
    Ok(())
}

/// `luaL_checkoption` without a default.
fn check_option(a: &Args, n: usize, options: &[&str]) -> LibResult<i32> {
    let name = a.check_bytes(n)?;
    if let Some(i) = options.iter().position(|o| o.as_bytes() == name.as_slice()) {
        return Ok(i as i32);
    }
    // `%s` in lua_pushfstring stops at a NUL.
    let shown = name.split(|&c| c == 0).next().unwrap_or(&[]);
    let mut msg = b"invalid option '".to_vec();
    msg.extend_from_slice(shown);
    msg.push(b'\'');
    Err(a.arg_error(n as i32, &msg))
}

/// `json_enum_option`: a boolean or one of `options`; returns the setting
/// as a boolean when it is off/on, else as its option name.
fn enum_option(a: &Args, n: usize, setting: &mut i32, options: Option<&[&str]>) -> LibResult<Value> {
    let options = options.unwrap_or(&["off", "on"]);
    let bool_true = 1;
    if !a.is_none_or_nil(n) {
        if let Some(Value::Boolean(b)) = a.get(n) {
            *setting = (*b as i32) * bool_true;
        } else {
            *setting = check_option(a, n, options)?;
        }
    }
    if *setting == 0 || *setting == bool_true {
        Ok(Value::Boolean(*setting != 0))
    } else {
        Ok(Value::String(a.lua.create_string(options[*setting as usize])?))
    }
}

/// `json_integer_option`: an integer in `[min, max]`; the range error always
/// names argument 1, as in the C code.
fn integer_option(a: &Args, n: usize, setting: &mut i32, min: i32, max: i32) -> LibResult<Value> {
    if !a.is_none_or_nil(n) {
        // `int value = luaL_checkinteger(...)` keeps the low 32 bits.
        let value = a.check_integer(n)? as i32;
        if !(min <= value && value <= max) {
            let msg = format!("expected integer between {} and {}", min, max);
            return Err(a.arg_error(1, msg.as_bytes()));
        }
        *setting = value;
    }
    Ok(num(*setting as f64))
}

// ---------------------------------------------------------------------------
// Encoding

/// `Cannot serialise <type>: <reason>` (`json_encode_exception`).
fn encode_exception<T>(v: &Value, reason: &str) -> LibResult<T> {
    fail(format!("Cannot serialise {}: {}", super::type_name(Some(v)), reason))
}

/// Bytes `c` takes once escaped.
fn escaped_len(c: u8) -> usize {
    match c {
        b'"' | b'\\' | b'/' | 0x08 | b'\t' | b'\n' | 0x0c | b'\r' => 2,
        0..=0x1f | 0x7f => 6,
        _ => 1,
    }
}

fn append_string(out: &mut Vec<u8>, s: &[u8]) -> LibResult<()> {
    // Size first: escaping can grow a string sixfold (CVE-2022-24834 was
    // this arithmetic overflowing in the C library).
    let need = s.iter().map(|&c| escaped_len(c)).sum::<usize>() + 2;
    if out.len().saturating_add(need) > MAX_OUTPUT {
        return fail(TOO_LARGE);
    }
    out.reserve(need);
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0..=0x1f | 0x7f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
            }
            _ => out.push(c),
        }
    }
    out.push(b'"');
    Ok(())
}

const TOO_LARGE: &str = "Cannot serialise, output too large";

fn append_number(out: &mut Vec<u8>, cfg: &Config, v: &Value, n: f64) -> LibResult<()> {
    if !n.is_finite() {
        match cfg.encode_invalid_numbers {
            0 => return encode_exception(v, "must not be NaN or Inf"),
            2 => {
                out.extend_from_slice(b"null");
                return Ok(());
            }
            _ => {}
        }
    }
    out.extend_from_slice(fmt_g(n, cfg.encode_number_precision as usize).as_bytes());
    Ok(())
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

/// Most pairs an object's frame keeps in Rust, and most such references
/// alive at once: mlua can hold only about 8000 references, so bigger or
/// deeper tables are walked with `next` from an anchor table instead.
const PAIRS_PER_TABLE: usize = 256;
const PAIRS_BUDGET: usize = 2048;
/// Frames below this depth keep their table in Rust; deeper ones anchor it.
const FRAMES_IN_RUST: usize = 1024;

/// What one pass over a table found.
struct Scan {
    /// `lua_array_length`: `Some(max)` when every key is an integer >= 1
    /// (the largest kept in a C `int`), `None` for an object.
    array: Option<i32>,
    /// All the pairs, when there were few enough to keep.
    pairs: Option<Vec<(Value, Value)>>,
}

fn scan(cfg: &Config, v: &Value, t: &Table, budget: usize) -> LibResult<Scan> {
    let mut max: i32 = 0;
    let mut items: i32 = 0;
    let mut is_array = true;
    let cap = PAIRS_PER_TABLE.min(budget);
    let mut pairs = Some(Vec::new());
    let walk = t.for_each(|k: Value, val: Value| {
        if is_array {
            match number_of(&k) {
                Some(kn) if kn != 0.0 && kn.floor() == kn && kn >= 1.0 => {
                    if kn > max as f64 {
                        max = c_f64_to_i32(kn);
                    }
                    items = items.wrapping_add(1);
                }
                _ => is_array = false,
            }
        }
        if let Some(p) = &mut pairs {
            if p.len() < cap {
                p.push((k, val));
            } else {
                pairs = None;
            }
        }
        // Stop early once it is an object we will walk with `next` anyway.
        if !is_array && pairs.is_none() {
            return Err(mlua::Error::RuntimeError(String::new()));
        }
        Ok(())
    });
    match walk {
        Ok(()) => {}
        Err(mlua::Error::RuntimeError(m)) if m.is_empty() => {}
        Err(e) => return Err(e.into()),
    }
    if !is_array {
        return Ok(Scan { array: None, pairs });
    }
    if cfg.encode_sparse_ratio > 0 && max > items.wrapping_mul(cfg.encode_sparse_ratio) && max > cfg.encode_sparse_safe
    {
        if cfg.encode_sparse_convert == 0 {
            return encode_exception(v, "excessively sparse array");
        }
        return Ok(Scan { array: None, pairs });
    }
    Ok(Scan { array: Some(max), pairs })
}

/// A table being written.
struct Frame {
    /// The table, unless the frame is deep enough to keep it in the anchor.
    table: Option<Table>,
    /// Array length, or `None` for an object.
    len: Option<i32>,
    /// An object's pairs when kept in Rust; otherwise it is walked with
    /// `next`, its current key kept in the anchor.
    pairs: Option<std::vec::IntoIter<(Value, Value)>>,
    kept: usize,
    i: i32,
    depth: i32,
    top: usize,
}

fn write_key(out: &mut Vec<u8>, cfg: &Config, k: &Value) -> LibResult<()> {
    match k {
        Value::Integer(_) | Value::Number(_) => {
            out.push(b'"');
            append_number(out, cfg, k, number_of(k).unwrap())?;
            out.extend_from_slice(b"\":");
        }
        Value::String(s) => {
            append_string(out, &s.as_bytes())?;
            out.push(b':');
        }
        _ => return encode_exception(k, "table key must be a number or string"),
    }
    Ok(())
}

/// `json_append_data` over a whole value. `top` counts the Lua stack slots
/// the C encoder would hold: the argument, then a value per array level
/// and a key and value per object level.
fn encode(lua: &Lua, next: &Function, cfg: &Config, root: Value) -> LibResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut anchor: Option<Table> = None;
    let mut frames: Vec<Frame> = Vec::new();
    let mut kept_total = 0usize;
    let mut work = Work::new(lua);
    let mut pending = Some((root, 0i32, 1usize));
    loop {
        if let Some((v, depth, top)) = pending.take() {
            work.tick()?;
            match &v {
                Value::String(s) => append_string(&mut out, &s.as_bytes())?,
                Value::Integer(_) | Value::Number(_) => append_number(&mut out, cfg, &v, number_of(&v).unwrap())?,
                Value::Boolean(true) => out.extend_from_slice(b"true"),
                Value::Boolean(false) => out.extend_from_slice(b"false"),
                Value::Nil => out.extend_from_slice(b"null"),
                Value::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
                Value::Table(t) => {
                    let depth = depth + 1;
                    // json_check_encode_depth: lua_checkstack(l, 3).
                    if depth > cfg.encode_max_depth || top + 3 > MAX_C_STACK {
                        return fail(format!("Cannot serialise, excessive nesting ({})", depth));
                    }
                    let sc = scan(cfg, &v, t, PAIRS_BUDGET.saturating_sub(kept_total))?;
                    let (len, pairs) = match sc.array {
                        Some(len) if len > 0 => {
                            out.push(b'[');
                            (Some(len), None)
                        }
                        _ => {
                            out.push(b'{');
                            (None, sc.pairs)
                        }
                    };
                    let kept = pairs.as_ref().map_or(0, |p| p.len());
                    kept_total += kept;
                    let level = frames.len() + 1;
                    let table = if level <= FRAMES_IN_RUST {
                        Some(t.clone())
                    } else {
                        let a = match &anchor {
                            Some(a) => a,
                            None => anchor.insert(lua.create_table()?),
                        };
                        a.raw_set(2 * level - 1, t)?;
                        None
                    };
                    frames.push(Frame { table, len, pairs: pairs.map(|p| p.into_iter()), kept, i: 0, depth, top });
                }
                _ => return encode_exception(&v, "type not supported"),
            }
            if out.len() > MAX_OUTPUT {
                return fail(TOO_LARGE);
            }
        }
        let level = frames.len();
        let Some(frame) = frames.last_mut() else {
            return Ok(out);
        };
        let table = || -> LibResult<Table> {
            Ok(match &frame.table {
                Some(t) => t.clone(),
                None => anchor.as_ref().unwrap().raw_get(2 * level - 1)?,
            })
        };
        match frame.len {
            Some(len) => {
                if frame.i < len {
                    if frame.i > 0 {
                        out.push(b',');
                    }
                    let v: Value = table()?.raw_get(frame.i + 1)?;
                    frame.i += 1;
                    pending = Some((v, frame.depth, frame.top + 1));
                    continue;
                }
                out.push(b']');
            }
            None => {
                let item = match &mut frame.pairs {
                    Some(it) => it.next(),
                    None => {
                        let t = table()?;
                        let a = match &anchor {
                            Some(a) => a,
                            None => anchor.insert(lua.create_table()?),
                        };
                        let key: Value = a.raw_get(2 * level)?;
                        let (k, v): (Value, Value) = next.call((t, key))?;
                        if k.is_nil() {
                            None
                        } else {
                            a.raw_set(2 * level, k.clone())?;
                            Some((k, v))
                        }
                    }
                };
                if let Some((k, v)) = item {
                    if frame.i > 0 {
                        out.push(b',');
                    }
                    frame.i += 1;
                    write_key(&mut out, cfg, &k)?;
                    pending = Some((v, frame.depth, frame.top + 2));
                    continue;
                }
                out.push(b'}');
            }
        }
        if let Some(a) = &anchor {
            a.raw_set(2 * level - 1, Value::Nil)?;
            a.raw_set(2 * level, Value::Nil)?;
        }
        kept_total -= frame.kept;
        frames.pop();
    }
}

// ---------------------------------------------------------------------------
// Decoding

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Number,
    Boolean,
    Null,
    Colon,
    Comma,
    End,
    Error,
}

impl Kind {
    /// `json_token_type_name`.
    fn name(self) -> &'static str {
        match self {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Number => "T_NUMBER",
            Kind::Boolean => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error => "T_ERROR",
        }
    }
}

struct Token {
    kind: Kind,
    /// 0-based position of the token (or of the error).
    index: usize,
    string: Vec<u8>,
    number: f64,
    boolean: bool,
    error: &'static str,
}

struct Parser<'d> {
    /// The input up to its first NUL, where the C parser sees the end.
    data: &'d [u8],
    ptr: usize,
    decode_invalid_numbers: bool,
    max_depth: i32,
    depth: i32,
}

impl<'d> Parser<'d> {
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn starts_with(&self, w: &[u8]) -> bool {
        self.data[self.ptr..].starts_with(w)
    }

    fn token(&self, kind: Kind, index: usize) -> Token {
        Token { kind, index, string: Vec::new(), number: 0.0, boolean: false, error: "" }
    }

    fn error_token(&self, what: &'static str) -> Token {
        let mut t = self.token(Kind::Error, self.ptr);
        t.error = what;
        t
    }

    /// `json_is_invalid_number`: numbers JSON forbids but strtod accepts.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.ptr;
        if self.at(p) == b'+' {
            return true;
        }
        if self.at(p) == b'-' {
            p += 1;
        }
        if self.at(p) == b'0' {
            let c2 = self.at(p + 1);
            return (c2 | 0x20) == b'x' || c2.is_ascii_digit();
        } else if self.at(p) <= b'9' {
            return false;
        }
        let rest = &self.data[p.min(self.data.len())..];
        let ci = |w: &[u8]| rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(w);
        ci(b"inf") || ci(b"nan")
    }

    fn number_token(&mut self) -> Token {
        match c_strtod(&self.data[self.ptr..]) {
            Some((v, used)) if used > 0 => {
                let mut t = self.token(Kind::Number, self.ptr);
                t.number = v;
                self.ptr += used;
                t
            }
            _ => self.error_token("invalid number"),
        }
    }

    fn string_token(&mut self) -> Token {
        let start = self.ptr;
        self.ptr += 1;
        let mut s = Vec::new();
        loop {
            let c = self.at(self.ptr);
            if c == b'"' {
                break;
            }
            if c == 0 {
                return self.error_token("unexpected end of string");
            }
            if c == b'\\' {
                let e = match self.at(self.ptr + 1) {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'u' => {
                        if self.unicode_escape(&mut s) {
                            continue;
                        }
                        return self.error_token("invalid unicode escape code");
                    }
                    _ => return self.error_token("invalid escape code"),
                };
                s.push(e);
                self.ptr += 2;
                continue;
            }
            s.push(c);
            self.ptr += 1;
        }
        self.ptr += 1;
        let mut t = self.token(Kind::Str, start);
        t.string = s;
        t
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let mut v = 0;
        for i in 0..4 {
            v = (v << 4) | (self.at(at + i) as char).to_digit(16)?;
        }
        Some(v)
    }

    /// `json_append_unicode_escape`: `\uXXXX`, surrogate pairs joined.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> bool {
        let Some(mut cp) = self.hex4(self.ptr + 2) else { return false };
        let mut len = 6;
        if cp & 0xF800 == 0xD800 {
            if cp & 0x400 != 0 {
                return false;
            }
            if self.at(self.ptr + 6) != b'\\' || self.at(self.ptr + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.ptr + 8) else { return false };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        if cp <= 0x7F {
            out.push(cp as u8);
        } else if cp <= 0x7FF {
            out.extend_from_slice(&[(cp >> 6) as u8 | 0xC0, (cp & 0x3F) as u8 | 0x80]);
        } else if cp <= 0xFFFF {
            out.extend_from_slice(&[
                (cp >> 12) as u8 | 0xE0,
                ((cp >> 6) & 0x3F) as u8 | 0x80,
                (cp & 0x3F) as u8 | 0x80,
            ]);
        } else {
            out.extend_from_slice(&[
                (cp >> 18) as u8 | 0xF0,
                ((cp >> 12) & 0x3F) as u8 | 0x80,
                ((cp >> 6) & 0x3F) as u8 | 0x80,
                (cp & 0x3F) as u8 | 0x80,
            ]);
        }
        self.ptr += len;
        true
    }

    /// `json_next_token`.
    fn next(&mut self) -> Token {
        while matches!(self.at(self.ptr), b' ' | b'\t' | b'\n' | b'\r') {
            self.ptr += 1;
        }
        let index = self.ptr;
        let c = self.at(self.ptr);
        let single = match c {
            0 => return self.token(Kind::End, index),
            b'{' => Some(Kind::ObjBegin),
            b'}' => Some(Kind::ObjEnd),
            b'[' => Some(Kind::ArrBegin),
            b']' => Some(Kind::ArrEnd),
            b',' => Some(Kind::Comma),
            b':' => Some(Kind::Colon),
            b'"' | b'+' | b'-' | b'0'..=b'9' | b'f' | b'i' | b'I' | b'n' | b'N' | b't' => None,
            _ => return self.error_token("invalid token"),
        };
        if let Some(kind) = single {
            self.ptr += 1;
            return self.token(kind, index);
        }
        if c == b'"' {
            return self.string_token();
        }
        if c == b'-' || c.is_ascii_digit() {
            if !self.decode_invalid_numbers && self.is_invalid_number() {
                return self.error_token("invalid number");
            }
            return self.number_token();
        }
        for (word, kind, b) in
            [(&b"true"[..], Kind::Boolean, true), (b"false", Kind::Boolean, false), (b"null", Kind::Null, false)]
        {
            if self.starts_with(word) {
                self.ptr += word.len();
                let mut t = self.token(kind, index);
                t.boolean = b;
                return t;
            }
        }
        if self.decode_invalid_numbers && self.is_invalid_number() {
            return self.number_token();
        }
        self.error_token("invalid token")
    }

    fn parse_error<T>(&self, expected: &str, t: &Token) -> LibResult<T> {
        let found = if t.kind == Kind::Error { t.error } else { t.kind.name() };
        fail(format!("Expected {} but found {} at character {}", expected, found, t.index + 1))
    }

    /// `json_decode_descend`: `slots` more Lua stack slots at height `top`.
    fn descend(&mut self, top: usize, slots: usize) -> LibResult<()> {
        self.depth += 1;
        if self.depth <= self.max_depth && top + slots <= MAX_C_STACK {
            return Ok(());
        }
        fail(format!("Found too many nested data structures ({}) at character {}", self.depth, self.ptr))
    }
}

/// An open container while decoding; `top` is the stack height of its
/// table. Past `FRAMES_IN_RUST` levels the table lives in an anchor table
/// (mlua's reference limit), otherwise here.
enum Open {
    Array { i: i64, top: usize, table: Option<Table> },
    Object { key: Vec<u8>, top: usize, table: Option<Table> },
}

/// Keeps a new container's table where `Open` expects it.
fn hold(lua: &Lua, anchor: &mut Option<Table>, level: usize, t: Table) -> LibResult<Option<Table>> {
    if level <= FRAMES_IN_RUST {
        return Ok(Some(t));
    }
    let a = match anchor {
        Some(a) => a,
        None => anchor.insert(lua.create_table()?),
    };
    a.raw_set(level, t)?;
    Ok(None)
}

/// After an object's `{` or `,`: `"key" :` then the value's first token.
fn object_key(p: &mut Parser, t: Token, key: &mut Vec<u8>) -> LibResult<Token> {
    if t.kind != Kind::Str {
        return p.parse_error("object key string", &t);
    }
    *key = t.string;
    let c = p.next();
    if c.kind != Kind::Colon {
        return p.parse_error("colon", &c);
    }
    Ok(p.next())
}

/// `json_decode` after its argument checks: a state machine over tokens
/// with the open containers on an explicit stack.
fn decode(lua: &Lua, cfg: &Config, data: &[u8]) -> LibResult<Value> {
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return fail("JSON parser does not support UTF-16 or UTF-32");
    }
    let end = data.iter().position(|&c| c == 0).unwrap_or(data.len());
    let mut p = Parser {
        data: &data[..end],
        ptr: 0,
        decode_invalid_numbers: cfg.decode_invalid_numbers != 0,
        max_depth: cfg.decode_max_depth,
        depth: 0,
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut anchor: Option<Table> = None;
    let mut t = p.next();
    // Stack height below the value about to be read: the argument string.
    let mut top = 1usize;
    let mut work = Work::new(lua);
    let root = 'values: loop {
        work.tick()?;
        // `json_process_value` for token `t`.
        let mut v = match t.kind {
            Kind::Str => Value::String(lua.create_string(&t.string)?),
            Kind::Number => num(t.number),
            Kind::Boolean => Value::Boolean(t.boolean),
            Kind::Null => null(),
            Kind::ArrBegin => {
                // Table and one value.
                p.descend(top, 2)?;
                let table = lua.create_table()?;
                let n = p.next();
                if n.kind == Kind::ArrEnd {
                    p.depth -= 1;
                    Value::Table(table)
                } else {
                    let table = hold(lua, &mut anchor, stack.len() + 1, table)?;
                    stack.push(Open::Array { i: 1, top: top + 1, table });
                    top += 1;
                    t = n;
                    continue 'values;
                }
            }
            Kind::ObjBegin => {
                // Table, key and value.
                p.descend(top, 3)?;
                let table = lua.create_table()?;
                let n = p.next();
                if n.kind == Kind::ObjEnd {
                    p.depth -= 1;
                    Value::Table(table)
                } else {
                    let mut key = Vec::new();
                    t = object_key(&mut p, n, &mut key)?;
                    let table = hold(lua, &mut anchor, stack.len() + 1, table)?;
                    stack.push(Open::Object { key, top: top + 1, table });
                    top += 2;
                    continue 'values;
                }
            }
            _ => return p.parse_error("value", &t),
        };
        // Store `v` in its container; close containers whose end follows.
        loop {
            let level = stack.len();
            let Some(open) = stack.last_mut() else {
                break 'values v;
            };
            let table: Table = match open {
                Open::Array { table: Some(t), .. } | Open::Object { table: Some(t), .. } => t.clone(),
                _ => anchor.as_ref().unwrap().raw_get(level)?,
            };
            let n = match open {
                Open::Array { i, top: ctop, .. } => {
                    table.raw_set(*i, v)?;
                    *i += 1;
                    let n = p.next();
                    if n.kind == Kind::Comma {
                        top = *ctop;
                        t = p.next();
                        continue 'values;
                    }
                    if n.kind != Kind::ArrEnd {
                        return p.parse_error("comma or array end", &n);
                    }
                    n
                }
                Open::Object { key, top: ctop, .. } => {
                    table.raw_set(lua.create_string(&*key)?, v)?;
                    let n = p.next();
                    if n.kind == Kind::Comma {
                        let first = p.next();
                        t = object_key(&mut p, first, key)?;
                        top = *ctop + 1;
                        continue 'values;
                    }
                    if n.kind != Kind::ObjEnd {
                        return p.parse_error("comma or object end", &n);
                    }
                    n
                }
            };
            debug_assert!(matches!(n.kind, Kind::ArrEnd | Kind::ObjEnd));
            p.depth -= 1;
            stack.pop();
            if let Some(a) = &anchor {
                a.raw_set(level, Value::Nil)?;
            }
            v = Value::Table(table);
        }
    };
    let t = p.next();
    if t.kind != Kind::End {
        return p.parse_error("the end", &t);
    }
    Ok(root)
}

fn json_encode(cfg: &Cfg, next: &Function, a: &Args) -> LibResult<Vec<Value>> {
    if a.len() != 1 {
        return Err(a.arg_error(1, b"expected 1 argument"));
    }
    let cfg = lock(cfg).clone();
    let out = encode(a.lua, next, &cfg, a.vals[0].clone())?;
    Ok(vec![Value::String(a.lua.create_string(&out)?)])
}

fn json_decode(cfg: &Cfg, a: &Args) -> LibResult<Vec<Value>> {
    if a.len() != 1 {
        return Err(a.arg_error(1, b"expected 1 argument"));
    }
    let data = a.check_bytes(1)?;
    let cfg = lock(cfg).clone();
    Ok(vec![decode(a.lua, &cfg, &data)?])
}

type CfgFn = fn(&Cfg, &Args) -> LibResult<Vec<Value>>;

/// Builds a cjson table with fresh settings (also what `cjson.new` returns).
pub fn create(lua: &Lua) -> mlua::Result<Table> {
    let cfg: Cfg = Arc::new(Mutex::new(Config::default()));
    let t = lua.create_table()?;
    // The base library's `next`, taken now so scripts cannot swap it.
    let next: Function = lua.globals().get("next")?;
    t.raw_set(
        "encode",
        lib_fn(lua, {
            let cfg = cfg.clone();
            move |lua, args| json_encode(&cfg, &next, &Args::new(lua, args))
        })?,
    )?;
    let fns: [(&str, CfgFn); 8] = [
        ("decode", json_decode),
        ("encode_sparse_array", |cfg, a| {
            arg_init(a, 3)?;
            let mut c = lock(cfg);
            let r1 = enum_option(a, 1, &mut c.encode_sparse_convert, None)?;
            let r2 = integer_option(a, 2, &mut c.encode_sparse_ratio, 0, i32::MAX)?;
            let r3 = integer_option(a, 3, &mut c.encode_sparse_safe, 0, i32::MAX)?;
            Ok(vec![r1, r2, r3])
        }),
        ("encode_max_depth", |cfg, a| {
            arg_init(a, 1)?;
            Ok(vec![integer_option(a, 1, &mut lock(cfg).encode_max_depth, 1, i32::MAX)?])
        }),
        ("decode_max_depth", |cfg, a| {
            arg_init(a, 1)?;
            Ok(vec![integer_option(a, 1, &mut lock(cfg).decode_max_depth, 1, i32::MAX)?])
        }),
        ("encode_number_precision", |cfg, a| {
            arg_init(a, 1)?;
            Ok(vec![integer_option(a, 1, &mut lock(cfg).encode_number_precision, 1, 14)?])
        }),
        ("encode_keep_buffer", |cfg, a| {
            arg_init(a, 1)?;
            // The buffer is an allocation detail of the C library; only the
            // setting is observable.
            Ok(vec![enum_option(a, 1, &mut lock(cfg).encode_keep_buffer, None)?])
        }),
        ("encode_invalid_numbers", |cfg, a| {
            arg_init(a, 1)?;
            Ok(vec![enum_option(a, 1, &mut lock(cfg).encode_invalid_numbers, Some(&["off", "on", "null"]))?])
        }),
        ("decode_invalid_numbers", |cfg, a| {
            arg_init(a, 1)?;
            Ok(vec![enum_option(a, 1, &mut lock(cfg).decode_invalid_numbers, None)?])
        }),
    ];
    for (name, f) in fns {
        let cfg = cfg.clone();
        t.raw_set(name, lib_fn(lua, move |lua, args| f(&cfg, &Args::new(lua, args)))?)?;
    }
    t.raw_set("new", lib_fn(lua, |lua, _args| Ok(vec![Value::Table(create(lua)?)]))?)?;
    t.raw_set("null", null())?;
    t.raw_set("_NAME", "cjson")?;
    t.raw_set("_VERSION", "2.1.0")?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    // Expected values captured from redis-server 7.0.15 with
    // `redis-cli EVAL "return ..." 0`.

    fn e(call: &str, want: &str) {
        ok(&format!("local ok, e = pcall({call}) return e"), &[want]);
    }

    #[test]
    fn encode_values() {
        ok("return cjson.encode({1,2,'a/b',{x=1}})", &["[1,2,\"a\\/b\",{\"x\":1}]"]);
        ok(
            "return cjson.encode({string.char(0,1,8,9,10,12,13,26,31,34,47,92,127,128,255)})",
            &["[\"\\u0000\\u0001\\b\\t\\n\\f\\r\\u001a\\u001f\\\"\\/\\\\\\u007f\u{fffd}\u{fffd}\"]"],
        );
        ok(
            "return cjson.encode({0.1, 1/3, 1e20, 1e100, -0.0, 123456789012345678, 2^53, 1e-5, 0.0001})",
            &["[0.1,0.33333333333333,1e+20,1e+100,-0,1.2345678901235e+17,9.007199254741e+15,1e-05,0.0001]"],
        );
        ok(
            "return cjson.encode({1e15, 1e14, 123456789012345, 12345678901234, 0.1+0.2, 5e-324, 1.7976931348623157e308, 2^63, -2^63})",
            &["[1e+15,1e+14,1.2345678901234e+14,12345678901234,0.3,4.9406564584125e-324,1.7976931348623e+308,9.2233720368548e+18,-9.2233720368548e+18]"],
        );
        ok(
            "return cjson.encode('a'), cjson.encode(true), cjson.encode(cjson.null), cjson.encode(nil), cjson.encode(12), cjson.encode({}), cjson.encode({cjson.null, true, false, 'x'})",
            &["\"a\"", "true", "null", "null", "12", "{}", "[null,true,false,\"x\"]"],
        );
        ok("return cjson.encode({['a']={1,2,{b=cjson.null}}})", &["{\"a\":[1,2,{\"b\":null}]}"]);
    }

    #[test]
    fn encode_tables_as_arrays_or_objects() {
        ok("return cjson.encode({[1]=1,[2]=2,[4]=4})", &["[1,2,null,4]"]);
        ok("return cjson.encode({[1e10]=1})", &["{\"10000000000\":1}"]);
        ok("return cjson.encode({[-1]=1})", &["{\"-1\":1}"]);
        ok("local t = {} t[1]=1 t[2]=2 t.x = nil return cjson.encode(t)", &["[1,2]"]);
        ok("return cjson.encode({[10]=1})", &["[null,null,null,null,null,null,null,null,null,1]"]);
        e("cjson.encode, {[11]=1}", "Cannot serialise table: excessively sparse array");
        e(
            "cjson.encode, {1,2,nil,nil,nil,nil,nil,nil,nil,nil,nil,12}",
            "Cannot serialise table: excessively sparse array",
        );
        // Converting instead of failing, then back to the defaults.
        ok(
            "cjson.encode_sparse_array(true) local r = cjson.encode({[20]=1}) cjson.encode_sparse_array(false) return r",
            &["{\"20\":1}"],
        );
    }

    #[test]
    fn encode_errors() {
        e("cjson.encode, 0/0", "Cannot serialise number: must not be NaN or Inf");
        e("cjson.encode, {1/0}", "Cannot serialise number: must not be NaN or Inf");
        e("cjson.encode, {[1/0]=1}", "Cannot serialise number: must not be NaN or Inf");
        e("cjson.encode, {[true]=1}", "Cannot serialise boolean: table key must be a number or string");
        e("cjson.encode, {f=function() end}", "Cannot serialise function: type not supported");
        e("cjson.encode", "bad argument #1 to '?' (expected 1 argument)");
        e("cjson.encode, 1, 2", "bad argument #1 to '?' (expected 1 argument)");
        e(
            "cjson.encode, (function() local a={} local b=a for i=1,1000 do b[1]={} b=b[1] end return a end)()",
            "Cannot serialise, excessive nesting (1001)",
        );
        ok("local a={} local b=a for i=1,999 do b[1]={} b=b[1] end return #cjson.encode(a)", &["2000"]);
        // A self-reference is a nesting error, not a hang.
        e(
            "cjson.encode, (function() local a = {} a[1] = a return a end)()",
            "Cannot serialise, excessive nesting (1001)",
        );
        err("return cjson.encode({[20]=1})", "user_script:1: Cannot serialise table: excessively sparse array");
    }

    #[test]
    fn invalid_number_modes() {
        ok(
            "cjson.encode_invalid_numbers(true) local r = cjson.encode({0/0, 1/0, -1/0, -(0/0)}) cjson.encode_invalid_numbers(false) return r",
            &["[nan,inf,-inf,nan]"],
        );
        ok(
            "local m = cjson.encode_invalid_numbers('null') local r = cjson.encode({0/0, 1/0, -1/0, 1}) cjson.encode_invalid_numbers(false) return m, r",
            &["null", "[null,null,null,1]"],
        );
    }

    #[test]
    fn settings_and_their_errors() {
        ok(
            "return cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers(), cjson.encode_keep_buffer(), cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()",
            &["false", "true", "true", "1000", "1000", "14"],
        );
        ok("return cjson.encode_sparse_array()", &["false", "2", "10"]);
        ok(
            "cjson.encode_number_precision(3) local r = cjson.encode({1234567, 0.000012345, 3.14159, 100, 1e21}) cjson.encode_number_precision(14) return r",
            &["[1.23e+06,1.23e-05,3.14,100,1e+21]"],
        );
        ok(
            "return cjson.encode_number_precision(14.9), cjson.encode_number_precision('5'), cjson.encode_number_precision(2^32+5), cjson.decode_invalid_numbers('on')",
            &["14", "5", "5", "true"],
        );
        e("cjson.encode_number_precision, 15", "bad argument #1 to '?' (expected integer between 1 and 14)");
        e("cjson.encode_max_depth, 0", "bad argument #1 to '?' (expected integer between 1 and 2147483647)");
        e("cjson.encode_max_depth, 'x'", "bad argument #1 to '?' (number expected, got string)");
        e("cjson.encode_max_depth, 1, 2", "bad argument #2 to '?' (found too many arguments)");
        e("cjson.encode_keep_buffer, 'x'", "bad argument #1 to '?' (invalid option 'x')");
        e("cjson.decode_invalid_numbers, 1", "bad argument #1 to '?' (invalid option '1')");
        e("cjson.decode_invalid_numbers, {}", "bad argument #1 to '?' (string expected, got table)");
        e("cjson.encode_sparse_array, true, 3, 'x'", "bad argument #3 to '?' (number expected, got string)");
        e("cjson.encode_sparse_array, 'on', -1", "bad argument #1 to '?' (expected integer between 0 and 2147483647)");
        // Settings apply one by one: the failed calls above left these.
        ok(
            "pcall(cjson.encode_sparse_array, true, 3, 'x') local a, b, c = cjson.encode_sparse_array(nil, nil, 5) cjson.encode_sparse_array(false, 2, 10) return a, b, c",
            &["true", "3", "5"],
        );
    }

    #[test]
    fn instances_have_their_own_settings() {
        ok("return cjson.new().encode_max_depth(3)", &["3"]);
        ok(
            "local c = cjson.new() c.encode_max_depth(2) local ok, e = pcall(c.encode, {{{}}}) return e, cjson.encode_max_depth(), c.null == cjson.null",
            &["Cannot serialise, excessive nesting (3)", "1000", "true"],
        );
    }

    #[test]
    fn decode_values() {
        ok(
            "local t = cjson.decode('[1,2.5,\"a\",null,true,{\"x\":[]},-0,1e400,-1e400,\"\\\\u00e9\\\\ud83d\\\\ude00\"]') return tostring(t[1]),tostring(t[2]),t[3],t[4] == cjson.null,tostring(t[5]), cjson.encode(t[6]), tostring(t[7]), tostring(t[8]), tostring(t[9]), t[10]",
            &["1", "2.5", "a", "true", "true", "{\"x\":{}}", "-0", "inf", "-inf", "é😀"],
        );
        ok(
            "local t=cjson.decode('[NaN, Infinity, -Infinity, 0x10, +5, 007, inf, -nan, 1e5, 1E+2, 1.]') local r={} for i=1,11 do r[i]=tostring(t[i]) end return unpack(r)",
            &["nan", "inf", "-inf", "16", "5", "7", "inf", "-nan", "100000", "100", "1"],
        );
        ok("return cjson.decode(' [1]\\0garbage')[1]", &["1"]);
        ok("return cjson.decode('{\"a\":{\"b\":[1,{\"c\":\"d\"}]}, \"e\" : 2 }').a.b[2].c", &["d"]);
        ok("return cjson.decode('\"\\\\\"\\\\\\\\\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\"')", &["\"\\/\u{8}\u{c}\n\r\t"]);
    }

    #[test]
    fn decode_errors() {
        e("cjson.decode, 'x'", "Expected value but found invalid token at character 1");
        e("cjson.decode, '[1,2'", "Expected comma or array end but found T_END at character 5");
        e("cjson.decode, '[1,2}'", "Expected comma or array end but found T_OBJ_END at character 5");
        e("cjson.decode, '{\"a\" 1}'", "Expected colon but found T_NUMBER at character 6");
        e("cjson.decode, '[1] x'", "Expected the end but found invalid token at character 5");
        e("cjson.decode, '\"ab'", "Expected value but found unexpected end of string at character 4");
        e("cjson.decode, '\"a\\\\qb\"'", "Expected value but found invalid escape code at character 3");
        e("cjson.decode, ''", "Expected value but found T_END at character 1");
        e("cjson.decode, '[1e]'", "Expected comma or array end but found invalid token at character 3");
        e("cjson.decode, '[.5]'", "Expected value but found invalid token at character 2");
        e("cjson.decode, '[-]'", "Expected value but found invalid number at character 2");
        e("cjson.decode, '[tru]'", "Expected value but found invalid token at character 2");
        e("cjson.decode, '\"\\\\u12\"'", "Expected value but found invalid unicode escape code at character 2");
        e("cjson.decode, '\"\\\\ud800\"'", "Expected value but found invalid unicode escape code at character 2");
        e("cjson.decode, '{1:2}'", "Expected object key string but found T_NUMBER at character 2");
        e("cjson.decode, '[1,]'", "Expected value but found T_ARR_END at character 4");
        e("cjson.decode, 'a\\0'", "JSON parser does not support UTF-16 or UTF-32");
        e("cjson.decode", "bad argument #1 to '?' (expected 1 argument)");
        e("cjson.decode, '[1,2]', 3", "bad argument #1 to '?' (expected 1 argument)");
        err("return cjson.decode('x')", "user_script:1: Expected value but found invalid token at character 1");
    }

    #[test]
    fn encode_nesting_is_bounded_by_the_lua_stack() {
        ok(
            "cjson.encode_max_depth(100000) local a={} local b=a for i=1,10000 do b[1]={} b=b[1] end local ok, e = pcall(cjson.encode, a) local c={} local d=c for i=1,10000 do d.x={} d=d.x end local ok2, e2 = pcall(cjson.encode, c) cjson.encode_max_depth(1000) return e, e2",
            &["Cannot serialise, excessive nesting (7998)", "Cannot serialise, excessive nesting (4000)"],
        );
    }

    #[test]
    fn output_is_capped_before_it_is_built() {
        // 90 MB of NULs would escape to 540 MB.
        e("cjson.encode, string.rep('\\0', 90 * 1024 * 1024)", "Cannot serialise, output too large");
        ok("return #cjson.encode(string.rep('\\0', 1024 * 1024))", &["6291458"]);
    }

    #[test]
    fn big_tables_do_not_exhaust_references() {
        ok("local t = {} for i=1,20000 do t[i] = 'x'..i end return #cjson.encode(t)", &["168895"]);
        ok("local t = {} for i=1,20000 do t['k'..i] = {i} end return #cjson.encode(t)", &["317789"]);
        ok("local t = cjson.decode(cjson.encode((function() local t = {} for i=1,20000 do t[i] = {tostring(i)} end return t end)())) return #t, t[20000][1]", &["20000", "20000"]);
        ok("local t = {} for i=1,20000 do t['k'..i] = 'v'..i end local u = cmsgpack.unpack(cmsgpack.pack(t)) return u.k1, u.k20000", &["v1", "v20000"]);
    }

    #[test]
    fn decode_strict_numbers() {
        ok(
            "cjson.decode_invalid_numbers(false) local r = {} for i, s in ipairs({'[NaN]', '[0x10]', '[-Infinity]', '[01]', '[+1]'}) do local ok, e = pcall(cjson.decode, s) r[i] = e end cjson.decode_invalid_numbers(true) return unpack(r)",
            &[
                "Expected value but found invalid token at character 2",
                "Expected value but found invalid number at character 2",
                "Expected value but found invalid number at character 2",
                "Expected value but found invalid number at character 2",
                "Expected value but found invalid token at character 2",
            ],
        );
    }

    #[test]
    fn decode_nesting_limits() {
        e("cjson.decode, string.rep('[', 1001)", "Found too many nested data structures (1001) at character 1001");
        e(
            "cjson.decode, string.rep('{\"a\":', 1001)",
            "Found too many nested data structures (1001) at character 5001",
        );
        ok("return #cjson.encode(cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000)))", &["2000"]);
        // Raising the limit leaves the Lua stack bound (8000 slots).
        ok(
            "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('[', 100000)) cjson.decode_max_depth(1000) return tostring(e)",
            &["Found too many nested data structures (7999) at character 7999"],
        );
        ok(
            "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('{\"a\":', 100000)) cjson.decode_max_depth(1000) return e",
            &["Found too many nested data structures (4000) at character 19996"],
        );
    }
}
