//! Shared field lists ("shapes") of small hashes. Many hashes carry the
//! same fields in the same order (sessions, user records), so a packed hash
//! may keep its field names in one interned, reference-counted [`Shape`]
//! and only its values in its own block. It is an optimisation only: a hash
//! works the same with or without a shape.
//!
//! # Bounds
//!
//! A shape lives exactly as long as some hash uses it: the registry holds
//! weak references, and the last [`ShapeRef`] to go removes its entry. So
//! shapes never take more memory than the field names they replace plus a
//! small overhead per distinct live field list. A new field list becomes a
//! shape only when a second hash (another key) has it: a fixed-size table
//! of fingerprints remembers the first sighting and whose it was, so hashes
//! with unique field lists do not pay for a shape nobody shares.
//!
//! # Locking
//!
//! One process-wide mutex guards the registry. Reads of a shaped hash never
//! take it; interning and dropping the last reference do. Reference counts
//! only drop under the lock, and a new reference to a shape that has no
//! hash left can only come from the registry (under the lock), so "this is
//! the last reference" is decided without races.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

/// Slots of the first-sighting table (16 bytes each).
const SEEN_SLOTS: usize = 4096;

/// An interned field list: the fields' packed elements back to back.
pub struct Shape {
    fields: Box<[u8]>,
    n: usize,
    fp: u64,
}

impl Shape {
    /// The fields' packed elements.
    #[inline]
    pub fn fields(&self) -> &[u8] {
        &self.fields
    }
    /// Number of fields.
    #[inline]
    pub fn len(&self) -> usize {
        self.n
    }
    /// True for the empty list (never interned).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

struct Registry {
    shapes: HashMap<u64, Vec<Weak<Shape>>>,
    /// (field list fingerprint, owner fingerprint) of first sightings.
    seen: Box<[(u64, u64)]>,
}

fn registry() -> MutexGuard<'static, Registry> {
    static REG: OnceLock<Mutex<Registry>> = OnceLock::new();
    let m = REG.get_or_init(|| {
        Mutex::new(Registry { shapes: HashMap::new(), seen: vec![(0, 0); SEEN_SLOTS].into_boxed_slice() })
    });
    // A panic elsewhere while holding it leaves the registry consistent:
    // every change below is a single insert or remove.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A nonzero fingerprint of `fields` (also of a key, as a hash's owner tag).
pub fn fingerprint(fields: &[u8]) -> u64 {
    // Fixed seed: the value only picks a slot; collisions are harmless.
    foldhash::fast::FixedState::with_seed(0x5eed_5a9e).hash_one(fields) | 1
}

/// A counted reference to a [`Shape`].
pub struct ShapeRef(ManuallyDrop<Arc<Shape>>);

impl ShapeRef {
    /// The shape for `fields` (`n` packed field elements): the live one,
    /// a new one when another owner had this list before, else None.
    /// `owner` tells hashes apart (a fingerprint of the key; 0 = unknown,
    /// every sighting counts), so that one hash revisiting a field list
    /// does not make a shape for itself alone.
    pub fn intern(fields: &[u8], n: usize, owner: u64) -> Option<ShapeRef> {
        if n == 0 {
            return None;
        }
        let fp = fingerprint(fields);
        let mut reg = registry();
        if let Some(list) = reg.shapes.get(&fp) {
            for w in list {
                if let Some(s) = w.upgrade() {
                    if *s.fields == *fields {
                        return Some(ShapeRef(ManuallyDrop::new(s)));
                    }
                }
            }
        }
        let slot = fp as usize % SEEN_SLOTS;
        let (seen_fp, seen_owner) = reg.seen[slot];
        if seen_fp != fp || (owner != 0 && seen_owner == owner) {
            reg.seen[slot] = (fp, owner);
            return None;
        }
        let s = Arc::new(Shape { fields: fields.into(), n, fp });
        reg.shapes.entry(fp).or_default().push(Arc::downgrade(&s));
        Some(ShapeRef(ManuallyDrop::new(s)))
    }

    /// Number of live shapes (tests and diagnostics).
    pub fn live() -> usize {
        registry().shapes.values().map(Vec::len).sum()
    }
}

impl std::ops::Deref for ShapeRef {
    type Target = Shape;
    #[inline]
    fn deref(&self) -> &Shape {
        &self.0
    }
}

impl Clone for ShapeRef {
    fn clone(&self) -> ShapeRef {
        ShapeRef(ManuallyDrop::new(Arc::clone(&self.0)))
    }
}

impl Drop for ShapeRef {
    fn drop(&mut self) {
        let mut reg = registry();
        // SAFETY: taken once, here; `self` is not used afterwards.
        let s = unsafe { ManuallyDrop::take(&mut self.0) };
        if Arc::strong_count(&s) == 1 {
            let fp = s.fp;
            if let Some(list) = reg.shapes.get_mut(&fp) {
                list.retain(|w| w.as_ptr() != Arc::as_ptr(&s));
                if list.is_empty() {
                    reg.shapes.remove(&fp);
                }
            }
        }
        drop(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_sighting_interns_and_last_drop_frees() {
        let f = b"\x81a\x81b-shape-test-unique";
        assert!(ShapeRef::intern(f, 2, 7).is_none(), "first sighting");
        assert!(ShapeRef::intern(f, 2, 7).is_none(), "the same owner again");
        let a = ShapeRef::intern(f, 2, 8).expect("another owner");
        let b = ShapeRef::intern(f, 2, 7).expect("live");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a.len(), 2);
        let c = b.clone();
        drop(a);
        drop(b);
        assert_eq!(c.fields(), f);
        let weak = Arc::downgrade(&c.0);
        drop(c);
        assert!(weak.upgrade().is_none(), "freed with its last hash");
        let reg = registry();
        assert!(reg.shapes.get(&fingerprint(f)).is_none_or(|l| l.iter().all(|w| w.upgrade().is_none())));
    }
}
