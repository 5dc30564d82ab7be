//! LZF, the compression RDB uses for long strings and listpack nodes: a
//! decompressor that checks every offset and length against its buffers,
//! and a small greedy compressor (hash of 3 bytes, 8 KiB window).

/// Longest match one back-reference can copy.
const MAX_REF: usize = 264;
/// Farthest back a reference may point (13-bit offset, plus one).
const MAX_OFF: usize = 8192;
/// Longest literal run one control byte announces.
const MAX_LIT: usize = 32;
const HASH_BITS: u32 = 14;

/// Decompresses `input` into exactly `out_len` bytes. None on malformed data
/// (a reference before the start, a run past the end, a wrong final size).
pub fn decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(out_len);
    let mut ip = 0;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < 32 {
            let n = ctrl + 1;
            if ip + n > input.len() || out.len() + n > out_len {
                return None;
            }
            out.extend_from_slice(&input[ip..ip + n]);
            ip += n;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *input.get(ip)? as usize;
                ip += 1;
            }
            len += 2;
            let off = ((ctrl & 0x1f) << 8) + *input.get(ip)? as usize + 1;
            ip += 1;
            if off > out.len() || out.len() + len > out_len {
                return None;
            }
            let start = out.len() - off;
            // Byte by byte: the source may overlap what this copy writes.
            for i in 0..len {
                let b = out[start + i];
                out.push(b);
            }
        }
    }
    (out.len() == out_len).then_some(out)
}

/// Compresses `input`; None when the result would not be shorter than
/// `max_out` bytes (the caller then stores the data plain, as Redis does).
pub fn compress(input: &[u8], max_out: usize) -> Option<Vec<u8>> {
    let n = input.len();
    let mut out = Vec::with_capacity(max_out.min(n));
    let mut table = vec![u32::MAX; 1 << HASH_BITS];
    let mut lit_start = 0;
    let mut ip = 0;
    let flush = |out: &mut Vec<u8>, from: usize, to: usize| {
        let mut s = from;
        while s < to {
            let k = (to - s).min(MAX_LIT);
            out.push((k - 1) as u8);
            out.extend_from_slice(&input[s..s + k]);
            s += k;
        }
    };
    while ip + 2 < n {
        let h = (u32::from_le_bytes([input[ip], input[ip + 1], input[ip + 2], 0]).wrapping_mul(2654435761)
            >> (32 - HASH_BITS)) as usize;
        let cand = table[h];
        table[h] = ip as u32;
        if cand != u32::MAX {
            let r = cand as usize;
            let off = ip - r;
            if off <= MAX_OFF && input[r..r + 3] == input[ip..ip + 3] {
                let maxlen = (n - ip).min(MAX_REF);
                let mut len = 3;
                while len < maxlen && input[r + len] == input[ip + len] {
                    len += 1;
                }
                flush(&mut out, lit_start, ip);
                let l = len - 2;
                let o = off - 1;
                if l < 7 {
                    out.push(((l << 5) | (o >> 8)) as u8);
                } else {
                    out.push(((7 << 5) | (o >> 8)) as u8);
                    out.push((l - 7) as u8);
                }
                out.push((o & 0xff) as u8);
                ip += len;
                lit_start = ip;
                if out.len() >= max_out {
                    return None;
                }
                continue;
            }
        }
        ip += 1;
    }
    flush(&mut out, lit_start, n);
    (out.len() < max_out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut inputs: Vec<Vec<u8>> = vec![
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(),
            b"abcabcabcabcabcabcabcabcabcabc hello hello hello world world".to_vec(),
            (0..100_000u32).map(|i| (i % 251) as u8).collect(),
            (0..5000u32).flat_map(|i| format!("item-{i},").into_bytes()).collect(),
        ];
        let mut x = 12345u64;
        inputs.push(
            (0..3000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 4) as u8
                })
                .collect(),
        );
        for inp in inputs {
            let c = compress(&inp, inp.len()).expect("compressible");
            assert_eq!(decompress(&c, inp.len()).as_deref(), Some(&inp[..]));
        }
        assert!(compress(b"abcdefgh", 4).is_none());
    }

    #[test]
    fn rejects_bad_references() {
        assert!(decompress(&[0x20, 0x05], 10).is_none());
        assert!(decompress(&[0x00, b'a'], 2).is_none());
        assert!(decompress(&[0x01, b'a'], 1).is_none());
    }
}
