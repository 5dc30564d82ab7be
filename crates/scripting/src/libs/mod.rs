//! The libraries Redis preloads into its Lua interpreter besides Lua's own
//! base, table, string and math: cjson, cmsgpack, bit and struct.
//!
//! Each library is written in Rust against mlua and mimics the C library Redis
//! 7.0 vendors (lua-cjson 2.1.0, lua-cmsgpack 0.4.0, LuaBitOp 1.0.2,
//! lua-struct 0.9.2) down to its error texts. This module holds what they
//! share: the calling convention that lets a Rust function raise a plain Lua
//! string error exactly where the C library would (`luaL_error` and
//! `luaL_argerror`), argument checks with Lua 5.1's coercions, and the C
//! number conversions whose overflow behaviour scripts can observe.
//!
//! It is not the sandbox: making the tables read-only is the interpreter's job.

pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod structlib;

use std::os::raw::c_int;

use mlua::{ffi, Function, LightUserData, Lua, MultiValue, Value};

/// Installs every library as a global table of `lua`.
pub fn register_all(lua: &Lua) -> mlua::Result<()> {
    let globals = lua.globals();
    globals.raw_set("cjson", cjson::create(lua)?)?;
    globals.raw_set("cmsgpack", cmsgpack::create(lua)?)?;
    globals.raw_set("bit", bit::create(lua)?)?;
    globals.raw_set("struct", structlib::create(lua)?)?;
    Ok(())
}

/// A check the libraries run every few thousand items of work (values
/// encoded or decoded). Tables that share references can make an encoder's
/// work exponential in the script's size, and these loops run no Lua
/// instructions, so a VM hook never sees them: the interpreter installs this
/// with [`set_interrupt_check`] to stop them the way it stops a busy script
/// (for example after `SCRIPT KILL`). An `Err` aborts the library call and
/// is raised as is.
pub struct InterruptCheck(Box<dyn Fn() -> mlua::Result<()> + Send + Sync>);

/// Installs the check the libraries poll during long operations. The check
/// must not touch `lua`'s app data.
pub fn set_interrupt_check(lua: &Lua, check: impl Fn() -> mlua::Result<()> + Send + Sync + 'static) {
    lua.set_app_data(InterruptCheck(Box::new(check)));
}

/// Counts work and polls the interrupt check now and then.
pub(crate) struct Work<'a> {
    lua: &'a Lua,
    n: u32,
}

impl<'a> Work<'a> {
    pub fn new(lua: &'a Lua) -> Self {
        Work { lua, n: 0 }
    }

    #[inline]
    pub fn tick(&mut self) -> LibResult<()> {
        self.n = self.n.wrapping_add(1);
        if self.n.is_multiple_of(4096) {
            if let Some(check) = self.lua.app_data_ref::<InterruptCheck>() {
                (check.0)()?;
            }
        }
        Ok(())
    }
}

/// Lua 5.1's `LUAI_MAXCSTACK`: a C function may hold at most this many stack
/// slots. The C libraries hit it (through `lua_checkstack`) on deep nesting
/// and on huge result counts; we count slots the same way so the same inputs
/// fail with the same message, and so our own work stays bounded.
pub(crate) const MAX_C_STACK: usize = 8000;

/// Upper bound on any string these libraries build (encoders). The C
/// libraries would keep growing until the allocator fails; we stop earlier
/// so a reference-sharing table (a few KB of Lua) cannot make us write
/// gigabytes or run unbounded without yielding to the script time limit.
pub(crate) const MAX_OUTPUT: usize = 512 * 1024 * 1024;

/// Why a library function failed.
pub(crate) enum Fail {
    /// `luaL_error`: the message gets the caller's `chunk:line:` prefix.
    Where(Vec<u8>),
    /// An error the Lua core raises inside a C function (`table index is
    /// nil`): no position prefix.
    Raw(Vec<u8>),
    /// An error from mlua itself (out of memory and the like).
    Lua(mlua::Error),
}

impl From<mlua::Error> for Fail {
    fn from(e: mlua::Error) -> Self {
        Fail::Lua(e)
    }
}

pub(crate) type LibResult<T> = Result<T, Fail>;

