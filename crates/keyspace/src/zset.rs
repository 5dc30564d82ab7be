//! Sorted sets (Redis type `zset`) and the keyspace
//! operations ZADD, ZRANGE, ... run. PLACEHOLDER: filled in by the zset work.

/// A sorted-set value.
#[derive(Clone, Debug, Default)]
pub struct ZSet {}

impl ZSet {
    /// Number of members.
    pub fn len(&self) -> usize {
        0
    }
    /// True when the sorted set has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "listpack"
    }
    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        0
    }
}
