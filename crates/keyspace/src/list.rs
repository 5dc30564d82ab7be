//! Lists (Redis type `list`) and the keyspace
//! operations LPUSH, LRANGE, ... run. PLACEHOLDER: filled in by the list work.

/// A list value.
#[derive(Clone, Debug, Default)]
pub struct List {}

impl List {
    /// Number of elements.
    pub fn len(&self) -> usize {
        0
    }
    /// True when the list has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }
    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        0
    }
}
