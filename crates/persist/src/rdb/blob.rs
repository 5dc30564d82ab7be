//! The packed containers RDB stores as strings: listpack (Redis 7), ziplist
//! (Redis 3.2 to 6.2), intset and zipmap (Redis 2.x). Decoders check every
//! length against the blob, so a corrupt blob is an error and never a read
//! out of bounds; the listpack and intset encoders write what Redis 7.0's
//! loader validates (header size, entry backlens, terminator, sort order).

/// One element of a packed container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Elem<'a> {
    /// A string element.
    Str(&'a [u8]),
    /// An integer element.
    Int(i64),
}

impl Elem<'_> {
    /// The element as bytes (integers in decimal).
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Elem::Str(s) => s.to_vec(),
            Elem::Int(n) => n.to_string().into_bytes(),
        }
    }
}

fn le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0u64, |a, &x| (a << 8) | x as u64)
}

fn sign_extend(v: u64, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

/// Decodes a listpack into its elements.
pub fn listpack(b: &[u8]) -> Option<Vec<Elem<'_>>> {
    if b.len() < 7 || le(&b[0..4]) as usize != b.len() || b[b.len() - 1] != 0xff {
        return None;
    }
    let declared = le(&b[4..6]) as usize;
    let mut out = Vec::with_capacity(declared.min(b.len() / 2));
    let mut p = 6;
    let end = b.len() - 1;
    while p < end {
        let c = b[p];
        let (elem, size) = if c & 0x80 == 0 {
            (Elem::Int((c & 0x7f) as i64), 1)
        } else if c & 0xc0 == 0x80 {
            let l = (c & 0x3f) as usize;
            (Elem::Str(b.get(p + 1..p + 1 + l)?), 1 + l)
        } else if c & 0xe0 == 0xc0 {
            let v = (((c & 0x1f) as u64) << 8) | *b.get(p + 1)? as u64;
            (Elem::Int(sign_extend(v, 13)), 2)
        } else if c & 0xf0 == 0xe0 {
            let l = (((c & 0x0f) as usize) << 8) | *b.get(p + 1)? as usize;
            (Elem::Str(b.get(p + 2..p + 2 + l)?), 2 + l)
        } else {
            match c {
                0xf0 => {
                    let l = le(b.get(p + 1..p + 5)?) as usize;
                    (Elem::Str(b.get(p + 5..(p + 5).checked_add(l)?)?), 5 + l)
                }
                0xf1 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 3)?), 16)), 3),
                0xf2 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 4)?), 24)), 4),
                0xf3 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 5)?), 32)), 5),
                0xf4 => (Elem::Int(le(b.get(p + 1..p + 9)?) as i64), 9),
                _ => return None,
            }
        };
        let mut bl = [0u8; 5];
        let bn = backlen(size, &mut bl);
        if b.get(p + size..p + size + bn)? != &bl[..bn] {
            return None;
        }
        p += size + bn;
        if p > end {
            return None;
        }
        out.push(elem);
    }
    if declared != 65535 && declared != out.len() {
        return None;
    }
    Some(out)
}

/// Encodes an entry length as a listpack backlen; returns its size.
fn backlen(l: usize, buf: &mut [u8; 5]) -> usize {
    let n = match l {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    };
    // Most significant 7-bit group first; every byte but the first has the high bit.
    for i in 0..n {
        let shift = 7 * (n - 1 - i);
        let v = ((l >> shift) & 127) as u8;
        buf[i] = if i == 0 { v } else { v | 128 };
    }
    n
}

/// Builds a listpack, as Redis 7.0's lpAppend does (integers packed).
#[derive(Default)]
pub struct ListpackWriter {
    buf: Vec<u8>,
    count: usize,
}

impl ListpackWriter {
    /// An empty listpack.
    pub fn new() -> Self {
        ListpackWriter { buf: vec![0; 6], count: 0 }
    }

