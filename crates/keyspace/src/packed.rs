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
//! | `0xe0` / `0xe1` | a string of 4..=44 characters, all from one 16-character alphabet ([`HEX`] / [`DEC`]): a length byte, then two characters per byte |
//!
//! The nibble strings cover tokens and digests in lowercase hex (CSRF
//! tokens, session ids) and dotted or dashed numbers (IPv4 addresses,
//! dates, times) in about half their bytes.
//!
//! Only strings that [`parse_i64`] accepts (canonical decimal, as Redis's
//! string2ll) become integers, so every element reads back byte-identical:
//! "007", "-0", "+1" or "1 " stay strings. Conversely a string element is
//! never a canonical integer, which lets lookups compare integers as
//! integers.
//!
//! Why no element count or back-pointers: every byte counts against
//! jemalloc's size classes (a session hash's values fit in 48 bytes; a
//! header could push them to 64). Lengths and counts are found by walking,
//! which a listpack-sized hash (128 entries by default) makes cheap.
//!
//! # Shapes
//!
//! A [`Packed`] hash keeps its fields either in its own block (fields and
//! values alternating) or, when other hashes have the very same field list,
//! in a shared [`Shape`](crate::shape::Shape) with only the values in its
//! block. Writes that change the field list work on the unshaped form;
//! [`Packed::settle`] (called once at the end of a keyspace operation that
//! added or removed fields) looks the new field list up again.

use crate::shape::ShapeRef;
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
const NIB_HEX: u8 = 0xe0;
const NIB_DEC: u8 = 0xe1;

/// Nibble alphabet of lowercase hex strings.
pub const HEX: &[u8; 16] = b"0123456789abcdef";
/// Nibble alphabet of numbers with separators (addresses, dates, times).
pub const DEC: &[u8; 16] = b"0123456789.-:/ +";
/// Longest nibble string; also the decode buffer of an [`Elem`].
const NIB_MAX: usize = 44;
const NIB_MIN: usize = 4;

/// The bytes of one field or value, borrowed from the hash or, for an
/// integer element, formatted on the stack.
#[derive(Clone, Copy)]
pub enum Elem<'a> {
    /// Bytes stored as they are.
    Bytes(&'a [u8]),
    /// An integer's or a nibble string's text.
    Owned {
        /// Text length.
        len: u8,
        /// Text.
        buf: [u8; NIB_MAX],
    },
}

impl Elem<'_> {
    fn int(n: i64) -> Elem<'static> {
        let mut b = [0u8; 20];
        let len = fmt_i64(n, &mut b);
        let mut buf = [0u8; NIB_MAX];
        buf[..len].copy_from_slice(&b[..len]);
        Elem::Owned { len: len as u8, buf }
    }

    fn nibbles(alpha: &[u8; 16], n: usize, data: &[u8]) -> Elem<'static> {
        let mut buf = [0u8; NIB_MAX];
        for (i, c) in buf[..n].iter_mut().enumerate() {
            *c = alpha[nibble(data, i)];
        }
        Elem::Owned { len: n as u8, buf }
    }
}

#[inline]
fn nibble(data: &[u8], i: usize) -> usize {
    ((data[i / 2] >> (if i.is_multiple_of(2) { 4 } else { 0 })) & 0xf) as usize
}

impl Deref for Elem<'_> {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        match self {
            Elem::Bytes(b) => b,
            Elem::Owned { len, buf } => &buf[..*len as usize],
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
    /// (alphabet, characters, packed nibbles)
    Nib(&'static [u8; 16], usize, &'a [u8]),
}

