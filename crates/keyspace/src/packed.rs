//! The byte encoding of small hashes (Redis's `listpack` encoding): all
//! fields and values back to back in one exact-size heap block, each
//! element a one-byte tag plus its bytes, integer-looking strings stored as
//! compact integers. It is our own format, not Redis's listpack layout (the
//! RDB writer builds a real listpack from [`Packed::iter`]).
//!
//! # Element format
//!
//! | tag | element |
//! |---|---|
//! | `0x00..=0x7f` | the integer 0..=127, no payload |
//! | `0x80..=0xbf` | a string of `tag - 0x80` (0..=63) bytes |
//! | `0xc0` / `0xc1` / `0xc2` / `0xc3` / `0xc4` | an integer in 1 / 2 / 3 / 4 / 8 little-endian bytes |
//! | `0xd0` | a string, its length in 2 little-endian bytes |
//! | `0xd1` | a string, its length in 4 little-endian bytes |
//!
//! Only strings that [`parse_i64`] accepts (canonical decimal, as Redis's
//! string2ll) become integers, so every element reads back byte-identical:
//! "007", "-0", "+1" or "1 " stay strings. Conversely a string element is
//! never a canonical integer, which lets lookups compare integers as
//! integers.
//!
//! Why no element count or back-pointers: a session of five short fields
//! packs into about 79 bytes, jemalloc's 80-byte class; a count header
//! would push it to 96. Lengths and counts are found by walking, which a
//! listpack-sized hash (128 entries by default) makes cheap.

use crate::value::{fmt_i64, parse_i64};
use std::ops::Deref;

const STR6: u8 = 0x80;
const INT8: u8 = 0xc0;
const INT16: u8 = 0xc1;
const INT24: u8 = 0xc2;
const INT32: u8 = 0xc3;
const INT64: u8 = 0xc4;
const STR16: u8 = 0xd0;
const STR32: u8 = 0xd1;

/// The bytes of one field or value, borrowed from the hash or, for an
/// integer element, formatted on the stack.
#[derive(Clone, Copy)]
pub enum Elem<'a> {
    /// Bytes stored as they are.
    Bytes(&'a [u8]),
    /// An integer element's decimal text.
    Int {
        /// Text length.
        len: u8,
        /// Text.
        buf: [u8; 20],
    },
}

impl Elem<'_> {
    fn int(n: i64) -> Elem<'static> {
        let mut buf = [0u8; 20];
        let len = fmt_i64(n, &mut buf) as u8;
        Elem::Int { len, buf }
    }
}

impl Deref for Elem<'_> {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        match self {
            Elem::Bytes(b) => b,
            Elem::Int { len, buf } => &buf[..*len as usize],
        }
    }
}

impl AsRef<[u8]> for Elem<'_> {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for Elem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self))
    }
}

/// One element as stored.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Raw<'a> {
    Str(&'a [u8]),
    Int(i64),
}

impl<'a> Raw<'a> {
    fn elem(self) -> Elem<'a> {
        match self {
            Raw::Str(s) => Elem::Bytes(s),
            Raw::Int(n) => Elem::int(n),
        }
    }

    /// True when this element is `q` (`qi`: `q` parsed as an integer).
    #[inline]
    fn is(self, q: &[u8], qi: Option<i64>) -> bool {
        match self {
            Raw::Str(s) => qi.is_none() && s == q,
            Raw::Int(n) => qi == Some(n),
        }
    }
}

