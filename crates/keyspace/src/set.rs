//! Sets (Redis type `set`) and the keyspace operations SADD, SREM, SPOP,
//! SMOVE, SINTER, SUNION, SDIFF and friends run. Replies are shaped by the
//! server's `cmd/set.rs`; nothing here knows RESP or error texts.
//!
//! Two encodings, as in Redis 7.0 (`OBJECT ENCODING`):
//!
//! - `intset`: sorted integers at the narrowest width that fits them all
//!   (16/32/64 bits, widened on demand), while every member is a canonical
//!   integer and there are at most `set-max-intset-entries` of them.
//!   Iteration is in ascending order, exactly as Redis's intset, so small
//!   integer sets reply byte-for-byte like Redis. The hashtable form is
//!   boxed so a small set costs one 32-byte `Set` plus its integers.
//! - `hashtable`: a dense `Vec<SmallBytes>` of members plus an index,
//!   `hashbrown::HashTable<u32>`, of positions into it. Compared with a
//!   `HashSet<SmallBytes>` this halves the table's slot size (4 bytes + 1
//!   control byte per bucket instead of 25) and gives SPOP / SRANDMEMBER an
//!   exactly uniform O(1) pick: a random position in the dense vector. A
//!   removal moves the last member into the hole (swap-remove) and fixes its
//!   index entry. About 36 bytes per short member at 1M members, against
//!   Redis's ~60+.
//!
//! Conversion is one way (intset → hashtable), never back, as in Redis.

use crate::error::KsError;
use crate::smallbytes::SmallBytes;
use crate::value::{fmt_i64, parse_i64, Value};
use crate::{Keyspace, KsResult};
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// A member as stored: an integer of an intset or bytes of a hashtable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member<'a> {
    /// An intset member.
    Int(i64),
    /// A hashtable member.
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// Calls `f` with the member's bytes (integers are formatted on the stack).
    #[inline]
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Member::Int(n) => {
                let mut b = [0u8; 20];
                let l = fmt_i64(n, &mut b);
                f(&b[..l])
            }
            Member::Bytes(b) => f(b),
        }
    }

    /// An owned copy (integers fit inline: no allocation).
    pub fn to_small(self) -> SmallBytes {
        self.with_bytes(SmallBytes::new)
    }
}

/// Up to this many members a table has no index: lookups scan the dense
/// vector (a few 24-byte slots, cheaper than hashing), which spares small
/// sets the index allocation, like Redis spares small hashes with listpacks.
const LINEAR_MAX: usize = 8;

/// The process-wide hash seed of set indexes: random per process (hash
/// flooding), shared so a table stores no hasher.
fn seed() -> &'static foldhash::fast::FixedState {
    static SEED: std::sync::OnceLock<foldhash::fast::FixedState> = std::sync::OnceLock::new();
    SEED.get_or_init(|| foldhash::fast::FixedState::with_seed(foldhash::fast::RandomState::default().hash_one(0u64)))
}

#[inline]
fn hash(m: &[u8]) -> u64 {
    seed().hash_one(m)
}

/// The hashtable encoding: dense members plus a position index. The index
/// is empty (unallocated) while the table has at most [`LINEAR_MAX`]
/// members and has never been indexed; once built it holds every position.
#[derive(Clone, Default)]
struct Table {
    items: Vec<SmallBytes>,
    index: HashTable<u32>,
    /// Heap bytes of members longer than the inline capacity.
    long_bytes: usize,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.items.iter()).finish()
    }
}

impl Table {
    fn with_capacity(n: usize) -> Table {
        Table { items: Vec::with_capacity(n), ..Default::default() }
    }

    /// True while lookups scan `items` instead of using the index.
    #[inline]
    fn linear(&self) -> bool {
        self.index.is_empty()
    }

    #[inline]
    fn find(&self, m: &[u8]) -> Option<usize> {
        if self.linear() {
            return self.items.iter().position(|x| x.as_bytes() == m);
        }
        let h = hash(m);
        self.index.find(h, |&i| self.items[i as usize].as_bytes() == m).map(|&i| i as usize)
    }

    /// Indexes every member (the table outgrew linear scans).
    fn build_index(&mut self) {
        let Table { items, index, .. } = self;
        index.reserve(items.len(), |&i| hash(items[i as usize].as_bytes()));
        for (pos, m) in items.iter().enumerate() {
            index.insert_unique(hash(m), pos as u32, |&i| hash(items[i as usize].as_bytes()));
        }
    }