impl<'a> Raw<'a> {
    fn elem(self) -> Elem<'a> {
        match self {
            Raw::Str(s) => Elem::Bytes(s),
            Raw::Int(n) => Elem::int(n),
            Raw::Nib(a, n, d) => Elem::nibbles(a, n, d),
        }
    }

    /// True when this element is `q` (`qi`: `q` parsed as an integer).
    #[inline]
    fn is(self, q: &[u8], qi: Option<i64>) -> bool {
        match self {
            Raw::Str(s) => qi.is_none() && s == q,
            Raw::Int(n) => qi == Some(n),
            Raw::Nib(a, n, d) => q.len() == n && q.iter().enumerate().all(|(i, &c)| a[nibble(d, i)] == c),
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
        NIB_HEX | NIB_DEC => {
            let n = b[p] as usize;
            let a = if t == NIB_HEX { HEX } else { DEC };
            (Raw::Nib(a, n, &b[p + 1..p + 1 + n.div_ceil(2)]), p + 1 + n.div_ceil(2))
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

/// The nibble alphabet that spells all of `x`, if it is long enough to gain.
fn nib_alphabet(x: &[u8]) -> Option<&'static [u8; 16]> {
    if !(NIB_MIN..=NIB_MAX).contains(&x.len()) {
        return None;
    }
    [DEC, HEX].into_iter().find(|a| x.iter().all(|c| a.contains(c)))
}

/// Encoded size of `x`.
pub fn encoded_len(x: &[u8]) -> usize {
    if let Some(n) = parse_i64(x) {
        return 1 + int_width(n).unwrap_or(0);
    }
    if nib_alphabet(x).is_some() {
        return 2 + x.len().div_ceil(2);
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
    if let Some(a) = nib_alphabet(x) {
        out.push(if a == HEX { NIB_HEX } else { NIB_DEC });
        out.push(x.len() as u8);
        for pair in x.chunks(2) {
            let hi = a.iter().position(|c| *c == pair[0]).unwrap_or(0) as u8;
            let lo = pair.get(1).and_then(|c| a.iter().position(|d| d == c)).unwrap_or(0) as u8;
            out.push(hi << 4 | lo);
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
/// allocation), with the fields in a shared [`Shape`](crate::shape::Shape)
/// when `shape` is set. Holds at most `u32::MAX` bytes per element; the
/// listpack limits keep it far smaller.
#[derive(Clone, Default)]
pub struct Packed {
    shape: Option<ShapeRef>,
    block: Box<[u8]>,
}

/// Where a field was found, in block offsets: the pair's start (unshaped
/// only), its value's start, its end.
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

    /// Bytes this hash owns (its block).
    pub fn bytes(&self) -> usize {
        self.block.len()
    }

    /// Bytes of the field names kept in a shared shape (0 when unshaped).
    pub fn shared_bytes(&self) -> usize {
        self.shape.as_ref().map_or(0, |s| s.fields().len())
    }

    /// True when the field names live in a shared shape.
    pub fn is_shaped(&self) -> bool {
        self.shape.is_some()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        if let Some(s) = &self.shape {
            return s.len();
        }
        let (b, mut at, mut n) = (&self.block[..], 0, 0);
        while at < b.len() {
            at = decode(b, at).1;
            n += 1;
        }
        n / 2
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.block.is_empty()
    }

    /// Pairs in insertion order.
    pub fn iter(&self) -> PackedIter<'_> {
        match &self.shape {
            Some(s) => PackedIter { f: s.fields(), fat: 0, v: &self.block, vat: 0, shaped: true },
            None => PackedIter { f: &self.block, fat: 0, v: &[], vat: 0, shaped: false },
        }
    }

    fn find(&self, field: &[u8]) -> Option<Found> {
        let qi = parse_i64(field);
        if let Some(s) = &self.shape {
            let (f, v) = (s.fields(), &self.block[..]);
            let (mut fat, mut vat) = (0, 0);
            while fat < f.len() {
                let (x, fnext) = decode(f, fat);
                let vend = decode(v, vat).1;
                if x.is(field, qi) {
                    return Some(Found { start: vat, value: vat, end: vend });
                }
                (fat, vat) = (fnext, vend);
            }
            return None;
        }
        let (b, mut at) = (&self.block[..], 0);
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
        self.find(field).map(|f| decode(&self.block, f.value).0.elem())
    }

    /// Replaces bytes `from..to` of the block with `fill`'s output of
    /// `len` bytes, in a new exact-size block.
    fn splice(&mut self, from: usize, to: usize, len: usize, fill: impl FnOnce(&mut Vec<u8>)) {
        let old = &self.block;
        let mut v = Vec::with_capacity(old.len() - (to - from) + len);
        v.extend_from_slice(&old[..from]);
        fill(&mut v);
        debug_assert_eq!(v.len(), from + len);
        v.extend_from_slice(&old[to..]);
        self.block = v.into_boxed_slice();
    }

    /// Moves the field names back into the block (before a write that
    /// changes the field list).
    fn unshape(&mut self) {
        let Some(s) = &self.shape else { return };
        let mut v = Vec::with_capacity(s.fields().len() + self.block.len());
        let (f, b) = (s.fields(), &self.block[..]);
        let (mut fat, mut vat) = (0, 0);
        while fat < f.len() {
            let fnext = decode(f, fat).1;
            let vend = decode(b, vat).1;
            v.extend_from_slice(&f[fat..fnext]);
            v.extend_from_slice(&b[vat..vend]);
            (fat, vat) = (fnext, vend);
        }
        self.block = v.into_boxed_slice();
        self.shape = None;
    }

    /// Moves the field names into a shared shape when other hashes have the
    /// same field list (see [`ShapeRef::intern`]; `owner` identifies this
    /// hash, 0 = unknown). Call after writes that change the field list.
    pub fn settle(&mut self, owner: u64) {
        if self.shape.is_some() || self.block.is_empty() {
            return;
        }
        let b = &self.block[..];
        let (mut fields, mut values) = (Vec::new(), Vec::new());
        let (mut at, mut n) = (0, 0);
        while at < b.len() {
            let v = decode(b, at).1;
            let end = decode(b, v).1;
            fields.extend_from_slice(&b[at..v]);
            values.extend_from_slice(&b[v..end]);
            at = end;
            n += 1;
        }
        if let Some(s) = ShapeRef::intern(&fields, n, owner) {
            self.shape = Some(s);
            self.block = values.into_boxed_slice();
        }
    }

    /// Sets `field` to `value`; true when the field is new (appended last,
    /// as a listpack does).
    pub fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        let vlen = encoded_len(value);
        if let Some(f) = self.find(field) {
            // Same field list: a shaped hash keeps its shape.
            self.splice(f.value, f.end, vlen, |v| encode(v, value));
            return false;
        }
        self.unshape();
        let at = self.block.len();
        self.splice(at, at, encoded_len(field) + vlen, |v| {
            encode(v, field);
            encode(v, value);
        });
        true
    }

    /// Removes `field`; true when it was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        if self.shape.is_some() {
            if self.find(field).is_none() {
                return false;
            }
            self.unshape();
        }
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

/// Iterator over a [`Packed`] hash's pairs: fields from `f` (the shape's
/// list, or the block itself when unshaped), values from `v`.
pub struct PackedIter<'a> {
    f: &'a [u8],
    fat: usize,
    v: &'a [u8],
    vat: usize,
    shaped: bool,
}

impl<'a> PackedIter<'a> {
    /// Offsets of the next field and value, advancing past them.
    #[inline]
    fn step(&mut self) -> Option<(&'a [u8], usize, &'a [u8], usize)> {
        if self.fat >= self.f.len() {
            return None;
        }
        let (f, fat) = (self.f, self.fat);
        let fend = decode(f, fat).1;
        if self.shaped {
            let (v, vat) = (self.v, self.vat);
            self.vat = decode(v, vat).1;
            self.fat = fend;
            Some((f, fat, v, vat))
        } else {
            self.fat = decode(f, fend).1;
            Some((f, fat, f, fend))
        }
    }
}

impl<'a> Iterator for PackedIter<'a> {
    type Item = PairRef<'a>;
    #[inline]
    fn next(&mut self) -> Option<PairRef<'a>> {
        let (f, fat, v, vat) = self.step()?;
        Some(PairRef { f: decode(f, fat).0.elem(), v: decode(v, vat).0.elem() })
    }

    // Skips without formatting integers (HRANDFIELD picks by index).
    fn nth(&mut self, mut n: usize) -> Option<PairRef<'a>> {
        while n > 0 {
            self.step()?;
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
            "",
            "0",
            "-0",
            "00",
            "007",
            "+1",
            " 1",
            "1 ",
            "-",
            "1a",
            "127",
            "128",
            "-1",
            "-128",
            "-129",
            "255",
            "32767",
            "-32768",
            "32768",
            "8388607",
            "-8388608",
            "8388608",
            "2147483647",
            "-2147483648",
            "2147483648",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "1732590000",
            "1.5",
            "1e3",
            "0x10",
            "10.0.249.199",
            "10.0.0.0",
            "deadbeef",
            "DEADBEEF",
            "deadbeeg",
            "0000a5f3c2b1d4e9",
            "2024-11-26",
            "12:30:00",
            "0123",
            "000",
            " 123",
            "+1234",
            "00-0",
            "abc",
            "abcd",
            "-0000",
            "0.5e+1",
            "a/b/",
            "9/11",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        cases.push(vec![0, 255, 13, 10]);
        for n in [0, 1, 62, 63, 64, 65, 300, 65535, 65536, 70000] {
            cases.push((0..n).map(|i| (i * 7) as u8).collect());
        }
        for n in [3, 4, 5, 43, 44, 45, 46] {
            cases.push((0..n).map(|i| HEX[i * 7 % 16]).collect());
            cases.push((0..n).map(|i| DEC[i * 5 % 16]).collect());
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
        assert_eq!(encoded_len(b"0000a5f3c2b1d4e9"), 10);
        assert_eq!(encoded_len(b"10.0.249.199"), 8);
        assert_eq!(encoded_len(b"10.0.1.2"), 6);
        assert_eq!(encoded_len(b"DEADBEEF"), 9);
        assert_eq!(encoded_len(&[b'a'; 45]), 46);
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
        assert!(p.set(b"0000", b"nibbles"));
        assert!(p.set(b"00000", b"more nibbles"));
        assert_eq!(&*p.get(b"0000").unwrap(), b"nibbles");
        assert_eq!(&*p.get(b"00000").unwrap(), b"more nibbles");
        assert!(p.get(b"000").is_none() && p.get(b"000000").is_none());
        assert!(p.remove(b"0000") && p.remove(b"00000"));
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

    fn session(p: &mut Packed, i: u64) {
        let ip = format!("10.0.{}.{}", i % 250, i % 200);
        let csrf = format!("{:016x}", i.wrapping_mul(2654435761));
        let user = (i * 7).to_string();
        for (f, v) in
            [("user", &user[..]), ("created", "1732590000"), ("ip", &ip), ("agent", "Mozilla/5.0"), ("csrf", &csrf)]
        {
            p.set(f.as_bytes(), v.as_bytes());
        }
        p.settle(i + 1);
    }

    #[test]
    fn sessions_share_one_shape_and_keep_48_byte_values() {
        let mut all: Vec<Packed> = (0..50).map(|_| Packed::new()).collect();
        for (i, p) in all.iter_mut().enumerate() {
            session(p, 99_000 + i as u64);
        }
        assert!(!all[0].is_shaped(), "first sighting stays unshaped");
        for p in &all[1..] {
            assert!(p.is_shaped());
            assert!(p.bytes() <= 48, "{}", p.bytes());
            assert_eq!(p.len(), 5);
        }
        // Same replies as the unshaped one.
        let a: Vec<Vec<u8>> = all[0].iter().map(|x| x.field().to_vec()).collect();
        let b: Vec<Vec<u8>> = all[1].iter().map(|x| x.field().to_vec()).collect();
        assert_eq!(a, b);
        assert_eq!(&*all[1].get(b"ip").unwrap(), b"10.0.1.1");
        assert_eq!(&*all[1].get(b"csrf").unwrap(), format!("{:016x}", 99_001u64 * 2654435761).as_bytes());
        // A value update keeps the shape; a field change leaves it.
        assert!(!all[1].set(b"user", b"x"));
        all[1].settle(1);
        assert!(all[1].is_shaped());
        assert!(all[1].set(b"new", b"y"));
        assert!(!all[1].is_shaped());
        assert_eq!(all[1].nth(5).unwrap().field(), b"new");
        assert!(all[2].remove(b"ip"));
        assert!(!all[2].is_shaped());
        assert!(!all[3].remove(b"nope"));
        assert!(all[3].is_shaped());
        assert_eq!(
            all[2].iter().map(|x| x.field().to_vec()).collect::<Vec<_>>(),
            [&b"user"[..], b"created", b"agent", b"csrf"]
        );
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