fn le(b: &[u8]) -> u64 {
    let mut x = [0u8; 8];
    x[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(x)
}

/// Sign-extends the low `bytes` bytes of `v`.
fn sext(v: u64, bytes: usize) -> i64 {
    let shift = 64 - 8 * bytes as u32;
    ((v << shift) as i64) >> shift
}

/// Decodes the element at `at`: (element, offset of the next one).
#[inline]
fn decode(b: &[u8], at: usize) -> (Raw<'_>, usize) {
    let t = b[at];
    let p = at + 1;
    match t {
        0x00..=0x7f => (Raw::Int(t as i64), p),
        0x80..=0xbf => {
            let n = (t - STR6) as usize;
            (Raw::Str(&b[p..p + n]), p + n)
        }
        INT8 | INT16 | INT24 | INT32 => {
            let n = (t - INT8 + 1) as usize;
            (Raw::Int(sext(le(&b[p..p + n]), n)), p + n)
        }
        INT64 => (Raw::Int(le(&b[p..p + 8]) as i64), p + 8),
        STR16 => {
            let n = le(&b[p..p + 2]) as usize;
            (Raw::Str(&b[p + 2..p + 2 + n]), p + 2 + n)
        }
        _ => {
            debug_assert_eq!(t, STR32);
            let n = le(&b[p..p + 4]) as usize;
            (Raw::Str(&b[p + 4..p + 4 + n]), p + 4 + n)
        }
    }
}

/// Bytes an integer takes after its tag (None: it fits in the tag).
fn int_width(n: i64) -> Option<usize> {
    if (0..=127).contains(&n) {
        None
    } else if n == sext(n as u64, 1) {
        Some(1)
    } else if n == sext(n as u64, 2) {
        Some(2)
    } else if n == sext(n as u64, 3) {
        Some(3)
    } else if n == sext(n as u64, 4) {
        Some(4)
    } else {
        Some(8)
    }
}

/// Encoded size of `x`.
pub fn encoded_len(x: &[u8]) -> usize {
    if let Some(n) = parse_i64(x) {
        return 1 + int_width(n).unwrap_or(0);
    }
    x.len()
        + match x.len() {
            0..=63 => 1,
            64..=0xffff => 3,
            _ => 5,
        }
}

/// Appends the encoding of `x`.
pub fn encode(out: &mut Vec<u8>, x: &[u8]) {
    if let Some(n) = parse_i64(x) {
        match int_width(n) {
            None => out.push(n as u8),
            Some(w) => {
                out.push(if w == 8 { INT64 } else { INT8 + w as u8 - 1 });
                out.extend_from_slice(&n.to_le_bytes()[..w]);
            }
        }
        return;
    }
    match x.len() {
        n @ 0..=63 => out.push(STR6 + n as u8),
        n @ 64..=0xffff => {
            out.push(STR16);
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        n => {
            out.push(STR32);
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
    }
    out.extend_from_slice(x);
}

/// A field and its value, as the hash iterators yield them.
#[derive(Clone, Copy, Debug)]
pub struct PairRef<'a> {
    f: Elem<'a>,
    v: Elem<'a>,
}

impl<'a> PairRef<'a> {
    /// A pair of borrowed byte strings.
    pub fn new(field: &'a [u8], value: &'a [u8]) -> PairRef<'a> {
        PairRef { f: Elem::Bytes(field), v: Elem::Bytes(value) }
    }
    /// The field.
    #[inline]
    pub fn field(&self) -> &[u8] {
        &self.f
    }
    /// The value.
    #[inline]
    pub fn value(&self) -> &[u8] {
        &self.v
    }
}

/// Fields and values in insertion order, one exact-size block (empty: no
/// allocation). Holds at most `u32::MAX` bytes per element; the listpack
/// limits keep it far smaller.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

/// Where a field was found: its start, its value's start, the pair's end.
struct Found {
    start: usize,
    value: usize,
    end: usize,
}

impl Packed {
    /// An empty hash.
    pub fn new() -> Packed {
        Packed::default()
    }

    /// Bytes of the block.
    pub fn bytes(&self) -> usize {
        self.0.len()
    }

    /// Number of pairs (a walk).
    pub fn len(&self) -> usize {
        let (b, mut at, mut n) = (&self.0[..], 0, 0);
        while at < b.len() {
            at = decode(b, at).1;
            n += 1;
        }
        n / 2
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Pairs in insertion order.
    pub fn iter(&self) -> PackedIter<'_> {
        PackedIter { b: &self.0, at: 0 }
    }

    fn find(&self, field: &[u8]) -> Option<Found> {
        let qi = parse_i64(field);
        let (b, mut at) = (&self.0[..], 0);
        while at < b.len() {
            let (f, v) = decode(b, at);
            let end = decode(b, v).1;
            if f.is(field, qi) {
                return Some(Found { start: at, value: v, end });
            }
            at = end;
        }
        None
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<Elem<'_>> {
        self.find(field).map(|f| decode(&self.0, f.value).0.elem())
    }

    /// Replaces bytes `from..to` of the block with `fill`'s output of
    /// `len` bytes, in a new exact-size block.
    fn splice(&mut self, from: usize, to: usize, len: usize, fill: impl FnOnce(&mut Vec<u8>)) {
        let old = &self.0;
        let mut v = Vec::with_capacity(old.len() - (to - from) + len);
        v.extend_from_slice(&old[..from]);
        fill(&mut v);
        debug_assert_eq!(v.len(), from + len);
        v.extend_from_slice(&old[to..]);
        self.0 = v.into_boxed_slice();
    }

    /// Sets `field` to `value`; true when the field is new (appended last,
    /// as a listpack does).
    pub fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        let vlen = encoded_len(value);
        match self.find(field) {
            Some(f) => {
                self.splice(f.value, f.end, vlen, |v| encode(v, value));
                false
            }
            None => {
                let at = self.0.len();
                self.splice(at, at, encoded_len(field) + vlen, |v| {
                    encode(v, field);
                    encode(v, value);
                });
                true
            }
        }
    }

    /// Removes `field`; true when it was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field) {
            Some(f) => {
                self.splice(f.start, f.end, 0, |_| {});
                true
            }
            None => false,
        }
    }

    /// The `i`th pair (a walk).
    pub fn nth(&self, i: usize) -> Option<PairRef<'_>> {
        self.iter().nth(i)
    }
}

