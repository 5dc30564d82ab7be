//! Sets (Redis type `set`) and the keyspace
//! operations SADD, SINTER, ... run. PLACEHOLDER: filled in by the set work.

/// A set value.
#[derive(Clone, Debug, Default)]
pub struct Set {}

impl Set {
    /// Number of members.
    pub fn len(&self) -> usize {
        0
    }
    /// True when the set has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "hashtable"
    }
    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        0
    }
}
