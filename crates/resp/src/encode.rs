//! The reply encoder: writes RESP2 or RESP3 replies into a byte buffer, plus
//! Redis's double formatting. It is not a socket writer (the caller sends
//! [`Out::as_bytes`]) and does not decide what a command replies.
//!
//! # Double formatting
//!
//! Redis has two textual forms for doubles, both reproduced here:
//!
//! * [`format_double`] is Redis 7.2's `d2string`, used for every double reply
//!   (`ZSCORE`, `ZINCRBY`, `GEODIST`, RESP3 `,` frames): `nan`, `inf`, `-inf`,
//!   `0`, `-0`; integral values in [-2^62, 2^62] as integers (Redis's
//!   `double2ll` window is `LLONG_MAX/2`, not 2^53); everything else as the
//!   shortest digits that round-trip, laid out by fpconv's rules (plain
//!   integer when the exponent allows, fixed notation for at most six
//!   fractional digits or an exponent within ±3, otherwise `d.ddde±X` with an
//!   unpadded exponent: `1e+21`, `1.5e-7`, `1.234567890123e+5`). Redis gets
//!   its digits from Grisu2, which in rare cases (a fraction of a percent of
//!   random doubles) emits a digit more than the shortest; we always emit the
//!   shortest, so those rare values print differently.
//! * [`format_double_17g`] is C's `%.17g`, which Redis 7.0 used for the same
//!   replies (`1.1` prints as `1.1000000000000001`).

use std::fmt::Write as _;

/// A reply being built for one client; RESP2 or RESP3 per `HELLO`.
///
/// Every method appends exactly one RESP element (or an aggregate header
/// whose elements the caller appends next). Nothing here fails.
#[derive(Debug, Clone, Default)]
pub struct Out {
    /// The encoded bytes so far.
    pub buf: Vec<u8>,
    resp3: bool,
    /// Most bytes the buffer may hold (0 = no limit); see [`set_limit`](Self::set_limit).
    limit: usize,
    overflow: bool,
}

impl Out {
    /// An empty reply buffer speaking RESP3 if `resp3`, else RESP2.
    pub fn new(resp3: bool) -> Self {
        Out { buf: Vec::new(), resp3, limit: 0, overflow: false }
    }

    /// Caps the buffer (the client's output-buffer hard limit). Once it is
    /// passed, the buffer is freed, every later write is dropped, and
    /// [`overflowed`](Self::overflowed) turns true: the connection must then
    /// be closed. This bounds memory even for a single huge reply
    /// (`HRANDFIELD h -999999999`), which a check after the command could not.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// True once the limit was passed (sticky until [`reset_overflow`](Self::reset_overflow)).
    #[inline]
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// Clears the overflow state (a fresh connection state).
    pub fn reset_overflow(&mut self) {
        self.overflow = false;
    }

    /// False when the write must be dropped (limit passed).
    #[inline]
    fn room(&mut self) -> bool {
        if self.overflow {
            return false;
        }
        if self.limit != 0 && self.buf.len() > self.limit {
            self.overflow = true;
            self.buf = Vec::new();
            return false;
        }
        true
    }

    /// Switches protocol for the replies that follow (HELLO 2 / HELLO 3).
    pub fn set_resp3(&mut self, on: bool) {
        self.resp3 = on;
    }

