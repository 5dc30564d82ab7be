//! Writing RDB version 10, what redis-server 7.0 loads and redis-check-rdb
//! accepts: strings integer-encoded when they are short canonical integers
//! and LZF-compressed when longer than 20 bytes (if asked), lists as
//! quicklist-2 listpack nodes, small hashes and sorted sets as listpacks,
//! integer sets as intsets, the rest in their plain forms with binary scores.

use super::blob::{intset_encode, ListpackWriter};
use super::{crc64, lzf, op, ty, RDB_VERSION};
use keyspace::set::Member;
use keyspace::value::{Str, Value};
use keyspace::Keyspace;
use std::io::{self, Write};

/// Bytes per listpack node when writing lists (Redis's default node size, -2 = 8 KiB).
const LIST_NODE_BYTES: usize = 8192;

/// A length in RDB's variable encoding.
pub fn put_len(out: &mut Vec<u8>, n: u64) {
    if n < 64 {
        out.push(n as u8);
    } else if n < 16384 {
        out.push(0x40 | (n >> 8) as u8);
        out.push(n as u8);
    } else if n <= u32::MAX as u64 {
        out.push(0x80);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn put_int_encoded(out: &mut Vec<u8>, n: i64) -> bool {
    if let Ok(v) = i8::try_from(n) {
        out.push(0xc0);
        out.push(v as u8);
    } else if let Ok(v) = i16::try_from(n) {
        out.push(0xc1);
        out.extend_from_slice(&v.to_le_bytes());
    } else if let Ok(v) = i32::try_from(n) {
        out.push(0xc2);
        out.extend_from_slice(&v.to_le_bytes());
    } else {
        return false;
    }
    true
}

/// A string: integer-encoded when Redis would (up to 11 characters, a
/// canonical integer that fits 32 bits), LZF when `compress` and it pays.
pub fn put_string(out: &mut Vec<u8>, s: &[u8], compress: bool) {
    if s.len() <= 11 {
        if let Some(n) = keyspace::value::parse_i64(s) {
            if put_int_encoded(out, n) {
                return;
            }
        }
    }
    if compress && s.len() > 20 {
        // Redis requires a saving of at least 4 bytes, or stores the string plain.
        if let Some(c) = lzf::compress(s, s.len() - 4) {
            out.push(0xc3);
            put_len(out, c.len() as u64);
            put_len(out, s.len() as u64);
            out.extend_from_slice(&c);
            return;
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// One library record: the FUNCTION2 opcode and the library's source.
pub fn put_function(out: &mut Vec<u8>, code: &[u8], compress: bool) {
    out.push(op::FUNCTION2);
    put_string(out, code, compress);
}

/// A score as text inside a listpack: integral values as integers (so the
/// listpack packs them), the rest in shortest round-trip form.
fn score_text(d: f64) -> String {
    if d.is_infinite() {
        if d > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if d == d.trunc() && d.abs() < 1e17 && !(d == 0.0 && d.is_sign_negative()) {
        format!("{}", d as i64)
    } else {
        format!("{d:e}")
    }
}

/// The RDB type byte for `v` as [`put_value`] writes it.
pub fn value_type(v: &Value) -> u8 {
    match v {
        Value::Str(_) => ty::STRING,
        Value::List(_) => ty::LIST_QUICKLIST_2,
        Value::Set(s) if s.encoding() == "intset" => ty::SET_INTSET,
        Value::Set(_) => ty::SET,
        Value::ZSet(z) if z.encoding() == "listpack" => ty::ZSET_LISTPACK,
        Value::ZSet(_) => ty::ZSET_2,
        Value::Hash(h) if h.is_listpack() => ty::HASH_LISTPACK,
        Value::Hash(_) => ty::HASH,
        Value::Stream(_) => ty::STREAM_LISTPACKS_2,
    }
}

/// The body of `v` (without its type byte).
pub fn put_value(out: &mut Vec<u8>, v: &Value, compress: bool) {
    match v {
        Value::Str(Str::Int(n)) => {
            if !put_int_encoded(out, *n) {
                put_string(out, n.to_string().as_bytes(), compress);
            }
        }
        Value::Str(s) => s.with_bytes(|b| put_string(out, b, compress)),
        Value::List(l) => {
            let mut nodes: Vec<Vec<u8>> = Vec::new();
            let mut lp = ListpackWriter::new();
            for e in l.iter() {
                if lp.bytes() >= LIST_NODE_BYTES {
                    nodes.push(std::mem::take(&mut lp).finish());
                    lp = ListpackWriter::new();
                }
                lp.push(e);
            }
            if !lp.is_empty() {
                nodes.push(lp.finish());
            }
            put_len(out, nodes.len() as u64);
            for n in nodes {
                put_len(out, 2); // QUICKLIST_NODE_CONTAINER_PACKED
                put_string(out, &n, compress);
            }
        }
        Value::Set(s) if s.encoding() == "intset" => {
            let vals: Vec<i64> = s
                .iter()
                .map(|m| match m {
                    Member::Int(n) => n,
                    Member::Bytes(b) => keyspace::value::parse_i64(b).unwrap_or(0),
                })
                .collect();
            put_string(out, &intset_encode(&vals), compress);
        }
        Value::Set(s) => {
            put_len(out, s.len() as u64);
            for m in s.iter() {
                m.with_bytes(|b| put_string(out, b, compress));
            }
        }
        Value::ZSet(z) if z.encoding() == "listpack" => {
            let mut lp = ListpackWriter::new();
            for e in z.tree().iter() {
                lp.push(&e.member);
                lp.push(score_text(e.score).as_bytes());
            }
            put_string(out, &lp.finish(), compress);
        }
        Value::ZSet(z) => {
            put_len(out, z.len() as u64);
            // Highest first, as Redis writes it (its loader then inserts at the head).
            let t = z.tree();
            for e in t.iter_range_rev(0, t.len()) {
                put_string(out, &e.member, compress);
                out.extend_from_slice(&e.score.to_le_bytes());
            }
        }
        Value::Hash(h) if h.is_listpack() => {
            let mut lp = ListpackWriter::new();
            for p in h.iter() {
                lp.push(p.field());
                lp.push(p.value());
            }
            put_string(out, &lp.finish(), compress);
        }
        Value::Hash(h) => {
            put_len(out, h.len() as u64);
            for p in h.iter() {
                put_string(out, p.field(), compress);
                put_string(out, p.value(), compress);
            }
        }
        Value::Stream(s) => super::stream::put_stream(out, s, compress),
    }
}

/// How to write a file.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// LZF-compress long strings (`rdbcompression`).
    pub compress: bool,
    /// Write a real CRC-64 (`rdbchecksum`); 0 otherwise, as Redis.
    pub checksum: bool,
    /// AUX fields written after the header, in order.
    pub aux: Vec<(String, String)>,
    /// Function library sources, written after the AUX fields (FUNCTION2
    /// records, as Redis 7.0's rdbSaveFunctions). Captured when the save
    /// starts, so a background save holds the libraries of that instant.
    pub functions: Vec<Vec<u8>>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { compress: true, checksum: true, aux: Vec::new(), functions: Vec::new() }
    }
}

impl WriteOptions {
    /// The AUX fields redis-server 7.0 writes, for a save at `ctime` (Unix s).
    pub fn redis_aux(ctime: u64, used_mem: u64, aof_base: bool) -> Vec<(String, String)> {
        vec![
            ("redis-ver".into(), "7.0.15".into()),
            ("redis-bits".into(), (usize::BITS).to_string()),
            ("ctime".into(), ctime.to_string()),
            ("used-mem".into(), used_mem.to_string()),
            ("aof-base".into(), (aof_base as u8).to_string()),
        ]
    }
}

/// An RDB stream being written: header and AUX fields on creation, then
/// databases and keys, then [`finish`](Writer::finish) for EOF and checksum.
pub struct Writer<W: Write> {
    w: W,
    crc: u64,
    checksum: bool,
    compress: bool,
    buf: Vec<u8>,
    /// Bytes written so far.
    pub written: u64,
}

impl<W: Write> Writer<W> {
    /// Starts a stream: magic, version and AUX fields.
    ///
    /// # Errors
    /// Any write error.
    pub fn new(w: W, opts: &WriteOptions) -> io::Result<Self> {
        let mut wr =
            Writer { w, crc: 0, checksum: opts.checksum, compress: opts.compress, buf: Vec::new(), written: 0 };
        wr.buf.extend_from_slice(format!("REDIS{RDB_VERSION:04}").as_bytes());
        for (k, v) in &opts.aux {
            wr.buf.push(op::AUX);
            put_string(&mut wr.buf, k.as_bytes(), false);
            put_string(&mut wr.buf, v.as_bytes(), false);
        }
        for code in &opts.functions {
            put_function(&mut wr.buf, code, opts.compress);
        }
        wr.flush_buf()?;
        Ok(wr)
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if self.checksum {
            self.crc = crc64::update(self.crc, &self.buf);
        }
        self.w.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Starts database `db` holding `keys` keys of which `expires` have a TTL.
    ///
    /// # Errors
    /// Any write error.
    pub fn select_db(&mut self, db: usize, keys: u64, expires: u64) -> io::Result<()> {
        self.buf.push(op::SELECTDB);
        put_len(&mut self.buf, db as u64);
        self.buf.push(op::RESIZEDB);
        put_len(&mut self.buf, keys);
        put_len(&mut self.buf, expires);
        self.flush_buf()
    }

    /// Writes one key with its absolute expiry (Unix ms, 0 = none).
    ///
    /// # Errors
    /// Any write error.
    pub fn key(&mut self, key: &[u8], v: &Value, expire_ms: u64) -> io::Result<()> {
        if expire_ms != 0 {
            self.buf.push(op::EXPIRETIME_MS);
            self.buf.extend_from_slice(&expire_ms.to_le_bytes());
        }
        self.buf.push(value_type(v));
        put_string(&mut self.buf, key, self.compress);
        put_value(&mut self.buf, v, self.compress);
        if self.buf.len() >= 64 * 1024 {
            self.flush_buf()?;
        }
        Ok(())
    }

    /// The underlying writer (for a caller that drains an in-memory buffer
    /// between slices; bytes still in the writer's own buffer come later).
    pub fn inner_mut(&mut self) -> &mut W {
        &mut self.w
    }

    /// Writes EOF and the checksum; returns the inner writer (flushed).
    ///
    /// # Errors
    /// Any write error.
    pub fn finish(mut self) -> io::Result<W> {
        self.buf.push(op::EOF);
        self.flush_buf()?;
        let crc = if self.checksum { self.crc } else { 0 };
        self.w.write_all(&crc.to_le_bytes())?;
        self.written += 8;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes every live key of `ks` (keys already expired at `ks.now()` are left out).
///
/// # Errors
/// Any write error.
pub fn write_keyspace<W: Write>(w: W, ks: &Keyspace, opts: &WriteOptions) -> io::Result<W> {
    let mut wr = Writer::new(w, opts)?;
    for db in 0..ks.db_count() {
        let d = ks.db(db);
        if d.is_empty() {
            continue;
        }
        wr.select_db(db, d.len() as u64, d.volatile() as u64)?;
        let mut err = None;
        d.dict.for_each(|e| {
            if err.is_some() || ks.entry_expired(e) {
                return;
            }
            if let Err(x) = wr.key(&e.key, &e.value, e.expire_at()) {
                err = Some(x);
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    wr.finish()
}
