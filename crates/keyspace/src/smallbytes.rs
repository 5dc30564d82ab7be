//! A byte string that stores up to 22 bytes inline (no heap allocation) and
//! longer ones in one exact-size heap block. Used for keys, where most are
//! short: an inline key costs nothing beyond its 24-byte slot.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest string kept inline.
pub const INLINE_CAP: usize = 22;

/// Binary-safe immutable bytes with small-string optimisation.
#[derive(Clone)]
pub enum SmallBytes {
    /// Up to [`INLINE_CAP`] bytes stored in place.
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    /// Longer strings, one allocation of exactly their size.
    Heap(Box<[u8]>),
}

impl SmallBytes {
    /// Copies `b` into a new value.
    pub fn new(b: &[u8]) -> Self {
        if b.len() <= INLINE_CAP {
            let mut buf = [0u8; INLINE_CAP];
            buf[..b.len()].copy_from_slice(b);
            SmallBytes::Inline { len: b.len() as u8, buf }
        } else {
            SmallBytes::Heap(b.into())
        }
    }

    /// The bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            SmallBytes::Inline { len, buf } => &buf[..*len as usize],
            SmallBytes::Heap(b) => b,
        }
    }

    /// Heap bytes owned beyond the inline slot (for memory accounting).
    pub fn heap_size(&self) -> usize {
        match self {
            SmallBytes::Inline { .. } => 0,
            SmallBytes::Heap(b) => b.len(),
        }
    }
}

impl Deref for SmallBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<[u8]> for SmallBytes {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for SmallBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
impl Eq for SmallBytes {}

impl Hash for SmallBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state)
    }
}

impl fmt::Debug for SmallBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

impl From<&[u8]> for SmallBytes {
    fn from(b: &[u8]) -> Self {
        SmallBytes::new(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_round_trip() {
        for n in [0, 1, 21, 22, 23, 100] {
            let v: Vec<u8> = (0..n as u8).collect();
            let s = SmallBytes::new(&v);
            assert_eq!(s.as_bytes(), &v[..]);
            assert_eq!(matches!(s, SmallBytes::Inline { .. }), n <= INLINE_CAP);
        }
        assert_eq!(std::mem::size_of::<SmallBytes>(), 24);
    }
}
