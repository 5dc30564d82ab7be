//! The key table of one database: a chained hash table with incremental
//! rehashing, in the manner of Redis's dict. It is not a general map: it
//! stores [`Entry`] records that carry the key, the value and its metadata.
//!
//! Why not `hashbrown`? Three things the keyspace needs that an open-addressing
//! table does not give: a SCAN cursor that survives resizes (reverse-binary
//! bucket order guarantees every key present for the whole scan is returned),
//! random sampling by bucket (RANDOMKEY, eviction, active expiry) and resizing
//! spread over many operations so that a million-key table never stalls a
//! command for the length of a full rehash.

use crate::smallbytes::SmallBytes;
use crate::value::Value;
use std::hash::BuildHasher;

/// One key and everything stored with it. Entries live in their own heap
/// block so that rehashing moves pointers, never the data.
#[derive(Debug)]
pub struct Entry {
    next: Option<Box<Entry>>,
    /// The key.
    pub key: SmallBytes,
    /// The value.
    pub value: Value,
    /// Absolute expiry time in Unix milliseconds; 0 means no expiry. Only the
    /// keyspace changes it, so that per-database TTL counts stay right.
    pub(crate) expire_at: u64,
    /// Last access on the LRU clock ([`Keyspace::lru_clock`](crate::Keyspace::lru_clock):
    /// 10 ms ticks, wrapping), for OBJECT IDLETIME and LRU eviction.
    pub lru: u32,
    /// LFU state as Redis packs it: the last decrement time in minutes
    /// (16 bits, wrapping) above an 8-bit logarithmic access counter. It
    /// lives in what was padding after `lru`, so the entry stays 80 bytes.
    pub lfu: u32,
}

impl Entry {
    /// A new entry with no expiry.
    pub fn new(key: SmallBytes, value: Value, lru: u32) -> Box<Entry> {
        Box::new(Entry { next: None, key, value, expire_at: 0, lru, lfu: crate::evict::LFU_INIT_VAL as u32 })
    }

    /// Absolute expiry time in Unix milliseconds, 0 when the key has none.
    #[inline]
    pub fn expire_at(&self) -> u64 {
        self.expire_at
    }

    /// True when the key has a TTL.
    #[inline]
    pub fn is_volatile(&self) -> bool {
        self.expire_at != 0
    }
}

struct Table {
    buckets: Vec<Option<Box<Entry>>>,
    used: usize,
}

impl Table {
    fn empty() -> Table {
        Table { buckets: Vec::new(), used: 0 }
    }
    fn with_size(n: usize) -> Table {
        Table { buckets: (0..n).map(|_| None).collect(), used: 0 }
    }
    #[inline]
    fn mask(&self) -> u64 {
        (self.buckets.len() as u64).wrapping_sub(1)
    }
}

/// Smallest table; tables are always a power of two in size.
const MIN_SIZE: usize = 4;
/// Empty buckets a rehash step may visit before giving up for this call.
const REHASH_EMPTY_VISITS: usize = 10;

/// A chained hash table of [`Entry`] with incremental rehashing.
pub struct Dict {
    t: [Table; 2],
    /// Next bucket of `t[0]` to migrate, when rehashing.
    rehash_idx: Option<usize>,
    hasher: foldhash::fast::RandomState,
    /// While a snapshot walks the buckets, every key must stay in its
    /// bucket: no growing, shrinking or rehashing (as Redis avoids resizing
    /// while a fork child is alive). Chains grow longer meanwhile.
    frozen: bool,
}

impl Default for Dict {
    fn default() -> Self {
        Self::new()
    }
}

