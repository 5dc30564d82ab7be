//! HyperLogLog in Redis's own string layout, so a value made by PFADD here
//! counts the same when copied to redis-server with GET/SET, and back.
//!
//! Layout: a 16-byte header (`HYLL`, encoding byte 0 = dense / 1 = sparse,
//! three zero bytes, the cached cardinality as 8 little-endian bytes whose
//! top bit marks it stale) followed by 16384 registers of 6 bits: packed
//! (dense, 12288 bytes) or run-length coded (sparse). Sparse opcodes:
//! `00xxxxxx` a run of 1-64 zero registers, `01xxxxxx yyyyyyyy` a run of
//! 1-16384 zero registers, `1vvvvvxx` a run of 1-4 registers holding 1-32.
//!
//! Nothing read from a value is trusted: every decoder checks its bounds
//! and reports [`Corrupt`] instead of writing past the 16384 registers.

/// Header bytes.
pub const HDR: usize = 16;
/// log2 of the register count.
const P: u32 = 14;
/// Registers.
pub const REGISTERS: usize = 1 << P;
/// Hash bits left for the run of zeros.
const Q: usize = 64 - P as usize;
/// Size of a dense HLL, header included.
pub const DENSE_SIZE: usize = HDR + (REGISTERS * 6).div_ceil(8);

const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const ZERO_MAX: usize = 64;
const XZERO_MAX: usize = 16384;
const VAL_MAX_LEN: usize = 4;
const VAL_MAX_VALUE: u8 = 32;

/// The value is not a well-formed HLL (Redis's `INVALIDOBJ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// True when `b` has an HLL header Redis would accept (magic, known
/// encoding, exact size when dense).
pub fn is_hll(b: &[u8]) -> bool {
    b.len() >= HDR && &b[..4] == b"HYLL" && b[4] <= SPARSE && (b[4] != DENSE || b.len() == DENSE_SIZE)
}

/// An empty HLL as PFADD creates it: sparse, one XZERO run, cached count 0.
pub fn create() -> Vec<u8> {
    let mut v = vec![0u8; HDR];
    v[..4].copy_from_slice(b"HYLL");
    v[4] = SPARSE;
    let mut left = REGISTERS;
    while left > 0 {
        let n = left.min(XZERO_MAX);
        push_xzero(&mut v, n);
        left -= n;
    }
    v
}

/// The cached cardinality, when valid.
pub fn cached(b: &[u8]) -> Option<u64> {
    (b[15] & 0x80 == 0).then(|| u64::from_le_bytes(b[8..16].try_into().expect("8 bytes")))
}

/// Stores a freshly computed cardinality in the header.
pub fn set_cached(b: &mut [u8], card: u64) {
    b[8..16].copy_from_slice(&card.to_le_bytes());
}

/// Marks the cached cardinality stale.
pub fn invalidate(b: &mut [u8]) {
    b[15] |= 0x80;
}

/// True when the HLL uses the dense encoding.
pub fn is_dense(b: &[u8]) -> bool {
    b[4] == DENSE
}