pub(crate) fn fail<T>(msg: impl Into<Vec<u8>>) -> LibResult<T> {
    Err(Fail::Where(msg.into()))
}

// Markers the Rust half of a function returns to its C trampoline. Their
// addresses are private, so no script can forge them.
// Distinct values keep the three statics from ever being merged.
static ERR_WHERE: u8 = 1;
static ERR_RAW: u8 = 2;
static SPREAD: u8 = 3;

fn marker(m: &'static u8) -> Value {
    Value::LightUserData(LightUserData(m as *const u8 as *mut std::ffi::c_void))
}

/// Results above this count travel in a table and are spread on the Lua stack
/// by the trampoline, so mlua never has to push thousands of values itself.
const SPREAD_ABOVE: usize = 16;

/// The C half of every library function. mlua raises errors as userdata; the
/// libraries must raise strings, prefixed like `luaL_error` does with the
/// position of the *calling* Lua code. A C frame between the caller and the
/// Rust code gives exactly the stack shape of the original C function, so
/// `luaL_where(L, 1)` and the function name in `bad argument` messages come
/// out as in Redis, tail calls included.
unsafe extern "C-unwind" fn trampoline(state: *mut ffi::lua_State) -> c_int {
    let nargs = ffi::lua_gettop(state);
    ffi::lua_pushvalue(state, ffi::lua_upvalueindex(1));
    ffi::lua_insert(state, 1);
    // Errors from mlua itself propagate through here untouched; this frame
    // owns nothing that needs dropping.
    ffi::lua_call(state, nargs, ffi::LUA_MULTRET);
    let nres = ffi::lua_gettop(state);
    if nres >= 1 && ffi::lua_type(state, 1) == ffi::LUA_TLIGHTUSERDATA {
        let p = ffi::lua_touserdata(state, 1) as *const u8;
        if std::ptr::eq(p, &ERR_WHERE) {
            ffi::luaL_where(state, 1);
            ffi::lua_pushvalue(state, 2);
            ffi::lua_concat(state, 2);
            ffi::lua_error(state);
        }
        if std::ptr::eq(p, &ERR_RAW) {
            ffi::lua_pushvalue(state, 2);
            ffi::lua_error(state);
        }
        if std::ptr::eq(p, &SPREAD) {
            // Stack: marker, table, count.
            let n = ffi::lua_tointeger(state, 3) as c_int;
            ffi::lua_pushvalue(state, 2);
            ffi::lua_replace(state, 1);
            ffi::lua_settop(state, 1);
            if ffi::lua_checkstack(state, n) == 0 {
                ffi::luaL_error(state, c"stack overflow".as_ptr());
            }
            for i in 1..=n {
                ffi::lua_rawgeti(state, 1, i as _);
            }
            return n;
        }
    }
    nres
}

/// Wraps a Rust implementation into a Lua function that behaves like a C
/// library function: `Fail::Where` becomes a `luaL_error`, and the returned
/// values are the function's results.
pub(crate) fn lib_fn<F>(lua: &Lua, f: F) -> mlua::Result<Function>
where
    F: Fn(&Lua, MultiValue) -> LibResult<Vec<Value>> + 'static,
{
    let inner = lua.create_function(move |lua, args: MultiValue| {
        let out = match f(lua, args) {
            Ok(vals) if vals.len() > SPREAD_ABOVE => {
                let n = vals.len();
                let t = lua.create_table_with_capacity(n, 0)?;
                for (i, v) in vals.into_iter().enumerate() {
                    t.raw_seti(i + 1, v)?;
                }
                vec![marker(&SPREAD), Value::Table(t), Value::Integer(n as i64)]
            }
            Ok(vals) => vals,
            Err(Fail::Where(msg)) => vec![marker(&ERR_WHERE), Value::String(lua.create_string(&msg)?)],
            Err(Fail::Raw(msg)) => vec![marker(&ERR_RAW), Value::String(lua.create_string(&msg)?)],
            Err(Fail::Lua(e)) => return Err(e),
        };
        Ok(MultiValue::from_vec(out))
    })?;
    // SAFETY: `trampoline` only uses its one upvalue and the documented
    // stack protocol above.
    unsafe {
        lua.exec_raw::<Function>(inner, |state| {
            ffi::lua_pushcclosure(state, trampoline, 1);
        })
    }
}