    /// Adds `m`; false when already present.
    fn insert(&mut self, m: &[u8]) -> bool {
        if self.linear() {
            if self.find(m).is_some() {
                return false;
            }
            let sb = SmallBytes::new(m);
            self.long_bytes += sb.heap_size();
            self.items.push(sb);
            if self.items.len() > LINEAR_MAX {
                self.build_index();
            }
            return true;
        }
        let h = hash(m);
        let Table { items, index, long_bytes } = self;
        if index.find(h, |&i| items[i as usize].as_bytes() == m).is_some() {
            return false;
        }
        // u32 positions: 4G members would need >100 GB; the index stays small.
        let pos = items.len() as u32;
        let sb = SmallBytes::new(m);
        *long_bytes += sb.heap_size();
        items.push(sb);
        index.insert_unique(h, pos, |&i| hash(items[i as usize].as_bytes()));
        true
    }

    /// Removes the member at `pos` (must be valid); returns it.
    fn remove_at(&mut self, pos: usize) -> SmallBytes {
        let last = self.items.len() - 1;
        if !self.linear() {
            let h = hash(&self.items[pos]);
            match self.index.find_entry(h, |&i| i as usize == pos) {
                Ok(e) => {
                    e.remove();
                }
                Err(_) => unreachable!("every position is indexed"),
            }
            if pos != last {
                // The last member is about to move to `pos`: repoint its entry.
                let h2 = hash(&self.items[last]);
                if let Some(slot) = self.index.find_mut(h2, |&i| i as usize == last) {
                    *slot = pos as u32;
                }
            }
        }
        let m = self.items.swap_remove(pos);
        self.long_bytes -= m.heap_size();
        self.maybe_shrink();
        m
    }

    fn remove(&mut self, m: &[u8]) -> bool {
        match self.find(m) {
            Some(pos) => {
                self.remove_at(pos);
                true
            }
            None => false,
        }
    }

    /// Gives memory back after many removals (Redis shrinks below 10% fill).
    fn maybe_shrink(&mut self) {
        let (len, cap) = (self.items.len(), self.items.capacity());
        if cap > 64 && len * 8 < cap {
            self.items.shrink_to(len * 2);
            let Table { items, index, .. } = self;
            index.shrink_to(len * 2, |&i| hash(items[i as usize].as_bytes()));
        }
    }

    fn heap_size(&self) -> usize {
        let cap = self.index.capacity();
        let buckets = if cap == 0 { 0 } else { (cap * 8 / 7).next_power_of_two() };
        std::mem::size_of::<Table>()
            + self.items.capacity() * std::mem::size_of::<SmallBytes>()
            + buckets * 5
            + self.long_bytes
    }
}

/// Sorted distinct integers stored at the narrowest width that fits them
/// all (16, 32 or 64 bits), upgraded when a wider value arrives and never
/// narrowed, like Redis's intset: small integers cost 2 bytes each.
#[derive(Clone, Debug)]
enum IntSet {
    W16(Vec<i16>),
    W32(Vec<i32>),
    W64(Vec<i64>),
}

/// Runs `$body` with `$v` bound to the vector of whichever width is in use.
macro_rules! with_ints {
    ($set:expr, $v:ident => $body:expr) => {
        match $set {
            IntSet::W16($v) => $body,
            IntSet::W32($v) => $body,
            IntSet::W64($v) => $body,
        }
    };
}

impl IntSet {
    fn len(&self) -> usize {
        with_ints!(self, v => v.len())
    }

    // The macro's 64-bit arm converts i64 to itself.
    #[allow(clippy::useless_conversion)]
    #[inline]
    fn get(&self, i: usize) -> i64 {
        with_ints!(self, v => i64::from(v[i]))
    }

    /// Position of `n`, or where it would go.
    fn find(&self, n: i64) -> Result<usize, usize> {
        match self {
            IntSet::W16(v) => match i16::try_from(n) {
                Ok(x) => v.binary_search(&x),
                Err(_) => Err(if n < 0 { 0 } else { v.len() }),
            },
            IntSet::W32(v) => match i32::try_from(n) {
                Ok(x) => v.binary_search(&x),
                Err(_) => Err(if n < 0 { 0 } else { v.len() }),
            },
            IntSet::W64(v) => v.binary_search(&n),
        }
    }

    /// Widens the storage so that `n` fits.
    fn widen_for(&mut self, n: i64) {
        let need32 = i16::try_from(n).is_err();
        let need64 = i32::try_from(n).is_err();
        match self {
            IntSet::W16(v) if need64 => *self = IntSet::W64(v.iter().map(|&x| x as i64).collect()),
            IntSet::W16(v) if need32 => *self = IntSet::W32(v.iter().map(|&x| x as i32).collect()),
            IntSet::W32(v) if need64 => *self = IntSet::W64(v.iter().map(|&x| x as i64).collect()),
            _ => {}
        }
    }