    /// Appends an element, integer-encoded when it is a canonical i64.
    pub fn push(&mut self, e: &[u8]) {
        let start = self.buf.len();
        match keyspace::value::parse_i64(e) {
            Some(n) => self.push_int_raw(n),
            None => {
                let l = e.len();
                if l < 64 {
                    self.buf.push(0x80 | l as u8);
                } else if l < 4096 {
                    self.buf.push(0xe0 | (l >> 8) as u8);
                    self.buf.push((l & 0xff) as u8);
                } else {
                    self.buf.push(0xf0);
                    self.buf.extend_from_slice(&(l as u32).to_le_bytes());
                }
                self.buf.extend_from_slice(e);
            }
        }
        let mut bl = [0u8; 5];
        let n = backlen(self.buf.len() - start, &mut bl);
        self.buf.extend_from_slice(&bl[..n]);
        self.count += 1;
    }

    /// Appends an integer element.
    pub fn push_int(&mut self, n: i64) {
        let start = self.buf.len();
        self.push_int_raw(n);
        let mut bl = [0u8; 5];
        let k = backlen(self.buf.len() - start, &mut bl);
        self.buf.extend_from_slice(&bl[..k]);
        self.count += 1;
    }

    fn push_int_raw(&mut self, n: i64) {
        if (0..=127).contains(&n) {
            self.buf.push(n as u8);
        } else if (-4096..=4095).contains(&n) {
            let u = (n as u64) & 0x1fff;
            self.buf.push(0xc0 | (u >> 8) as u8);
            self.buf.push((u & 0xff) as u8);
        } else if i16::try_from(n).is_ok() {
            self.buf.push(0xf1);
            self.buf.extend_from_slice(&(n as i16).to_le_bytes());
        } else if (-(1 << 23)..(1 << 23)).contains(&n) {
            self.buf.push(0xf2);
            self.buf.extend_from_slice(&(n as i32).to_le_bytes()[..3]);
        } else if i32::try_from(n).is_ok() {
            self.buf.push(0xf3);
            self.buf.extend_from_slice(&(n as i32).to_le_bytes());
        } else {
            self.buf.push(0xf4);
            self.buf.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// Number of elements so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when no element was pushed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes so far (without the terminator).
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// The finished listpack.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(0xff);
        let total = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&total.to_le_bytes());
        let n = self.count.min(65535) as u16;
        self.buf[4..6].copy_from_slice(&n.to_le_bytes());
        self.buf
    }
}

/// Decodes a ziplist (Redis 3.2 to 6.2) into its elements.
pub fn ziplist(b: &[u8]) -> Option<Vec<Elem<'_>>> {
    if b.len() < 11 || le(&b[0..4]) as usize != b.len() || b[b.len() - 1] != 0xff {
        return None;
    }
    let declared = le(&b[8..10]) as usize;
    let mut out = Vec::with_capacity(declared.min(b.len() / 2));
    let mut p = 10;
    let end = b.len() - 1;
    while p < end {
        // prevlen: 1 byte, or 0xfe and 4 bytes.
        p += if b[p] < 254 {
            1
        } else if b[p] == 254 {
            5
        } else {
            return None;
        };
        let c = *b.get(p)?;
        let (elem, size) = match c >> 6 {
            0 => {
                let l = (c & 0x3f) as usize;
                (Elem::Str(b.get(p + 1..p + 1 + l)?), 1 + l)
            }
            1 => {
                let l = (((c & 0x3f) as usize) << 8) | *b.get(p + 1)? as usize;
                (Elem::Str(b.get(p + 2..p + 2 + l)?), 2 + l)
            }
            2 => {
                if c != 0x80 {
                    return None;
                }
                let l = u32::from_be_bytes(b.get(p + 1..p + 5)?.try_into().ok()?) as usize;
                (Elem::Str(b.get(p + 5..(p + 5).checked_add(l)?)?), 5 + l)
            }
            _ => match c {
                0xc0 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 3)?), 16)), 3),
                0xd0 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 5)?), 32)), 5),
                0xe0 => (Elem::Int(le(b.get(p + 1..p + 9)?) as i64), 9),
                0xf0 => (Elem::Int(sign_extend(le(b.get(p + 1..p + 4)?), 24)), 4),
                0xfe => (Elem::Int(*b.get(p + 1)? as i8 as i64), 2),
                0xf1..=0xfd => (Elem::Int((c & 0x0f) as i64 - 1), 1),
                _ => return None,
            },
        };
        p += size;
        if p > end {
            return None;
        }
        out.push(elem);
    }
    if declared != 65535 && declared != out.len() {
        return None;
    }
    Some(out)
}

