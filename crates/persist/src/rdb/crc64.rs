//! CRC-64 "Jones" as Redis computes it (polynomial 0xad93d23594c935a9,
//! reflected in and out, initial value 0, no final xor): the checksum at the
//! end of an RDB file and of a DUMP payload. Table-driven, one byte a step.

const POLY_REFLECTED: u64 = 0xad93d23594c935a9u64.reverse_bits();

const TABLE: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY_REFLECTED } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// Continues a CRC over `data` (start with 0).
pub fn update(mut crc: u64, data: &[u8]) -> u64 {
    for &b in data {
        crc = TABLE[((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// The CRC of `data`, as Redis's `crc64(0, data, len)`.
pub fn crc64(data: &[u8]) -> u64 {
    update(0, data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value_matches_redis() {
        assert_eq!(super::crc64(b"123456789"), 0xe9c6d914c4b8d9ca);
        let s = b"This is a test of the emergency broadcast system.";
        assert_eq!(super::update(super::update(0, &s[..10]), &s[10..]), super::crc64(s));
    }
}
