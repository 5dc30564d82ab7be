//! Reading RDB: the file layout (header, AUX fields, databases, expiry and
//! LRU/LFU hints, checksum) and every value type and encoding Redis 7.0 and
//! older versions write. Values are rebuilt with the keyspace's own
//! constructors under the configured encoding limits, so a loaded key
//! reports the encoding a key built by commands would.
//!
//! Everything read is checked before it is trusted: lengths never allocate
//! more than the bytes actually read (a length field in a corrupt file cannot
//! reserve gigabytes), packed blobs are validated, duplicate members and NaN
//! scores are refused. Module values are refused by name: this server has
//! no modules, and a file is never loaded partly. Function libraries (the
//! FUNCTION2 opcode) are handed back as their source text in
//! [`LoadSummary::functions`]; compiling them is the server's business.

use super::blob::{self, Elem};
use super::{crc64, lzf, op, ty, RdbError, RDB_VERSION};
use keyspace::hash::Hash;
use keyspace::list::{End, List};
use keyspace::set::Set;
use keyspace::smallbytes::SmallBytes;
use keyspace::value::{Str, Value};
use keyspace::zset::{ZEntry, ZSet};
use keyspace::{EncodingLimits, Keyspace};
use std::collections::HashSet;
use std::io::Read;

/// Largest single read buffered up front; longer strings grow as their
/// bytes arrive, so a lying length field fails at end of input instead of
/// allocating what it claims.
const CHUNK: usize = 1 << 20;

/// A reader that keeps the running CRC-64 and the offset.
pub(crate) struct Input<R> {
    r: R,
    crc: u64,
    /// Bytes consumed so far.
    pub(crate) pos: u64,
}