    /// Adds `n`; false when present.
    fn insert(&mut self, n: i64) -> bool {
        if self.find(n).is_ok() {
            return false;
        }
        self.widen_for(n);
        let at = self.find(n).expect_err("absent");
        // Exact growth, as Redis reallocates its intset: inserting shifts
        // the tail anyway (O(n)), and small sets keep no spare capacity.
        // The casts are exact: widen_for made room for n.
        match self {
            IntSet::W16(v) => {
                v.reserve_exact(1);
                v.insert(at, n as i16)
            }
            IntSet::W32(v) => {
                v.reserve_exact(1);
                v.insert(at, n as i32)
            }
            IntSet::W64(v) => {
                v.reserve_exact(1);
                v.insert(at, n)
            }
        }
        true
    }

    // The macro's 64-bit arm converts i64 to itself.
    #[allow(clippy::useless_conversion)]
    fn remove_at(&mut self, i: usize) -> i64 {
        with_ints!(self, v => i64::from(v.remove(i)))
    }

    fn heap_size(&self) -> usize {
        with_ints!(self, v => v.capacity() * std::mem::size_of_val(&v.first().copied().unwrap_or_default()))
    }
}

#[derive(Clone, Debug)]
enum Repr {
    Ints(IntSet),
    Table(Box<Table>),
}

/// A set value.
#[derive(Clone, Debug)]
pub struct Set {
    repr: Repr,
}

impl Default for Set {
    /// An empty set in the `intset` encoding (Redis's starting point for
    /// SINTERSTORE and friends; SADD converts on the first non-integer).
    fn default() -> Self {
        Set { repr: Repr::Ints(IntSet::W16(Vec::new())) }
    }
}

