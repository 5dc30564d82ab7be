//! Typed operations on string values (GET, SET, INCR..., APPEND, ranges, LCS).
//! Argument parsing and replies belong to the server's `cmd/string.rs`.

use crate::db::Keyspace;
use crate::error::KsError;
use crate::longdouble::LongDouble;
use crate::smallbytes::SmallBytes;
use crate::value::{Str, Value};
use crate::KsResult;

/// SET's existence condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetCond {
    /// Write unconditionally.
    Always,
    /// Write only if the key does not exist (NX).
    Nx,
    /// Write only if the key exists (XX).
    Xx,
}

/// SET's options after parsing.
#[derive(Debug, Clone, Copy)]
pub struct SetOpts {
    /// NX / XX.
    pub cond: SetCond,
    /// GET: return the old value.
    pub get: bool,
    /// KEEPTTL.
    pub keep_ttl: bool,
    /// Absolute expiry in Unix ms, 0 for none.
    pub expire_at: u64,
}

impl Default for SetOpts {
    fn default() -> Self {
        SetOpts { cond: SetCond::Always, get: false, keep_ttl: false, expire_at: 0 }
    }
}

/// What SET did.
#[derive(Debug, PartialEq, Eq)]
pub struct SetOutcome {
    /// True when the value was written.
    pub written: bool,
    /// With GET: the old value (None when the key did not exist).
    pub old: Option<Vec<u8>>,
}

fn as_str(v: &Value) -> KsResult<&Str> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(KsError::WrongType),
    }
}

fn as_str_mut(v: &mut Value) -> KsResult<&mut Str> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(KsError::WrongType),
    }
}

impl Keyspace {
    /// GET: the string at `key`, or None.
    ///
    /// # Errors
    /// `WrongType` when the key holds another type.
    pub fn get_str(&mut self, db: usize, key: &[u8], touch: bool) -> KsResult<Option<&Str>> {
        match self.lookup_read(db, key, touch) {
            None => Ok(None),
            Some(e) => as_str(&e.value).map(Some),
        }
    }

    /// SET with all its options.
    ///
    /// # Errors
    /// `WrongType` with GET when the key holds another type (nothing is written).
    pub fn set_str(&mut self, db: usize, key: &[u8], val: &[u8], opts: SetOpts) -> KsResult<SetOutcome> {
        let (exists, old) = match self.lookup(db, key, true) {
            None => (false, None),
            Some(e) if opts.get => (true, Some(as_str(&e.value)?.to_vec())),
            Some(_) => (true, None),
        };
        let allowed = match opts.cond {
            SetCond::Always => true,
            SetCond::Nx => !exists,
            SetCond::Xx => exists,
        };
        if allowed {
            self.set_value(db, key, Value::Str(Str::from_bytes(val)), opts.keep_ttl, opts.expire_at);
        }
        Ok(SetOutcome { written: allowed, old })
    }

    /// GETDEL: returns the string and deletes the key.
    pub fn getdel(&mut self, db: usize, key: &[u8]) -> KsResult<Option<Vec<u8>>> {
        let v = match self.lookup_read(db, key, true) {
            None => return Ok(None),
            Some(e) => as_str(&e.value)?.to_vec(),
        };
        self.remove(db, key);
        Ok(Some(v))
    }

    /// INCRBY / DECRBY / INCR / DECR: adds `delta`, keeping the TTL.
    ///
    /// # Errors
    /// `WrongType`, `NotInteger` (value not an integer), `Overflow`.
    pub fn incr_by(&mut self, db: usize, key: &[u8], delta: i64) -> KsResult<i64> {
        match self.lookup(db, key, true) {
            Some(e) => {
                let s = as_str_mut(&mut e.value)?;
                let cur = s.as_i64().ok_or(KsError::NotInteger)?;
                let n = cur.checked_add(delta).ok_or(KsError::Overflow)?;
                *s = Str::Int(n);
                Ok(n)
            }
            None => {
                self.set_value(db, key, Value::Str(Str::Int(delta)), false, 0);
                Ok(delta)
            }
        }
    }

    /// INCRBYFLOAT: adds a float given as text; returns the new value's text.
    ///
    /// Computes as Redis does on x86-64, in the 80-bit x87 `long double`
    /// (see [`LongDouble`]): both operands parsed as `string2ld` accepts them,
    /// the sum rounded to a 64-bit mantissa, printed with `%.17Lf` and trimmed.
    ///
    /// # Errors
    /// `WrongType`, `NotFloat` (value or increment not a float), `NanOrInfinity`.
    pub fn incr_by_float(&mut self, db: usize, key: &[u8], incr: &[u8]) -> KsResult<Vec<u8>> {
        let cur = match self.lookup(db, key, true) {
            Some(e) => as_str(&e.value)?.with_bytes(LongDouble::parse).ok_or(KsError::NotFloat)?,
            None => LongDouble::ZERO,
        };
        let inc = LongDouble::parse(incr).ok_or(KsError::NotFloat)?;
        let sum = cur + inc;
        if !sum.is_finite() {
            return Err(KsError::NanOrInfinity);
        }
        let text = sum.to_human().into_bytes();
        // Redis stores the result as text (never int-encoded), keeping the TTL.
        let v = Value::Str(Str::Small(SmallBytes::new(&text)));
        self.set_value(db, key, v, true, 0);
        Ok(text)
    }

