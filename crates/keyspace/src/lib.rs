//! Vermilion's keyspace: numbered databases of binary-safe keys, typed values,
//! millisecond expiry (lazy and active), and the typed operations commands run.
//!
//! It is synchronous and single-owner (`&mut self`): whoever holds a
//! [`Keyspace`] may run any sequence of operations atomically. It never touches
//! a socket or the wall clock; the caller injects the time with
//! [`Keyspace::set_now`]. It does not format replies or know error texts: ops
//! return typed results and [`KsError`].

pub mod bitmap;
pub mod db;
pub mod dict;
pub mod error;
pub mod evict;
pub mod expire;
pub mod geohash;
pub mod glob;
pub mod hash;
pub mod hll;
pub mod keys;
pub mod list;
pub mod longdouble;
pub mod packed;
pub mod set;
pub mod shape;
pub mod smallbytes;
pub mod snapshot;
pub mod stream;
pub mod strings;
pub mod value;
pub mod zset;

pub use db::{Db, EncodingLimits, Keyspace, KsEvent, Stats};
pub use dict::{Dict, Entry};
pub use error::KsError;
pub use evict::{EvictConfig, Policy};
pub use smallbytes::SmallBytes;
pub use value::{Str, Value};

/// Result of a keyspace operation.
pub type KsResult<T> = Result<T, KsError>;