impl Set {
    /// An empty set in the encoding Redis's setTypeCreate picks for a first
    /// member `m`: intset when it is a canonical integer, else hashtable.
    pub fn new_for(m: &[u8]) -> Set {
        if parse_i64(m).is_some() {
            Set::default()
        } else {
            Set { repr: Repr::Table(Box::default()) }
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.len(),
            Repr::Table(t) => t.items.len(),
        }
    }
    /// True when the set has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Ints(_) => "intset",
            Repr::Table(_) => "hashtable",
        }
    }
    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.heap_size(),
            Repr::Table(t) => t.heap_size(),
        }
    }

    /// Converts an intset to the hashtable encoding (one way).
    fn make_table(&mut self, extra: usize) -> &mut Table {
        if let Repr::Ints(v) = &self.repr {
            let mut t = Table::with_capacity(v.len() + extra);
            for i in 0..v.len() {
                Member::Int(v.get(i)).with_bytes(|b| t.insert(b));
            }
            self.repr = Repr::Table(Box::new(t));
        }
        match &mut self.repr {
            Repr::Table(t) => t,
            Repr::Ints(_) => unreachable!("converted above"),
        }
    }

    /// Adds `m`; false when already a member. `max_intset` is
    /// set-max-intset-entries: past it an intset becomes a hashtable.
    pub fn add(&mut self, m: &[u8], max_intset: usize) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => match parse_i64(m) {
                Some(n) => {
                    if !v.insert(n) {
                        return false;
                    }
                    if v.len() > max_intset {
                        self.make_table(0);
                    }
                    true
                }
                None => self.make_table(1).insert(m),
            },
            Repr::Table(t) => t.insert(m),
        }
    }

    /// Adds a member of another set.
    pub fn add_member(&mut self, m: Member, max_intset: usize) -> bool {
        match (m, &mut self.repr) {
            // Fast path: no formatting and re-parsing between intsets.
            (Member::Int(n), Repr::Ints(v)) => {
                if !v.insert(n) {
                    return false;
                }
                if v.len() > max_intset {
                    self.make_table(0);
                }
                true
            }
            _ => m.with_bytes(|b| self.add(b, max_intset)),
        }
    }

    /// Removes `m`; false when it was not a member.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => match parse_i64(m).map(|n| v.find(n)) {
                Some(Ok(at)) => {
                    v.remove_at(at);
                    true
                }
                _ => false,
            },
            Repr::Table(t) => t.remove(m),
        }
    }

    /// True when `m` is a member.
    pub fn contains(&self, m: &[u8]) -> bool {
        match &self.repr {
            Repr::Ints(v) => parse_i64(m).is_some_and(|n| v.find(n).is_ok()),
            Repr::Table(t) => t.find(m).is_some(),
        }
    }

    /// True when a member of another set is a member of this one.
    pub fn contains_member(&self, m: Member) -> bool {
        match (m, &self.repr) {
            (Member::Int(n), Repr::Ints(v)) => v.find(n).is_ok(),
            (Member::Bytes(b), _) => self.contains(b),
            (Member::Int(_), Repr::Table(_)) => m.with_bytes(|b| self.contains(b)),
        }
    }

    /// The member at position `i` (< len) of the iteration order. O(1).
    #[inline]
    pub fn member_at(&self, i: usize) -> Member<'_> {
        match &self.repr {
            Repr::Ints(v) => Member::Int(v.get(i)),
            Repr::Table(t) => Member::Bytes(t.items[i].as_bytes()),
        }
    }

    /// Members in iteration order (ascending for intsets).
    pub fn iter(&self) -> impl Iterator<Item = Member<'_>> + '_ {
        (0..self.len()).map(move |i| self.member_at(i))
    }

    /// Removes and returns the member at position `i` (< len).
    pub fn remove_at(&mut self, i: usize) -> SmallBytes {
        match &mut self.repr {
            Repr::Ints(v) => Member::Int(v.remove_at(i)).to_small(),
            Repr::Table(t) => t.remove_at(i),
        }
    }

    /// How many members [`sample`](Self::sample) yields for `count`.
    pub fn sample_len(&self, count: i64) -> usize {
        if count < 0 {
            count.unsigned_abs() as usize
        } else {
            (count as usize).min(self.len())
        }
    }

    /// SRANDMEMBER's picks, streamed to `f` (nothing is collected, so a huge
    /// negative count costs no up-front allocation): `count` > 0 gives
    /// distinct members (all of them, in iteration order, when `count`
    /// covers the set, as Redis); `count` < 0 gives |count| members with
    /// repetitions. `seed` is one draw of the keyspace PRNG.
    pub fn sample(&self, count: i64, mut seed: u64, mut f: impl FnMut(Member)) {
        let len = self.len();
        if len == 0 {
            return;
        }
        let mut next = |bound: usize| {
            seed = splitmix(seed);
            (seed % bound as u64) as usize
        };
        if count < 0 {
            for _ in 0..count.unsigned_abs() {
                f(self.member_at(next(len)));
            }
            return;
        }
        let n = count as usize;
        if n >= len {
            self.iter().for_each(f);
        } else if n * 3 > len {
            // Dense request: partial Fisher-Yates over all positions.
            let mut pos: Vec<u32> = (0..len as u32).collect();
            for i in 0..n {
                let j = i + next(len - i);
                pos.swap(i, j);
                f(self.member_at(pos[i] as usize));
            }
        } else {
            // Sparse request: rejection sampling of distinct positions.
            let mut seen = hashbrown::HashSet::with_capacity_and_hasher(n, foldhash::fast::FixedState::default());
            while seen.len() < n {
                let i = next(len);
                if seen.insert(i) {
                    f(self.member_at(i));
                }
            }
        }
    }

    /// One SSCAN step. Intsets return everything with cursor 0, as Redis
    /// does for compact encodings. Hashtables walk the dense vector from the
    /// top down: the cursor is the number of positions still to visit. A
    /// removal only moves the last member down into the hole, so a member
    /// present for the whole scan is never moved from an unvisited position
    /// to a visited one (it may be returned twice, which SCAN allows).
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Member)) -> u64 {
        match &self.repr {
            Repr::Ints(v) => {
                (0..v.len()).for_each(|i| f(Member::Int(v.get(i))));
                0
            }
            Repr::Table(t) => {
                let len = t.items.len();
                let top = if cursor == 0 { len } else { (cursor as usize).min(len) };
                let bottom = top.saturating_sub(count.max(1));
                for i in (bottom..top).rev() {
                    f(Member::Bytes(t.items[i].as_bytes()));
                }
                bottom as u64
            }
        }
    }
}

/// What SMOVE did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmoveResult {
    /// The member was not in the source (or the source is missing); nothing changed.
    NotMoved,
    /// Source and destination are the same set holding the member: nothing changed.
    SameSet,
    /// Moved. `src_deleted`: the source became empty and was deleted;
    /// `dst_added`: the member was not already in the destination.
    Moved { src_deleted: bool, dst_added: bool },
}

/// How a multi-key set command looks its keys up: `read` for plain read
/// commands (counts keyspace hits/misses; *STORE commands look up as
/// writers), `touch` unless the client asked for CLIENT NO-TOUCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// Count keyspace hits and misses.
    pub read: bool,
    /// Refresh access times.
    pub touch: bool,
}

/// Which set algebra a *STORE / plain command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// SUNION.
    Union,
    /// SDIFF: members of the first set in none of the others.
    Diff,
}

