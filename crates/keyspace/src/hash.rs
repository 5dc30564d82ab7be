//! Hashes (Redis type `hash`): field -> value maps, and the keyspace
//! operations HSET, HGET, ... run. PLACEHOLDER: filled in by the hash work.

/// A hash value.
#[derive(Clone, Debug, Default)]
pub struct Hash {}

impl Hash {
    /// Number of fields.
    pub fn len(&self) -> usize {
        0
    }
    /// True when the hash has no fields.
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
