//! Hashes (Redis type `hash`): field -> value maps in Redis 7.0's two
//! encodings, and the keyspace operations HSET, HDEL, HINCRBY... run.
//! Argument parsing and replies belong to the server's `cmd/hash.rs`.
//!
//! # Encodings
//!
//! - `listpack`: [`Packed`], fields and values in
//!   insertion order in one exact-size byte block, searched linearly, as
//!   Redis's listpack is. Small hashes reply in exactly Redis's order
//!   (HGETALL, HKEYS, HSCAN...).
//! - `hashtable`: [`PairTable`], the pairs in a dense vector behind an
//!   open-addressing index. The conversion is one way, as in Redis: when the
//!   hash passes `hash-max-listpack-entries` fields, or a field or value
//!   longer than `hash-max-listpack-value` is written.
//!
//! # Memory
//!
//! A small hash is its packed block, held in the value slot without a box:
//! five short session fields take one 80-byte block, or a 48-byte block of
//! values when other keys share the field names (see [`crate::shape`])
//! (Redis: a 16-byte robj plus a listpack of about 112 bytes). In the table, a [`Pair`] is 32 bytes and keeps field and value inline when together
//! they fit in 29 bytes, otherwise in one exact-size heap block. The index
//! adds 5 bytes per slot at 40-80% load, so a typical small field costs
//! 40-75 bytes, about 44 at a million fields (Redis: a 24-byte dictEntry,
//! two sds allocations and the bucket pointer, about 72).

use crate::db::Keyspace;
use crate::error::KsError;
use crate::glob::Glob;
use crate::longdouble::LongDouble;
pub use crate::packed::{Elem, PairRef};
use crate::packed::{Packed, PackedIter};
use crate::value::{fmt_i64, parse_i64, Value};
use crate::KsResult;
use std::hash::BuildHasher;

/// Longest field + value stored inline in a [`Pair`].
pub const PAIR_INLINE_CAP: usize = 29;

/// One field and its value, in a 32-byte slot.
#[derive(Clone)]
pub enum Pair {
    /// Field and value together up to [`PAIR_INLINE_CAP`] bytes, in place.
    Inline { flen: u8, vlen: u8, buf: [u8; PAIR_INLINE_CAP] },
    /// Longer pairs: field then value in one exact-size heap block.
    Heap { flen: u32, data: Box<[u8]> },
}

impl Pair {
    /// Copies `field` and `value` into a new pair.
    pub fn new(field: &[u8], value: &[u8]) -> Pair {
        let n = field.len() + value.len();
        if n <= PAIR_INLINE_CAP {
            let mut buf = [0u8; PAIR_INLINE_CAP];
            buf[..field.len()].copy_from_slice(field);
            buf[field.len()..n].copy_from_slice(value);
            Pair::Inline { flen: field.len() as u8, vlen: value.len() as u8, buf }
        } else {
            let mut v = Vec::with_capacity(n);
            v.extend_from_slice(field);
            v.extend_from_slice(value);
            Pair::Heap { flen: field.len() as u32, data: v.into_boxed_slice() }
        }
    }

    /// The field.
    #[inline]
    pub fn field(&self) -> &[u8] {
        match self {
            Pair::Inline { flen, buf, .. } => &buf[..*flen as usize],
            Pair::Heap { flen, data } => &data[..*flen as usize],
        }
    }

    /// The value.
    #[inline]
    pub fn value(&self) -> &[u8] {
        match self {
            Pair::Inline { flen, vlen, buf } => &buf[*flen as usize..*flen as usize + *vlen as usize],
            Pair::Heap { flen, data } => &data[*flen as usize..],
        }
    }

    /// Borrowed field and value.
    #[inline]
    pub fn as_ref(&self) -> PairRef<'_> {
        PairRef::new(self.field(), self.value())
    }

    /// Heap bytes owned beyond the slot.
    #[inline]
    pub fn heap_size(&self) -> usize {
        match self {
            Pair::Inline { .. } => 0,
            Pair::Heap { data, .. } => data.len(),
        }
    }
}

impl std::fmt::Debug for Pair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}={:?}", String::from_utf8_lossy(self.field()), String::from_utf8_lossy(self.value()))
    }
}

/// Control byte of an empty slot; full slots hold `FULL | 7 hash bits`.
const EMPTY: u8 = 0;
const FULL: u8 = 0x80;
/// Smallest index table.
const MIN_SLOTS: usize = 8;

/// The `hashtable` encoding: pairs in one dense vector, found through an
/// open-addressing index (linear probing, backward-shift deletion, no
/// tombstones) of one tag byte and one u32 position per slot.
///
/// Why dense: the index costs 5 bytes per slot, so it can run at 40-80%
/// load cheaply, while the 32-byte pairs never sit in empty slots. At a
/// million fields that is about 44 bytes per field against Redis's ~72.
/// Random picks (HRANDFIELD) are one uniform index into the vector. A hash
/// holds at most `u32::MAX - 1` fields in this encoding.
///
/// Invariant: every index slot sits at or after its home slot (`hash & mask`)
/// with no empty slot in between. HSCAN relies on it: its cursor walks home
/// slots in Redis's reverse-binary order, which survives doubling and
/// halving of the index, and a home slot's pairs are all in the run that
/// starts there.
#[derive(Clone)]
pub struct PairTable {
    entries: Vec<Pair>,
    ctrl: Box<[u8]>,
    pos: Box<[u32]>,
    hasher: foldhash::fast::RandomState,
    /// Heap bytes owned by long pairs (kept up to date for cheap accounting).
    ext: usize,
}

