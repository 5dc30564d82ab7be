//! Bit operations on string values (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
//! BITFIELD). Bits are numbered from the most significant bit of byte 0,
//! as Redis numbers them. Argument parsing and replies live in the server's
//! `cmd/bitmap.rs`.

use crate::db::Keyspace;
use crate::error::KsError;
use crate::value::{Str, Value};
use crate::KsResult;

/// The bit at `offset` of `b` (0 past the end).
pub fn get_bit(b: &[u8], offset: u64) -> u8 {
    let byte = (offset >> 3) as usize;
    match b.get(byte) {
        Some(v) => (v >> (7 - (offset & 7))) & 1,
        None => 0,
    }
}

/// Number of set bits in `b`.
pub fn popcount(b: &[u8]) -> u64 {
    // Eight bytes at a time: the compiler turns count_ones into popcnt.
    let mut n = 0u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        n += u64::from_ne_bytes(c.try_into().expect("8 bytes")).count_ones() as u64;
    }
    n + chunks.remainder().iter().map(|x| x.count_ones() as u64).sum::<u64>()
}

/// Set bits of `b` between bit positions `first` and `last` (inclusive,
/// both within `b`).
pub fn count_bit_range(b: &[u8], first: u64, last: u64) -> u64 {
    let (fb, lb) = ((first >> 3) as usize, (last >> 3) as usize);
    let mut n = popcount(&b[fb..=lb]);
    // Take out the bits of the edge bytes that lie outside the range.
    let head = b[fb] & !(0xffu8 >> (first & 7));
    let tail = b[lb] & (0xffu16 >> ((last & 7) + 1)) as u8;
    n -= head.count_ones() as u64 + tail.count_ones() as u64;
    n
}

/// First position in `first..=last` (bit positions within `b`) whose bit
/// equals `bit`, or None.
pub fn find_bit(b: &[u8], bit: u8, first: u64, last: u64) -> Option<u64> {
    let skip = if bit == 1 { 0x00 } else { 0xff };
    let mut pos = first;
    while pos <= last {
        let byte = (pos >> 3) as usize;
        // Whole bytes that cannot hold the bit are skipped at once.
        if pos & 7 == 0 && pos + 7 <= last && b[byte] == skip {
            pos += 8;
            continue;
        }
        if get_bit(b, pos) == bit {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// BITOP's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// The result of `op` over `srcs` (missing bytes of shorter sources count as zero).
pub fn bitop(op: BitOp, srcs: &[Vec<u8>]) -> Vec<u8> {
    let len = srcs.iter().map(Vec::len).max().unwrap_or(0);
    if op == BitOp::Not {
        return srcs[0].iter().map(|b| !b).collect();
    }
    let mut out = vec![0u8; len];
    for (i, o) in out.iter_mut().enumerate() {
        let mut acc = srcs[0].get(i).copied().unwrap_or(0);
        for s in &srcs[1..] {
            let v = s.get(i).copied().unwrap_or(0);
            match op {
                BitOp::And => acc &= v,
                BitOp::Or => acc |= v,
                BitOp::Xor => acc ^= v,
                BitOp::Not => unreachable!("handled above"),
            }
        }
        *o = acc;
    }
    out
}

/// A BITFIELD integer type: `i1`..`i64` or `u1`..`u63`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldType {
    pub signed: bool,
    pub bits: u32,
}

/// What BITFIELD does when a value leaves the type's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    Wrap,
    Sat,
    Fail,
}

impl FieldType {
    /// Reads the field at bit `offset` of `b` (bits past the end read as 0).
    pub fn get(self, b: &[u8], offset: u64) -> i64 {
        let mut v: u64 = 0;
        for i in 0..self.bits as u64 {
            v = (v << 1) | get_bit(b, offset + i) as u64;
        }
        if self.signed && self.bits < 64 && v >> (self.bits - 1) & 1 == 1 {
            v |= u64::MAX << self.bits;
        }
        v as i64
    }

    /// Writes the low `bits` of `v` at bit `offset` of `b` (which must be long enough).
    pub fn set(self, b: &mut [u8], offset: u64, v: i64) {
        let v = v as u64;
        for i in 0..self.bits as u64 {
            let bit = (v >> (self.bits as u64 - 1 - i)) & 1;
            let pos = offset + i;
            let byte = (pos >> 3) as usize;
            let mask = 1u8 << (7 - (pos & 7));
            if bit == 1 {
                b[byte] |= mask;
            } else {
                b[byte] &= !mask;
            }
        }
    }

    fn range(self) -> (i128, i128) {
        if self.signed {
            (-(1i128 << (self.bits - 1)), (1i128 << (self.bits - 1)) - 1)
        } else {
            (0, (1i128 << self.bits) - 1)
        }
    }

    /// `value` (the current field, or a value to SET) plus `incr`, fitted to
    /// the type under `ow`: None when it overflows under FAIL. For unsigned
    /// types a negative `value` is read as its two's complement, as Redis
    /// does, so `SET u8 -1` is an overflow.
    pub fn fit(self, value: i64, incr: i64, ow: Overflow) -> Option<i64> {
        let v = if self.signed { value as i128 } else { value as u64 as i128 };
        let r = v + incr as i128;
        let (min, max) = self.range();
        if r >= min && r <= max {
            return Some(r as i64);
        }
        match ow {
            Ow::Fail => None,
            Ow::Sat => Some(if r > max { max as i64 } else { min as i64 }),
            Ow::Wrap => {
                let m = (r as u128 as u64) & if self.bits == 64 { u64::MAX } else { (1u64 << self.bits) - 1 };
                let t = FieldType { signed: self.signed, bits: self.bits };
                // Sign-extend through the same path reads use.
                let mut buf = [0u8; 9];
                t.set(&mut buf, 0, m as i64);
                Some(t.get(&buf, 0))
            }
        }
    }
}

use Overflow as Ow;

fn as_str_mut(v: &mut Value) -> KsResult<&mut Str> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(KsError::WrongType),
    }
}