    /// APPEND: returns the new length.
    ///
    /// # Errors
    /// `WrongType`, `StringTooLong` past `max_string_len`.
    pub fn append(&mut self, db: usize, key: &[u8], tail: &[u8]) -> KsResult<usize> {
        let max = self.max_string_len;
        match self.lookup(db, key, true) {
            Some(e) => {
                let s = as_str_mut(&mut e.value)?;
                if s.len() + tail.len() > max {
                    return Err(KsError::StringTooLong);
                }
                let buf = s.make_raw();
                buf.extend_from_slice(tail);
                Ok(buf.len())
            }
            None => {
                if tail.len() > max {
                    return Err(KsError::StringTooLong);
                }
                // A new key is stored as SET would store it (int / embstr).
                self.set_value(db, key, Value::Str(Str::from_bytes(tail)), false, 0);
                Ok(tail.len())
            }
        }
    }

    /// STRLEN.
    pub fn strlen(&mut self, db: usize, key: &[u8]) -> KsResult<usize> {
        Ok(self.get_str(db, key, true)?.map_or(0, |s| s.len()))
    }

    /// GETRANGE with Redis's index rules (negative from the end, clamped).
    pub fn getrange(&mut self, db: usize, key: &[u8], start: i64, end: i64) -> KsResult<Vec<u8>> {
        let Some(s) = self.get_str(db, key, true)? else { return Ok(Vec::new()) };
        Ok(s.with_bytes(|b| {
            let len = b.len() as i64;
            if start < 0 && end < 0 && start > end {
                return Vec::new();
            }
            let mut st = if start < 0 { len + start } else { start };
            let mut en = if end < 0 { len + end } else { end };
            if st < 0 {
                st = 0;
            }
            if en < 0 {
                en = 0;
            }
            if en >= len {
                en = len - 1;
            }
            if len == 0 || st > en {
                return Vec::new();
            }
            b[st as usize..=en as usize].to_vec()
        }))
    }

    /// SETRANGE: overwrites from `offset`, zero-padding; returns the new length.
    /// An empty `val` never creates a key.
    ///
    /// # Errors
    /// `WrongType`, `StringTooLong` when offset + length exceeds `max_string_len`.
    pub fn setrange(&mut self, db: usize, key: &[u8], offset: usize, val: &[u8]) -> KsResult<usize> {
        let max = self.max_string_len;
        let too_long = offset.checked_add(val.len()).is_none_or(|n| n > max);
        match self.lookup(db, key, true) {
            Some(e) => {
                let s = as_str_mut(&mut e.value)?;
                if val.is_empty() {
                    return Ok(s.len());
                }
                if too_long {
                    return Err(KsError::StringTooLong);
                }
                let buf = s.make_raw();
                let need = offset + val.len();
                if buf.len() < need {
                    buf.resize(need, 0);
                }
                buf[offset..need].copy_from_slice(val);
                Ok(buf.len())
            }
            None => {
                if val.is_empty() {
                    return Ok(0);
                }
                if too_long {
                    return Err(KsError::StringTooLong);
                }
                let mut buf = vec![0u8; offset + val.len()];
                buf[offset..].copy_from_slice(val);
                let n = buf.len();
                self.set_value(db, key, Value::Str(Str::Raw(buf)), false, 0);
                Ok(n)
            }
        }
    }
}

/// One LCS match: ranges (inclusive) in the first and second string, and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LcsMatch {
    /// Start and end (inclusive) in the first string.
    pub a: (usize, usize),
    /// Start and end (inclusive) in the second string.
    pub b: (usize, usize),
    /// Match length.
    pub len: usize,
}