impl<R: Read> Input<R> {
    pub(crate) fn new(r: R) -> Self {
        Input { r, crc: 0, pos: 0 }
    }

    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RdbError> {
        self.r.read_exact(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                RdbError::Truncated
            } else {
                RdbError::Io(e)
            }
        })?;
        self.crc = crc64::update(self.crc, buf);
        self.pos += buf.len() as u64;
        Ok(())
    }

    pub(crate) fn u8(&mut self) -> Result<u8, RdbError> {
        let mut b = [0u8; 1];
        self.fill(&mut b)?;
        Ok(b[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RdbError> {
        let mut b = [0u8; N];
        self.fill(&mut b)?;
        Ok(b)
    }

    /// Exactly `n` bytes, allocated as they arrive.
    fn take(&mut self, n: u64) -> Result<Vec<u8>, RdbError> {
        let mut out = Vec::with_capacity((n as usize).min(CHUNK));
        let mut left = n;
        while left > 0 {
            let k = left.min(CHUNK as u64) as usize;
            let at = out.len();
            out.resize(at + k, 0);
            self.fill(&mut out[at..])?;
            left -= k as u64;
        }
        Ok(out)
    }

    /// A length, or the special-encoding marker in `Err`-free form:
    /// (value, is_encoded).
    fn len_or_enc(&mut self) -> Result<(u64, bool), RdbError> {
        let b = self.u8()?;
        Ok(match b >> 6 {
            0 => ((b & 0x3f) as u64, false),
            1 => ((((b & 0x3f) as u64) << 8) | self.u8()? as u64, false),
            2 => match b {
                0x80 => (u32::from_be_bytes(self.array()?) as u64, false),
                0x81 => (u64::from_be_bytes(self.array()?), false),
                _ => return Err(RdbError::corrupt(format!("Unknown length encoding {b} in rdbLoadLen()"))),
            },
            _ => ((b & 0x3f) as u64, true),
        })
    }

    /// Exactly `N` raw bytes.
    pub(crate) fn raw<const N: usize>(&mut self) -> Result<[u8; N], RdbError> {
        self.array()
    }

    /// A plain length.
    pub(crate) fn len(&mut self) -> Result<u64, RdbError> {
        match self.len_or_enc()? {
            (n, false) => Ok(n),
            _ => Err(RdbError::corrupt("unexpected string encoding where a length belongs")),
        }
    }

    /// A length used as a count of following items.
    fn count(&mut self) -> Result<usize, RdbError> {
        usize::try_from(self.len()?).map_err(|_| RdbError::corrupt("length out of range"))
    }

    /// A string in any of its encodings (plain, integer, LZF).
    pub(crate) fn string(&mut self) -> Result<Vec<u8>, RdbError> {
        match self.len_or_enc()? {
            (n, false) => self.take(n),
            (0, true) => Ok((self.u8()? as i8).to_string().into_bytes()),
            (1, true) => Ok(i16::from_le_bytes(self.array()?).to_string().into_bytes()),
            (2, true) => Ok(i32::from_le_bytes(self.array()?).to_string().into_bytes()),
            (3, true) => {
                let clen = self.len()?;
                let ulen = self.len()?;
                // LZF expands at most ~88x (264 bytes from a 3-byte reference);
                // a larger claim is corrupt, and checking first bounds the buffer.
                if ulen > clen.saturating_mul(90) + 64 || clen == 0 {
                    return Err(RdbError::corrupt("invalid LZF compressed string"));
                }
                let c = self.take(clen)?;
                lzf::decompress(&c, ulen as usize).ok_or_else(|| RdbError::corrupt("invalid LZF compressed string"))
            }
            (e, _) => Err(RdbError::corrupt(format!("Unknown RDB string encoding type {e}"))),
        }
    }

    fn binary_double(&mut self) -> Result<f64, RdbError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// The old text form of a double: a length byte (253 NaN, 254 +inf, 255 -inf).
    fn text_double(&mut self) -> Result<f64, RdbError> {
        match self.u8()? {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            n => {
                let b = self.take(n as u64)?;
                parse_double(&b).ok_or_else(|| RdbError::corrupt("invalid double value"))
            }
        }
    }

    /// Finishes the input: the CRC of everything consumed so far.
    pub(crate) fn crc(&self) -> u64 {
        self.crc
    }
}

/// strtod as Redis's loaders use it for scores kept as text.
fn parse_double(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    match s.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse::<f64>().ok().filter(|v| !v.is_nan()),
    }
}

fn elem_score(e: &Elem) -> Result<f64, RdbError> {
    match e {
        Elem::Int(n) => Ok(*n as f64),
        Elem::Str(s) => parse_double(s).ok_or_else(|| RdbError::corrupt("invalid zset score in packed encoding")),
    }
}

fn empty(kind: &'static str) -> RdbError {
    RdbError::EmptyKey(kind)
}

fn dup(kind: &str) -> RdbError {
    RdbError::corrupt(format!("Duplicate {kind} detected"))
}

fn packed_bad(what: &str) -> RdbError {
    RdbError::corrupt(format!("{what} integrity check failed"))
}

fn build_hash(
    pairs: impl Iterator<Item = (Vec<u8>, Vec<u8>)>,
    n_hint: usize,
    enc: &EncodingLimits,
) -> Result<Value, RdbError> {
    let mut h = Hash::new();
    if n_hint > enc.hash_max_listpack_entries {
        h.convert_to_table();
    }
    // A listpack-encoded hash looks fields up linearly; a set of seen fields
    // keeps duplicate detection linear for the few that stay small.
    for (f, v) in pairs {
        if !h.set(&f, &v, enc.hash_max_listpack_entries, enc.hash_max_listpack_value) {
            return Err(dup("hash fields"));
        }
    }
    if h.is_empty() {
        return Err(empty("hash"));
    }
    h.settle(None);
    Ok(Value::Hash(h))
}

fn build_zset(entries: Vec<ZEntry>, enc: &EncodingLimits) -> Result<Value, RdbError> {
    if entries.is_empty() {
        return Err(empty("zset"));
    }
    let mut seen: HashSet<&[u8]> = HashSet::with_capacity(entries.len());
    for e in &entries {
        if e.score.is_nan() {
            return Err(RdbError::corrupt("Zset with NAN score detected"));
        }
        if !seen.insert(e.member.as_bytes()) {
            return Err(dup("zset members"));
        }
    }
    drop(seen);
    Ok(Value::ZSet(Box::new(ZSet::from_entries(entries, enc))))
}

fn build_set(members: impl Iterator<Item = Vec<u8>>, enc: &EncodingLimits) -> Result<Value, RdbError> {
    let mut s = Set::default();
    for m in members {
        if !s.add(&m, enc.set_max_intset_entries) {
            return Err(dup("set members"));
        }
    }
    if s.is_empty() {
        return Err(empty("set"));
    }
    Ok(Value::Set(Box::new(s)))
}

fn pairs_of(elems: Vec<Elem>) -> Result<Vec<(Vec<u8>, Vec<u8>)>, RdbError> {
    if elems.len() % 2 != 0 {
        return Err(RdbError::corrupt("packed hash with an odd number of elements"));
    }
    Ok(elems.chunks_exact(2).map(|c| (c[0].to_vec(), c[1].to_vec())).collect())
}

fn zentries_of(elems: Vec<Elem>) -> Result<Vec<ZEntry>, RdbError> {
    if elems.len() % 2 != 0 {
        return Err(RdbError::corrupt("packed zset with an odd number of elements"));
    }
    elems
        .chunks_exact(2)
        .map(|c| Ok(ZEntry { score: elem_score(&c[1])?, member: SmallBytes::new(&c[0].to_vec()) }))
        .collect()
}

/// The name a refused type is reported under.
pub(crate) fn unsupported_type_name(t: u8) -> Option<&'static str> {
    match t {
        // Redis 7.2's layout (RDB 11, which 7.0 refuses too).
        ty::STREAM_LISTPACKS_3 => Some("stream"),
        ty::MODULE_PRE_GA | ty::MODULE_2 => Some("module value"),
        _ => None,
    }
}