impl Keyspace {
    /// The set under `key`: None when missing, WrongType for other types.
    /// `read` counts keyspace hits/misses (read commands).
    pub fn set_mut(&mut self, db: usize, key: &[u8], read: bool, touch: bool) -> KsResult<Option<&mut Set>> {
        let e = if read { self.lookup_read(db, key, touch) } else { self.lookup(db, key, touch) };
        match e.map(|e| &mut e.value) {
            None => Ok(None),
            Some(Value::Set(s)) => Ok(Some(s)),
            Some(_) => Err(KsError::WrongType),
        }
    }

    /// SADD: adds members, creating the set. Returns how many were new.
    pub fn sadd<M: AsRef<[u8]>>(&mut self, db: usize, key: &[u8], members: &[M]) -> KsResult<usize> {
        let max = self.enc.set_max_intset_entries;
        let first = members.first().map(|m| m.as_ref()).unwrap_or(b"");
        let (e, created) = self.entry_or_insert(db, key, || Value::Set(Box::new(Set::new_for(first))));
        let Value::Set(s) = &mut e.value else { return Err(KsError::WrongType) };
        if created {
            // Most sets are made by one SADD: size the member vector exactly.
            if let Repr::Table(t) = &mut s.repr {
                t.items.reserve_exact(members.len());
            }
        }
        Ok(members.iter().filter(|m| s.add(m.as_ref(), max)).count())
    }

    /// SREM: removes members. Returns (removed, key deleted because empty).
    pub fn srem<M: AsRef<[u8]>>(
        &mut self,
        db: usize,
        key: &[u8],
        members: &[M],
        touch: bool,
    ) -> KsResult<(usize, bool)> {
        let Some(s) = self.set_mut(db, key, false, touch)? else { return Ok((0, false)) };
        let mut n = 0;
        for m in members {
            if s.remove(m.as_ref()) {
                n += 1;
                if s.is_empty() {
                    break;
                }
            }
        }
        Ok((n, n > 0 && self.remove_if_empty(db, key)))
    }

    /// SPOP / SPOP count: removes up to `count` random members. When
    /// `count` covers the set, all members in iteration order and the key
    /// is deleted. Returns (members, key deleted); None when the key is missing.
    pub fn spop(
        &mut self,
        db: usize,
        key: &[u8],
        count: usize,
        touch: bool,
    ) -> KsResult<Option<(Vec<SmallBytes>, bool)>> {
        let mut seed = self.rand();
        let Some(s) = self.set_mut(db, key, false, touch)? else { return Ok(None) };
        let whole = count >= s.len();
        let out = if whole {
            s.iter().map(Member::to_small).collect()
        } else {
            let mut out = Vec::with_capacity(count);
            for _ in 0..count {
                seed = splitmix(seed);
                let i = (seed % s.len() as u64) as usize;
                out.push(s.remove_at(i));
            }
            out
        };
        if whole {
            self.remove(db, key);
            return Ok(Some((out, true)));
        }
        Ok(Some((out, false)))
    }

    /// SRANDMEMBER with a count, collected ([`Set::sample`] streams).
    /// None when the key is missing.
    pub fn srandmember(&mut self, db: usize, key: &[u8], count: i64, touch: bool) -> KsResult<Option<Vec<SmallBytes>>> {
        let seed = self.rand();
        let Some(s) = self.set_mut(db, key, true, touch)? else { return Ok(None) };
        let mut out = Vec::new();
        s.sample(count, seed, |m| out.push(m.to_small()));
        Ok(Some(out))
    }

    /// SMOVE src dst member.
    pub fn smove(&mut self, db: usize, src: &[u8], dst: &[u8], m: &[u8], touch: bool) -> KsResult<SmoveResult> {
        // Redis looks both up (expiring them) before any type check.
        let src_found = self.lookup(db, src, touch).is_some();
        let _ = self.lookup(db, dst, touch);
        if !src_found {
            return Ok(SmoveResult::NotMoved);
        }
        let max = self.enc.set_max_intset_entries;
        self.set_mut(db, src, false, touch)?;
        self.set_mut(db, dst, false, touch)?;
        if src == dst {
            let s = self.set_mut(db, src, false, touch)?.expect("found above");
            return Ok(if s.contains(m) { SmoveResult::SameSet } else { SmoveResult::NotMoved });
        }
        let s = self.set_mut(db, src, false, touch)?.expect("found above");
        if !s.remove(m) {
            return Ok(SmoveResult::NotMoved);
        }
        let src_deleted = self.remove_if_empty(db, src);
        let (e, _) = self.entry_or_insert(db, dst, || Value::Set(Box::new(Set::new_for(m))));
        let Value::Set(d) = &mut e.value else { unreachable!("type checked above") };
        let dst_added = d.add(m, max);
        Ok(SmoveResult::Moved { src_deleted, dst_added })
    }