/// Longest common subsequence of `a` and `b`: the subsequence itself and its
/// matching ranges, last match first (the order Redis reports).
///
/// # Errors
/// `OutOfRange` when the (len(a)+1)*(len(b)+1) table would not fit in memory
/// limits (`max_cells`).
pub fn lcs(a: &[u8], b: &[u8], max_cells: usize) -> KsResult<(Vec<u8>, Vec<LcsMatch>)> {
    let (n, m) = (a.len(), b.len());
    let cells = (n + 1).checked_mul(m + 1).ok_or(KsError::OutOfRange)?;
    if cells > max_cells {
        return Err(KsError::OutOfRange);
    }
    let w = m + 1;
    let mut t = vec![0u32; cells];
    for i in 1..=n {
        for j in 1..=m {
            t[i * w + j] = if a[i - 1] == b[j - 1] {
                t[(i - 1) * w + j - 1] + 1
            } else {
                t[(i - 1) * w + j].max(t[i * w + j - 1])
            };
        }
    }
    let total = t[n * w + m] as usize;
    let mut out = vec![0u8; total];
    let mut matches = Vec::new();
    let (mut i, mut j, mut k) = (n, m, total);
    let mut cur: Option<LcsMatch> = None;
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            k -= 1;
            out[k] = a[i - 1];
            let (ai, bj) = (i - 1, j - 1);
            match cur.as_mut() {
                Some(c) if c.a.0 == ai + 1 && c.b.0 == bj + 1 => {
                    c.a.0 = ai;
                    c.b.0 = bj;
                    c.len += 1;
                }
                _ => {
                    if let Some(c) = cur.take() {
                        matches.push(c);
                    }
                    cur = Some(LcsMatch { a: (ai, ai), b: (bj, bj), len: 1 });
                }
            }
            i -= 1;
            j -= 1;
        } else if t[(i - 1) * w + j] > t[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    if let Some(c) = cur {
        matches.push(c);
    }
    Ok((out, matches))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ks() -> Keyspace {
        Keyspace::new(16)
    }

    #[test]
    fn set_nx_xx_get() {
        let mut k = ks();
        let nx = SetOpts { cond: SetCond::Nx, ..Default::default() };
        assert!(k.set_str(0, b"a", b"1", nx).unwrap().written);
        assert!(!k.set_str(0, b"a", b"2", nx).unwrap().written);
        let xx_get = SetOpts { cond: SetCond::Xx, get: true, ..Default::default() };
        let r = k.set_str(0, b"a", b"3", xx_get).unwrap();
        assert_eq!(r, SetOutcome { written: true, old: Some(b"1".to_vec()) });
        assert!(!k.set_str(0, b"zz", b"3", xx_get).unwrap().written);
    }

    #[test]
    fn incr_rules() {
        let mut k = ks();
        assert_eq!(k.incr_by(0, b"n", 5).unwrap(), 5);
        k.set_str(0, b"n", b"9223372036854775806", SetOpts::default()).unwrap();
        assert_eq!(k.incr_by(0, b"n", 1).unwrap(), i64::MAX);
        assert_eq!(k.incr_by(0, b"n", 1), Err(KsError::Overflow));
        k.set_str(0, b"s", b" 1", SetOpts::default()).unwrap();
        assert_eq!(k.incr_by(0, b"s", 1), Err(KsError::NotInteger));
    }

    #[test]
    fn incrbyfloat_prints_like_redis() {
        let mut k = ks();
        k.set_str(0, b"f", b"10.50", SetOpts::default()).unwrap();
        assert_eq!(k.incr_by_float(0, b"f", b"0.1").unwrap(), b"10.6");
        assert_eq!(k.incr_by_float(0, b"f", b"-5").unwrap(), b"5.6");
        k.set_str(0, b"g", b"5.0e3", SetOpts::default()).unwrap();
        assert_eq!(k.incr_by_float(0, b"g", b"2.0e2").unwrap(), b"5200");
        assert_eq!(k.incr_by_float(0, b"h", b"0.1").unwrap(), b"0.1");
        assert_eq!(k.incr_by_float(0, b"h", b"0.2").unwrap(), b"0.3");
        assert_eq!(k.incr_by_float(0, b"h", b"abc"), Err(KsError::NotFloat));
        assert_eq!(k.incr_by_float(0, b"h", b"1e5000"), Err(KsError::NotFloat));
        assert_eq!(k.incr_by_float(0, b"h", b"inf"), Err(KsError::NanOrInfinity));
        assert_eq!(k.incr_by_float(0, b"h", b"0.2").unwrap(), b"0.5");
    }

    #[test]
    fn ranges() {
        let mut k = ks();
        k.set_str(0, b"s", b"This is a string", SetOpts::default()).unwrap();
        assert_eq!(k.getrange(0, b"s", 0, 3).unwrap(), b"This");
        assert_eq!(k.getrange(0, b"s", -3, -1).unwrap(), b"ing");
        assert_eq!(k.getrange(0, b"s", 0, -1).unwrap(), b"This is a string");
        assert_eq!(k.getrange(0, b"s", 10, 100).unwrap(), b"string");
        assert_eq!(k.setrange(0, b"t", 3, b"ab").unwrap(), 5);
        assert_eq!(k.getrange(0, b"t", 0, -1).unwrap(), b"\0\0\0ab");
        assert_eq!(k.setrange(0, b"u", 3, b"").unwrap(), 0);
        assert!(k.peek(0, b"u").is_none());
        k.max_string_len = 10;
        assert_eq!(k.setrange(0, b"t", 9, b"ab"), Err(KsError::StringTooLong));
    }

    #[test]
    fn lcs_matches_redis_example() {
        let (s, m) = lcs(b"ohmytext", b"mynewtext", 1 << 20).unwrap();
        assert_eq!(s, b"mytext");
        assert_eq!(m[0], LcsMatch { a: (4, 7), b: (5, 8), len: 4 });
        assert_eq!(m[1], LcsMatch { a: (2, 3), b: (0, 1), len: 2 });
    }
}