impl PairTable {
    /// An empty table sized for `n` pairs.
    pub fn with_capacity(n: usize) -> PairTable {
        let slots = Self::slots_for(n);
        PairTable {
            entries: Vec::with_capacity(n.next_power_of_two()),
            ctrl: vec![EMPTY; slots].into_boxed_slice(),
            pos: vec![0; slots].into_boxed_slice(),
            hasher: foldhash::fast::RandomState::default(),
            ext: 0,
        }
    }

    /// Index slots for `n` pairs at most 50% load.
    fn slots_for(n: usize) -> usize {
        (n.saturating_mul(2)).next_power_of_two().max(MIN_SLOTS)
    }

    #[inline]
    fn mask(&self) -> usize {
        self.ctrl.len() - 1
    }

    #[inline]
    fn hash(&self, field: &[u8]) -> u64 {
        self.hasher.hash_one(field)
    }

    #[inline]
    fn tag(h: u64) -> u8 {
        FULL | (h >> 57) as u8
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of index slots.
    pub fn capacity(&self) -> usize {
        self.ctrl.len()
    }

    /// Heap bytes of the vector and the index (long pairs' blocks excluded).
    pub fn table_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Pair>() + self.ctrl.len() * 5
    }

    /// (index slot, entry position) of `field`.
    fn find(&self, field: &[u8]) -> Option<(usize, usize)> {
        self.find_hashed(field, self.hash(field))
    }