/// Reads one value of RDB type `t`.
pub(crate) fn read_object<R: Read>(inp: &mut Input<R>, t: u8, enc: &EncodingLimits) -> Result<Value, RdbError> {
    Ok(match t {
        ty::STRING => Value::Str(Str::from_bytes(&inp.string()?)),
        ty::LIST => {
            let n = inp.count()?;
            let mut l = List::new();
            for _ in 0..n {
                l.push(End::Right, &inp.string()?, enc.list_max_listpack_size);
            }
            if l.is_empty() {
                return Err(empty("list"));
            }
            Value::List(Box::new(l))
        }
        ty::SET => {
            let n = inp.count()?;
            let mut err = None;
            let v = build_set(
                (0..n).map_while(|_| match inp.string() {
                    Ok(s) => Some(s),
                    Err(e) => {
                        err = Some(e);
                        None
                    }
                }),
                enc,
            );
            if let Some(e) = err {
                return Err(e);
            }
            v?
        }
        ty::ZSET | ty::ZSET_2 => {
            let n = inp.count()?;
            let mut entries = Vec::with_capacity(n.min(4096));
            for _ in 0..n {
                let m = inp.string()?;
                let score = if t == ty::ZSET_2 { inp.binary_double()? } else { inp.text_double()? };
                entries.push(ZEntry { score, member: SmallBytes::new(&m) });
            }
            build_zset(entries, enc)?
        }
        ty::HASH => {
            let n = inp.count()?;
            let mut pairs = Vec::with_capacity(n.min(4096));
            for _ in 0..n {
                let f = inp.string()?;
                let v = inp.string()?;
                pairs.push((f, v));
            }
            build_hash(pairs.into_iter(), n, enc)?
        }
        ty::HASH_ZIPMAP => {
            let b = inp.string()?;
            let pairs = blob::zipmap(&b).ok_or_else(|| packed_bad("Zipmap"))?;
            let n = pairs.len();
            build_hash(pairs.into_iter().map(|(f, v)| (f.to_vec(), v.to_vec())), n, enc)?
        }
        ty::LIST_ZIPLIST => {
            let b = inp.string()?;
            let elems = blob::ziplist(&b).ok_or_else(|| packed_bad("Ziplist"))?;
            list_of(elems.iter().map(|e| e.to_vec()), enc)?
        }
        ty::SET_INTSET => {
            let b = inp.string()?;
            let vals = blob::intset(&b).ok_or_else(|| packed_bad("Intset"))?;
            build_set(vals.iter().map(|v| v.to_string().into_bytes()), enc)?
        }
        ty::SET_LISTPACK => {
            let b = inp.string()?;
            let elems = blob::listpack(&b).ok_or_else(|| packed_bad("Listpack"))?;
            build_set(elems.iter().map(|e| e.to_vec()), enc)?
        }
        ty::ZSET_ZIPLIST | ty::ZSET_LISTPACK => {
            let b = inp.string()?;
            let elems = if t == ty::ZSET_ZIPLIST { blob::ziplist(&b) } else { blob::listpack(&b) };
            let elems = elems.ok_or_else(|| packed_bad(if t == ty::ZSET_ZIPLIST { "Ziplist" } else { "Listpack" }))?;
            build_zset(zentries_of(elems)?, enc)?
        }
        ty::HASH_ZIPLIST | ty::HASH_LISTPACK => {
            let b = inp.string()?;
            let elems = if t == ty::HASH_ZIPLIST { blob::ziplist(&b) } else { blob::listpack(&b) };
            let elems = elems.ok_or_else(|| packed_bad(if t == ty::HASH_ZIPLIST { "Ziplist" } else { "Listpack" }))?;
            let pairs = pairs_of(elems)?;
            let n = pairs.len();
            build_hash(pairs.into_iter(), n, enc)?
        }
        ty::LIST_QUICKLIST | ty::LIST_QUICKLIST_2 => {
            let nodes = inp.count()?;
            let mut l = List::new();
            for _ in 0..nodes {
                let container = if t == ty::LIST_QUICKLIST_2 { inp.len()? } else { 2 };
                let b = inp.string()?;
                match container {
                    1 => l.push(End::Right, &b, enc.list_max_listpack_size),
                    2 => {
                        let elems = if t == ty::LIST_QUICKLIST { blob::ziplist(&b) } else { blob::listpack(&b) };
                        let elems = elems.ok_or_else(|| packed_bad("Quicklist node"))?;
                        // Empty nodes are skipped, as Redis 7.0 does; an all-empty list is an empty key.
                        for e in &elems {
                            l.push(End::Right, &e.to_vec(), enc.list_max_listpack_size);
                        }
                    }
                    c => return Err(RdbError::corrupt(format!("Quicklist integrity check failed: container {c}"))),
                }
            }
            if l.is_empty() {
                return Err(empty("list"));
            }
            Value::List(Box::new(l))
        }
        ty::STREAM_LISTPACKS | ty::STREAM_LISTPACKS_2 => {
            Value::Stream(Box::new(super::stream::read_stream(inp, t == ty::STREAM_LISTPACKS_2)?))
        }
        other => match unsupported_type_name(other) {
            Some(name) => return Err(RdbError::Unsupported(format!("a {name}"))),
            None => return Err(RdbError::corrupt(format!("Unknown RDB encoding type {other}"))),
        },
    })
}

