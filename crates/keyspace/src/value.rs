//! Values stored under keys, with the encodings Redis reports through
//! `OBJECT ENCODING`. Strings live here; each collection type has its own
//! module and is boxed so that a [`Value`] stays two words.

use crate::hash::Hash;
use crate::list::List;
use crate::set::Set;
use crate::smallbytes::SmallBytes;
use crate::stream::Stream;
use crate::zset::ZSet;

/// Strings up to this length are reported as `embstr`, as in Redis.
pub const EMBSTR_MAX: usize = 44;

/// A string value in one of three encodings.
#[derive(Clone, Debug)]
pub enum Str {
    /// A canonical decimal i64 (Redis's `int` encoding).
    Int(i64),
    /// Bytes written whole by SET and friends (`embstr` up to 44 bytes, `raw` above).
    Small(SmallBytes),
    /// Bytes grown in place by APPEND or SETRANGE; keeps spare capacity (`raw`).
    Raw(Vec<u8>),
}

/// Parses `b` as Redis's string2ll does: canonical decimal, no sign on zero,
/// no leading zeros or spaces, fits in i64.
pub fn parse_i64(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    if b == b"0" {
        return Some(0);
    }
    let (neg, digits) = if b[0] == b'-' { (true, &b[1..]) } else { (false, b) };
    if digits.is_empty() || digits[0] == b'0' {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else if v > i64::MAX as u64 {
        None
    } else {
        Some(v as i64)
    }
}

/// Formats an i64 into a stack buffer; returns the used slice length.
pub fn fmt_i64(n: i64, buf: &mut [u8; 20]) -> usize {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let neg = n < 0;
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        tmp[i] = b'-';
    }
    let len = tmp.len() - i;
    buf[..len].copy_from_slice(&tmp[i..]);
    len
}

impl Str {
    /// Builds a string the way SET stores it: integers that print back
    /// identically become `Int`, everything else keeps its bytes.
    pub fn from_bytes(b: &[u8]) -> Str {
        match parse_i64(b) {
            Some(n) => Str::Int(n),
            None => Str::Small(SmallBytes::new(b)),
        }
    }

    /// Length in bytes of the string form.
    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) => {
                let mut b = [0u8; 20];
                fmt_i64(*n, &mut b)
            }
            Str::Small(s) => s.len(),
            Str::Raw(v) => v.len(),
        }
    }

    /// True when the string is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with the string's bytes without allocating.
    #[inline]
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Str::Int(n) => {
                let mut b = [0u8; 20];
                let l = fmt_i64(*n, &mut b);
                f(&b[..l])
            }
            Str::Small(s) => f(s.as_bytes()),
            Str::Raw(v) => f(v),
        }
    }

    /// The string's bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    /// The integer value, if the string is a canonical i64.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Str::Int(n) => Some(*n),
            Str::Small(s) => parse_i64(s),
            Str::Raw(v) => parse_i64(v),
        }
    }

    /// Turns the string into its growable form and returns the buffer.
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, Str::Raw(_)) {
            *self = Str::Raw(self.to_vec());
        }
        match self {
            Str::Raw(v) => v,
            _ => unreachable!("just converted to Raw"),
        }
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Str::Int(_) => "int",
            Str::Small(s) if s.len() <= EMBSTR_MAX => "embstr",
            _ => "raw",
        }
    }

    /// Heap bytes owned by the string beyond its slot (memory accounting).
    pub fn heap_size(&self) -> usize {
        match self {
            Str::Int(_) => 0,
            Str::Small(s) => s.heap_size(),
            Str::Raw(v) => v.capacity(),
        }
    }
}

/// A value stored under a key.
#[derive(Clone, Debug)]
pub enum Value {
    /// A string (Redis type `string`).
    Str(Str),
    /// A hash (Redis type `hash`).
    Hash(Hash),
    /// A list (Redis type `list`).
    List(Box<List>),
    /// A set (Redis type `set`).
    Set(Box<Set>),
    /// A sorted set (Redis type `zset`).
    ZSet(Box<ZSet>),
    /// A stream (Redis type `stream`).
    Stream(Box<Stream>),
}

impl Value {
    /// The name `TYPE` reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Hash(_) => "hash",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::List(l) => l.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    /// Approximate heap bytes owned by the value beyond its slot.
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.heap_size(),
            Value::Hash(h) => h.heap_size(),
            Value::List(l) => std::mem::size_of::<List>() + l.heap_size(),
            Value::Set(s) => std::mem::size_of::<Set>() + s.heap_size(),
            Value::ZSet(z) => std::mem::size_of::<ZSet>() + z.heap_size(),
            Value::Stream(x) => std::mem::size_of::<Stream>() + x.heap_size(),
        }
    }

    /// Number of elements of a collection; None for strings and streams
    /// (an empty stream is a valid value and stays). Collections
    /// are never left empty in the keyspace: an op that empties one deletes
    /// the key ([`Keyspace::remove_if_empty`](crate::Keyspace::remove_if_empty)).
    pub fn collection_len(&self) -> Option<usize> {
        match self {
            Value::Str(_) => None,
            Value::Hash(h) => Some(h.len()),
            Value::List(l) => Some(l.len()),
            Value::Set(s) => Some(s.len()),
            Value::ZSet(z) => Some(z.len()),
            Value::Stream(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_i64_is_strict_like_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [&b""[..], b"-0", b"01", b"+1", b" 1", b"1 ", b"9223372036854775808", b"-", b"1a"] {
            assert_eq!(parse_i64(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn fmt_i64_matches_std() {
        for n in [0, 1, -1, 42, i64::MAX, i64::MIN, 1000000] {
            let mut b = [0u8; 20];
            let l = fmt_i64(n, &mut b);
            assert_eq!(&b[..l], n.to_string().as_bytes());
        }
    }

    #[test]
    fn encodings_follow_redis() {
        assert_eq!(Str::from_bytes(b"123").encoding(), "int");
        assert_eq!(Str::from_bytes(b"0123").encoding(), "embstr");
        assert_eq!(Str::from_bytes(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(Str::from_bytes(&[b'a'; 45]).encoding(), "raw");
        let mut s = Str::from_bytes(b"ab");
        s.make_raw().push(b'c');
        assert_eq!(s.encoding(), "raw");
        assert!(std::mem::size_of::<Value>() <= 32);
    }
}