    /// [`find`](Self::find) with the field's hash already computed.
    fn find_hashed(&self, field: &[u8], h: u64) -> Option<(usize, usize)> {
        let (tag, mask) = (Self::tag(h), self.mask());
        let mut i = h as usize & mask;
        loop {
            let c = self.ctrl[i];
            if c == EMPTY {
                return None;
            }
            if c == tag {
                let e = self.pos[i] as usize;
                if self.entries[e].field() == field {
                    return Some((i, e));
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The pair of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&Pair> {
        self.find(field).map(|(_, e)| &self.entries[e])
    }

    /// Indexes entry `e`, whose field is known to be absent from the index.
    fn place(&mut self, e: usize) {
        self.place_hashed(e, self.hash(self.entries[e].field()));
    }

    /// [`place`](Self::place) with the field's hash already computed.
    fn place_hashed(&mut self, e: usize, h: u64) {
        let mask = self.mask();
        let mut i = h as usize & mask;
        while self.ctrl[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.ctrl[i] = Self::tag(h);
        self.pos[i] = e as u32;
    }

    /// Rebuilds the index with `n` slots (a power of two, more than `len`).
    fn reindex(&mut self, n: usize) {
        self.ctrl = vec![EMPTY; n].into_boxed_slice();
        self.pos = vec![0; n].into_boxed_slice();
        for e in 0..self.entries.len() {
            self.place(e);
        }
    }

    /// Inserts or replaces; returns the old pair when the field existed.
    pub fn insert(&mut self, p: Pair) -> Option<Pair> {
        let h = self.hash(p.field());
        self.ext += p.heap_size();
        if let Some((_, e)) = self.find_hashed(p.field(), h) {
            let old = std::mem::replace(&mut self.entries[e], p);
            self.ext -= old.heap_size();
            return Some(old);
        }
        // Grow past 80% load: linear probing degrades quickly beyond that.
        if (self.len() + 1) * 5 > self.capacity() * 4 {
            self.reindex(self.capacity() * 2);
        }
        // Keep the vector's capacity a power of two: large allocations come
        // in size classes, and a capacity just past one wastes up to 25%.
        if self.entries.len() == self.entries.capacity() {
            self.entries.reserve_exact(self.entries.capacity().max(4));
        }
        self.entries.push(p);
        self.place_hashed(self.entries.len() - 1, h);
        None
    }

    /// Removes `field`; returns its pair.
    pub fn remove(&mut self, field: &[u8]) -> Option<Pair> {
        let (i, e) = self.find(field)?;
        self.ctrl[i] = EMPTY;
        // Backward shift: pull later slots of the run into the hole when the
        // hole lies between their home slot and their slot.
        let mask = self.mask();
        let (mut hole, mut k) = (i, i);
        loop {
            k = (k + 1) & mask;
            if self.ctrl[k] == EMPTY {
                break;
            }
            let home = self.hash(self.entries[self.pos[k] as usize].field()) as usize & mask;
            if (k.wrapping_sub(home) & mask) >= (k.wrapping_sub(hole) & mask) {
                self.ctrl[hole] = self.ctrl[k];
                self.pos[hole] = self.pos[k];
                self.ctrl[k] = EMPTY;
                hole = k;
            }
        }
        // The last pair moves into the freed position: repoint its slot.
        let last = self.entries.len() - 1;
        if e != last {
            let h = self.hash(self.entries[last].field());
            let mut j = h as usize & mask;
            while !(self.ctrl[j] != EMPTY && self.pos[j] as usize == last) {
                j = (j + 1) & mask;
            }
            self.pos[j] = e as u32;
        }
        let out = self.entries.swap_remove(e);
        self.ext -= out.heap_size();
        // Shrink below 10% load (as Redis's dict does), back to at most 50%.
        if self.capacity() > MIN_SLOTS && self.len() * 10 < self.capacity() {
            self.reindex(Self::slots_for(self.len()));
            self.entries.shrink_to((self.len() * 2).next_power_of_two());
        }
        Some(out)
    }

    /// Pairs in table order.
    pub fn iter(&self) -> std::slice::Iter<'_, Pair> {
        self.entries.iter()
    }

    /// A uniformly random pair (None when empty). `rng` yields uniform u64s.
    pub fn random(&self, rng: &mut impl FnMut() -> u64) -> Option<&Pair> {
        if self.entries.is_empty() {
            return None;
        }
        Some(&self.entries[(rng() % self.entries.len() as u64) as usize])
    }

    /// Calls `f` for every pair whose home slot is `cursor`'s, returns the
    /// next cursor (0 when done). Cursor order is Redis's reverse-binary
    /// increment over the home slots, so a scan finds every pair present for
    /// its whole duration even if the index grows or shrinks in between.
    pub fn scan_step<'a>(&'a self, cursor: u64, mut f: impl FnMut(&'a Pair)) -> u64 {
        let mask = self.mask();
        let home = cursor as usize & mask;
        let mut i = home;
        while self.ctrl[i] != EMPTY {
            let p = &self.entries[self.pos[i] as usize];
            if self.hash(p.field()) as usize & mask == home {
                f(p);
            }
            i = (i + 1) & mask;
            if i == home {
                break;
            }
        }
        let v = cursor | !(mask as u64);
        v.reverse_bits().wrapping_add(1).reverse_bits()
    }
}

/// The two encodings. `Packed` is held in place (the value slot has room
/// for its 16 bytes), so a small hash costs one heap block.
#[derive(Clone)]
enum Repr {
    Packed(Packed),
    Table(Box<PairTable>),
}

/// A hash value.
#[derive(Clone)]
pub struct Hash(Repr);

impl Default for Hash {
    fn default() -> Self {
        Hash(Repr::Packed(Packed::new()))
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hash").field("encoding", &self.encoding()).field("len", &self.len()).finish()
    }
}

/// Pairs collected for a reply (HRANDFIELD, HSCAN). Table pairs stay
/// 8-byte references: a decoded [`PairRef`] is about 100 bytes, too much to
/// hold a million of.
pub enum Pairs<'a> {
    /// Decoded pairs of a `listpack` hash (a few hundred at most).
    Packed(Vec<PairRef<'a>>),
    /// Pairs of a `hashtable`.
    Table(Vec<&'a Pair>),
}

impl Pairs<'_> {
    /// Number of pairs.
    pub fn len(&self) -> usize {
        match self {
            Pairs::Packed(v) => v.len(),
            Pairs::Table(v) => v.len(),
        }
    }
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The pairs.
    pub fn iter(&self) -> impl Iterator<Item = PairRef<'_>> + '_ {
        let (a, b) = match self {
            Pairs::Packed(v) => (Some(v.iter().copied()), None),
            Pairs::Table(v) => (None, Some(v.iter().map(|p| p.as_ref()))),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten())
    }
}

/// Iterator over a hash's pairs.
pub enum Iter<'a> {
    /// `listpack`: insertion order.
    Packed(PackedIter<'a>),
    /// `hashtable`: table order.
    Table(std::slice::Iter<'a, Pair>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = PairRef<'a>;
    #[inline]
    fn next(&mut self) -> Option<PairRef<'a>> {
        match self {
            Iter::Packed(i) => i.next(),
            Iter::Table(i) => i.next().map(Pair::as_ref),
        }
    }
}

impl Hash {
    /// An empty hash in the `listpack` encoding.
    pub fn new() -> Hash {
        Hash::default()
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Packed(p) => p.len(),
            Repr::Table(t) => t.len(),
        }
    }
    /// True when the hash has no fields.
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Repr::Packed(p) => p.is_empty(),
            Repr::Table(t) => t.is_empty(),
        }
    }
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match &self.0 {
            Repr::Packed(_) => "listpack",
            Repr::Table(_) => "hashtable",
        }
    }
    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        match &self.0 {
            // Shared field names count in full: a key's figure should not
            // depend on how many other keys share its fields.
            Repr::Packed(p) => p.bytes() + p.shared_bytes(),
            Repr::Table(t) => std::mem::size_of::<PairTable>() + t.table_bytes() + t.ext,
        }
    }

    /// Lets a `listpack` hash share its field names with other hashes of
    /// the same field list (see [`crate::shape`]). Keyspace operations call
    /// it once after writes that added or removed fields; `key` is the
    /// hash's key (None: unknown, as when loading).
    pub fn settle(&mut self, key: Option<&[u8]>) {
        if let Repr::Packed(p) = &mut self.0 {
            p.settle(key.map_or(0, crate::shape::fingerprint));
        }
    }

    /// True when the field names live in a shared shape.
    pub fn is_shaped(&self) -> bool {
        matches!(&self.0, Repr::Packed(p) if p.is_shaped())
    }

    /// True in the `listpack` encoding.
    pub fn is_listpack(&self) -> bool {
        matches!(self.0, Repr::Packed(_))
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<Elem<'_>> {
        match &self.0 {
            Repr::Packed(p) => p.get(field),
            Repr::Table(t) => t.get(field).map(|p| Elem::Bytes(p.value())),
        }
    }

    /// True when `field` exists.
    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// All pairs, in insertion order (listpack) or table order (hashtable).
    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Packed(p) => Iter::Packed(p.iter()),
            Repr::Table(t) => Iter::Table(t.iter()),
        }
    }

    /// Converts to the `hashtable` encoding (one way).
    pub fn convert_to_table(&mut self) {
        if let Repr::Packed(p) = &self.0 {
            let mut t = PairTable::with_capacity(p.len());
            for x in p.iter() {
                t.insert(Pair::new(x.field(), x.value()));
            }
            self.0 = Repr::Table(Box::new(t));
        }
    }

    /// Sets `field` to `value`; returns true when the field is new. Converts
    /// to `hashtable` first when either is longer than `max_value` (Redis's
    /// hashTypeSet check) and after when the hash passes `max_entries`.
    pub fn set(&mut self, field: &[u8], value: &[u8], max_entries: usize, max_value: usize) -> bool {
        if field.len() > max_value || value.len() > max_value {
            self.convert_to_table();
        }
        match &mut self.0 {
            Repr::Packed(p) => {
                let new = p.set(field, value);
                if new && p.len() > max_entries {
                    self.convert_to_table();
                }
                new
            }
            Repr::Table(t) => t.insert(Pair::new(field, value)).is_none(),
        }
    }

    /// Removes `field`; returns true when it existed.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match &mut self.0 {
            Repr::Packed(p) => p.remove(field),
            Repr::Table(t) => t.remove(field).is_some(),
        }
    }

    /// A random pair; `rng` yields uniform u64s. None when empty.
    pub fn random(&self, rng: &mut impl FnMut() -> u64) -> Option<PairRef<'_>> {
        match &self.0 {
            Repr::Packed(p) => match p.len() {
                0 => None,
                n => p.nth((rng() % n as u64) as usize),
            },
            Repr::Table(t) => t.random(rng).map(Pair::as_ref),
        }
    }

    /// `count` random pairs with repetitions (HRANDFIELD with a negative
    /// count). A `listpack` hash is decoded once, not walked per pick.
    pub fn random_repeated<'a>(
        &'a self,
        count: usize,
        rng: &mut impl FnMut() -> u64,
        mut f: impl FnMut(PairRef<'a>) -> bool,
    ) {
        match &self.0 {
            Repr::Packed(p) => {
                let all: Vec<PairRef<'a>> = p.iter().collect();
                if all.is_empty() {
                    return;
                }
                for _ in 0..count {
                    if !f(all[(rng() % all.len() as u64) as usize]) {
                        return;
                    }
                }
            }
            Repr::Table(t) => {
                for _ in 0..count {
                    match t.random(rng) {
                        Some(p) if f(p.as_ref()) => {}
                        _ => return,
                    }
                }
            }
        }
    }

    /// Pairs by position (table order, or insertion order when packed).
    fn pick(&self, idx: impl Iterator<Item = usize>) -> Pairs<'_> {
        match &self.0 {
            Repr::Packed(p) => {
                let all: Vec<PairRef<'_>> = p.iter().collect();
                Pairs::Packed(idx.map(|i| all[i]).collect())
            }
            Repr::Table(t) => Pairs::Table(idx.map(|i| &t.entries[i]).collect()),
        }
    }

    /// HRANDFIELD with a count: `count` pairs, with repetitions when `!uniq`;
    /// distinct ones otherwise (the whole hash, in order, when `count >= len`).
    pub fn random_pairs(&self, count: usize, uniq: bool, rng: &mut impl FnMut() -> u64) -> Pairs<'_> {
        let n = self.len();
        if n == 0 || count == 0 {
            return Pairs::Packed(Vec::new());
        }
        if !uniq || count == 1 {
            return self.pick((0..count).map(|_| (rng() % n as u64) as usize));
        }
        if count >= n {
            return self.pick(0..n);
        }
        if count * 3 > n {
            // Many of them: a partial Fisher-Yates shuffle of all positions.
            let mut all: Vec<usize> = (0..n).collect();
            for i in 0..count {
                let j = i + (rng() % (n - i) as u64) as usize;
                all.swap(i, j);
            }
            all.truncate(count);
            self.pick(all.into_iter())
        } else {
            // Few of them: draw until `count` distinct positions.
            let mut picked = std::collections::HashSet::with_capacity(count);
            let mut out = Vec::with_capacity(count);
            while out.len() < count {
                let i = (rng() % n as u64) as usize;
                if picked.insert(i) {
                    out.push(i);
                }
            }
            self.pick(out.into_iter())
        }
    }

    /// One HSCAN call: (next cursor, pairs). A `listpack` hash returns all
    /// its pairs with cursor 0, as Redis does; a `hashtable` visits home slots
    /// until about `count` pairs were found (or 10x `count` slots were seen).
    /// `pattern` filters fields.
    pub fn scan(&self, cursor: u64, count: usize, pattern: Option<&[u8]>) -> (u64, Pairs<'_>) {
        let glob = pattern.filter(|p| *p != b"*").map(|p| Glob::new(p, false));
        let keep = |p: &PairRef| glob.as_ref().is_none_or(|g| g.is_match(p.field()));
        match &self.0 {
            Repr::Packed(p) => (0, Pairs::Packed(p.iter().filter(|p| keep(p)).collect())),
            Repr::Table(t) => {
                let mut found = Vec::new();
                let mut cur = cursor;
                let mut budget = count.saturating_mul(10);
                loop {
                    cur = t.scan_step(cur, |p| found.push(p));
                    // Redis counts fields and values against COUNT.
                    if cur == 0 || budget == 0 || found.len() * 2 >= count {
                        break;
                    }
                    budget -= 1;
                }
                found.retain(|p| keep(&p.as_ref()));
                (cur, Pairs::Table(found))
            }
        }
    }
}