/// Arguments of one call, with the checks of Lua 5.1's auxiliary library.
pub(crate) struct Args<'a> {
    pub lua: &'a Lua,
    pub vals: Vec<Value>,
}

impl<'a> Args<'a> {
    pub fn new(lua: &'a Lua, args: MultiValue) -> Self {
        Args { lua, vals: args.into_vec() }
    }

    /// `lua_gettop`.
    pub fn len(&self) -> usize {
        self.vals.len()
    }

    /// Argument `n` (1-based), `None` when absent.
    pub fn get(&self, n: usize) -> Option<&Value> {
        self.vals.get(n - 1)
    }

    pub fn is_none_or_nil(&self, n: usize) -> bool {
        matches!(self.get(n), None | Some(Value::Nil))
    }

    /// `luaL_argerror`: the name is the one the caller used for us.
    pub fn arg_error(&self, narg: i32, extramsg: &[u8]) -> Fail {
        arg_error(self.lua, narg, extramsg)
    }

    /// `luaL_typerror`.
    pub fn type_error(&self, narg: usize, tname: &str) -> Fail {
        let msg = format!("{} expected, got {}", tname, type_name(self.get(narg)));
        self.arg_error(narg as i32, msg.as_bytes())
    }

    /// `lua_tonumber`: numbers, and strings that convert.
    pub fn to_number(&self, n: usize) -> LibResult<Option<f64>> {
        Ok(match self.get(n) {
            Some(v) => to_number(self.lua, v)?,
            None => None,
        })
    }

    /// `luaL_checknumber`.
    pub fn check_number(&self, n: usize) -> LibResult<f64> {
        match self.to_number(n)? {
            Some(x) => Ok(x),
            None => Err(self.type_error(n, "number")),
        }
    }

    /// `luaL_checkinteger`: the number truncated like C's cast to `long`.
    pub fn check_integer(&self, n: usize) -> LibResult<i64> {
        Ok(c_f64_to_i64(self.check_number(n)?))
    }

    /// `luaL_optinteger`.
    pub fn opt_integer(&self, n: usize, def: i64) -> LibResult<i64> {
        if self.is_none_or_nil(n) {
            Ok(def)
        } else {
            self.check_integer(n)
        }
    }

    /// `luaL_checklstring`: strings, and numbers converted with `%.14g`.
    pub fn check_bytes(&self, n: usize) -> LibResult<Vec<u8>> {
        match self.get(n) {
            Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
            Some(v @ (Value::Integer(_) | Value::Number(_))) => match self.lua.coerce_string(v.clone())? {
                Some(s) => Ok(s.as_bytes().to_vec()),
                None => Err(self.type_error(n, "string")),
            },
            _ => Err(self.type_error(n, "string")),
        }
    }
}

/// `luaL_argerror`, for the library function currently running.
pub(crate) fn arg_error(lua: &Lua, mut narg: i32, extramsg: &[u8]) -> Fail {
    // Level 0 is the Rust function, level 1 the trampoline the script called.
    let (name, what) = lua
        .inspect_stack(1, |d| {
            let n = d.names();
            (n.name.map(|s| s.into_owned()), n.name_what)
        })
        .unwrap_or((None, None));
    let mut msg = Vec::new();
    if what == Some("method") {
        narg -= 1;
        if narg == 0 {
            msg.extend_from_slice(format!("calling '{}' on bad self (", name.as_deref().unwrap_or("?")).as_bytes());
            msg.extend_from_slice(extramsg);
            msg.push(b')');
            return Fail::Where(msg);
        }
    }
    msg.extend_from_slice(format!("bad argument #{} to '{}' (", narg, name.as_deref().unwrap_or("?")).as_bytes());
    msg.extend_from_slice(extramsg);
    msg.push(b')');
    Fail::Where(msg)
}

/// `luaL_typename`.
pub(crate) fn type_name(v: Option<&Value>) -> &'static str {
    match v {
        None => "no value",
        Some(Value::Nil) => "nil",
        Some(Value::Boolean(_)) => "boolean",
        Some(Value::Integer(_) | Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Table(_)) => "table",
        Some(Value::Function(_)) => "function",
        Some(Value::Thread(_)) => "thread",
        Some(_) => "userdata",
    }
}