/// Iterator over a [`Packed`] hash's pairs.
pub struct PackedIter<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Iterator for PackedIter<'a> {
    type Item = PairRef<'a>;
    #[inline]
    fn next(&mut self) -> Option<PairRef<'a>> {
        if self.at >= self.b.len() {
            return None;
        }
        let (f, v) = decode(self.b, self.at);
        let (v, end) = decode(self.b, v);
        self.at = end;
        Some(PairRef { f: f.elem(), v: v.elem() })
    }

    // Skips without formatting integers (HRANDFIELD picks by index).
    fn nth(&mut self, mut n: usize) -> Option<PairRef<'a>> {
        while n > 0 && self.at < self.b.len() {
            self.at = decode(self.b, decode(self.b, self.at).1).1;
            n -= 1;
        }
        self.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(x: &[u8]) {
        let mut v = Vec::new();
        encode(&mut v, x);
        assert_eq!(v.len(), encoded_len(x), "{:?}", String::from_utf8_lossy(x));
        let (r, next) = decode(&v, 0);
        assert_eq!(next, v.len());
        assert_eq!(&*r.elem(), x, "{:?}", String::from_utf8_lossy(x));
    }

    #[test]
    fn elements_read_back_byte_identical() {
        let mut cases: Vec<Vec<u8>> = [
            "", "0", "-0", "00", "007", "+1", " 1", "1 ", "-", "1a", "127", "128", "-1", "-128", "-129", "255", "32767",
            "-32768", "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
            "1732590000", "1.5", "1e3", "0x10",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        cases.push(vec![0, 255, 13, 10]);
        for n in [0, 1, 62, 63, 64, 65, 300, 65535, 65536, 70000] {
            cases.push((0..n).map(|i| (i * 7) as u8).collect());
        }
        for c in &cases {
            round_trip(c);
        }
        // Every width boundary, both sides.
        for w in 0..64 {
            for n in [(1i64 << w) - 1, 1i64 << w, -(1i64 << w), -(1i64 << w) - 1, (1i64 << w) + 1] {
                round_trip(n.to_string().as_bytes());
            }
        }
    }

    #[test]
    fn integers_take_few_bytes() {
        assert_eq!(encoded_len(b"5"), 1);
        assert_eq!(encoded_len(b"-5"), 2);
        assert_eq!(encoded_len(b"1732590000"), 5);
        assert_eq!(encoded_len(b"699993"), 4);
        assert_eq!(encoded_len(b"007"), 4);
        assert_eq!(encoded_len(b"-9223372036854775808"), 9);
    }

    #[test]
    fn integer_and_string_fields_do_not_collide() {
        let mut p = Packed::new();
        assert!(p.set(b"1", b"int"));
        assert!(p.set(b"01", b"str"));
        assert!(p.set(b"-0", b"neg zero"));
        assert!(p.set(b"0", b"zero"));
        assert_eq!(&*p.get(b"1").unwrap(), b"int");
        assert_eq!(&*p.get(b"01").unwrap(), b"str");
        assert_eq!(&*p.get(b"-0").unwrap(), b"neg zero");
        assert_eq!(&*p.get(b"0").unwrap(), b"zero");
        assert!(p.get(b"+1").is_none());
        assert_eq!(p.len(), 4);
        let fields: Vec<Vec<u8>> = p.iter().map(|x| x.field().to_vec()).collect();
        assert_eq!(fields, [&b"1"[..], b"01", b"-0", b"0"]);
    }

    #[test]
    fn set_replace_remove_keep_order_and_exact_size() {
        let mut p = Packed::new();
        assert_eq!(p.bytes(), 0);
        p.set(b"a", b"1");
        p.set(b"b", b"");
        p.set(b"c", &[0u8, 1, 2]);
        assert!(!p.set(b"a", b"a much longer value"));
        let want = (2 + 20) + (2 + 1) + (2 + 4);
        assert_eq!(p.bytes(), want);
        let got: Vec<(Vec<u8>, Vec<u8>)> = p.iter().map(|x| (x.field().to_vec(), x.value().to_vec())).collect();
        assert_eq!(got[0], (b"a".to_vec(), b"a much longer value".to_vec()));
        assert_eq!(got[1], (b"b".to_vec(), vec![]));
        assert_eq!(got[2], (b"c".to_vec(), vec![0, 1, 2]));
        assert!(p.remove(b"b"));
        assert!(!p.remove(b"b"));
        assert_eq!(p.nth(1).unwrap().field(), b"c");
        assert!(p.nth(2).is_none());
        assert!(p.remove(b"a") && p.remove(b"c"));
        assert!(p.is_empty());
    }

    #[test]
    fn session_hash_fits_in_80_bytes() {
        let mut p = Packed::new();
        for (f, v) in [
            ("user", "699993"),
            ("created", "1732590000"),
            ("ip", "10.0.249.199"),
            ("agent", "Mozilla/5.0"),
            ("csrf", "0000a5f3c2b1d4e9"),
        ] {
            p.set(f.as_bytes(), v.as_bytes());
        }
        assert!(p.bytes() <= 80, "{}", p.bytes());
    }
}