    /// Looks up every key as a set (expiring, type-checking, counting hits
    /// when `read`), then returns shared views. A missing key is None.
    fn sets_of<K: AsRef<[u8]>>(&mut self, db: usize, keys: &[K], how: Access) -> KsResult<Vec<Option<&Set>>> {
        for k in keys {
            self.set_mut(db, k.as_ref(), how.read, how.touch)?;
        }
        let d = self.db(db);
        Ok(keys
            .iter()
            .map(|k| match d.dict.get(k.as_ref()).map(|e| &e.value) {
                Some(Value::Set(s)) => Some(&**s),
                _ => None,
            })
            .collect())
    }

    /// SINTER / SINTERCARD: calls `f` for each member of the intersection in
    /// the iteration order of the smallest set, as Redis replies, stopping
    /// after `limit` members (0 = no limit). Returns the number visited.
    pub fn sinter_each<K: AsRef<[u8]>>(
        &mut self,
        db: usize,
        keys: &[K],
        how: Access,
        limit: usize,
        mut f: impl FnMut(Member),
    ) -> KsResult<usize> {
        let sets = self.sets_of(db, keys, how)?;
        let Some(mut sets) = sets.into_iter().collect::<Option<Vec<&Set>>>() else { return Ok(0) };
        sets.sort_by_key(|s| s.len());
        let (first, rest) = sets.split_first().expect("arity guarantees a key");
        let mut n = 0;
        for m in first.iter() {
            // The same set object (a repeated key) always contains m.
            if rest.iter().all(|o| std::ptr::eq(*o, *first) || o.contains_member(m)) {
                f(m);
                n += 1;
                if n == limit {
                    break;
                }
            }
        }
        Ok(n)
    }

    /// SINTER as a new set (SINTERSTORE), built as Redis builds it: starting
    /// as an intset and converting as members arrive.
    pub fn sinter_set<K: AsRef<[u8]>>(&mut self, db: usize, keys: &[K], touch: bool) -> KsResult<Set> {
        let max = self.enc.set_max_intset_entries;
        let mut out = Set::default();
        self.sinter_each(db, keys, Access { read: false, touch }, 0, |m| {
            out.add_member(m, max);
        })?;
        Ok(out)
    }