/// `lua_tonumber` on a value.
pub(crate) fn to_number(lua: &Lua, v: &Value) -> mlua::Result<Option<f64>> {
    Ok(match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Number(n) => Some(*n),
        Value::String(_) => lua.coerce_number(v.clone())?,
        _ => None,
    })
}

/// A Lua number value (what `lua_pushnumber` pushes).
pub(crate) fn num(n: f64) -> Value {
    Value::Number(n)
}

/// C's `(long)d` on x86-64 (`cvttsd2si`): out of range and NaN give the
/// "integer indefinite" value `i64::MIN`, where Rust's `as` would saturate.
pub(crate) fn c_f64_to_i64(d: f64) -> i64 {
    if d.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&d) {
        i64::MIN
    } else {
        d as i64
    }
}

/// C's `(int)d` on x86-64.
pub(crate) fn c_f64_to_i32(d: f64) -> i32 {
    if d.is_nan() || d >= 2_147_483_648.0 || d <= -2_147_483_649.0 {
        i32::MIN
    } else {
        d as i32
    }
}

/// C's `(unsigned long)d` as gcc compiles it for x86-64: values from 2^63
/// are shifted down by 2^63 before the signed conversion and flipped back.
pub(crate) fn c_f64_to_u64(d: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if d >= TWO63 {
        (c_f64_to_i64(d - TWO63) as u64) ^ (1 << 63)
    } else {
        c_f64_to_i64(d) as u64
    }
}

