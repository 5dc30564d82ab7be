//! RDB: the snapshot format of Redis 7.0 (RDB version 10) and the older
//! versions it loads, plus the DUMP/RESTORE payload built from the same
//! value encoding. Pure encoding and decoding over `io::Read`/`io::Write`;
//! when and where files are written is the server's business.
//!
//! Entry points: [`Writer`] / [`write_keyspace`] to write, [`load`] /
//! [`load_into`] to read, [`dump_payload`] / [`restore_payload`] for one value.

pub mod blob;
pub mod crc64;
pub mod lzf;
mod read;
pub mod stream;
mod write;

pub use read::{load, load_into, LoadOptions, LoadSummary, LoadedKey};
pub use write::{put_function, put_len, put_string, put_value, value_type, write_keyspace, WriteOptions, Writer};

use keyspace::value::Value;
use keyspace::EncodingLimits;

/// The RDB version written, and the newest one read (Redis 7.0's).
pub const RDB_VERSION: u32 = 10;

/// Value type bytes.
pub mod ty {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE_PRE_GA: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;
    /// Redis 7.2 (RDB 11); read only inside a version this server accepts.
    pub const SET_LISTPACK: u8 = 20;
    pub const STREAM_LISTPACKS_3: u8 = 21;
}

/// Opcodes between keys.
pub mod op {
    pub const FUNCTION2: u8 = 245;
    pub const FUNCTION_PRE_GA: u8 = 246;
    pub const MODULE_AUX: u8 = 247;
    pub const IDLE: u8 = 248;
    pub const FREQ: u8 = 249;
    pub const AUX: u8 = 250;
    pub const RESIZEDB: u8 = 251;
    pub const EXPIRETIME_MS: u8 = 252;
    pub const EXPIRETIME: u8 = 253;
    pub const SELECTDB: u8 = 254;
    pub const EOF: u8 = 255;
}

/// Why reading failed.
#[derive(Debug)]
pub enum RdbError {
    /// The underlying reader failed.
    Io(std::io::Error),
    /// The input ended in the middle of something.
    Truncated,
    /// The bytes are not a valid RDB encoding.
    Corrupt(String),
    /// A type or feature this server cannot hold (stream, module, functions).
    Unsupported(String),
    /// An RDB version newer than Redis 7.0's.
    Version(u32),
    /// The checksum at the end does not match the contents.
    Checksum { expected: u64, got: u64 },
    /// An empty collection (Redis skips these keys when loading a file).
    EmptyKey(&'static str),
    /// A function library in the file did not load (the server's message).
    Library(String),
}

impl RdbError {
    pub(crate) fn corrupt(s: impl Into<String>) -> RdbError {
        RdbError::Corrupt(s.into())
    }
}

impl std::fmt::Display for RdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RdbError::Io(e) => write!(f, "I/O error reading the RDB: {e}"),
            RdbError::Truncated => write!(f, "Short read or OOM loading DB. Unrecoverable error, aborting now."),
            RdbError::Corrupt(s) => write!(f, "Bad RDB format: {s}"),
            RdbError::Unsupported(s) => {
                write!(f, "The RDB file contains {s}, which this server does not support yet; refusing to load it")
            }
            RdbError::Version(v) => write!(f, "Can't handle RDB format version {v}"),
            RdbError::Checksum { expected, got } => {
                write!(f, "Wrong RDB checksum expected: ({expected:x}) got ({got:x}). Aborting now.")
            }
            RdbError::EmptyKey(t) => write!(f, "Empty {t} key"),
            RdbError::Library(s) => write!(f, "Failed loading library, {s}"),
        }
    }
}

impl std::error::Error for RdbError {}

impl From<std::io::Error> for RdbError {
    fn from(e: std::io::Error) -> Self {
        RdbError::Io(e)
    }
}