    /// SUNION / SDIFF as a new set, built as Redis builds it (intset first,
    /// converting as members arrive). `read`: a plain (non-STORE) command.
    pub fn sunion_diff<K: AsRef<[u8]>>(&mut self, db: usize, keys: &[K], op: SetOp, how: Access) -> KsResult<Set> {
        let max = self.enc.set_max_intset_entries;
        let sets = self.sets_of(db, keys, how)?;
        let mut out = Set::default();
        match op {
            SetOp::Union => {
                for s in sets.iter().flatten() {
                    s.iter().for_each(|m| {
                        out.add_member(m, max);
                    });
                }
            }
            SetOp::Diff => {
                let Some(first) = sets[0] else { return Ok(out) };
                let others: Vec<&Set> = sets[1..].iter().flatten().copied().collect();
                if others.iter().any(|o| std::ptr::eq(*o, first)) {
                    return Ok(out);
                }
                for m in first.iter() {
                    if !others.iter().any(|o| o.contains_member(m)) {
                        out.add_member(m, max);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The *STORE ending: stores `set` under `dst` replacing any value (and
    /// its TTL), or deletes `dst` when `set` is empty. Returns (size,
    /// whether a key was deleted).
    pub fn store_set(&mut self, db: usize, dst: &[u8], set: Set) -> (usize, bool) {
        let n = set.len();
        if n == 0 {
            let existed = self.lookup(db, dst, false).is_some();
            if existed {
                self.remove(db, dst);
            }
            return (0, existed);
        }
        self.set_value(db, dst, Value::Set(Box::new(set)), false, 0);
        (n, false)
    }
}

/// One step of splitmix64: turns one keyspace random draw into many.
#[inline]
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        s.iter().map(|m| m.to_small().to_vec()).collect()
    }

    #[test]
    fn intset_stays_sorted_and_converts_past_limit() {
        let mut s = Set::default();
        for m in ["5", "-3", "10", "5"] {
            s.add(m.as_bytes(), 4);
        }
        assert_eq!(s.encoding(), "intset");
        assert_eq!(members(&s), vec![b"-3".to_vec(), b"5".to_vec(), b"10".to_vec()]);
        assert!(s.add(b"7", 4));
        assert_eq!(s.encoding(), "intset");
        assert!(s.add(b"8", 4));
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 5);
        for m in ["-3", "5", "7", "8", "10"] {
            assert!(s.contains(m.as_bytes()));
        }
        // Never back, even when small again.
        for m in ["5", "7", "8", "10"] {
            assert!(s.remove(m.as_bytes()));
        }
        assert_eq!(s.encoding(), "hashtable");
    }

    #[test]
    fn intset_widens_and_stays_sorted() {
        let mut s = Set::default();
        let vals = [5i64, -3, 40000, -70000, i64::MAX, i64::MIN, 0, 32767, -32768, 2147483648];
        for (k, &n) in vals.iter().enumerate() {
            assert!(s.add(n.to_string().as_bytes(), 512));
            assert!(!s.add(n.to_string().as_bytes(), 512));
            for &m in &vals[..=k] {
                assert!(s.contains(m.to_string().as_bytes()), "{m} after adding {n}");
            }
        }
        let got: Vec<i64> = s.iter().map(|m| std::str::from_utf8(&m.to_small()).unwrap().parse().unwrap()).collect();
        let mut want = vals.to_vec();
        want.sort();
        assert_eq!(got, want);
        assert!(!s.contains(b"32768") && !s.contains(b"-1"));
        assert!(s.remove(b"-70000") && !s.remove(b"-70000"));
        let mut small = Set::default();
        for i in 0..100 {
            small.add(i.to_string().as_bytes(), 512);
        }
        assert!(small.heap_size() <= 128 * 2, "16-bit members");
        assert!(std::mem::size_of::<Set>() <= 32);
    }

    #[test]
    fn non_canonical_integers_force_hashtable() {
        for m in ["01", "+1", " 1", "1.0", "9223372036854775808", "-0", "abc"] {
            let mut s = Set::default();
            s.add(b"1", 512);
            s.add(m.as_bytes(), 512);
            assert_eq!(s.encoding(), "hashtable", "{m}");
            assert!(s.contains(b"1") && s.contains(m.as_bytes()));
        }
        assert_eq!(Set::new_for(b"x").encoding(), "hashtable");
        assert_eq!(Set::new_for(b"-7").encoding(), "intset");
    }

    #[test]
    fn table_swap_remove_keeps_index_consistent() {
        let mut s = Set::new_for(b"x");
        let n: usize = 5000;
        for i in 0..n {
            assert!(s.add(format!("member:{i}").as_bytes(), 512));
        }
        assert!(!s.add(b"member:17", 512));
        for i in (0..n).step_by(3) {
            assert!(s.remove(format!("member:{i}").as_bytes()));
        }
        for i in 0..n {
            assert_eq!(s.contains(format!("member:{i}").as_bytes()), i % 3 != 0, "{i}");
        }
        assert_eq!(s.len(), n - n.div_ceil(3));
        // Pop everything by position: the index must follow every move.
        while !s.is_empty() {
            let m = s.remove_at(s.len() / 2);
            assert!(!s.contains(&m));
        }
        assert!(s.heap_size() < 64 * 1024);
    }

    #[test]
    fn small_tables_scan_linearly_then_index() {
        let mut s = Set::new_for(b"a");
        for round in 0..3 {
            for i in 0..20 {
                assert!(s.add(format!("k{i}").as_bytes(), 512), "{round} {i}");
                for j in 0..=i {
                    assert!(s.contains(format!("k{j}").as_bytes()));
                }
                assert!(!s.contains(b"zz"));
            }
            for i in (0..20).rev() {
                assert!(s.remove(format!("k{i}").as_bytes()));
                assert!(!s.contains(format!("k{i}").as_bytes()));
                for j in 0..i {
                    assert!(s.contains(format!("k{j}").as_bytes()), "{round} {i} {j}");
                }
            }
            assert!(s.is_empty());
        }
    }

    #[test]
    fn long_members_are_counted_in_heap_size() {
        let mut s = Set::new_for(b"x");
        let before = s.heap_size();
        s.add(&[b'a'; 100], 512);
        assert!(s.heap_size() >= before + 100);
        s.remove(&[b'a'; 100]);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn scan_visits_every_stable_member_despite_removals() {
        let mut s = Set::new_for(b"x");
        for i in 0..1000 {
            s.add(format!("m{i}").as_bytes(), 512);
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            cursor = s.scan(cursor, 10, |m| {
                seen.insert(m.to_small().to_vec());
            });
            // Remove members (some already seen, some not) and add new ones mid-scan.
            round += 1;
            s.remove(format!("m{}", round * 7 % 1000).as_bytes());
            s.add(format!("new{round}").as_bytes(), 512);
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            let removed = (1..=round).any(|r| r * 7 % 1000 == i);
            if !removed {
                assert!(seen.contains(format!("m{i}").as_bytes()), "m{i} missed");
            }
        }
    }

    #[test]
    fn sample_counts_distinctness_and_coverage() {
        let mut s = Set::new_for(b"x");
        for i in 0..100 {
            s.add(format!("m{i}").as_bytes(), 512);
        }
        let mut seed = 42;
        for count in [1i64, 5, 33, 34, 60, 99, 100, 500, -1, -7, -300] {
            seed = splitmix(seed);
            let mut got = Vec::new();
            s.sample(count, seed, |m| got.push(m.to_small()));
            assert_eq!(got.len(), s.sample_len(count), "{count}");
            if count > 0 {
                let distinct: std::collections::HashSet<_> = got.iter().collect();
                assert_eq!(distinct.len(), got.len(), "{count}");
            }
            assert!(got.iter().all(|m| s.contains(m)));
        }
        // Single picks reach every member.
        let mut seen = std::collections::HashSet::new();
        for _ in 0..5000 {
            seed = splitmix(seed);
            s.sample(1, seed, |m| {
                seen.insert(m.to_small());
            });
        }
        assert_eq!(seen.len(), 100);
        assert_eq!(Set::default().sample_len(-3), 3);
        Set::default().sample(-3, 1, |_| panic!("empty sets yield nothing"));
    }

    #[test]
    fn store_set_replaces_value_and_ttl_or_deletes() {
        let mut ks = Keyspace::new(1);
        ks.set_value(0, b"d", Value::Str(crate::value::Str::from_bytes(b"v")), false, 10_000);
        let mut s = Set::default();
        s.add(b"1", 512);
        assert_eq!(ks.store_set(0, b"d", s), (1, false));
        let e = ks.peek(0, b"d").unwrap();
        assert_eq!((e.value.type_name(), e.expire_at()), ("set", 0));
        assert_eq!(ks.store_set(0, b"d", Set::default()), (0, true));
        assert!(ks.peek(0, b"d").is_none());
        assert_eq!(ks.store_set(0, b"d", Set::default()), (0, false));
    }

    const RD: Access = Access { read: true, touch: true };

    #[test]
    fn keyspace_ops() {
        let mut ks = Keyspace::new(1);
        assert_eq!(ks.sadd(0, b"a", &[b"1", b"2", b"3"]).unwrap(), 3);
        assert_eq!(ks.sadd(0, b"b", &[b"2", b"3", b"x"]).unwrap(), 3);
        let inter = ks.sinter_set(0, &[b"a", b"b"], true).unwrap();
        assert_eq!(inter.encoding(), "intset");
        assert_eq!(members(&inter), vec![b"2".to_vec(), b"3".to_vec()]);
        let u = ks.sunion_diff(0, &[&b"a"[..], b"b"], SetOp::Union, RD).unwrap();
        assert_eq!((u.len(), u.encoding()), (4, "hashtable"));
        let d = ks.sunion_diff(0, &[&b"a"[..], b"b"], SetOp::Diff, RD).unwrap();
        assert_eq!(members(&d), vec![b"1".to_vec()]);
        assert_eq!(ks.srem(0, b"a", &[b"1", b"2", b"3", b"4"], true).unwrap(), (3, true));
        assert!(ks.peek(0, b"a").is_none());
        assert_eq!(
            ks.smove(0, b"b", b"c", b"x", true).unwrap(),
            SmoveResult::Moved { src_deleted: false, dst_added: true }
        );
        assert_eq!(ks.peek(0, b"c").unwrap().value.encoding(), "hashtable");
        ks.sadd(0, b"p", &[b"1", b"2", b"3", b"4", b"5"]).unwrap();
        assert_eq!(ks.spop(0, b"p", 3, true).unwrap().unwrap().0.len(), 3);
        assert_eq!(ks.set_mut(0, b"p", false, true).unwrap().unwrap().len(), 2);
        let (popped, deleted) = ks.spop(0, b"b", 10, true).unwrap().unwrap();
        assert_eq!((popped.len(), deleted), (2, true));
        ks.sadd(0, b"r", &[b"a", b"b", b"c", b"d", b"e", b"f", b"g", b"h", b"i", b"j"]).unwrap();
        for c in [1i64, 3, 4, 9, 10, 20] {
            let v = ks.srandmember(0, b"r", c, true).unwrap().unwrap();
            let distinct: std::collections::HashSet<_> = v.iter().collect();
            assert_eq!(v.len(), (c as usize).min(10));
            assert_eq!(distinct.len(), v.len());
        }
        assert_eq!(ks.srandmember(0, b"r", -25, true).unwrap().unwrap().len(), 25);
    }
}