fn list_of(items: impl Iterator<Item = Vec<u8>>, enc: &EncodingLimits) -> Result<Value, RdbError> {
    let mut l = List::new();
    for e in items {
        l.push(End::Right, &e, enc.list_max_listpack_size);
    }
    if l.is_empty() {
        return Err(empty("list"));
    }
    Ok(Value::List(Box::new(l)))
}

/// One library record after its opcode: the source (FUNCTION2), or the
/// fields Redis 7.0's release candidates wrote (FUNCTION_PRE_GA: name,
/// engine, an optional description, the code) turned into a source with its
/// shebang, as redis-server 7.0.15 still reads them.
///
/// # Errors
/// Redis's text for the field that did not read.
pub(crate) fn read_library<R: Read>(inp: &mut Input<R>, pre_ga: bool) -> Result<Vec<u8>, &'static str> {
    if !pre_ga {
        return inp.string().map_err(|_| "Failed loading library payload");
    }
    let name = inp.string().map_err(|_| "Failed loading library name")?;
    let engine = inp.string().map_err(|_| "Failed loading engine name")?;
    // The description is read and dropped: a pre-release library's
    // description is not kept by 7.0 either.
    if inp.len().map_err(|_| "Failed loading library description")? != 0 {
        inp.string().map_err(|_| "Failed loading library description")?;
    }
    let blob = inp.string().map_err(|_| "Failed loading library blob")?;
    let mut code = Vec::with_capacity(blob.len() + name.len() + engine.len() + 10);
    code.extend_from_slice(b"#!");
    code.extend_from_slice(&engine);
    code.extend_from_slice(b" name=");
    code.extend_from_slice(&name);
    code.push(b'\n');
    code.extend_from_slice(&blob);
    Ok(code)
}