    /// Whether replies are encoded as RESP3.
    pub fn resp3(&self) -> bool {
        self.resp3
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Number of encoded bytes.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been encoded.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops the encoded bytes, keeping the allocation.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Drops the encoded bytes and, when the buffer grew past `keep` bytes
    /// (a large reply or pipeline), its allocation too, so an idle client
    /// does not hold its largest reply's memory, as Redis frees reply blocks.
    pub fn clear_and_shrink(&mut self, keep: usize) {
        self.buf.clear();
        if self.buf.capacity() > keep {
            self.buf = Vec::new();
        }
    }

    /// Drops everything encoded after the first `len` bytes (CLIENT REPLY
    /// OFF/SKIP discards a command's reply this way).
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    /// Takes the encoded bytes, leaving the buffer empty (and unallocated).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    /// Simple string `+s\r\n`. A `\r` or `\n` in `s` would break framing and
    /// is written as a space.
    pub fn simple(&mut self, s: &[u8]) {
        if !self.room() {
            return;
        }
        self.buf.push(b'+');
        self.push_line_sanitised(s);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `+OK\r\n`.
    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// Error `-msg\r\n`. `msg` is the full text including its code, such as
    /// `ERR syntax error` or `WRONGTYPE Operation against a key holding the
    /// wrong kind of value`. Like Redis, any `\r` or `\n` in `msg` is written
    /// as a space.
    pub fn error(&mut self, msg: &str) {
        self.buf.push(b'-');
        self.push_line_sanitised(msg.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Integer `:n\r\n`.
    pub fn int(&mut self, n: i64) {
        if !self.room() {
            return;
        }
        self.buf.push(b':');
        push_i64(&mut self.buf, n);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Bulk string `$len\r\nb\r\n`.
    pub fn bulk(&mut self, b: &[u8]) {
        if !self.room() {
            return;
        }
        // One reservation for header, payload and CRLF: long replies of
        // small bulks (LRANGE, HGETALL) are dominated by this function.
        self.buf.reserve(b.len() + 25);
        self.header(b'$', b.len());
        self.buf.extend_from_slice(b);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Null bulk: `$-1\r\n` in RESP2, `_\r\n` in RESP3.
    pub fn null(&mut self) {
        if !self.room() {
            return;
        }
        if self.resp3 {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"$-1\r\n");
        }
    }

    /// Null array: `*-1\r\n` in RESP2, `_\r\n` in RESP3.
    pub fn null_array(&mut self) {
        if !self.room() {
            return;
        }
        if self.resp3 {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"*-1\r\n");
        }
    }

    /// Array header `*n\r\n`; the caller appends `n` elements.
    pub fn array(&mut self, n: usize) {
        self.header(b'*', n);
    }

    /// Map header of `n` pairs: `%n` in RESP3, a flat array `*2n` in RESP2.
    /// The caller appends `2n` elements, key then value.
    pub fn map(&mut self, n: usize) {
        if self.resp3 {
            self.header(b'%', n);
        } else {
            self.header(b'*', n.saturating_mul(2));
        }
    }

    /// Set header: `~n` in RESP3, `*n` in RESP2.
    pub fn set(&mut self, n: usize) {
        self.header(if self.resp3 { b'~' } else { b'*' }, n);
    }

    /// Push header (pub/sub messages, invalidations): `>n` in RESP3, `*n` in
    /// RESP2.
    pub fn push(&mut self, n: usize) {
        self.header(if self.resp3 { b'>' } else { b'*' }, n);
    }

    /// Double: `,<format_double(d)>\r\n` in RESP3, a bulk string of
    /// [`format_double`] in RESP2.
    pub fn double(&mut self, d: f64) {
        if !self.room() {
            return;
        }
        let mut text = NumBuf::new();
        write_double(&mut text, d);
        if self.resp3 {
            self.buf.push(b',');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text.as_bytes());
        }
    }

    /// Boolean: `#t` / `#f` in RESP3, `:1` / `:0` in RESP2.
    pub fn boolean(&mut self, b: bool) {
        if !self.room() {
            return;
        }
        let bytes: &[u8] = match (self.resp3, b) {
            (true, true) => b"#t\r\n",
            (true, false) => b"#f\r\n",
            (false, true) => b":1\r\n",
            (false, false) => b":0\r\n",
        };
        self.buf.extend_from_slice(bytes);
    }

    /// Verbatim string: `=len\r\nfmt:b\r\n` in RESP3, a plain bulk of `b` in
    /// RESP2. `format` is the three-byte type such as `txt` or `mkd`.
    pub fn verbatim(&mut self, format: &str, b: &[u8]) {
        if !self.room() {
            return;
        }
        debug_assert_eq!(format.len(), 3, "verbatim format must be 3 bytes");
        if self.resp3 {
            self.header(b'=', format.len() + 1 + b.len());
            self.buf.extend_from_slice(format.as_bytes());
            self.buf.push(b':');
            self.buf.extend_from_slice(b);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(b);
        }
    }

    /// Big number: `(digits\r\n` in RESP3, a bulk of `digits` in RESP2.
    pub fn big_number(&mut self, digits: &str) {
        if !self.room() {
            return;
        }
        if self.resp3 {
            self.buf.push(b'(');
            self.buf.extend_from_slice(digits.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(digits.as_bytes());
        }
    }

    /// Appends already-encoded RESP bytes as they are.
    pub fn raw(&mut self, b: &[u8]) {
        if !self.room() {
            return;
        }
        self.buf.extend_from_slice(b);
    }

    /// `<prefix><n>\r\n`.
    fn header(&mut self, prefix: u8, n: usize) {
        if !self.room() {
            return;
        }
        // Built on the stack and appended with one copy.
        let mut tmp = [0u8; 24];
        tmp[0] = prefix;
        let len = fmt_u64(&mut tmp[1..21], n as u64);
        tmp[1 + len] = b'\r';
        tmp[2 + len] = b'\n';
        self.buf.extend_from_slice(&tmp[..3 + len]);
    }

    fn push_line_sanitised(&mut self, s: &[u8]) {
        if s.iter().any(|&c| c == b'\r' || c == b'\n') {
            self.buf.extend(s.iter().map(|&c| match c {
                b'\r' | b'\n' => b' ',
                other => other,
            }));
        } else {
            self.buf.extend_from_slice(s);
        }
    }
}

/// Appends the decimal digits of `v`.
fn push_u64(out: &mut Vec<u8>, v: u64) {
    let mut tmp = [0u8; 20];
    let len = fmt_u64(&mut tmp, v);
    out.extend_from_slice(&tmp[..len]);
}

/// Two-digit pairs "00".."99", to format two digits per division.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `v` in decimal at the start of `out` (20 bytes hold any u64);
/// returns the length.
#[inline]
fn fmt_u64(out: &mut [u8], mut v: u64) -> usize {
    if v < 10 {
        out[0] = b'0' + v as u8;
        return 1;
    }
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[d..d + 2]);
    } else {
        i -= 1;
        tmp[i] = b'0' + v as u8;
    }
    let len = tmp.len() - i;
    out[..len].copy_from_slice(&tmp[i..]);
    len
}

/// Appends `n` in decimal, `-` first if negative (`i64::MIN` included).
fn push_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    push_u64(out, n.unsigned_abs());
}

/// Stack buffer for number formatting, so replies avoid a `String` per
/// double. 40 bytes hold the longest output of either format (24 bytes).
struct NumBuf {
    bytes: [u8; 40],
    len: usize,
}

impl NumBuf {
    fn new() -> Self {
        NumBuf { bytes: [0; 40], len: 0 }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn push(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    fn extend(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    fn into_string(self) -> String {
        // Only ASCII is ever written.
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }
}

impl std::fmt::Write for NumBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.len + s.len() > self.bytes.len() {
            return Err(std::fmt::Error);
        }
        self.extend(s.as_bytes());
        Ok(())
    }
}

/// Significant digits and decimal exponent of a finite, non-zero `|d|` as
/// printed by `{:e}` / `{:.Ne}`: `1.2345e-7` gives digits `12345`, exponent -7.
struct Decimal {
    digits: [u8; 32],
    ndigits: usize,
    exp: i32,
}

impl Decimal {
    /// Parses the output of Rust's `LowerExp` formatting.
    fn from_exp_form(text: &[u8]) -> Decimal {
        let mut d = Decimal { digits: [0; 32], ndigits: 0, exp: 0 };
        let mut i = 0;
        while i < text.len() && text[i] != b'e' {
            if text[i].is_ascii_digit() {
                d.digits[d.ndigits] = text[i];
                d.ndigits += 1;
            }
            i += 1;
        }
        let exp_text = std::str::from_utf8(&text[i + 1..]).unwrap_or("0");
        d.exp = exp_text.parse().unwrap_or(0);
        d
    }