impl Dict {
    /// An empty table (no buckets allocated until the first insert).
    pub fn new() -> Dict {
        Dict { t: [Table::empty(), Table::empty()], rehash_idx: None, hasher: Default::default(), frozen: false }
    }

    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.t[0].used + self.t[1].used
    }

    /// True when there are no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total bucket slots (memory accounting and resize checks).
    pub fn slots(&self) -> usize {
        self.t[0].buckets.len() + self.t[1].buckets.len()
    }

    /// True while entries are being moved to a new table.
    pub fn is_rehashing(&self) -> bool {
        self.rehash_idx.is_some()
    }

    #[inline]
    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    fn tables_to_search(&self) -> usize {
        if self.is_rehashing() {
            2
        } else {
            1
        }
    }

    /// Looks a key up.
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        if self.is_empty() {
            return None;
        }
        let h = self.hash(key);
        for ti in 0..self.tables_to_search() {
            let t = &self.t[ti];
            if t.buckets.is_empty() {
                continue;
            }
            let mut cur = t.buckets[(h & t.mask()) as usize].as_deref();
            while let Some(e) = cur {
                if e.key.as_bytes() == key {
                    return Some(e);
                }
                cur = e.next.as_deref();
            }
        }
        None
    }

    /// Looks a key up for modification.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Entry> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let h = self.hash(key);
        let n = self.tables_to_search();
        // Find which table holds it first, so the mutable walk below borrows once.
        let mut found = None;
        for ti in 0..n {
            let t = &self.t[ti];
            if t.buckets.is_empty() {
                continue;
            }
            let mut cur = t.buckets[(h & t.mask()) as usize].as_deref();
            while let Some(e) = cur {
                if e.key.as_bytes() == key {
                    found = Some(ti);
                    break;
                }
                cur = e.next.as_deref();
            }
            if found.is_some() {
                break;
            }
        }
        let t = &mut self.t[found?];
        let idx = (h & t.mask()) as usize;
        let mut cur = t.buckets[idx].as_deref_mut();
        while let Some(e) = cur {
            if e.key.as_bytes() == key {
                return Some(e);
            }
            cur = e.next.as_deref_mut();
        }
        None
    }

    /// Inserts an entry whose key must not be present already, and returns it.
    pub fn insert_new(&mut self, mut entry: Box<Entry>) -> &mut Entry {
        self.rehash_step();
        self.expand_if_needed();
        let h = self.hash(&entry.key);
        let ti = if self.is_rehashing() { 1 } else { 0 };
        let t = &mut self.t[ti];
        let idx = (h & t.mask()) as usize;
        entry.next = t.buckets[idx].take();
        t.used += 1;
        t.buckets[idx] = Some(entry);
        t.buckets[idx].as_deref_mut().expect("just inserted")
    }

    /// Removes a key and returns its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Box<Entry>> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let h = self.hash(key);
        for ti in 0..self.tables_to_search() {
            let t = &mut self.t[ti];
            if t.buckets.is_empty() {
                continue;
            }
            let idx = (h & t.mask()) as usize;
            let mut link = &mut t.buckets[idx];
            while link.as_ref().is_some_and(|e| e.key.as_bytes() != key) {
                link = &mut link.as_mut().expect("checked").next;
            }
            if let Some(mut e) = link.take() {
                *link = e.next.take();
                t.used -= 1;
                return Some(e);
            }
        }
        None
    }

    /// Removes every entry and returns them as a dict of their own (so that a
    /// caller can drop a large table on another thread).
    pub fn take(&mut self) -> Dict {
        std::mem::take(self)
    }

    fn expand_if_needed(&mut self) {
        if self.is_rehashing() || (self.frozen && !self.t[0].buckets.is_empty()) {
            return;
        }
        if self.t[0].buckets.is_empty() {
            self.t[0] = Table::with_size(MIN_SIZE);
            return;
        }
        if self.t[0].used >= self.t[0].buckets.len() {
            self.resize_to((self.t[0].used + 1).next_power_of_two());
        }
    }

    /// Shrinks a table that is less than 10% full (called from the server's
    /// periodic task, as Redis does, never from a command).
    pub fn shrink_if_needed(&mut self) {
        if self.is_rehashing() || self.frozen {
            return;
        }
        let size = self.t[0].buckets.len();
        if size > MIN_SIZE && self.t[0].used * 10 < size {
            let target = self.t[0].used.max(MIN_SIZE).next_power_of_two();
            if target < size {
                self.resize_to(target);
            }
        }
    }

    fn resize_to(&mut self, size: usize) {
        self.t[1] = Table::with_size(size);
        self.rehash_idx = Some(0);
    }

    /// Moves one bucket (visiting at most a few empty ones) to the new table.
    pub fn rehash_step(&mut self) {
        if self.frozen {
            return;
        }
        let Some(mut idx) = self.rehash_idx else { return };
        let mut empty_visits = REHASH_EMPTY_VISITS;
        while idx < self.t[0].buckets.len() && self.t[0].buckets[idx].is_none() {
            idx += 1;
            empty_visits -= 1;
            if empty_visits == 0 {
                self.rehash_idx = Some(idx);
                return;
            }
        }
        if idx < self.t[0].buckets.len() {
            let mut chain = self.t[0].buckets[idx].take();
            while let Some(mut e) = chain {
                chain = e.next.take();
                let h = self.hasher.hash_one(e.key.as_bytes());
                let t1 = &mut self.t[1];
                let j = (h & t1.mask()) as usize;
                e.next = t1.buckets[j].take();
                t1.buckets[j] = Some(e);
                t1.used += 1;
                self.t[0].used -= 1;
            }
            idx += 1;
        }
        if self.t[0].used == 0 {
            self.t[0] = std::mem::replace(&mut self.t[1], Table::empty());
            self.rehash_idx = None;
        } else {
            self.rehash_idx = Some(idx);
        }
    }

    /// Runs rehash steps for about `budget` buckets.
    pub fn rehash_some(&mut self, budget: usize) {
        for _ in 0..budget {
            if !self.is_rehashing() {
                break;
            }
            self.rehash_step();
        }
    }

    /// Keeps every key where it is until [`unfreeze`](Self::unfreeze):
    /// no resize and no rehash step (a rehash in progress pauses; new keys
    /// then go to the second table, as they do during a rehash anyway).
    /// Snapshots walk the buckets of both tables by position.
    pub fn freeze(&mut self) {
        self.frozen = true;
    }

    /// Allows resizing and rehashing again.
    pub fn unfreeze(&mut self) {
        self.frozen = false;
    }

    /// Bucket positions of both tables, the main table's first (stable while frozen).
    pub fn bucket_count(&self) -> usize {
        self.t[0].buckets.len() + self.t[1].buckets.len()
    }

    /// The bucket position (as [`bucket_count`](Self::bucket_count) numbers
    /// them) `key` is in, or would be inserted into, while frozen.
    pub fn bucket_of(&self, key: &[u8]) -> usize {
        let h = self.hash(key);
        let t0 = &self.t[0];
        if !self.is_rehashing() {
            return (h & t0.mask()) as usize;
        }
        let i0 = (h & t0.mask()) as usize;
        let mut cur = t0.buckets[i0].as_deref();
        while let Some(e) = cur {
            if e.key.as_bytes() == key {
                return i0;
            }
            cur = e.next.as_deref();
        }
        t0.buckets.len() + (h & self.t[1].mask()) as usize
    }

    /// Calls `f` for each entry at bucket position `pos`.
    pub fn for_each_in_bucket(&self, pos: usize, mut f: impl FnMut(&Entry)) {
        let n0 = self.t[0].buckets.len();
        let b = if pos < n0 { &self.t[0].buckets[pos] } else { &self.t[1].buckets[pos - n0] };
        let mut cur = b.as_deref();
        while let Some(e) = cur {
            f(e);
            cur = e.next.as_deref();
        }
    }

    fn for_bucket(&self, ti: usize, idx: u64, f: &mut impl FnMut(&Entry)) {
        let t = &self.t[ti];
        let mut cur = t.buckets[(idx & t.mask()) as usize].as_deref();
        while let Some(e) = cur {
            f(e);
            cur = e.next.as_deref();
        }
    }

    /// One SCAN step: calls `f` for the entries of the bucket(s) at `cursor`
    /// and returns the next cursor (0 when the scan is complete).
    ///
    /// Cursors advance in reverse-binary order: incrementing the reversed
    /// bits means a bucket visited in a small table corresponds to a
    /// contiguous group of buckets in a larger one, so growing or shrinking
    /// between calls neither skips keys nor (except on shrink) repeats them.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&Entry)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut v = cursor;
        if !self.is_rehashing() {
            let m0 = self.t[0].mask();
            self.for_bucket(0, v, &mut f);
            v |= !m0;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
        } else {
            let (small, large) = if self.t[0].buckets.len() <= self.t[1].buckets.len() { (0, 1) } else { (1, 0) };
            let m0 = self.t[small].mask();
            let m1 = self.t[large].mask();
            self.for_bucket(small, v, &mut f);
            loop {
                self.for_bucket(large, v, &mut f);
                v |= !m1;
                v = v.reverse_bits().wrapping_add(1).reverse_bits();
                if v & (m0 ^ m1) == 0 {
                    break;
                }
            }
        }
        v
    }

    /// Calls `f` for every entry.
    pub fn for_each(&self, mut f: impl FnMut(&Entry)) {
        for t in &self.t {
            for b in &t.buckets {
                let mut cur = b.as_deref();
                while let Some(e) = cur {
                    f(e);
                    cur = e.next.as_deref();
                }
            }
        }
    }

    /// Eviction sampling (Redis's dictGetSomeKeys): walks consecutive
    /// buckets from a random one (`start`), calling `f` on each entry, until
    /// `f` has accepted `count` entries or `max_buckets` buckets were seen.
    /// Consecutive buckets are cheap to visit and, with a random start and
    /// a good hash, as unbiased as independent picks for eviction purposes.
    pub fn sample(&self, start: u64, count: usize, max_buckets: usize, mut f: impl FnMut(&Entry) -> bool) {
        if self.is_empty() || count == 0 {
            return;
        }
        let s0 = self.t[0].buckets.len();
        let s1 = self.t[1].buckets.len();
        let start0 = self.rehash_idx.unwrap_or(0).min(s0);
        let span = (s0 - start0) + s1;
        if span == 0 {
            return;
        }
        let mut i = (start % span as u64) as usize;
        let mut taken = 0;
        for _ in 0..max_buckets.min(span).max(1) {
            let head = if i < s0 - start0 {
                self.t[0].buckets[start0 + i].as_deref()
            } else {
                self.t[1].buckets[i - (s0 - start0)].as_deref()
            };
            let mut cur = head;
            while let Some(e) = cur {
                if f(e) {
                    taken += 1;
                    if taken >= count {
                        return;
                    }
                }
                cur = e.next.as_deref();
            }
            i += 1;
            if i == span {
                i = 0;
            }
        }
    }

    /// A random entry, or None when empty. `rand` yields uniform u64s.
    ///
    /// Picks random buckets until one is non-empty, then a random element of
    /// its chain; chains are short, so this is close to uniform.
    pub fn random_entry(&self, rand: &mut impl FnMut() -> u64) -> Option<&Entry> {
        if self.is_empty() {
            return None;
        }
        let s0 = self.t[0].buckets.len();
        let s1 = self.t[1].buckets.len();
        let start0 = self.rehash_idx.unwrap_or(0);
        let span = (s0 - start0) + s1;
        let pick = |i: usize| -> Option<&Entry> {
            if i < s0 - start0 {
                self.t[0].buckets[start0 + i].as_deref()
            } else {
                self.t[1].buckets[i - (s0 - start0)].as_deref()
            }
        };
        let mut head = None;
        // A table is kept at least 10% full by shrinking, so a few hundred
        // tries almost always hit; the linear walk bounds the worst case.
        for _ in 0..256 {
            if let Some(e) = pick((rand() % span as u64) as usize) {
                head = Some(e);
                break;
            }
        }
        if head.is_none() {
            let from = (rand() % span as u64) as usize;
            head = (0..span).map(|k| (from + k) % span).find_map(pick);
        }
        let head = head?;
        let mut n = 0;
        let mut cur = Some(head);
        while let Some(e) = cur {
            n += 1;
            cur = e.next.as_deref();
        }
        let mut k = (rand() % n) as usize;
        let mut cur = head;
        while k > 0 {
            cur = cur.next.as_deref().expect("counted");
            k -= 1;
        }
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Str;
    use std::collections::HashSet;

    fn entry(k: &str) -> Box<Entry> {
        Entry::new(SmallBytes::new(k.as_bytes()), Value::Str(Str::from_bytes(k.as_bytes())), 0)
    }

    fn rng() -> impl FnMut() -> u64 {
        let mut s = 0x9E3779B97F4A7C15u64;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    #[test]
    fn insert_get_remove_through_resizes() {
        let mut d = Dict::new();
        for i in 0..10_000 {
            d.insert_new(entry(&format!("k{i}")));
        }
        assert_eq!(d.len(), 10_000);
        for i in 0..10_000 {
            assert!(d.get(format!("k{i}").as_bytes()).is_some());
        }
        for i in 0..9_990 {
            assert!(d.remove(format!("k{i}").as_bytes()).is_some());
        }
        assert!(d.remove(b"k0").is_none());
        assert_eq!(d.len(), 10);
        d.shrink_if_needed();
        d.rehash_some(100_000);
        assert!(d.slots() <= 32);
        for i in 9_990..10_000 {
            assert!(d.get_mut(format!("k{i}").as_bytes()).is_some());
        }
    }

    #[test]
    fn scan_returns_every_key_even_while_growing_and_shrinking() {
        let mut d = Dict::new();
        for i in 0..1000 {
            d.insert_new(entry(&format!("a{i}")));
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            cursor = d.scan(cursor, |e| {
                seen.insert(e.key.to_vec());
            });
            round += 1;
            // Grow mid-scan, then shrink: keys present throughout must all come back.
            if round == 5 {
                for i in 0..5000 {
                    d.insert_new(entry(&format!("b{i}")));
                }
            }
            if round == 40 {
                for i in 0..5000 {
                    d.remove(format!("b{i}").as_bytes());
                }
                d.shrink_if_needed();
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(format!("a{i}").as_bytes()), "missing a{i}");
        }
    }

    #[test]
    fn random_entry_reaches_every_key() {
        let mut d = Dict::new();
        for i in 0..20 {
            d.insert_new(entry(&format!("r{i}")));
        }
        let mut r = rng();
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            seen.insert(d.random_entry(&mut r).unwrap().key.to_vec());
        }
        assert_eq!(seen.len(), 20);
        assert!(Dict::new().random_entry(&mut r).is_none());
    }

    #[test]
    fn entry_is_compact() {
        assert!(std::mem::size_of::<Entry>() <= 80, "{}", std::mem::size_of::<Entry>());
    }
}