/// How to load a file.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Encoding limits values are built under (`ks.enc`).
    pub enc: EncodingLimits,
    /// Verify the trailing CRC-64 when it is non-zero (`rdbchecksum`).
    pub check_crc: bool,
    /// Skip keys whose expiry time is at or before this Unix ms time (0 = keep all).
    pub now_ms: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { enc: EncodingLimits::default(), check_crc: true, now_ms: 0 }
    }
}

/// One key read from a file.
pub struct LoadedKey {
    /// Database number.
    pub db: usize,
    /// The key.
    pub key: Vec<u8>,
    /// The value.
    pub value: Value,
    /// Absolute expiry in Unix ms, 0 for none.
    pub expire_ms: u64,
    /// Idle time in seconds (RDB_OPCODE_IDLE), if stored.
    pub idle_secs: Option<u64>,
    /// LFU counter (RDB_OPCODE_FREQ), if stored.
    pub freq: Option<u8>,
}

/// What a load found, for the log and INFO.
#[derive(Debug, Default, Clone)]
pub struct LoadSummary {
    /// RDB version of the file.
    pub version: u32,
    /// Keys handed to the sink.
    pub keys_loaded: u64,
    /// Keys skipped because their TTL had passed.
    pub expired_skipped: u64,
    /// Empty collections skipped (Redis skips them with a warning).
    pub empty_skipped: u64,
    /// AUX fields, in file order.
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
    /// Bytes read, including the checksum.
    pub bytes: u64,
    /// False when the file was written without a checksum (or has none).
    pub crc_checked: bool,
    /// Source text of each function library (FUNCTION2 records), in file order.
    pub functions: Vec<Vec<u8>>,
}