/// MurmurHash64A with Redis's seed, reading 8-byte blocks little-endian.
fn murmur64a(data: &[u8]) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h: u64 = 0xadc8_3b19 ^ (data.len() as u64).wrapping_mul(M);
    let mut blocks = data.chunks_exact(8);
    for blk in &mut blocks {
        let mut k = u64::from_le_bytes(blk.try_into().expect("8 bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &byte) in tail.iter().enumerate() {
            h ^= (byte as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element lands in and the length of its run of zeros + 1.
fn pattern(ele: &[u8]) -> (usize, u8) {
    let hash = murmur64a(ele);
    let index = (hash as usize) & (REGISTERS - 1);
    // The sentinel bit bounds the count at Q + 1.
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

fn dense_get(regs: &[u8], i: usize) -> u8 {
    let bit = i * 6;
    let (b, fb) = (bit / 8, bit % 8);
    let lo = (regs[b] >> fb) as u16;
    let hi = regs.get(b + 1).map_or(0, |&x| (x as u16) << (8 - fb));
    ((lo | hi) & 63) as u8
}

fn dense_set(regs: &mut [u8], i: usize, v: u8) {
    let bit = i * 6;
    let (b, fb) = (bit / 8, bit % 8);
    regs[b] &= !(63u8 << fb);
    regs[b] |= v << fb;
    if fb > 2 {
        regs[b + 1] &= !(63u8 >> (8 - fb));
        regs[b + 1] |= v >> (8 - fb);
    }
}

/// One decoded sparse opcode.
#[derive(Clone, Copy)]
enum Op {
    Zero(usize),
    Val(u8, usize),
}

/// Decodes the opcode at `p`: the opcode and its length in bytes.
fn op_at(s: &[u8], p: usize) -> Result<(Op, usize), Corrupt> {
    let c = s[p];
    if c & 0x80 != 0 {
        Ok((Op::Val(((c >> 2) & 0x1f) + 1, (c & 3) as usize + 1), 1))
    } else if c & 0x40 == 0 {
        Ok((Op::Zero((c & 0x3f) as usize + 1), 1))
    } else {
        let lo = *s.get(p + 1).ok_or(Corrupt)?;
        Ok((Op::Zero((((c & 0x3f) as usize) << 8 | lo as usize) + 1), 2))
    }
}

fn push_zero(v: &mut Vec<u8>, n: usize) {
    v.push((n - 1) as u8);
}

fn push_xzero(v: &mut Vec<u8>, n: usize) {
    let l = n - 1;
    v.push((l >> 8) as u8 | 0x40);
    v.push((l & 0xff) as u8);
}

fn push_val(v: &mut Vec<u8>, val: u8, n: usize) {
    v.push(((val - 1) << 2 | (n as u8 - 1)) | 0x80);
}

/// Pushes a zero run as Redis splits one: XZERO above 64 registers.
fn push_zeros(v: &mut Vec<u8>, n: usize) {
    if n > ZERO_MAX {
        push_xzero(v, n);
    } else {
        push_zero(v, n);
    }
}

/// Calls `f(first_register, op)` for each sparse opcode, in order.
fn walk_sparse(s: &[u8], mut f: impl FnMut(usize, Op) -> Result<(), Corrupt>) -> Result<usize, Corrupt> {
    let (mut p, mut idx) = (0, 0usize);
    while p < s.len() {
        let (op, len) = op_at(s, p)?;
        f(idx, op)?;
        idx += match op {
            Op::Zero(n) | Op::Val(_, n) => n,
        };
        p += len;
    }
    Ok(idx)
}

/// Turns a sparse HLL into a dense one (header kept, encoding changed).
pub fn to_dense(h: &mut Vec<u8>) -> Result<(), Corrupt> {
    if h[4] == DENSE {
        return Ok(());
    }
    let mut d = vec![0u8; DENSE_SIZE];
    d[..HDR].copy_from_slice(&h[..HDR]);
    d[4] = DENSE;
    let total = walk_sparse(&h[HDR..], |first, op| {
        if let Op::Val(v, n) = op {
            if first + n > REGISTERS {
                return Err(Corrupt);
            }
            for i in first..first + n {
                dense_set(&mut d[HDR..], i, v);
            }
        }
        Ok(())
    })?;
    if total != REGISTERS {
        return Err(Corrupt);
    }
    *h = d;
    Ok(())
}

/// Raises register `index` to `count` (never lowers it). Returns whether
/// the register changed. A sparse HLL goes dense when the value does not
/// fit a sparse opcode or the value would grow past `sparse_max` bytes.
pub fn set_register(h: &mut Vec<u8>, index: usize, count: u8, sparse_max: usize) -> Result<bool, Corrupt> {
    if h[4] == DENSE {
        let regs = &mut h[HDR..];
        if count > dense_get(regs, index) {
            dense_set(regs, index, count);
            return Ok(true);
        }
        return Ok(false);
    }
    if count > VAL_MAX_VALUE {
        return promote(h, index, count);
    }
    // Find the opcode that covers `index`.
    let s = &h[HDR..];
    let (mut p, mut first, mut prev) = (0usize, 0usize, None);
    let (op, oplen) = loop {
        if p >= s.len() {
            return Err(Corrupt);
        }
        let (op, len) = op_at(s, p)?;
        let span = match op {
            Op::Zero(n) | Op::Val(_, n) => n,
        };
        if index < first + span {
            break (op, len);
        }
        prev = Some(p);
        p += len;
        first += span;
    };
    let (span, cur) = match op {
        Op::Zero(n) => (n, 0),
        Op::Val(v, n) => (n, v),
    };
    if cur >= count {
        return Ok(false);
    }
    let mut seq = Vec::with_capacity(5);
    if span == 1 {
        push_val(&mut seq, count, 1);
    } else {
        let last = first + span - 1;
        if index != first {
            if cur == 0 {
                push_zeros(&mut seq, index - first);
            } else {
                push_val(&mut seq, cur, index - first);
            }
        }
        push_val(&mut seq, count, 1);
        if index != last {
            if cur == 0 {
                push_zeros(&mut seq, last - index);
            } else {
                push_val(&mut seq, cur, last - index);
            }
        }
    }
    if seq.len() > oplen && h.len() + seq.len() - oplen > sparse_max {
        return promote(h, index, count);
    }
    let at = HDR + p;
    h.splice(at..at + oplen, seq);
    merge_vals(h, HDR + prev.unwrap_or(0));
    invalidate(h);
    Ok(true)
}

/// Joins adjacent VAL opcodes of equal value, scanning at most five
/// opcodes from `start`, as Redis does after each sparse update.
fn merge_vals(h: &mut Vec<u8>, start: usize) {
    let mut p = start;
    let mut budget = 5;
    while p < h.len() && budget > 0 {
        budget -= 1;
        let c = h[p];
        if c & 0xc0 == 0x40 {
            p += 2;
            continue;
        }
        if c & 0x80 == 0 {
            p += 1;
            continue;
        }
        if p + 1 < h.len() && h[p + 1] & 0x80 != 0 {
            let (v1, v2) = (((c >> 2) & 0x1f) + 1, ((h[p + 1] >> 2) & 0x1f) + 1);
            let len = (c & 3) as usize + 1 + (h[p + 1] & 3) as usize + 1;
            if v1 == v2 && len <= VAL_MAX_LEN {
                h.remove(p);
                h[p] = ((v1 - 1) << 2 | (len as u8 - 1)) | 0x80;
                // Try again at the same place: the merged run may join the next.
                continue;
            }
        }
        p += 1;
    }
}

fn promote(h: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(h)?;
    set_register(h, index, count, 0)
}

/// PFADD of one element. Returns whether a register changed.
pub fn add(h: &mut Vec<u8>, ele: &[u8], sparse_max: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern(ele);
    set_register(h, index, count, sparse_max)
}

/// Raises `max[i]` to each register of `h` (PFCOUNT of several keys, PFMERGE).
pub fn merge_into(max: &mut [u8], h: &[u8]) -> Result<(), Corrupt> {
    if h[4] == DENSE {
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(&h[HDR..], i));
        }
        return Ok(());
    }
    let total = walk_sparse(&h[HDR..], |first, op| {
        if let Op::Val(v, n) = op {
            if first + n > REGISTERS {
                return Err(Corrupt);
            }
            for m in &mut max[first..first + n] {
                *m = (*m).max(v);
            }
        }
        Ok(())
    })?;
    if total != REGISTERS {
        return Err(Corrupt);
    }
    Ok(())
}

/// Cardinality estimate of an HLL value (ignoring its cache).
pub fn count(h: &[u8]) -> Result<u64, Corrupt> {
    let mut histo = [0u64; 64];
    if h[4] == DENSE {
        for i in 0..REGISTERS {
            histo[dense_get(&h[HDR..], i) as usize] += 1;
        }
    } else {
        let total = walk_sparse(&h[HDR..], |_, op| {
            match op {
                Op::Zero(n) => histo[0] += n as u64,
                Op::Val(v, n) => histo[v as usize] += n as u64,
            }
            Ok(())
        })?;
        if total != REGISTERS {
            return Err(Corrupt);
        }
    }
    Ok(estimate(&histo))
}

/// Cardinality estimate of one byte per register (the merged form).
pub fn count_registers(regs: &[u8]) -> u64 {
    let mut histo = [0u64; 64];
    for &r in regs {
        histo[(r & 63) as usize] += 1;
    }
    estimate(&histo)
}

/// Otmar Ertl's improved estimator ("New cardinality estimation algorithms
/// for HyperLogLog sketches", 2017), the one Redis uses, from the histogram
/// of register values.
fn estimate(histo: &[u64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histo[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histo[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histo[0] as f64 / m);
    const ALPHA_INF: f64 = 0.721_347_520_444_481_7;
    (ALPHA_INF * m * m / z).round() as u64
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let prev = z;
        z += x * y;
        y += y;
        if prev == z {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let prev = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if prev == z {
            return z / 3.0;
        }
    }
}

/// The registers of a dense or sparse HLL, one byte each (PFDEBUG GETREG).
pub fn registers(h: &[u8]) -> Result<Vec<u8>, Corrupt> {
    let mut regs = vec![0u8; REGISTERS];
    merge_into(&mut regs, h)?;
    Ok(regs)
}

/// PFDEBUG DECODE's listing of a sparse HLL's opcodes (`z:3 Z:100 v:2,1`).
pub fn decode_sparse(h: &[u8]) -> Result<String, Corrupt> {
    let s = &h[HDR..];
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        let (op, len) = op_at(s, p)?;
        out.push(match op {
            Op::Zero(n) if len == 1 => format!("z:{n}"),
            Op::Zero(n) => format!("Z:{n}"),
            Op::Val(v, n) => format!("v:{v},{n}"),
        });
        p += len;
    }
    Ok(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hll_matches_redis_bytes() {
        let h = create();
        assert_eq!(h.len(), 18);
        assert_eq!(&h[16..], &[0x7f, 0xff]);
        assert_eq!(count(&h), Ok(0));
    }

    #[test]
    fn counts_stay_close_and_dense_matches_sparse() {
        let mut h = create();
        for i in 0..5000 {
            add(&mut h, format!("e{i}").as_bytes(), 3000).unwrap();
        }
        let c = count(&h).unwrap();
        assert!((4800..5200).contains(&c), "{c}");
        let mut d = h.clone();
        to_dense(&mut d).unwrap();
        assert_eq!(count(&d).unwrap(), c);
        assert_eq!(registers(&d).unwrap(), registers(&h).unwrap());
    }

    #[test]
    fn corrupt_sparse_is_refused() {
        let mut h = create();
        h.truncate(17);
        assert_eq!(count(&h), Err(Corrupt));
        // Runs past 16384 registers: refused, never written.
        let mut big = create();
        big.truncate(16);
        for _ in 0..3 {
            push_xzero(&mut big, 16384);
        }
        push_val(&mut big, 5, 4);
        assert_eq!(count(&big), Err(Corrupt));
        assert_eq!(to_dense(&mut big.clone()), Err(Corrupt));
        let mut max = vec![0u8; REGISTERS];
        assert_eq!(merge_into(&mut max, &big), Err(Corrupt));
    }
}