fn as_hash(v: &Value) -> KsResult<&Hash> {
    match v {
        Value::Hash(h) => Ok(h),
        _ => Err(KsError::WrongType),
    }
}

fn as_hash_mut(v: &mut Value) -> KsResult<&mut Hash> {
    match v {
        Value::Hash(h) => Ok(h),
        _ => Err(KsError::WrongType),
    }
}

/// A small xorshift generator seeded from the keyspace's, for sampling
/// while the hash is borrowed.
pub fn rng_from(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

impl Keyspace {
    /// The hash at `key` for a read command (counts hits and misses).
    ///
    /// # Errors
    /// `WrongType` when the key holds another type.
    pub fn hash_read(&mut self, db: usize, key: &[u8], touch: bool) -> KsResult<Option<&Hash>> {
        match self.lookup_ro(db, key, touch) {
            None => Ok(None),
            Some(e) => as_hash(&e.value).map(Some),
        }
    }

    /// The hash at `key` for writing, created empty when absent.
    fn hash_write_or_create(&mut self, db: usize, key: &[u8]) -> KsResult<&mut Hash> {
        let (e, _) = self.entry_or_insert(db, key, || Value::Hash(Hash::default()));
        as_hash_mut(&mut e.value)
    }

    /// HSET / HMSET: `args` alternates fields and values (an even count).
    /// Returns how many fields were new. Converts to `hashtable` first if any
    /// argument is longer than `hash-max-listpack-value`, as Redis does.
    ///
    /// # Errors
    /// `WrongType`.
    pub fn hset<B: AsRef<[u8]>>(&mut self, db: usize, key: &[u8], args: &[B]) -> KsResult<usize> {
        let lim = self.enc;
        let h = self.hash_write_or_create(db, key)?;
        if args.iter().any(|a| a.as_ref().len() > lim.hash_max_listpack_value) {
            h.convert_to_table();
        }
        let mut created = 0;
        for fv in args.chunks_exact(2) {
            created += h.set(fv[0].as_ref(), fv[1].as_ref(), lim.hash_max_listpack_entries, lim.hash_max_listpack_value)
                as usize;
        }
        if created > 0 {
            h.settle(Some(key));
        }
        Ok(created)
    }

    /// HSETNX: sets `field` only when absent; returns true when it did.
    ///
    /// # Errors
    /// `WrongType`.
    pub fn hsetnx(&mut self, db: usize, key: &[u8], field: &[u8], value: &[u8]) -> KsResult<bool> {
        let lim = self.enc;
        let h = self.hash_write_or_create(db, key)?;
        if h.contains(field) {
            return Ok(false);
        }
        h.set(field, value, lim.hash_max_listpack_entries, lim.hash_max_listpack_value);
        h.settle(Some(key));
        Ok(true)
    }

    /// HDEL: returns (fields removed, whether the key was deleted because
    /// it became empty).
    ///
    /// # Errors
    /// `WrongType`.
    pub fn hdel<B: AsRef<[u8]>>(&mut self, db: usize, key: &[u8], fields: &[B]) -> KsResult<(usize, bool)> {
        let Some(e) = self.lookup(db, key, true) else { return Ok((0, false)) };
        let h = as_hash_mut(&mut e.value)?;
        let mut n = 0;
        for f in fields {
            n += h.remove(f.as_ref()) as usize;
            if h.is_empty() {
                break;
            }
        }
        if n > 0 {
            h.settle(Some(key));
        }
        let removed = self.remove_if_empty(db, key);
        Ok((n, removed))
    }

    /// HINCRBY: adds `delta` to the integer in `field` (0 when absent).
    ///
    /// # Errors
    /// `WrongType`; `NotInteger` when the stored value is not an integer
    /// (the caller words it as Redis's "hash value is not an integer");
    /// `Overflow`.
    pub fn hincrby(&mut self, db: usize, key: &[u8], field: &[u8], delta: i64) -> KsResult<i64> {
        let lim = self.enc;
        let h = self.hash_write_or_create(db, key)?;
        let cur = match h.get(field) {
            Some(v) => parse_i64(&v).ok_or(KsError::NotInteger)?,
            None => 0,
        };
        let n = cur.checked_add(delta).ok_or(KsError::Overflow)?;
        let mut buf = [0u8; 20];
        let l = fmt_i64(n, &mut buf);
        if h.set(field, &buf[..l], lim.hash_max_listpack_entries, lim.hash_max_listpack_value) {
            h.settle(Some(key));
        }
        Ok(n)
    }

    /// HINCRBYFLOAT: adds `incr` (already parsed, finite) to the float in
    /// `field`, in x87 long double as Redis does; returns the new text.
    ///
    /// # Errors
    /// `WrongType`; `NotFloat` when the stored value is not a float (the
    /// caller words it as "hash value is not a float"); `NanOrInfinity`.
    pub fn hincrbyfloat(&mut self, db: usize, key: &[u8], field: &[u8], incr: LongDouble) -> KsResult<Vec<u8>> {
        let lim = self.enc;
        let h = self.hash_write_or_create(db, key)?;
        let cur = match h.get(field) {
            Some(v) => LongDouble::parse(&v).ok_or(KsError::NotFloat)?,
            None => LongDouble::ZERO,
        };
        let sum = cur + incr;
        if !sum.is_finite() {
            return Err(KsError::NanOrInfinity);
        }
        let text = sum.to_human().into_bytes();
        if h.set(field, &text, lim.hash_max_listpack_entries, lim.hash_max_listpack_value) {
            h.settle(Some(key));
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(i: usize) -> Vec<u8> {
        format!("field:{i}").into_bytes()
    }

    #[test]
    fn pair_is_32_bytes_and_round_trips() {
        assert_eq!(std::mem::size_of::<Pair>(), 32);
        for (a, b) in [(0, 0), (10, 19), (29, 0), (0, 29), (15, 15), (100, 3), (3, 1000)] {
            let (x, y) = (vec![b'a'; a], vec![b'b'; b]);
            let p = Pair::new(&x, &y);
            assert_eq!(p.field(), &x[..]);
            assert_eq!(p.value(), &y[..]);
            assert_eq!(p.heap_size() == 0, a + b <= PAIR_INLINE_CAP);
        }
    }

    #[test]
    fn table_insert_get_remove_many() {
        let mut t = PairTable::with_capacity(0);
        for i in 0..10_000 {
            assert!(t.insert(Pair::new(&f(i), b"v")).is_none());
        }
        assert!(t.insert(Pair::new(&f(7), b"w")).is_some());
        assert_eq!(t.len(), 10_000);
        assert_eq!(t.get(&f(7)).unwrap().value(), b"w");
        for i in (0..10_000).step_by(2) {
            assert!(t.remove(&f(i)).is_some());
        }
        assert!(t.remove(&f(0)).is_none());
        for i in 0..10_000 {
            assert_eq!(t.get(&f(i)).is_some(), i % 2 == 1, "{i}");
        }
        for i in (1..10_000).step_by(2) {
            assert!(t.remove(&f(i)).is_some());
        }
        assert!(t.is_empty());
        assert!(t.capacity() <= 16);
    }

    #[test]
    fn scan_survives_growth_and_shrink() {
        let mut t = PairTable::with_capacity(0);
        for i in 0..1000 {
            t.insert(Pair::new(&f(i), b"v"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut cur = 0;
        let mut steps = 0;
        loop {
            cur = t.scan_step(cur, |p| {
                seen.insert(p.field().to_vec());
            });
            steps += 1;
            if steps == 300 {
                for i in 1000..5000 {
                    t.insert(Pair::new(&f(i), b"v"));
                }
            }
            if steps == 3000 {
                for i in 1000..5000 {
                    t.remove(&f(i));
                }
            }
            if cur == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(&f(i)), "{i} missed");
        }
    }

    #[test]
    fn listpack_keeps_order_and_converts() {
        let mut h = Hash::new();
        assert!(h.set(b"a", b"1", 4, 8));
        assert!(h.set(b"b", b"2", 4, 8));
        assert!(!h.set(b"a", b"3", 4, 8));
        let order: Vec<_> = h.iter().map(|p| p.field().to_vec()).collect();
        assert_eq!(order, vec![b"a".to_vec(), b"b".to_vec()]);
        assert!(h.remove(b"a"));
        assert_eq!(h.encoding(), "listpack");
        for i in 0..4 {
            h.set(&f(i)[..7], b"x", 4, 8);
        }
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 5);
        let mut g = Hash::new();
        g.set(b"k", b"123456789", 4, 8);
        assert_eq!(g.encoding(), "hashtable");
    }

    #[test]
    fn keyspace_ops() {
        let mut ks = Keyspace::new(1);
        assert_eq!(ks.hset(0, b"h", &[&b"a"[..], b"1", b"b", b"2"]).unwrap(), 2);
        assert_eq!(ks.hincrby(0, b"h", b"a", 5).unwrap(), 6);
        assert_eq!(ks.hincrby(0, b"h", b"c", i64::MAX).unwrap(), i64::MAX);
        assert_eq!(ks.hincrby(0, b"h", b"c", 1), Err(KsError::Overflow));
        ks.hset(0, b"h", &[&b"s"[..], b"x"]).unwrap();
        assert_eq!(ks.hincrby(0, b"h", b"s", 1), Err(KsError::NotInteger));
        let inc = LongDouble::parse(b"0.1").unwrap();
        assert_eq!(ks.hincrbyfloat(0, b"h", b"a", inc).unwrap(), b"6.1");
        assert!(!ks.hsetnx(0, b"h", b"a", b"z").unwrap());
        assert_eq!(ks.hdel(0, b"h", &[&b"a"[..], b"b", b"c", b"s", b"zz"]).unwrap(), (4, true));
        assert!(ks.peek(0, b"h").is_none());
    }

    #[test]
    fn small_hash_lives_in_the_value_slot() {
        assert_eq!(std::mem::size_of::<Hash>(), 24);
        // The entry stays in jemalloc's 80-byte class (it was 72 bytes with
        // a boxed hash; the unboxed one widens the value slot to 32).
        assert!(std::mem::size_of::<Value>() <= 32);
        assert!(std::mem::size_of::<crate::Entry>() <= 80, "{}", std::mem::size_of::<crate::Entry>());
        let mut h = Hash::new();
        for (f, v) in [("user", "699993"), ("created", "1732590000"), ("ip", "10.0.249.199"), ("agent", "Mozilla/5.0")]
        {
            h.set(f.as_bytes(), v.as_bytes(), 128, 64);
        }
        h.set(b"csrf", b"00a5f3c2b1d4e9ff", 128, 64);
        assert_eq!(h.encoding(), "listpack");
        assert!(Value::Hash(h).heap_size() <= 80);
    }

    #[test]
    fn conversion_thresholds_are_redis_ones() {
        // Exactly max_value bytes stay packed; one more converts.
        let mut h = Hash::new();
        h.set(&[b'f'; 8], &[b'v'; 8], 4, 8);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"x", &[b'v'; 9], 4, 8);
        assert_eq!(h.encoding(), "hashtable");
        // Exactly max_entries fields stay packed; one more converts.
        let mut h = Hash::new();
        for i in 0..4 {
            h.set(format!("{i}").as_bytes(), b"v", 4, 8);
        }
        h.set(b"0", b"replaced", 4, 8);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"4", b"v", 4, 8);
        assert_eq!(h.encoding(), "hashtable");
        // One way: emptying it again keeps the table.
        for i in 0..4 {
            h.remove(format!("{i}").as_bytes());
        }
        assert_eq!((h.encoding(), h.len()), ("hashtable", 1));
        // A long field converts too.
        let mut h = Hash::new();
        h.set(&[b'f'; 9], b"v", 4, 8);
        assert_eq!(h.encoding(), "hashtable");
    }

    /// Random ops on small alphabets (integer-looking, nibble-string,
    /// binary and empty fields) on a few hashes at once, so that they share
    /// shapes, against HashMaps plus insertion-order lists, through both
    /// encodings. Bounded: a few thousand ops per seed.
    #[test]
    fn model_test_against_hashmap() {
        let words: Vec<Vec<u8>> = [
            "",
            "0",
            "-0",
            "1",
            "01",
            "-1",
            "127",
            "128",
            "-129",
            "70000",
            "1732590000",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "a",
            "ab",
            "\0\x7f",
            "sess",
            "10.0.1.2",
            "deadbeef",
            "0000",
            "00000",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([vec![0u8, 255, 10], vec![b'x'; 63], vec![b'y'; 64], vec![b'z'; 65], vec![b'9'; 44]])
        .collect();
        let mut shaped = 0;
        for seed in 1..=40u64 {
            let mut rng = rng_from(seed * 0x9e37_79b9);
            let (max_entries, max_value) = (1 + (seed % 12) as usize, [8, 64, 100][(seed % 3) as usize]);
            let mut hs: Vec<Hash> = (0..3).map(|_| Hash::new()).collect();
            let mut models: Vec<std::collections::HashMap<Vec<u8>, Vec<u8>>> = vec![Default::default(); 3];
            let mut orders: Vec<Vec<Vec<u8>>> = vec![Vec::new(); 3];
            for _ in 0..600 {
                let k = (rng() % 3) as usize;
                let (h, model, order) = (&mut hs[k], &mut models[k], &mut orders[k]);
                // Few distinct fields, so that hashes often have equal lists.
                let f = &words[(rng() % 6) as usize * (1 + (seed % 4) as usize) % words.len()];
                let v = &words[(rng() % words.len() as u64) as usize];
                if rng() % 3 == 0 {
                    assert_eq!(h.remove(f), model.remove(f).is_some());
                    order.retain(|x| x != f);
                } else {
                    let new = h.set(f, v, max_entries, max_value);
                    assert_eq!(new, model.insert(f.clone(), v.clone()).is_none());
                    if new {
                        order.push(f.clone());
                    }
                }
                h.settle(Some(&[k as u8]));
                shaped += h.is_shaped() as usize;
                assert_eq!(h.len(), model.len());
                for w in &words {
                    assert_eq!(h.get(w).map(|v| v.to_vec()), model.get(w).cloned());
                }
                let got: Vec<(Vec<u8>, Vec<u8>)> = h.iter().map(|p| (p.field().to_vec(), p.value().to_vec())).collect();
                if h.is_listpack() {
                    let want: Vec<(Vec<u8>, Vec<u8>)> = order.iter().map(|f| (f.clone(), model[f].clone())).collect();
                    assert_eq!(got, want, "insertion order (seed {seed})");
                    assert!(model.len() <= max_entries);
                    assert!(model.iter().all(|(f, v)| f.len() <= max_value && v.len() <= max_value));
                } else {
                    let mut got = got;
                    got.sort();
                    let mut want: Vec<_> = model.clone().into_iter().collect();
                    want.sort();
                    assert_eq!(got, want);
                }
            }
        }
        assert!(shaped > 1000, "shapes exercised: {shaped}");
    }

    #[test]
    fn keys_share_field_lists_only_with_other_keys() {
        let mut ks = Keyspace::new(1);
        let shaped = |ks: &mut Keyspace, k: &[u8]| ks.hash_read(0, k, false).unwrap().unwrap().is_shaped();
        ks.hset(0, b"one", &[&b"kq-f1"[..], b"1", b"kq-f2", b"2"]).unwrap();
        ks.hset(0, b"one", &[&b"kq-f3"[..], b"3"]).unwrap();
        ks.hdel(0, b"one", &[&b"kq-f3"[..]]).unwrap();
        assert!(!shaped(&mut ks, b"one"), "a key revisiting its own list");
        ks.hset(0, b"two", &[&b"kq-f1"[..], b"x", b"kq-f2", b"y"]).unwrap();
        assert!(shaped(&mut ks, b"two"));
        ks.hset(0, b"three", &[&b"kq-f1"[..], b"10.0.0.1", b"kq-f2", b"deadbeefdeadbeef"]).unwrap();
        assert!(shaped(&mut ks, b"three"));
        assert_eq!(ks.hincrby(0, b"two", b"kq-f2", 1), Err(KsError::NotInteger));
        ks.hset(0, b"two", &[&b"kq-f2"[..], b"41"]).unwrap();
        assert_eq!(ks.hincrby(0, b"two", b"kq-f2", 1).unwrap(), 42);
        assert!(shaped(&mut ks, b"two"), "value writes keep the shape");
        let h = ks.hash_read(0, b"three", false).unwrap().unwrap();
        let all: Vec<(Vec<u8>, Vec<u8>)> = h.iter().map(|p| (p.field().to_vec(), p.value().to_vec())).collect();
        assert_eq!(all, [(b"kq-f1".to_vec(), b"10.0.0.1".to_vec()), (b"kq-f2".to_vec(), b"deadbeefdeadbeef".to_vec())]);
        assert_eq!(ks.hdel(0, b"three", &[&b"kq-f1"[..], b"kq-f2"]).unwrap(), (2, true));
    }

    #[test]
    fn random_pairs_distinct() {
        for max_entries in [10, 200] {
            let mut h = Hash::new();
            for i in 0..100 {
                h.set(&f(i), format!("{i}").as_bytes(), max_entries, 64);
            }
            assert_eq!(h.is_listpack(), max_entries == 200);
            let mut rng = rng_from(42);
            for count in [1, 5, 40, 99, 100, 500] {
                let r = h.random_pairs(count, true, &mut rng);
                let set: std::collections::HashSet<_> = r.iter().map(|p| p.field().to_vec()).collect();
                assert_eq!(set.len(), count.min(100));
                assert_eq!(r.len(), count.min(100));
                for p in r.iter() {
                    assert_eq!(p.field(), format!("field:{}", std::str::from_utf8(p.value()).unwrap()).as_bytes());
                }
            }
            assert_eq!(h.random_pairs(300, false, &mut rng).len(), 300);
            let (_, found) = h.scan(0, 1000, Some(b"field:1*"));
            assert_eq!(found.len(), 11);
        }
    }
}