/// Reads an RDB stream, handing each live key to `sink`. Reading stops right
/// after the checksum, so an AOF with an RDB preamble can continue from there
/// (pass a `&mut BufReader`). On error nothing more is read; the caller drops
/// what the sink built so far if it must not load partly.
///
/// # Errors
/// [`RdbError`]: corrupt or truncated input, an unsupported type (named),
/// a checksum mismatch, or an error from `sink`.
pub fn load<R: Read>(
    r: R,
    opts: &LoadOptions,
    mut sink: impl FnMut(LoadedKey) -> Result<(), RdbError>,
) -> Result<LoadSummary, RdbError> {
    let mut inp = Input::new(r);
    let mut sum = LoadSummary::default();
    let magic: [u8; 9] = inp.array()?;
    if &magic[..5] != b"REDIS" {
        return Err(RdbError::corrupt("Wrong signature trying to load DB from file"));
    }
    let version: u32 = std::str::from_utf8(&magic[5..])
        .ok()
        .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RdbError::corrupt("Wrong signature trying to load DB from file"))?;
    if !(1..=RDB_VERSION).contains(&version) {
        return Err(RdbError::Version(version));
    }
    sum.version = version;
    let mut db = 0usize;
    let mut expire_ms = 0u64;
    let mut idle = None;
    let mut freq = None;
    loop {
        let t = inp.u8()?;
        match t {
            op::EXPIRETIME => {
                expire_ms = (u32::from_le_bytes(inp.array()?) as u64).saturating_mul(1000);
                continue;
            }
            op::EXPIRETIME_MS => {
                expire_ms = u64::from_le_bytes(inp.array()?);
                continue;
            }
            op::FREQ => {
                freq = Some(inp.u8()?);
                continue;
            }
            op::IDLE => {
                idle = Some(inp.len()?);
                continue;
            }
            op::EOF => break,
            op::SELECTDB => {
                db = usize::try_from(inp.len()?).map_err(|_| RdbError::corrupt("bad database number"))?;
                continue;
            }
            op::RESIZEDB => {
                inp.len()?;
                inp.len()?;
                continue;
            }
            op::AUX => {
                let k = inp.string()?;
                let v = inp.string()?;
                sum.aux.push((k, v));
                continue;
            }
            op::MODULE_AUX => {
                let id = inp.len()?;
                return Err(RdbError::Unsupported(format!(
                    "module auxiliary data of module '{}' (no modules can be loaded)",
                    module_name(id)
                )));
            }
            op::FUNCTION_PRE_GA | op::FUNCTION2 => {
                let code = read_library(&mut inp, t == op::FUNCTION_PRE_GA).map_err(|e| RdbError::Library(e.into()))?;
                sum.functions.push(code);
                continue;
            }
            _ => {}
        }
        // A key: type, name, value.
        let key = inp.string()?;
        let value = match read_object(&mut inp, t, &opts.enc) {
            Ok(v) => v,
            Err(RdbError::Unsupported(what)) => {
                return Err(RdbError::Unsupported(format!(
                    "{what} under key '{}' in DB {db}",
                    String::from_utf8_lossy(&key)
                )))
            }
            Err(RdbError::EmptyKey(_)) => {
                sum.empty_skipped += 1;
                (expire_ms, idle, freq) = (0, None, None);
                continue;
            }
            Err(e) => return Err(e),
        };
        if expire_ms != 0 && opts.now_ms != 0 && expire_ms <= opts.now_ms {
            sum.expired_skipped += 1;
        } else {
            sink(LoadedKey { db, key, value, expire_ms, idle_secs: idle, freq })?;
            sum.keys_loaded += 1;
        }
        (expire_ms, idle, freq) = (0, None, None);
    }
    if version >= 5 {
        let computed = inp.crc();
        let stored = u64::from_le_bytes(inp.array()?);
        if stored != 0 && opts.check_crc {
            if stored != computed {
                return Err(RdbError::Checksum { expected: stored, got: computed });
            }
            sum.crc_checked = true;
        }
    }
    sum.bytes = inp.pos;
    Ok(sum)
}

/// Loads an RDB stream into `ks` (whose databases should be empty), as
/// Redis does at start-up: expired keys are skipped, a key twice in one
/// database is an error, a database number past `ks.db_count()` is an error.
///
/// # Errors
/// As [`load`]. The keyspace may then hold part of the file: load into a
/// fresh keyspace and swap it in on success when that matters.
pub fn load_into<R: Read>(r: R, ks: &mut Keyspace, opts: &LoadOptions) -> Result<LoadSummary, RdbError> {
    let ndb = ks.db_count();
    load(r, opts, |k| {
        if k.db >= ndb {
            return Err(RdbError::corrupt(format!(
                "Data file was created with a Redis server configured to handle more than {ndb} databases"
            )));
        }
        if ks.db(k.db).dict.get(&k.key).is_some() {
            return Err(RdbError::corrupt(format!(
                "RDB has duplicated key '{}' in DB {}",
                String::from_utf8_lossy(&k.key),
                k.db
            )));
        }
        ks.set_value(k.db, &k.key, k.value, false, k.expire_ms);
        if let Some(idle) = k.idle_secs {
            let clock = ks.lru_clock();
            if let Some(e) = ks.db_mut(k.db).dict.get_mut(&k.key) {
                e.lru = clock.saturating_sub(idle.min(u32::MAX as u64) as u32);
            }
        }
        Ok(())
    })
}

/// A module type's name from its 64-bit id (9 characters of 6 bits, then a 10-bit version).
fn module_name(id: u64) -> String {
    const CSET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let id = id >> 10;
    (0..9).map(|j| CSET[((id >> (6 * (8 - j))) & 63) as usize] as char).collect()
}

impl<R: Read> super::stream::Source for Input<R> {
    fn len(&mut self) -> Result<u64, RdbError> {
        Input::len(self)
    }
    fn string(&mut self) -> Result<Vec<u8>, RdbError> {
        Input::string(self)
    }
    fn raw<const N: usize>(&mut self) -> Result<[u8; N], RdbError> {
        Input::raw(self)
    }
}