/// C's `%.<prec>g` for a finite or infinite double (NaN prints as `nan`).
pub(crate) fn fmt_g(x: f64, prec: usize) -> String {
    let prec = prec.max(1);
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Integers that fit in `prec` digits print as themselves.
    if x.fract() == 0.0 && x.abs() < 10f64.powi(prec as i32) {
        return format!("{}", x as i64);
    }
    // When the shortest round-trip digits are no more than `prec`, they are
    // also what rounding the exact value to `prec` digits gives (the
    // difference is far below half a unit in the last place), so the cheap
    // shortest formatting can stand in for the exact one.
    // Only for normal numbers (a subnormal's unit is far larger relative to
    // it) and up to 14 digits, comfortably above a double's 2^-52 spacing.
    let short = if x.is_normal() && prec <= 14 { format!("{:e}", x) } else { String::new() };
    if let Some((mant, exp)) = short.split_once('e') {
        let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() <= prec {
            let exp: i32 = exp.parse().unwrap_or(0);
            return g_from_digits(x < 0.0, &digits, exp, prec);
        }
    }
    let e = format!("{:.*e}", prec - 1, x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= prec as i32 {
        let mant = strip_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", mant, sign, exp.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, x)).to_string()
    }
}

/// `%g` layout of significant `digits` (no trailing zeros) times 10^`exp`
/// (the exponent of the first digit).
fn g_from_digits(neg: bool, digits: &str, exp: i32, prec: usize) -> String {
    let mut out = String::with_capacity(digits.len() + 8);
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= prec as i32 {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// C's `strtod` in the "C" locale as glibc implements it: the longest prefix
/// that is a decimal or hexadecimal number, `inf`/`infinity` or `nan[(...)]`.
/// Returns the value and the bytes consumed, `None` when nothing matched.
pub(crate) fn c_strtod(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    let sign = |v: f64| if neg { -v } else { v };
    if starts(b"infinity") {
        return Some((sign(f64::INFINITY), i + 8));
    }
    if starts(b"inf") {
        return Some((sign(f64::INFINITY), i + 3));
    }
    if starts(b"nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            let mut j = end + 1;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                j += 1;
            }
            if s.get(j) == Some(&b')') {
                end = j + 1;
            }
        }
        return Some((sign(f64::NAN), end));
    }
    if (starts(b"0x"))
        && rest.len() > 2
        && (rest[2].is_ascii_hexdigit() || (rest[2] == b'.' && rest.get(3).is_some_and(|c| c.is_ascii_hexdigit())))
    {
        let (v, n) = parse_hex(&rest[2..]);
        return Some((sign(v), i + 2 + n));
    }
    // Decimal: digits [. digits] [e [sign] digits], at least one digit.
    let mut j = 0;
    let mut text = String::new();
    while j < rest.len() && rest[j].is_ascii_digit() {
        text.push(rest[j] as char);
        j += 1;
    }
    let mut digits = j;
    if j < rest.len() && rest[j] == b'.' {
        let mut k = j + 1;
        let mut frac = String::new();
        while k < rest.len() && rest[k].is_ascii_digit() {
            frac.push(rest[k] as char);
            k += 1;
        }
        digits += k - j - 1;
        if digits > 0 {
            j = k;
            text.push('.');
            text.push_str(&frac);
        }
    }
    if digits == 0 {
        return None;
    }
    if j < rest.len() && (rest[j] == b'e' || rest[j] == b'E') {
        let mut k = j + 1;
        let mut exp = String::from("e");
        if k < rest.len() && (rest[k] == b'+' || rest[k] == b'-') {
            exp.push(rest[k] as char);
            k += 1;
        }
        let start = k;
        while k < rest.len() && rest[k].is_ascii_digit() {
            exp.push(rest[k] as char);
            k += 1;
        }
        if k > start {
            j = k;
            text.push_str(&exp);
        }
    }
    if text.starts_with('.') {
        text.insert(0, '0');
    }
    let v: f64 = text.parse().unwrap_or(0.0);
    Some((sign(v), i + j))
}

/// Hexadecimal significand (after `0x`) with an optional binary exponent.
fn parse_hex(s: &[u8]) -> (f64, usize) {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut i = 0;
    let mut seen_dot = false;
    while i < s.len() {
        let c = s[i];
        if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            if mant < (1u64 << 59) {
                mant = mant * 16 + d as u64;
                if seen_dot {
                    exp -= 4;
                }
            } else if !seen_dot {
                exp += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if i < s.len() && (s[i] == b'p' || s[i] == b'P') {
        let mut k = i + 1;
        let mut eneg = false;
        if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
            eneg = s[k] == b'-';
            k += 1;
        }
        let start = k;
        let mut e: i64 = 0;
        while k < s.len() && s[k].is_ascii_digit() {
            e = (e * 10 + (s[k] - b'0') as i64).min(100_000);
            k += 1;
        }
        if k > start {
            exp += if eneg { -e } else { e };
            i = k;
        }
    }
    let v = (mant as f64) * 2f64.powi(exp.clamp(-2000, 2000) as i32);
    (v, i)
}

#[cfg(test)]
pub(crate) mod testutil {
    use mlua::{Lua, Value};

    /// A bare interpreter with the libraries, running `code` as a chunk named
    /// `user_script` (as Redis names scripts) and returning its results
    /// rendered as strings, or the error message.
    pub fn run(code: &str) -> Result<Vec<String>, String> {
        let lua = Lua::new();
        super::register_all(&lua).unwrap();
        run_in(&lua, code)
    }

    pub fn run_in(lua: &Lua, code: &str) -> Result<Vec<String>, String> {
        let f = lua.load(code).set_name("@user_script").into_function().map_err(|e| e.to_string())?;
        // Call through Lua's own pcall so errors come back as Lua values,
        // exactly what a script's pcall would see.
        let pcall: mlua::Function = lua.globals().get("pcall").unwrap();
        let res: mlua::MultiValue = pcall.call(f).map_err(|e| e.to_string())?;
        let mut vals = res.into_vec();
        let ok = matches!(vals.remove(0), Value::Boolean(true));
        let rendered: Vec<String> = vals.iter().map(render).collect();
        if ok {
            Ok(rendered)
        } else {
            Err(rendered.into_iter().next().unwrap_or_default())
        }
    }

    pub fn render(v: &Value) -> String {
        match v {
            Value::Nil => "nil".into(),
            Value::Boolean(b) => b.to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Number(n) => super::fmt_g(*n, 14),
            Value::String(s) => String::from_utf8_lossy(&s.as_bytes()).into_owned(),
            Value::LightUserData(p) if p.0.is_null() => "userdata: NULL".into(),
            other => other.type_name().into(),
        }
    }

    /// Runs `code` and expects exactly these results.
    #[track_caller]
    pub fn ok(code: &str, want: &[&str]) {
        assert_eq!(run(code), Ok(want.iter().map(|s| s.to_string()).collect()), "{code}");
    }

    /// Runs `code` and expects this error message.
    #[track_caller]
    pub fn err(code: &str, want: &str) {
        assert_eq!(run(code), Err(want.to_string()), "{code}");
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn g_format_matches_c() {
        assert_eq!(fmt_g(0.1, 14), "0.1");
        assert_eq!(fmt_g(1.0 / 3.0, 14), "0.33333333333333");
        assert_eq!(fmt_g(1e20, 14), "1e+20");
        assert_eq!(fmt_g(-0.0, 14), "-0");
        assert_eq!(fmt_g(123456789012345678.0, 14), "1.2345678901235e+17");
        assert_eq!(fmt_g(2f64.powi(53), 14), "9.007199254741e+15");
        assert_eq!(fmt_g(1e-5, 14), "1e-05");
        assert_eq!(fmt_g(0.0001, 14), "0.0001");
        assert_eq!(fmt_g(12345678901234.0, 14), "12345678901234");
        assert_eq!(fmt_g(123456789012345.0, 14), "1.2345678901234e+14");
        assert_eq!(fmt_g(1234567.0, 3), "1.23e+06");
        assert_eq!(fmt_g(100.0, 3), "100");
        assert_eq!(fmt_g(5e-324, 14), "4.9406564584125e-324");
        assert_eq!(fmt_g(1.5, 14), "1.5");
        assert_eq!(fmt_g(-0.5, 14), "-0.5");
        assert_eq!(fmt_g(0.00012, 14), "0.00012");
        assert_eq!(fmt_g(123.456, 14), "123.456");
        assert_eq!(fmt_g(1.5e300, 14), "1.5e+300");
        assert_eq!(fmt_g(1.25e-7, 14), "1.25e-07");
        assert_eq!(fmt_g(99999999999999.0, 14), "99999999999999");
        assert_eq!(fmt_g(100000000000000.0, 14), "1e+14");
        assert_eq!(fmt_g(0.1 + 0.2, 14), "0.3");
        assert_eq!(fmt_g(2.5, 1), "2");
        assert_eq!(fmt_g(12.5, 2), "12");
        assert_eq!(fmt_g(1234.5, 3), "1.23e+03");
        // Cross-check the fast paths against the exact one.
        for i in 0..20000u32 {
            let x =
                f64::from_bits(0x3f00_0000_0000_0000u64.wrapping_add((i as u64).wrapping_mul(0x0000_1234_5678_9abd)));
            for p in [1usize, 3, 6, 14] {
                let e = format!("{:.*e}", p - 1, x);
                let (m, ex) = e.split_once('e').unwrap();
                let ex: i32 = ex.parse().unwrap();
                let want = if ex < -4 || ex >= p as i32 {
                    format!("{}e{}{:02}", strip_zeros(m), if ex < 0 { '-' } else { '+' }, ex.abs())
                } else {
                    strip_zeros(&format!("{:.*}", (p as i32 - 1 - ex).max(0) as usize, x)).to_string()
                };
                assert_eq!(fmt_g(x, p), want, "{x:e} at {p}");
            }
        }
    }

    #[test]
    fn strtod_prefixes() {
        assert_eq!(c_strtod(b"1e5]"), Some((100000.0, 3)));
        assert_eq!(c_strtod(b"1e]"), Some((1.0, 1)));
        assert_eq!(c_strtod(b"1."), Some((1.0, 2)));
        assert_eq!(c_strtod(b"-.5"), Some((-0.5, 3)));
        assert_eq!(c_strtod(b"0x10,"), Some((16.0, 4)));
        assert_eq!(c_strtod(b"0x"), Some((0.0, 1)));
        assert_eq!(c_strtod(b"-Infinity"), Some((f64::NEG_INFINITY, 9)));
        assert_eq!(c_strtod(b"infx"), Some((f64::INFINITY, 3)));
        assert_eq!(c_strtod(b"-"), None);
        assert_eq!(c_strtod(b"."), None);
        assert!(c_strtod(b"nan").unwrap().0.is_nan());
    }

    #[test]
    fn c_casts_match_x86() {
        assert_eq!(c_f64_to_u64(2f64.powi(64)), 0);
        assert_eq!(c_f64_to_u64(f64::NAN), 1 << 63);
        assert_eq!(c_f64_to_u64(2f64.powi(63)), 1 << 63);
        assert_eq!(c_f64_to_u64(-1.0), u64::MAX);
        assert_eq!(c_f64_to_i64(-2f64.powi(64)), i64::MIN);
        assert_eq!(c_f64_to_i32(1e10), i32::MIN);
        assert_eq!(c_f64_to_i32(-1.5), -1);
    }

    #[test]
    fn errors_are_strings_with_the_callers_position() {
        // From a Lua function: prefixed; straight from pcall (a C function):
        // not prefixed; the name is the one the caller used.
        err("return bit.tohex()", "user_script:1: bad argument #1 to 'tohex' (number expected, got no value)");
        ok(
            "local ok, e = pcall(bit.tohex) return type(e), e",
            &["string", "bad argument #1 to '?' (number expected, got no value)"],
        );
        ok(
            "local f = bit.tohex local ok, e = pcall(function() return f() end) return e",
            &["user_script:1: bad argument #1 to 'f' (number expected, got no value)"],
        );
        ok(
            "local ok, e = pcall(function()\n local x = bit.tohex('a') return x end) return e",
            &["user_script:2: bad argument #1 to 'tohex' (number expected, got string)"],
        );
        ok(
            "local ok, e = pcall(cjson.decode, 'x') return e",
            &["Expected value but found invalid token at character 1"],
        );
    }

    #[test]
    fn interrupt_check_stops_long_library_calls() {
        use std::sync::atomic::{AtomicU32, Ordering};
        use std::sync::Arc;
        let lua = Lua::new();
        register_all(&lua).unwrap();
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        set_interrupt_check(&lua, move || {
            seen.fetch_add(1, Ordering::Relaxed);
            Err(mlua::Error::RuntimeError("Script killed by user with SCRIPT KILL...".into()))
        });
        // Shared references make these exponential: 2^40 and 4^20 values.
        for call in [
            "local t = {} for i = 1, 40 do t = {t, t} end cjson.encode_max_depth(100) return pcall(cjson.encode, t)",
            "local t = {} for i = 1, 20 do t = {t, t, t, t} end return pcall(cmsgpack.pack, t)",
            "return pcall(cmsgpack.unpack, string.rep('\\1', 100000))",
            "return pcall(cjson.decode, '[' .. string.rep('1,', 100000) .. '1]')",
        ] {
            let r = testutil::run_in(&lua, &format!("local ok, e = (function() {call} end)() return ok, tostring(e)"));
            let r = r.unwrap();
            assert_eq!(r[0], "false", "{call}");
            assert!(r[1].contains("Script killed"), "{call}: {r:?}");
        }
        assert_eq!(calls.load(Ordering::Relaxed), 4);
        lua.globals()
            .get::<mlua::Table>("cjson")
            .unwrap()
            .get::<mlua::Function>("encode_max_depth")
            .unwrap()
            .call::<()>(1000)
            .unwrap();
    }

    #[test]
    fn libraries_have_the_redis_fields() {
        ok(
            "local r = {} for _, t in ipairs({cjson, cmsgpack, bit, struct}) do local k = {} for n, v in pairs(t) do k[#k+1] = n .. '=' .. type(v) end table.sort(k) r[#r+1] = table.concat(k, ',') end return unpack(r)",
            &[
                "_NAME=string,_VERSION=string,decode=function,decode_invalid_numbers=function,decode_max_depth=function,encode=function,encode_invalid_numbers=function,encode_keep_buffer=function,encode_max_depth=function,encode_number_precision=function,encode_sparse_array=function,new=function,null=userdata",
                "_COPYRIGHT=string,_DESCRIPTION=string,_NAME=string,_VERSION=string,pack=function,unpack=function,unpack_limit=function,unpack_one=function",
                "arshift=function,band=function,bnot=function,bor=function,bswap=function,bxor=function,lshift=function,rol=function,ror=function,rshift=function,tobit=function,tohex=function",
                "pack=function,size=function,unpack=function",
            ],
        );
    }
}