    fn digits(&self) -> &[u8] {
        &self.digits[..self.ndigits]
    }

    /// Shortest round-trip digits of `|d|`.
    fn shortest(d: f64) -> Decimal {
        let mut text = NumBuf::new();
        // Cannot fail: the longest form is 23 bytes.
        let _ = write!(text, "{:e}", d.abs());
        Decimal::from_exp_form(text.as_bytes())
    }

    /// `|d|` correctly rounded to 17 significant digits.
    fn seventeen(d: f64) -> Decimal {
        let mut text = NumBuf::new();
        let _ = write!(text, "{:.16e}", d.abs());
        Decimal::from_exp_form(text.as_bytes())
    }
}

/// Writes `-` if negative, then `inf` / `nan` for non-finite values; returns
/// whether it handled the value.
fn write_special(out: &mut NumBuf, d: f64, signed_nan: bool) -> bool {
    if d.is_nan() {
        if signed_nan && d.is_sign_negative() {
            out.push(b'-');
        }
        out.extend(b"nan");
        true
    } else if d.is_infinite() {
        out.extend(if d < 0.0 { b"-inf" } else { b"inf" });
        true
    } else {
        false
    }
}

/// Redis 7.2 `d2string` (see the module documentation).
fn write_double(out: &mut NumBuf, d: f64) {
    if write_special(out, d, false) {
        return;
    }
    if d == 0.0 {
        out.extend(if d.is_sign_negative() { b"-0" } else { b"0" });
        return;
    }
    // Redis's double2ll: (double)(LLONG_MAX/2) rounds to 2^62, and every
    // double in that window converts to i64 exactly when it is integral.
    const WINDOW: f64 = 4_611_686_018_427_387_904.0; // 2^62
    if (-WINDOW..=WINDOW).contains(&d) && d.trunc() == d {
        let mut digits = Vec::with_capacity(20);
        push_i64(&mut digits, d as i64);
        out.extend(&digits);
        return;
    }

    if d < 0.0 {
        out.push(b'-');
    }
    let dec = Decimal::shortest(d);
    let digits = dec.digits();
    let n = digits.len() as i32;
    // The value is digits x 10^k; dec.exp is the exponent of the first digit.
    let k = dec.exp - (n - 1);
    let abs_exp = dec.exp.abs();

    if k >= 0 && abs_exp < n + 7 {
        // Plain integer, padded with zeros.
        out.extend(digits);
        for _ in 0..k {
            out.push(b'0');
        }
    } else if k < 0 && (k > -7 || abs_exp < 4) {
        // Fixed notation.
        let int_len = n + k;
        if int_len <= 0 {
            out.extend(b"0.");
            for _ in 0..-int_len {
                out.push(b'0');
            }
            out.extend(digits);
        } else {
            let (int_part, frac) = digits.split_at(int_len as usize);
            out.extend(int_part);
            out.push(b'.');
            out.extend(frac);
        }
    } else {
        // Scientific, exponent without padding.
        write_scientific(out, digits, dec.exp, 1);
    }
}

/// `d.ddd e±x` with the exponent zero-padded to `min_exp_digits` digits.
fn write_scientific(out: &mut NumBuf, digits: &[u8], exp: i32, min_exp_digits: usize) {
    out.push(digits[0]);
    if digits.len() > 1 {
        out.push(b'.');
        out.extend(&digits[1..]);
    }
    out.push(b'e');
    out.push(if exp < 0 { b'-' } else { b'+' });
    let mut e = Vec::with_capacity(4);
    push_u64(&mut e, u64::from(exp.unsigned_abs()));
    for _ in e.len()..min_exp_digits {
        out.push(b'0');
    }
    out.extend(&e);
}

/// C `printf("%.17g")` as glibc prints it (see the module documentation).
fn write_double_17g(out: &mut NumBuf, d: f64) {
    if write_special(out, d, true) {
        return;
    }
    if d.is_sign_negative() {
        out.push(b'-');
    }
    if d == 0.0 {
        out.push(b'0');
        return;
    }
    const PRECISION: i32 = 17;
    let dec = Decimal::seventeen(d);
    // %g drops trailing zeros (no '#' flag).
    let mut digits = dec.digits();
    while digits.len() > 1 && digits[digits.len() - 1] == b'0' {
        digits = &digits[..digits.len() - 1];
    }
    let x = dec.exp;
    if (-4..PRECISION).contains(&x) {
        if x >= 0 {
            let int_len = (x + 1) as usize;
            if digits.len() <= int_len {
                out.extend(digits);
                for _ in digits.len()..int_len {
                    out.push(b'0');
                }
            } else {
                out.extend(&digits[..int_len]);
                out.push(b'.');
                out.extend(&digits[int_len..]);
            }
        } else {
            out.extend(b"0.");
            for _ in 0..(-x - 1) {
                out.push(b'0');
            }
            out.extend(digits);
        }
    } else {
        // C pads the exponent to two digits.
        write_scientific(out, digits, x, 2);
    }
}

/// Redis 7.2's reply form of a double (`d2string`): `"3"`, `"-0"`, `"1.5"`,
/// `"0.1"`, `"1e+21"`, `"inf"`, `"nan"`. See the module documentation for
/// the exact layout rules and the one known deviation.
pub fn format_double(d: f64) -> String {
    let mut out = NumBuf::new();
    write_double(&mut out, d);
    out.into_string()
}

/// C's `%.17g` as glibc prints it, the reply form Redis 7.0 used:
/// `1.1` gives `"1.1000000000000001"`, `1e21` gives `"1e+21"`, `1e-5` gives
/// `"1.0000000000000001e-05"`. Infinities print `inf` / `-inf`; NaN prints
/// `nan`, or `-nan` when its sign bit is set (as glibc does).
pub fn format_double_17g(d: f64) -> String {
    let mut out = NumBuf::new();
    write_double_17g(&mut out, d);
    out.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(resp3: bool, f: impl FnOnce(&mut Out)) -> Vec<u8> {
        let mut o = Out::new(resp3);
        f(&mut o);
        o.take()
    }

    fn both(f: impl Fn(&mut Out)) -> (Vec<u8>, Vec<u8>) {
        (encoded(false, &f), encoded(true, &f))
    }

    #[test]
    fn simple_ok_and_error() {
        assert_eq!(encoded(false, |o| o.simple(b"PONG")), b"+PONG\r\n");
        assert_eq!(encoded(true, |o| o.ok()), b"+OK\r\n");
        assert_eq!(encoded(false, |o| o.error("ERR syntax error")), b"-ERR syntax error\r\n");
    }

    #[test]
    fn newlines_in_error_and_status_become_spaces() {
        assert_eq!(encoded(false, |o| o.error("ERR a\r\nb\nc")), b"-ERR a  b c\r\n");
        assert_eq!(encoded(false, |o| o.simple(b"x\ry")), b"+x y\r\n");
    }

    #[test]
    fn integers() {
        assert_eq!(encoded(false, |o| o.int(0)), b":0\r\n");
        assert_eq!(encoded(false, |o| o.int(-42)), b":-42\r\n");
        assert_eq!(encoded(false, |o| o.int(i64::MAX)), b":9223372036854775807\r\n");
        assert_eq!(encoded(false, |o| o.int(i64::MIN)), b":-9223372036854775808\r\n");
    }

    #[test]
    fn bulks_and_nulls() {
        assert_eq!(encoded(false, |o| o.bulk(b"hello")), b"$5\r\nhello\r\n");
        assert_eq!(encoded(false, |o| o.bulk(b"")), b"$0\r\n\r\n");
        assert_eq!(both(|o| o.null()), (b"$-1\r\n".to_vec(), b"_\r\n".to_vec()));
        assert_eq!(both(|o| o.null_array()), (b"*-1\r\n".to_vec(), b"_\r\n".to_vec()));
    }

    #[test]
    fn aggregates() {
        assert_eq!(both(|o| o.array(3)), (b"*3\r\n".to_vec(), b"*3\r\n".to_vec()));
        assert_eq!(both(|o| o.map(2)), (b"*4\r\n".to_vec(), b"%2\r\n".to_vec()));
        assert_eq!(both(|o| o.set(5)), (b"*5\r\n".to_vec(), b"~5\r\n".to_vec()));
        assert_eq!(both(|o| o.push(3)), (b"*3\r\n".to_vec(), b">3\r\n".to_vec()));
    }

    #[test]
    fn resp3_scalars_and_their_resp2_fallbacks() {
        assert_eq!(both(|o| o.boolean(true)), (b":1\r\n".to_vec(), b"#t\r\n".to_vec()));
        assert_eq!(both(|o| o.boolean(false)), (b":0\r\n".to_vec(), b"#f\r\n".to_vec()));
        assert_eq!(both(|o| o.double(1.5)), (b"$3\r\n1.5\r\n".to_vec(), b",1.5\r\n".to_vec()));
        assert_eq!(both(|o| o.double(f64::NEG_INFINITY)), (b"$4\r\n-inf\r\n".to_vec(), b",-inf\r\n".to_vec()));
        assert_eq!(
            both(|o| o.verbatim("txt", b"Some string")),
            (b"$11\r\nSome string\r\n".to_vec(), b"=15\r\ntxt:Some string\r\n".to_vec())
        );
        assert_eq!(
            both(|o| o.big_number("3492890328409238509324850943850943825024385")),
            (
                b"$43\r\n3492890328409238509324850943850943825024385\r\n".to_vec(),
                b"(3492890328409238509324850943850943825024385\r\n".to_vec()
            )
        );
    }

    #[test]
    fn raw_clear_take_and_protocol_switch() {
        let mut o = Out::new(false);
        o.raw(b"+PONG\r\n");
        assert_eq!(o.len(), 7);
        assert!(!o.is_empty());
        o.clear();
        assert!(o.is_empty());
        o.set_resp3(true);
        assert!(o.resp3());
        o.null();
        assert_eq!(o.as_bytes(), b"_\r\n");
        assert_eq!(o.take(), b"_\r\n");
        assert!(o.is_empty());
    }

    #[test]
    fn integers_format_like_std() {
        for v in [0u64, 1, 9, 10, 42, 99, 100, 101, 999, 1000, 12345, 1 << 32, u64::MAX - 1, u64::MAX] {
            let mut b = [0u8; 20];
            let n = fmt_u64(&mut b, v);
            assert_eq!(&b[..n], v.to_string().as_bytes());
        }
        let mut o = Out::new(false);
        o.bulk(b"abc");
        o.array(1234567);
        o.int(i64::MIN);
        assert_eq!(o.as_bytes(), b"$3\r\nabc\r\n*1234567\r\n:-9223372036854775808\r\n");
    }

    #[test]
    fn format_double_special_values() {
        assert_eq!(format_double(f64::NAN), "nan");
        assert_eq!(format_double(-f64::NAN), "nan");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_double(0.0), "0");
        assert_eq!(format_double(-0.0), "-0");
    }

