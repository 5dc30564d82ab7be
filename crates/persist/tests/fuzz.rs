//! Byte-flip fuzzing of RDB files and DUMP payloads, as Redis's
//! corrupt-dump-fuzzer does: flip one random byte (two, one time in ten) of
//! a valid input and decode it. Every outcome must be a value or an error:
//! no panic, no hang. Bounded in count so it runs in seconds.

use keyspace::value::{Str, Value};
use keyspace::Keyspace;
use persist::rdb::{self, LoadOptions, WriteOptions};

fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

fn corpus() -> Keyspace {
    let mut ks = Keyspace::new(4);
    ks.set_now(1_700_000_000_000);
    let s = |v: &[u8]| Value::Str(Str::from_bytes(v));
    ks.set_value(0, b"i", s(b"-12345"), false, 0);
    ks.set_value(0, b"lz", s(&b"compress me please ".repeat(20)), false, 1_800_000_000_000);
    ks.sadd(0, b"is", &[b"1".as_slice(), b"300", b"-70000", b"5000000000"]).unwrap();
    ks.sadd(0, b"ss", &[b"a".as_slice(), b"bb", b"ccc"]).unwrap();
    let many: Vec<Vec<u8>> = (0..300).map(|i| format!("member-{i}").into_bytes()).collect();
    ks.sadd(1, b"bigs", &many).unwrap();
    ks.hset(0, b"h", &[b"f".as_slice(), b"v", b"n", b"12"]).unwrap();
    let pairs: Vec<Vec<u8>> = (0..1200).map(|i| format!("k{i}").into_bytes()).collect();
    ks.hset(1, b"bigh", &pairs).unwrap();
    let elems: Vec<&[u8]> = many.iter().map(|v| v.as_slice()).collect();
    ks.list_push(0, b"l", keyspace::list::End::Right, elems.iter().copied(), false).unwrap();
    ks.list_push(0, b"sl", keyspace::list::End::Right, [b"1".as_slice(), b"x", b"-5"], false).unwrap();
    ks
}

fn flip(data: &mut [u8], r: &mut impl FnMut() -> u64) {
    let n = if r() % 10 == 0 { 2 } else { 1 };
    for _ in 0..n {
        let i = (r() % data.len() as u64) as usize;
        data[i] = (r() & 0xff) as u8;
    }
}

#[test]
fn flipped_files_never_panic() {
    let ks = corpus();
    for compress in [true, false] {
        // Without a checksum the decoder itself must catch every corruption.
        let opts =
            WriteOptions { compress, checksum: false, aux: WriteOptions::redis_aux(1, 1, false), ..Default::default() };
        let good = rdb::write_keyspace(Vec::new(), &ks, &opts).unwrap();
        let mut r = rng(0xfeed + compress as u64);
        for _ in 0..1500 {
            let mut bad = good.clone();
            flip(&mut bad, &mut r);
            let mut fresh = Keyspace::new(4);
            let _ = rdb::load_into(&bad[..], &mut fresh, &LoadOptions::default());
        }
    }
}

#[test]
fn flipped_payloads_never_panic() {
    let ks = corpus();
    let mut payloads = Vec::new();
    for db in 0..ks.db_count() {
        ks.db(db).dict.for_each(|e| payloads.push(rdb::dump_payload(&e.value, true)));
    }
    let mut r = rng(0xbeef);
    let mut decoded_anyway = 0;
    for p in &payloads {
        for _ in 0..300 {
            let mut bad = p.clone();
            let body = bad.len() - 10;
            flip(&mut bad[..body], &mut r);
            // Re-seal the footer so the decoder, not the CRC, sees the damage.
            let crc = rdb::crc64::crc64(&bad[..bad.len() - 8]);
            let n = bad.len();
            bad[n - 8..].copy_from_slice(&crc.to_le_bytes());
            if rdb::restore_payload(&bad, &ks.enc).is_ok() {
                decoded_anyway += 1;
            }
        }
    }
    // Some flips land in string data and still decode; most must not.
    assert!(decoded_anyway < payloads.len() * 300);
}

#[test]
fn lying_lengths_do_not_allocate_what_they_claim() {
    // A string claiming 2^62 bytes, then nothing: must fail on the missing bytes.
    let mut p = vec![rdb::ty::STRING, 0x81];
    p.extend_from_slice(&(1u64 << 62).to_be_bytes());
    p.extend_from_slice(&10u16.to_le_bytes());
    let crc = rdb::crc64::crc64(&p);
    p.extend_from_slice(&crc.to_le_bytes());
    assert!(rdb::restore_payload(&p, &Default::default()).is_err());
    // A set claiming 2^40 members.
    let mut p = vec![rdb::ty::SET, 0x81];
    p.extend_from_slice(&(1u64 << 40).to_be_bytes());
    p.extend_from_slice(&10u16.to_le_bytes());
    let crc = rdb::crc64::crc64(&p);
    p.extend_from_slice(&crc.to_le_bytes());
    assert!(rdb::restore_payload(&p, &Default::default()).is_err());
    // An LZF string claiming a huge uncompressed size.
    let mut p = vec![rdb::ty::STRING, 0xc3, 0x02, 0x81];
    p.extend_from_slice(&(1u64 << 50).to_be_bytes());
    p.extend_from_slice(&[0x00, b'a']);
    p.extend_from_slice(&10u16.to_le_bytes());
    let crc = rdb::crc64::crc64(&p);
    p.extend_from_slice(&crc.to_le_bytes());
    assert!(rdb::restore_payload(&p, &Default::default()).is_err());
}