/// Decodes an intset; members must be strictly ascending (no duplicates).
pub fn intset(b: &[u8]) -> Option<Vec<i64>> {
    if b.len() < 8 {
        return None;
    }
    let w = le(&b[0..4]) as usize;
    let n = le(&b[4..8]) as usize;
    if !matches!(w, 2 | 4 | 8) || n.checked_mul(w)?.checked_add(8)? != b.len() {
        return None;
    }
    let mut out: Vec<i64> = Vec::with_capacity(n);
    for c in b[8..].chunks_exact(w) {
        let v = sign_extend(le(c), 8 * w as u32);
        if out.last().is_some_and(|&l| l >= v) {
            return None;
        }
        out.push(v);
    }
    Some(out)
}

/// Encodes sorted distinct integers as an intset of the narrowest width.
pub fn intset_encode(vals: &[i64]) -> Vec<u8> {
    let w: usize = if vals.iter().all(|&v| i16::try_from(v).is_ok()) {
        2
    } else if vals.iter().all(|&v| i32::try_from(v).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + w * vals.len());
    out.extend_from_slice(&(w as u32).to_le_bytes());
    out.extend_from_slice(&(vals.len() as u32).to_le_bytes());
    for &v in vals {
        out.extend_from_slice(&v.to_le_bytes()[..w]);
    }
    out
}

/// Decodes a zipmap (Redis 2.x hashes) into field/value pairs.
pub fn zipmap(b: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut out = Vec::new();
    let mut p = 1;
    let len_at = |p: usize| -> Option<(usize, usize)> {
        match *b.get(p)? {
            0xff => None,
            254 => Some((le(b.get(p + 1..p + 5)?) as usize, 5)),
            l => Some((l as usize, 1)),
        }
    };
    loop {
        if *b.get(p)? == 0xff {
            return (p + 1 == b.len()).then_some(out);
        }
        let (kl, s) = len_at(p)?;
        p += s;
        let k = b.get(p..p.checked_add(kl)?)?;
        p += kl;
        let (vl, s) = len_at(p)?;
        p += s;
        let free = *b.get(p)? as usize;
        p += 1;
        let v = b.get(p..p.checked_add(vl)?)?;
        p += vl + free;
        out.push((k, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listpack_round_trips_every_encoding() {
        let long = vec![b'x'; 5000];
        let mid = vec![b'y'; 300];
        let items: Vec<Vec<u8>> = vec![
            b"0".to_vec(),
            b"127".to_vec(),
            b"128".to_vec(),
            b"-4096".to_vec(),
            b"4095".to_vec(),
            b"-32768".to_vec(),
            b"8388607".to_vec(),
            b"-8388608".to_vec(),
            b"2147483647".to_vec(),
            b"-9223372036854775808".to_vec(),
            b"".to_vec(),
            b"hello".to_vec(),
            b"007".to_vec(),
            mid.clone(),
            long.clone(),
        ];
        let mut w = ListpackWriter::new();
        for i in &items {
            w.push(i);
        }
        let lp = w.finish();
        let got: Vec<Vec<u8>> = listpack(&lp).unwrap().iter().map(|e| e.to_vec()).collect();
        assert_eq!(got, items);
        let mut bad = lp.clone();
        bad[0] ^= 1;
        assert!(listpack(&bad).is_none());
    }

    #[test]
    fn intset_round_trips_and_rejects_disorder() {
        for vals in [vec![1i64, 2, 3], vec![-70000, 5], vec![i64::MIN, 0, i64::MAX]] {
            assert_eq!(intset(&intset_encode(&vals)).unwrap(), vals);
        }
        assert!(intset(&intset_encode(&[3, 2])).is_none());
        assert!(intset(&intset_encode(&[2, 2])).is_none());
    }

    #[test]
    fn backlen_sizes() {
        let mut b = [0u8; 5];
        assert_eq!(backlen(127, &mut b), 1);
        assert_eq!(backlen(128, &mut b), 2);
        assert_eq!(&b[..2], &[1, 128]);
        assert_eq!(backlen(5005, &mut b), 2);
    }
}