impl Keyspace {
    /// The string at `key` for a bit command that writes up to bit
    /// `max_bit`: created (zero-filled) when missing, grown when shorter.
    /// Returns the buffer and whether it was created or grown.
    ///
    /// # Errors
    /// `WrongType` when the key holds another type.
    pub fn bits_for_write(&mut self, db: usize, key: &[u8], max_bit: u64) -> KsResult<(&mut Vec<u8>, bool)> {
        let need = (max_bit >> 3) as usize + 1;
        let (e, created) = self.entry_or_insert(db, key, || Value::Str(Str::Raw(Vec::new())));
        let buf = as_str_mut(&mut e.value)?.make_raw();
        let grown = buf.len() < need;
        if grown {
            buf.resize(need, 0);
        }
        Ok((buf, created || grown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_numbering_is_msb_first() {
        assert_eq!(get_bit(&[0x80], 0), 1);
        assert_eq!(get_bit(&[0x80], 7), 0);
        assert_eq!(get_bit(&[0x01], 7), 1);
        assert_eq!(get_bit(&[0x01], 100), 0);
    }

    #[test]
    fn ranges_count_only_their_bits() {
        let b = [0xff, 0xff, 0xff];
        assert_eq!(count_bit_range(&b, 0, 23), 24);
        assert_eq!(count_bit_range(&b, 3, 3), 1);
        assert_eq!(count_bit_range(&b, 5, 17), 13);
        assert_eq!(popcount(b"foobar"), 26);
    }

    #[test]
    fn find_bit_skips_whole_bytes() {
        let b = [0x00, 0x00, 0x10];
        assert_eq!(find_bit(&b, 1, 0, 23), Some(19));
        assert_eq!(find_bit(&b, 0, 0, 23), Some(0));
        assert_eq!(find_bit(&[0xff], 0, 0, 7), None);
    }

    #[test]
    fn fields_wrap_saturate_and_fail() {
        let i8t = FieldType { signed: true, bits: 8 };
        assert_eq!(i8t.fit(127, 1, Ow::Wrap), Some(-128));
        assert_eq!(i8t.fit(127, 1, Ow::Sat), Some(127));
        assert_eq!(i8t.fit(127, 1, Ow::Fail), None);
        let u2 = FieldType { signed: false, bits: 2 };
        assert_eq!(u2.fit(3, 1, Ow::Wrap), Some(0));
        assert_eq!(u2.fit(0, -1, Ow::Sat), Some(0));
        assert_eq!(u2.fit(-1, 0, Ow::Sat), Some(3), "a negative SET value is a huge unsigned one");
        let i64t = FieldType { signed: true, bits: 64 };
        assert_eq!(i64t.fit(i64::MAX, 1, Ow::Wrap), Some(i64::MIN));
        let mut buf = [0u8; 2];
        let i5 = FieldType { signed: true, bits: 5 };
        i5.set(&mut buf, 3, -3);
        assert_eq!(i5.get(&buf, 3), -3);
    }
}
