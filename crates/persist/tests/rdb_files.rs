//! RDB files: the shared fixtures (Redis 7.0.15 dumps and Redis's own
//! older-format test files) and round trips through our writer.

use keyspace::value::{Str, Value};
use keyspace::Keyspace;
use persist::rdb::{self, LoadOptions, RdbError, WriteOptions};
use std::path::Path;

const FIXTURES: &str = "/work/shared/fixtures/rdb";

fn fixture(name: &str) -> Option<Vec<u8>> {
    let p = Path::new(FIXTURES).join(name);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("SKIPPED: fixture {} is absent", p.display());
            None
        }
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn load(bytes: &[u8]) -> Result<(Keyspace, rdb::LoadSummary), RdbError> {
    let mut ks = Keyspace::new(16);
    let s = rdb::load_into(bytes, &mut ks, &LoadOptions { now_ms: now_ms(), ..Default::default() })?;
    Ok((ks, s))
}

#[test]
fn all_types_fixture_loads_with_its_function_library_and_stream() {
    for name in ["all-types-7.0.15.rdb", "all-types-7.0.15-nocompress.rdb"] {
        let Some(b) = fixture(name) else { return };
        let (ks, s) = load(&b).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The expected JSON lists 27 keys, one of them the stream.
        assert_eq!(ks.total_keys(), 27, "{name}: {s:?}");
        assert_eq!(s.functions.len(), 1, "{name}");
        assert!(s.functions[0].starts_with(b"#!lua name=mylib\n"), "{name}");
        let v = ks.db(0).dict.get(b"stream:s").map(|e| e.value.type_name());
        assert_eq!(v, Some("stream"), "{name}");
    }
}

#[test]
fn functions_round_trip_through_our_writer_before_the_databases() {
    let ks = sample_keyspace();
    let libs = vec![b"#!lua name=a\nredis.register_function('fa', function() return 1 end)".to_vec(), vec![b'x'; 300]];
    for compress in [false, true] {
        let opts = WriteOptions { compress, functions: libs.clone(), ..Default::default() };
        let bytes = rdb::write_keyspace(Vec::new(), &ks, &opts).unwrap();
        // Right after the header (no AUX fields here): opcode 245 first.
        assert_eq!(bytes[9], 245);
        let (got, s) = load(&bytes).unwrap();
        assert_eq!(s.functions, libs);
        assert_eq!(got.total_keys(), ks.total_keys());
    }
}

#[test]
fn pre_release_function_records_load_as_redis_7_0_15_reads_them() {
    let mut bytes = b"REDIS0010".to_vec();
    // name, engine, has-description, description, code
    bytes.extend_from_slice(b"\xf6\x03lib\x03LUA\x01\x04desc\x04code\xff");
    bytes.extend_from_slice(&[0; 8]);
    let (_, s) = load(&bytes).unwrap();
    assert_eq!(s.functions, vec![b"#!LUA name=lib\ncode".to_vec()]);
    let e = load(b"REDIS0010\xf6\x03lib").err().expect("refused");
    assert_eq!(e.to_string(), "Failed loading library, Failed loading engine name");
}

#[test]
fn function_payloads_round_trip_and_bad_ones_get_redis_errors() {
    use rdb::FunctionPayloadError as E;
    let parse = |p: &[u8]| rdb::parse_function_payload(p);
    let libs: Vec<&[u8]> = vec![b"#!lua name=a\nx", b"#!lua name=b\ny"];
    let p = rdb::function_payload(libs.iter().copied(), true);
    assert_eq!(parse(&p), (libs.iter().map(|l| l.to_vec()).collect(), Ok(())));
    // An empty dump is only the footer.
    let empty = rdb::function_payload(std::iter::empty(), true);
    assert_eq!(empty.len(), 10);
    assert_eq!(parse(&empty), (vec![], Ok(())));
    let mut bad = p.clone();
    bad[3] ^= 1;
    assert_eq!(parse(&bad), (vec![], Err(E::VersionOrChecksum)));
    assert_eq!(parse(b"short"), (vec![], Err(E::VersionOrChecksum)));
    // Well-formed footers around records that are not functions.
    let with_footer = |body: &[u8]| {
        let mut v = body.to_vec();
        v.extend_from_slice(&10u16.to_le_bytes());
        let crc = rdb::crc64::crc64(&v);
        v.extend_from_slice(&crc.to_le_bytes());
        v
    };
    assert_eq!(parse(&with_footer(b"\x00\x01a")), (vec![], Err(E::Bad("given type is not a function"))));
    assert_eq!(parse(&with_footer(b"\xf6")), (vec![], Err(E::Bad("Failed loading library name"))));
    // A length running past the end, after a good record: that one comes back.
    assert_eq!(
        parse(&with_footer(b"\xf5\x01a\xf5\x3f")),
        (vec![b"a".to_vec()], Err(E::Bad("Failed loading library payload")))
    );
}