    #[test]
    fn format_double_integers_up_to_2_pow_62() {
        assert_eq!(format_double(3.0), "3");
        assert_eq!(format_double(-17.0), "-17");
        assert_eq!(format_double(1e15), "1000000000000000");
        assert_eq!(format_double(9007199254740993.0), "9007199254740992");
        assert_eq!(format_double(1e18), "1000000000000000000");
        assert_eq!(format_double(4611686018427387904.0), "4611686018427387904");
        assert_eq!(format_double(-4611686018427387904.0), "-4611686018427387904");
        // Past 2^62 fpconv's layout applies.
        assert_eq!(format_double(1e19), "1e+19");
        assert_eq!(format_double(9223372036854775808.0), "9223372036854776000");
        assert_eq!(format_double(1.2345678901234567e19), "12345678901234567000");
    }

    #[test]
    fn format_double_fractions() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(2.71), "2.71");
        assert_eq!(format_double(-0.5), "-0.5");
        assert_eq!(format_double(0.1), "0.1");
        assert_eq!(format_double(1.1), "1.1");
        assert_eq!(format_double(0.001), "0.001");
        assert_eq!(format_double(0.000123), "0.000123");
        assert_eq!(format_double(1234567.1), "1234567.1");
        assert_eq!(format_double(1.0000001), "1.0000001");
        assert_eq!(format_double(1234.0000001), "1234.0000001");
        assert_eq!(format_double(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn format_double_scientific() {
        assert_eq!(format_double(1e-7), "1e-7");
        assert_eq!(format_double(1.5e-7), "1.5e-7");
        assert_eq!(format_double(0.0000123), "1.23e-5");
        assert_eq!(format_double(0.00012345678), "1.2345678e-4");
        assert_eq!(format_double(123456.7890123), "1.234567890123e+5");
        assert_eq!(format_double(1e21), "1e+21");
        assert_eq!(format_double(1e100), "1e+100");
        assert_eq!(format_double(1e105), "1e+105");
        assert_eq!(format_double(-1.5e300), "-1.5e+300");
        assert_eq!(format_double(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(format_double(5e-324), "5e-324");
        assert_eq!(format_double(f64::MIN_POSITIVE), "2.2250738585072014e-308");
    }

    #[test]
    fn format_double_round_trips() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let d = f64::from_bits(x);
            if !d.is_finite() {
                continue;
            }
            let s = format_double(d);
            assert_eq!(s.parse::<f64>().unwrap(), d, "{s}");
        }
    }

    /// Expected values from CPython's `'%.17g' % x`, which matches glibc.
    #[test]
    fn format_double_17g_matches_c() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (3.0, "3"),
            (-2.5, "-2.5"),
            (1.1, "1.1000000000000001"),
            (0.1, "0.10000000000000001"),
            (4.35, "4.3499999999999996"),
            (1e21, "1e+21"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (1e-5, "1.0000000000000001e-05"),
            (1.5e-7, "1.4999999999999999e-07"),
            (1e100, "1e+100"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "4.9406564584124654e-324"),
            (9007199254740993.0, "9007199254740992"),
            (99999999999999999.0, "1e+17"),
            (0.5, "0.5"),
            (100.0, "100"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            // Exact ties at the 18th digit round half to even, as in glibc.
            (2f64.powi(-25), "2.9802322387695312e-08"),
            (3.0 * 2f64.powi(-25), "8.9406967163085938e-08"),
            (5.0 * 2f64.powi(-25), "1.4901161193847656e-07"),
        ];
        for &(d, want) in cases {
            assert_eq!(format_double_17g(d), want, "{d:e}");
        }
    }
}