/// A DUMP payload: type byte, value, RDB version (2 bytes LE), CRC-64 (8 bytes LE).
/// `compress` is `rdbcompression`, which Redis applies to DUMP too.
pub fn dump_payload(v: &Value, compress: bool) -> Vec<u8> {
    let mut out = vec![value_type(v)];
    put_value(&mut out, v, compress);
    out.extend_from_slice(&(RDB_VERSION as u16).to_le_bytes());
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a RESTORE payload was refused.
#[derive(Debug)]
pub enum RestoreError {
    /// Too short, a newer RDB version, or a wrong checksum.
    VersionOrChecksum,
    /// The value does not decode (including empty collections).
    BadData(RdbError),
}

/// Checks a DUMP payload's footer (version and CRC), as verifyDumpPayload does.
pub fn verify_payload(p: &[u8]) -> bool {
    if p.len() < 10 {
        return false;
    }
    let (body, footer) = p.split_at(p.len() - 10);
    let ver = u16::from_le_bytes([footer[0], footer[1]]) as u32;
    if ver > RDB_VERSION {
        return false;
    }
    let crc = crc64::crc64(&p[..p.len() - 8]);
    let _ = body;
    crc.to_le_bytes() == footer[2..10]
}

/// Decodes a DUMP payload into a value built under `enc`.
///
/// # Errors
/// [`RestoreError`].
pub fn restore_payload(p: &[u8], enc: &EncodingLimits) -> Result<Value, RestoreError> {
    if !verify_payload(p) {
        return Err(RestoreError::VersionOrChecksum);
    }
    let body = &p[..p.len() - 10];
    let mut inp = read::Input::new(body);
    let t = inp.u8().map_err(RestoreError::BadData)?;
    read::read_object(&mut inp, t, enc).map_err(RestoreError::BadData)
}

/// A FUNCTION DUMP payload, as Redis 7.0 builds it: one FUNCTION2 record per
/// library (the opcode and the source), then the RDB version (2 bytes LE)
/// and a CRC-64 of everything before it (8 bytes LE).
pub fn function_payload<'a>(codes: impl IntoIterator<Item = &'a [u8]>, compress: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        put_function(&mut out, code, compress);
    }
    out.extend_from_slice(&(RDB_VERSION as u16).to_le_bytes());
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a FUNCTION RESTORE payload was refused; the texts are Redis 7.0's
/// (without the `ERR ` prefix the server adds).
#[derive(Debug, PartialEq, Eq)]
pub enum FunctionPayloadError {
    /// Too short, a newer RDB version, or a wrong checksum.
    VersionOrChecksum,
    /// A record other than FUNCTION2, or one that does not decode.
    Bad(&'static str),
}

/// The library sources of a FUNCTION DUMP payload, read as redis-server
/// 7.0.15 reads them: records until at most the 10-byte footer is left (a
/// record may run into the footer, as in Redis); pre-release records are
/// read too (see `read_library`). Redis compiles each record as soon as it
/// is read, so a record that fails to compile is reported before a broken
/// record after it: the sources read before the first broken record come
/// back with the error, for the caller to compile first.
pub fn parse_function_payload(p: &[u8]) -> (Vec<Vec<u8>>, Result<(), FunctionPayloadError>) {
    if !verify_payload(p) {
        return (Vec::new(), Err(FunctionPayloadError::VersionOrChecksum));
    }
    let mut inp = read::Input::new(p);
    let mut codes = Vec::new();
    while p.len() as u64 - inp.pos > 10 {
        let pre_ga = match inp.u8() {
            Ok(op::FUNCTION_PRE_GA) => true,
            Ok(op::FUNCTION2) => false,
            Ok(_) => return (codes, Err(FunctionPayloadError::Bad("given type is not a function"))),
            Err(_) => return (codes, Err(FunctionPayloadError::Bad("can not read data type"))),
        };
        match read::read_library(&mut inp, pre_ga) {
            Ok(code) => codes.push(code),
            Err(e) => return (codes, Err(FunctionPayloadError::Bad(e))),
        }
    }
    (codes, Ok(()))
}