#[test]
fn redis_test_assets_load() {
    for (name, keys) in [
        ("encodings.rdb", 13),
        ("hash-zipmap.rdb", 1),
        ("hash-ziplist.rdb", 1),
        ("list-quicklist.rdb", 2),
        ("zset-ziplist.rdb", 1),
        // Its one key expired long ago: skipped, as Redis does.
        ("scriptbackup.rdb", 0),
    ] {
        let Some(b) = fixture(&format!("redis-7.0.15-tests/{name}")) else { return };
        let (ks, s) = load(&b).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ks.total_keys(), keys, "{name}: {s:?}");
    }
}

#[test]
fn corrupt_ziplist_is_refused() {
    let Some(b) = fixture("redis-7.0.15-tests/corrupt_ziplist.rdb") else { return };
    let e = load(&b).err().expect("refused");
    assert!(e.to_string().contains("iplist"), "{e}");
}

#[test]
fn empty_keys_are_skipped() {
    let Some(b) = fixture("redis-7.0.15-tests/corrupt_empty_keys.rdb") else { return };
    let (ks, s) = load(&b).unwrap();
    assert_eq!(ks.total_keys(), 0);
    assert!(s.empty_skipped > 0, "{s:?}");
}

fn sample_keyspace() -> Keyspace {
    let mut ks = Keyspace::new(16);
    ks.set_now(1_700_000_000_000);
    let s = |v: &[u8]| Value::Str(Str::from_bytes(v));
    ks.set_value(0, b"int", s(b"12345"), false, 0);
    ks.set_value(0, b"big", s(b"-9223372036854775808"), false, 0);
    ks.set_value(0, b"long", s(&b"abcdefghij".repeat(100)), false, 0);
    ks.set_value(0, b"ttl", s(b"v"), false, 1_800_000_000_000);
    ks.set_value(3, b"other", s(b"db3"), false, 0);
    ks.sadd(0, b"ints", &[b"1".as_slice(), b"-70000", b"5"]).unwrap();
    ks.sadd(0, b"strs", &[b"a".as_slice(), b"b"]).unwrap();
    let many: Vec<Vec<u8>> = (0..1000).map(|i| format!("m{i}").into_bytes()).collect();
    ks.sadd(0, b"bigset", &many).unwrap();
    ks.hset(0, b"h", &[b"f".as_slice(), b"v", b"n", b"7"]).unwrap();
    let pairs: Vec<Vec<u8>> = (0..2000).map(|i| format!("x{i}").into_bytes()).collect();
    ks.hset(0, b"bigh", &pairs).unwrap();
    let elems: Vec<&[u8]> = many.iter().map(|v| v.as_slice()).collect();
    ks.list_push(0, b"l", keyspace::list::End::Right, elems.iter().copied(), false).unwrap();
    ks
}

fn dump_ks(ks: &Keyspace) -> Vec<(usize, Vec<u8>, String, u64)> {
    let mut out = Vec::new();
    for db in 0..ks.db_count() {
        ks.db(db).dict.for_each(|e| {
            let mut body = Vec::new();
            rdb::put_value(&mut body, &e.value, false);
            out.push((db, e.key.to_vec(), format!("{}:{:?}", e.value.encoding(), body.len()), e.expire_at()));
        });
    }
    out.sort();
    out
}

#[test]
fn keyspace_round_trips_with_and_without_compression() {
    let ks = sample_keyspace();
    for compress in [true, false] {
        let opts =
            WriteOptions { compress, checksum: true, aux: WriteOptions::redis_aux(1, 2, false), ..Default::default() };
        let bytes = rdb::write_keyspace(Vec::new(), &ks, &opts).unwrap();
        let (back, s) = load(&bytes).unwrap();
        assert!(s.crc_checked);
        assert_eq!(dump_ks(&back), dump_ks(&ks));
        assert_eq!(s.aux.len(), 5);
        assert_eq!(s.bytes as usize, bytes.len());
    }
}

#[test]
fn checksum_is_checked_and_zero_means_none() {
    let ks = sample_keyspace();
    let mut bytes = rdb::write_keyspace(Vec::new(), &ks, &WriteOptions::default()).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 0xff;
    assert!(matches!(load(&bytes), Err(RdbError::Checksum { .. })));
    let plain = rdb::write_keyspace(Vec::new(), &ks, &WriteOptions { checksum: false, ..Default::default() }).unwrap();
    assert_eq!(&plain[plain.len() - 8..], &[0; 8]);
    let (_, s) = load(&plain).unwrap();
    assert!(!s.crc_checked);
}

#[test]
fn dump_payloads_round_trip_and_reject_damage() {
    let ks = sample_keyspace();
    ks.db(0).dict.for_each(|e| {
        let p = rdb::dump_payload(&e.value, true);
        let v = rdb::restore_payload(&p, &ks.enc).unwrap();
        assert_eq!(v.encoding(), e.value.encoding());
        let mut bad = p.clone();
        bad[0] ^= 0x55;
        assert!(matches!(rdb::restore_payload(&bad, &ks.enc), Err(rdb::RestoreError::VersionOrChecksum)));
    });
}

#[test]
fn truncated_files_fail_cleanly() {
    let ks = sample_keyspace();
    let bytes = rdb::write_keyspace(Vec::new(), &ks, &WriteOptions::default()).unwrap();
    for cut in (0..bytes.len()).step_by(97) {
        assert!(load(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}
