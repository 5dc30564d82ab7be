//! Sorted sets (Redis type `zset`) and the keyspace operations ZADD, ZRANGE,
//! ... run on them. Replies and error texts are the server's business, not
//! this module's.
//!
//! # Layout
//!
//! Members are ordered by (score, member bytes), as Redis orders them. The
//! order lives in a [`Tree`]: a two-level B-tree of sorted chunks of at most
//! [`CHUNK`] entries, with a Fenwick tree of chunk sizes so that rank lookups
//! (ZRANK, ZRANGE by index, ZCOUNT as the difference of two ranks) cost
//! O(log n) plus one binary search inside a chunk. Entries are stored inline
//! in the chunks (`f64` + [`SmallBytes`], 32 bytes): no heap block per member
//! unless the member is longer than 22 bytes.
//!
//! The `listpack` encoding is the tree alone (a member lookup scans it, as a
//! listpack does); the `skiplist` encoding adds a member → score hash map for
//! O(1) ZSCORE and duplicate checks. Conversion is one way, listpack →
//! skiplist, when the set grows past `zset-max-listpack-entries` or gets a
//! member longer than `zset-max-listpack-value`, as in Redis 7.0; store
//! commands (ZUNIONSTORE, ZRANGESTORE, ...) build a fresh value and pick the
//! encoding by its final size.

use crate::db::{EncodingLimits, Keyspace};
use crate::error::KsError;
use crate::smallbytes::SmallBytes;
use crate::value::Value;
use crate::KsResult;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Maximum entries per tree chunk. A chunk's buffer holds CHUNK + 1 entries
/// (the overflow slot before a split): 128 × 32 bytes = 4 KiB, an exact
/// allocator size class, while an insertion's memmove stays small.
pub const CHUNK: usize = 127;

/// One member and its score.
#[derive(Clone, Debug)]
pub struct ZEntry {
    /// The score (never NaN).
    pub score: f64,
    /// The member.
    pub member: SmallBytes,
}

#[inline]
fn cmp_key(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> Ordering {
    // Scores are never NaN, so partial_cmp always answers; -0 and 0 tie, as in Redis.
    a_score.partial_cmp(&b_score).unwrap_or(Ordering::Equal).then_with(|| a_member.cmp(b_member))
}

/// An order-statistics sequence of entries sorted by (score, member).
#[derive(Clone, Debug, Default)]
pub struct Tree {
    chunks: Vec<Vec<ZEntry>>,
    /// Fenwick tree over chunk lengths (1-based internally).
    fen: Vec<usize>,
    len: usize,
}

impl Tree {
    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn rebuild_fen(&mut self) {
        let n = self.chunks.len();
        self.fen.clear();
        self.fen.resize(n + 1, 0);
        for i in 1..=n {
            self.fen[i] += self.chunks[i - 1].len();
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                let v = self.fen[i];
                self.fen[j] += v;
            }
        }
    }

    fn fen_add(&mut self, ci: usize, delta: isize) {
        let mut i = ci + 1;
        while i < self.fen.len() {
            self.fen[i] = (self.fen[i] as isize + delta) as usize;
            i += i & i.wrapping_neg();
        }
    }

    /// Number of entries in chunks `0..ci`.
    fn prefix(&self, ci: usize) -> usize {
        let mut i = ci;
        let mut s = 0;
        while i > 0 {
            s += self.fen[i];
            i &= i - 1;
        }
        s
    }

    /// (chunk, offset) of the entry at `rank` (< len).
    fn pos(&self, rank: usize) -> (usize, usize) {
        let n = self.chunks.len();
        let mut idx = 0;
        let mut rem = rank;
        let mut step = if n == 0 { 0 } else { 1usize << (usize::BITS - 1 - n.leading_zeros()) };
        while step > 0 {
            let next = idx + step;
            if next <= n && self.fen[next] <= rem {
                idx = next;
                rem -= self.fen[next];
            }
            step >>= 1;
        }
        (idx, rem)
    }

    /// The entry at `rank` (must be < len).
    pub fn get(&self, rank: usize) -> &ZEntry {
        let (ci, off) = self.pos(rank);
        &self.chunks[ci][off]
    }

    /// Number of leading entries for which `pred` holds; `pred` must hold on
    /// a prefix of the order and fail on the rest.
    pub fn partition_point(&self, pred: impl Fn(&ZEntry) -> bool) -> usize {
        let ci = self.chunks.partition_point(|c| pred(c.last().expect("chunks are never empty")));
        if ci == self.chunks.len() {
            return self.len;
        }
        self.prefix(ci) + self.chunks[ci].partition_point(&pred)
    }

    /// Rank of (score, member), or None when absent.
    pub fn rank_of(&self, score: f64, member: &[u8]) -> Option<usize> {
        let r = self.partition_point(|e| cmp_key(e.score, &e.member, score, member) == Ordering::Less);
        (r < self.len && self.get(r).member.as_bytes() == member).then_some(r)
    }

    /// Builds a tree from entries already sorted by (score, member) with
    /// distinct members, in O(n): chunks filled to 3/4 so that later
    /// insertions do not split them at once.
    pub fn from_sorted(entries: Vec<ZEntry>) -> Tree {
        let mut t = Tree { len: entries.len(), ..Tree::default() };
        let per = CHUNK * 3 / 4;
        let mut it = entries.into_iter().peekable();
        while it.peek().is_some() {
            let mut c = Vec::with_capacity(CHUNK + 1);
            c.extend(it.by_ref().take(per));
            t.chunks.push(c);
        }
        t.rebuild_fen();
        t
    }

    /// Inserts an entry whose member is not present.
    pub fn insert(&mut self, score: f64, member: SmallBytes) {
        let entry = ZEntry { score, member };
        if self.chunks.is_empty() {
            self.chunks.push(vec![entry]);
            self.len = 1;
            self.rebuild_fen();
            return;
        }
        let less = |e: &ZEntry| cmp_key(e.score, &e.member, score, &entry.member) == Ordering::Less;
        let ci = self.chunks.partition_point(|c| less(c.last().expect("non-empty"))).min(self.chunks.len() - 1);
        let is_last = ci + 1 == self.chunks.len();
        let chunk = &mut self.chunks[ci];
        let off = chunk.partition_point(less);
        if chunk.len() == chunk.capacity() && chunk.len() >= CHUNK / 2 {
            // Grow to the split size at most, not by doubling.
            chunk.reserve_exact((CHUNK + 1).saturating_sub(chunk.len()).max(1));
        }
        chunk.insert(off, entry);
        self.len += 1;
        if chunk.len() > CHUNK {
            // Appending past the last member (or prepending before the first)
            // splits off just that one, so sequential loads leave full chunks
            // behind instead of half-full ones.
            let half = if is_last && off == chunk.len() - 1 {
                chunk.len() - 1
            } else if ci == 0 && off == 0 {
                1
            } else {
                chunk.len() / 2
            };
            let mut tail = Vec::with_capacity(CHUNK + 1);
            tail.extend(chunk.drain(half..));
            self.chunks.insert(ci + 1, tail);
            self.rebuild_fen();
        } else {
            self.fen_add(ci, 1);
        }
    }

    /// Merges chunk `ci` into a neighbour when it got small, so deletions
    /// do not leave a long directory of nearly empty chunks.
    fn after_shrink(&mut self, ci: usize) {
        if self.chunks[ci].is_empty() {
            self.chunks.remove(ci);
            self.rebuild_fen();
            return;
        }
        if self.chunks[ci].len() >= CHUNK / 8 || self.chunks.len() == 1 {
            return;
        }
        let (a, b) = if ci + 1 < self.chunks.len() { (ci, ci + 1) } else { (ci - 1, ci) };
        if self.chunks[a].len() + self.chunks[b].len() <= CHUNK {
            let moved = std::mem::take(&mut self.chunks[b]);
            self.chunks[a].extend(moved);
            self.chunks.remove(b);
            self.rebuild_fen();
        }
        // Otherwise the counts are already right (the caller applied -1).
    }

    /// Removes and returns the entry at `rank` (< len).
    pub fn remove_at(&mut self, rank: usize) -> ZEntry {
        let (ci, off) = self.pos(rank);
        let e = self.chunks[ci].remove(off);
        self.len -= 1;
        self.fen_add(ci, -1);
        if self.chunks[ci].len() < CHUNK / 8 {
            self.after_shrink(ci);
        }
        e
    }

    /// Removes ranks `start..end`, handing each removed entry to `f` in order.
    pub fn drain_range(&mut self, start: usize, end: usize, mut f: impl FnMut(ZEntry)) {
        if start >= end {
            return;
        }
        let (first, mut off) = self.pos(start);
        let mut ci = first;
        let mut left = end - start;
        while left > 0 {
            let c = &mut self.chunks[ci];
            let take = (c.len() - off).min(left);
            for e in c.drain(off..off + take) {
                f(e);
            }
            left -= take;
            ci += 1;
            off = 0;
        }
        self.len -= end - start;
        // Chunks first..ci were touched: drop the emptied ones, then merge the
        // (at most two) partial survivors with their neighbours when small.
        let mut kept = first;
        for i in first..ci {
            if !self.chunks[i].is_empty() {
                self.chunks.swap(kept, i);
                kept += 1;
            }
        }
        self.chunks.drain(kept..ci);
        let mut i = first.saturating_sub(1);
        while i + 1 < self.chunks.len() && i <= kept {
            if self.chunks[i].len() + self.chunks[i + 1].len() <= CHUNK / 2 {
                let moved = std::mem::take(&mut self.chunks[i + 1]);
                self.chunks[i].extend(moved);
                self.chunks.remove(i + 1);
            } else {
                i += 1;
            }
        }
        self.rebuild_fen();
    }

    /// Entries at ranks `start..end` in order.
    pub fn iter_range(&self, start: usize, end: usize) -> impl Iterator<Item = &ZEntry> + '_ {
        let (ci, off) = if start < end { self.pos(start) } else { (self.chunks.len(), 0) };
        self.chunks[ci.min(self.chunks.len())..].iter().flat_map(|c| c.iter()).skip(off).take(end.saturating_sub(start))
    }

    /// Entries at ranks `start..end` from the last one down.
    pub fn iter_range_rev(&self, start: usize, end: usize) -> impl Iterator<Item = &ZEntry> + '_ {
        let (ci, skip) = if start < end {
            let (ci, off) = self.pos(end - 1);
            (ci + 1, self.chunks[ci].len() - 1 - off)
        } else {
            (0, 0)
        };
        self.chunks[..ci].iter().rev().flat_map(|c| c.iter().rev()).skip(skip).take(end.saturating_sub(start))
    }

    /// All entries in order.
    pub fn iter(&self) -> impl Iterator<Item = &ZEntry> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    fn heap_size(&self) -> usize {
        self.chunks
            .iter()
            .map(|c| {
                c.capacity() * std::mem::size_of::<ZEntry>() + c.iter().map(|e| e.member.heap_size()).sum::<usize>()
            })
            .sum::<usize>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<ZEntry>>()
            + self.fen.capacity() * std::mem::size_of::<usize>()
    }
}

/// The skiplist encoding's member index: a hash table of (member hash,
/// score) only, 16 bytes a slot, instead of a second copy of every member.
/// A lookup probes by the member's hash and confirms a candidate by finding
/// (score, member) in the tree, so equal 64-bit hashes of different members
/// stay correct. Two slots with the same (hash, score) are interchangeable,
/// which is what lets removal and update match on those two alone.
#[derive(Clone, Debug, Default)]
struct MemberIndex {
    table: hashbrown::HashTable<(u64, f64)>,
    hasher: foldhash::fast::RandomState,
}

impl MemberIndex {
    fn with_capacity(n: usize) -> MemberIndex {
        MemberIndex { table: hashbrown::HashTable::with_capacity(n), hasher: Default::default() }
    }

    #[inline]
    fn hash(&self, member: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one(member)
    }

    fn get(&self, tree: &Tree, member: &[u8]) -> Option<f64> {
        let h = self.hash(member);
        self.table.find(h, |&(eh, es)| eh == h && tree.rank_of(es, member).is_some()).map(|e| e.1)
    }

    fn insert(&mut self, member: &[u8], score: f64) {
        let h = self.hash(member);
        self.table.insert_unique(h, (h, score), |e| e.0);
    }

    /// Changes the slot of a member known to hold `old`.
    fn update(&mut self, member: &[u8], old: f64, new: f64) {
        let h = self.hash(member);
        if let Some(e) = self.table.find_mut(h, |&(eh, es)| eh == h && es.to_bits() == old.to_bits()) {
            e.1 = new;
        }
    }

    /// Drops the slot of a member known to hold `score`.
    fn remove(&mut self, member: &[u8], score: f64) {
        let h = self.hash(member);
        if let Ok(e) = self.table.find_entry(h, |&(eh, es)| eh == h && es.to_bits() == score.to_bits()) {
            e.remove();
        }
    }

    fn heap_size(&self) -> usize {
        self.table.capacity() * (std::mem::size_of::<(u64, f64)>() + 1)
    }
}

/// A sorted-set value.
#[derive(Clone, Debug, Default)]
pub struct ZSet {
    tree: Tree,
    /// Member → score index; present in the `skiplist` encoding only.
    dict: Option<MemberIndex>,
}

/// A score interval (ZRANGEBYSCORE's `min max` with `(` exclusions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

/// One end of a lexicographic interval (ZRANGEBYLEX's `[a`, `(a`, `-`, `+`).
#[derive(Clone, Debug, PartialEq)]
pub enum LexBound {
    /// `-`: below every member.
    NegInf,
    /// `+`: above every member.
    PosInf,
    /// `[x`: inclusive.
    Incl(Vec<u8>),
    /// `(x`: exclusive.
    Excl(Vec<u8>),
}

impl LexBound {
    /// Parses `[x`, `(x`, `-` or `+`; None for anything else.
    pub fn parse(b: &[u8]) -> Option<LexBound> {
        match b.first()? {
            b'+' if b.len() == 1 => Some(LexBound::PosInf),
            b'-' if b.len() == 1 => Some(LexBound::NegInf),
            b'[' => Some(LexBound::Incl(b[1..].to_vec())),
            b'(' => Some(LexBound::Excl(b[1..].to_vec())),
            _ => None,
        }
    }
}

/// A lexicographic interval.
#[derive(Clone, Debug, PartialEq)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

/// ZADD's conditions.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddFlags {
    /// NX: only add new members.
    pub nx: bool,
    /// XX: only update existing members.
    pub xx: bool,
    /// GT: only update when the new score is greater.
    pub gt: bool,
    /// LT: only update when the new score is less.
    pub lt: bool,
    /// INCR: add the score to the current one.
    pub incr: bool,
}

/// What one ZADD/ZINCRBY element did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AddOutcome {
    /// A new member with this score.
    Added(f64),
    /// An existing member got this new score.
    Updated(f64),
    /// An existing member kept its score (same score, or GT/LT refused).
    Unchanged(f64),
    /// NX on an existing member or XX on a missing one: nothing done.
    Skipped,
    /// INCR would make the score NaN.
    Nan,
}

/// Parses a score as C's strtod does for Redis (getDoubleFromObject): the
/// whole text must be a number (decimal, hex, `inf`, `infinity`), no leading
/// space, not NaN, and no overflow or underflow to zero.
pub fn parse_score(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b[0].is_ascii_whitespace() {
        return None;
    }
    let (v, range_err) = strtod_full(b)?;
    if v.is_nan() || range_err {
        return None;
    }
    Some(v)
}

/// Parses a range bound as zslParseRange does: strtod accepting leading
/// spaces and an empty string (0), and overflow to ±inf; NaN rejected.
pub fn parse_range_score(b: &[u8]) -> Option<f64> {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let b = &b[start..];
    if b.is_empty() {
        // strtod consumed nothing and the text ends there: Redis takes 0.
        return if start == 0 { Some(0.0) } else { None };
    }
    let (v, _) = strtod_full(b)?;
    (!v.is_nan()).then_some(v)
}

/// strtod over the whole of `b` (no leading space): the value and whether
/// it over- or underflowed (ERANGE). None when not all of `b` is a number.
fn strtod_full(b: &[u8]) -> Option<(f64, bool)> {
    let (neg, body) = match b[0] {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let lower = body.to_ascii_lowercase();
    if lower == b"inf" || lower == b"infinity" {
        return Some((if neg { f64::NEG_INFINITY } else { f64::INFINITY }, false));
    }
    if lower == b"nan" {
        return Some((f64::NAN, false));
    }
    if lower.starts_with(b"0x") {
        let v = parse_hex_float(&lower[2..])?;
        let range = v.is_infinite();
        return Some((if neg { -v } else { v }, range));
    }
    // Rust's parser takes the same decimal grammar as strtod, but it also
    // takes "nan"/"inf" spellings handled above; reject other letters here.
    if !body.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) || body.is_empty() {
        return None;
    }
    let s = std::str::from_utf8(b).ok()?;
    let v: f64 = s.parse().ok()?;
    let mantissa_nonzero = body.iter().take_while(|c| !matches!(c, b'e' | b'E')).any(|c| matches!(c, b'1'..=b'9'));
    let range = v.is_infinite() || (v == 0.0 && mantissa_nonzero);
    Some((v, range))
}

/// The part of a C hex float after `0x`: hex digits, an optional fraction,
/// an optional binary exponent `p[+-]n`.
fn parse_hex_float(s: &[u8]) -> Option<f64> {
    let (mant, exp) = match s.iter().position(|&c| c == b'p') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut v = 0f64;
    let mut scale = 0i32;
    let mut seen_dot = false;
    let mut digits = 0;
    for &c in mant {
        if c == b'.' && !seen_dot {
            seen_dot = true;
            continue;
        }
        let d = (c as char).to_digit(16)? as f64;
        v = v * 16.0 + d;
        digits += 1;
        if seen_dot {
            scale -= 4;
        }
    }
    if digits == 0 {
        return None;
    }
    if let Some(e) = exp {
        let e = std::str::from_utf8(e).ok()?;
        if e.is_empty() || e == "+" || e == "-" {
            return None;
        }
        scale += e.parse::<i32>().ok()?;
    }
    Some(v * 2f64.powi(scale))
}

impl ScoreRange {
    /// Parses ZRANGEBYSCORE bounds (`1`, `(1`, `-inf`, `+inf`); None on bad input.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let one = |b: &[u8]| -> Option<(f64, bool)> {
            match b.first() {
                Some(b'(') => parse_range_score(&b[1..]).map(|v| (v, true)),
                _ => parse_range_score(b).map(|v| (v, false)),
            }
        };
        let (min, minex) = one(min)?;
        let (max, maxex) = one(max)?;
        Some(ScoreRange { min, max, minex, maxex })
    }

    fn above_min(&self, s: f64) -> bool {
        if self.minex {
            s > self.min
        } else {
            s >= self.min
        }
    }

    fn below_max(&self, s: f64) -> bool {
        if self.maxex {
            s < self.max
        } else {
            s <= self.max
        }
    }
}

impl LexRange {
    /// True when no string can be in the range (min above max, or equal
    /// with an exclusive end), as Redis checks before searching.
    fn is_empty_range(&self) -> bool {
        // (class, bytes, exclusive): - sorts first, + last; both count as exclusive.
        let key = |b: &LexBound| -> (u8, Vec<u8>, bool) {
            match b {
                LexBound::NegInf => (0, Vec::new(), true),
                LexBound::Incl(x) => (1, x.clone(), false),
                LexBound::Excl(x) => (1, x.clone(), true),
                LexBound::PosInf => (2, Vec::new(), true),
            }
        };
        let (a, b) = (key(&self.min), key(&self.max));
        match (a.0, &a.1).cmp(&(b.0, &b.1)) {
            Ordering::Greater => true,
            Ordering::Equal => a.2 || b.2,
            Ordering::Less => false,
        }
    }

    fn below_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(x) => m < x.as_slice(),
            LexBound::Excl(x) => m <= x.as_slice(),
        }
    }

    fn within_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(x) => m <= x.as_slice(),
            LexBound::Excl(x) => m < x.as_slice(),
        }
    }
}

impl ZSet {
    /// An empty sorted set in the listpack encoding.
    pub fn new() -> ZSet {
        ZSet::default()
    }

    /// Number of members.
    #[inline]
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// True when the sorted set has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.dict.is_some() {
            "skiplist"
        } else {
            "listpack"
        }
    }

    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.tree.heap_size() + self.dict.as_ref().map_or(0, |d| d.heap_size())
    }

    /// The ordered entries.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// A sorted set of `entries` (distinct members, any order), encoded as
    /// a freshly built value would be under `lim`.
    pub fn from_entries(mut entries: Vec<ZEntry>, lim: &EncodingLimits) -> ZSet {
        entries.sort_unstable_by(|a, b| cmp_key(a.score, &a.member, b.score, &b.member));
        let mut z = ZSet { tree: Tree::from_sorted(entries), dict: None };
        z.fit(lim);
        z
    }

    /// Switches to the skiplist encoding (one way).
    pub fn convert_to_skiplist(&mut self) {
        if self.dict.is_none() {
            let mut d = MemberIndex::with_capacity(self.len());
            for e in self.tree.iter() {
                d.insert(&e.member, e.score);
            }
            self.dict = Some(d);
        }
    }

    /// Converts when the limits say a listpack may no longer hold the set.
    fn grow_check(&mut self, lim: &EncodingLimits, member_len: usize) {
        if self.dict.is_none()
            && (self.len() > lim.zset_max_listpack_entries || member_len > lim.zset_max_listpack_value)
        {
            self.convert_to_skiplist();
        }
    }

    /// Picks the encoding a freshly built value (store commands) gets.
    pub fn fit(&mut self, lim: &EncodingLimits) {
        let maxlen = self.tree.iter().map(|e| e.member.len()).max().unwrap_or(0);
        if self.len() > lim.zset_max_listpack_entries || maxlen > lim.zset_max_listpack_value {
            self.convert_to_skiplist();
        } else {
            self.dict = None;
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.dict {
            Some(d) => d.get(&self.tree, member),
            None => self.tree.iter().find(|e| e.member.as_bytes() == member).map(|e| e.score),
        }
    }

    /// Inserts a member known to be absent (no encoding check).
    pub fn insert_new(&mut self, score: f64, member: &[u8]) {
        let m = SmallBytes::new(member);
        if let Some(d) = &mut self.dict {
            d.insert(member, score);
        }
        self.tree.insert(score, m);
    }

    /// Sets `member`'s score (inserting it when absent), without encoding checks.
    pub fn set_score(&mut self, member: &[u8], score: f64) {
        match self.score(member) {
            Some(old) => self.update(member, old, score),
            None => self.insert_new(score, member),
        }
    }

    fn update(&mut self, member: &[u8], old: f64, new: f64) {
        if let Some(d) = &mut self.dict {
            d.update(member, old, new);
        }
        let r = self.tree.rank_of(old, member).expect("member in tree");
        // Same place in the order: rewrite the score in place.
        let fits = (r == 0 || {
            let p = self.tree.get(r - 1);
            cmp_key(p.score, &p.member, new, member) == Ordering::Less
        }) && (r + 1 == self.len() || {
            let n = self.tree.get(r + 1);
            cmp_key(n.score, &n.member, new, member) == Ordering::Greater
        });
        if fits {
            let (ci, off) = self.tree.pos(r);
            self.tree.chunks[ci][off].score = new;
        } else {
            let e = self.tree.remove_at(r);
            self.tree.insert(new, e.member);
        }
    }

    /// ZADD / ZINCRBY for one element. `score` is the increment with INCR.
    pub fn add(&mut self, score: f64, member: &[u8], f: AddFlags, lim: &EncodingLimits) -> AddOutcome {
        match self.score(member) {
            Some(cur) => {
                if f.nx {
                    return AddOutcome::Skipped;
                }
                let new = if f.incr {
                    let n = cur + score;
                    if n.is_nan() {
                        return AddOutcome::Nan;
                    }
                    n
                } else {
                    score
                };
                if (f.gt && new <= cur) || (f.lt && new >= cur) {
                    return AddOutcome::Skipped;
                }
                if new == cur {
                    return AddOutcome::Unchanged(cur);
                }
                self.update(member, cur, new);
                AddOutcome::Updated(new)
            }
            None => {
                if f.xx {
                    return AddOutcome::Skipped;
                }
                self.insert_new(score, member);
                self.grow_check(lim, member.len());
                AddOutcome::Added(score)
            }
        }
    }

    /// Removes `member`; true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        let Some(score) = self.score(member) else { return false };
        if let Some(d) = &mut self.dict {
            d.remove(member, score);
        }
        let r = self.tree.rank_of(score, member).expect("member in tree");
        self.tree.remove_at(r);
        true
    }

    /// 0-based rank of `member` in ascending order, with its score.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        let s = self.score(member)?;
        self.tree.rank_of(s, member).map(|r| (r, s))
    }

    /// Ranks `start..end` of the members within `r` (ascending order).
    pub fn score_span(&self, r: &ScoreRange) -> (usize, usize) {
        let start = self.tree.partition_point(|e| !r.above_min(e.score));
        let end = self.tree.partition_point(|e| r.below_max(e.score));
        (start, end.max(start))
    }

    /// Ranks `start..end` of the members within `r` (ascending order);
    /// `rev` when the caller walks the range from its top (ZREVRANGEBYLEX).
    ///
    /// Lex ranges are meant for members that all share one score. When they
    /// do not, Redis's answer depends on the encoding; for listpacks it is a
    /// linear walk that this reproduces (first member >= min going up, or
    /// last member <= max going down, then on while in range). The big
    /// encoding uses binary search, where Redis's answer depends on random
    /// skiplist levels anyway.
    pub fn lex_span(&self, r: &LexRange, rev: bool) -> (usize, usize) {
        if r.is_empty_range() || self.is_empty() {
            return (0, 0);
        }
        if self.dict.is_some() {
            let start = self.tree.partition_point(|e| r.below_min(&e.member));
            let end = self.tree.partition_point(|e| r.within_max(&e.member));
            return (start, end.max(start));
        }
        let n = self.len();
        let m = |i: usize| self.tree.get(i).member.as_bytes();
        if r.below_min(m(n - 1)) || !r.within_max(m(0)) {
            return (0, 0);
        }
        if !rev {
            let s = (0..n).find(|&i| !r.below_min(m(i))).unwrap_or(n);
            let mut e = s;
            while e < n && r.within_max(m(e)) {
                e += 1;
            }
            (s, e)
        } else {
            let Some(e) = (0..n).rev().find(|&i| r.within_max(m(i))) else { return (0, 0) };
            let mut s = e + 1;
            while s > 0 && !r.below_min(m(s - 1)) {
                s -= 1;
            }
            (s, e + 1)
        }
    }

    /// Removes ranks `start..end` (ascending); returns how many.
    pub fn remove_span(&mut self, start: usize, end: usize) -> usize {
        let n = end.saturating_sub(start);
        let dict = &mut self.dict;
        self.tree.drain_range(start, end, |e| {
            if let Some(d) = dict.as_mut() {
                d.remove(e.member.as_bytes(), e.score);
            }
        });
        n
    }

    /// Removes and returns up to `count` lowest (or highest, when `max`) members.
    pub fn pop(&mut self, count: usize, max: bool) -> Vec<ZEntry> {
        let n = count.min(self.len());
        let mut out = Vec::with_capacity(n);
        if n == 0 {
            return out;
        }
        let (start, end) = if max { (self.len() - n, self.len()) } else { (0, n) };
        if n <= 8 {
            // A few pops: one removal each, without rebuilding the chunk index.
            for _ in 0..n {
                let at = if max { self.tree.len() - 1 } else { 0 };
                let e = self.tree.remove_at(at);
                if let Some(d) = &mut self.dict {
                    d.remove(e.member.as_bytes(), e.score);
                }
                out.push(e);
            }
            return out;
        }
        let dict = &mut self.dict;
        self.tree.drain_range(start, end, |e| {
            if let Some(d) = dict.as_mut() {
                d.remove(e.member.as_bytes(), e.score);
            }
            out.push(e);
        });
        if max {
            out.reverse();
        }
        out
    }

    /// One step of ZSCAN. The compact encoding returns everything at once
    /// with cursor 0. The big one walks the score order: the cursor is the
    /// order-preserving bit pattern of the last score returned, and a batch
    /// always ends at a score boundary, so members present for the whole scan
    /// with unchanged scores are all returned.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&ZEntry)) -> u64 {
        if self.dict.is_none() {
            self.tree.iter().for_each(f);
            return 0;
        }
        let start = if cursor == 0 { 0 } else { self.tree.partition_point(|e| score_key(e.score) <= cursor) };
        let mut i = start;
        let len = self.len();
        while i < len {
            let e = self.tree.get(i);
            if i - start >= count.max(1) && score_key(e.score) != score_key(self.tree.get(i - 1).score) {
                return score_key(self.tree.get(i - 1).score);
            }
            f(e);
            i += 1;
        }
        0
    }
}

/// Maps a score to a u64 in the same order, never 0 (0 ends a scan).
fn score_key(s: f64) -> u64 {
    let s = if s == 0.0 { 0.0 } else { s }; // -0 and 0 are one score
    let b = s.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// A value that can feed ZUNION/ZINTER/ZDIFF: a sorted set, or a set whose
/// members all count as score 1.
pub enum SetInput<'a> {
    /// A sorted set.
    Z(&'a ZSet),
    /// A plain set's members (hashed: ZINTER probes them).
    Plain(std::collections::HashSet<Vec<u8>, foldhash::fast::RandomState>),
    /// A missing key: empty.
    Empty,
}

impl SetInput<'_> {
    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            SetInput::Z(z) => z.len(),
            SetInput::Plain(v) => v.len(),
            SetInput::Empty => 0,
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score of `m`, if a member.
    pub fn score(&self, m: &[u8]) -> Option<f64> {
        match self {
            SetInput::Z(z) => z.score(m),
            SetInput::Plain(v) => v.contains(m).then_some(1.0),
            SetInput::Empty => None,
        }
    }

    /// Calls `f` for every (member, score).
    pub fn for_each(&self, mut f: impl FnMut(&[u8], f64)) {
        match self {
            SetInput::Z(z) => z.tree.iter().for_each(|e| f(&e.member, e.score)),
            SetInput::Plain(v) => v.iter().for_each(|m| f(m, 1.0)),
            SetInput::Empty => {}
        }
    }
}

/// ZUNION/ZINTER's AGGREGATE.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(a: f64, b: f64, how: Aggregate) -> f64 {
    match how {
        Aggregate::Sum => {
            let s = a + b;
            // inf + -inf: Redis takes 0 rather than storing NaN.
            if s.is_nan() {
                0.0
            } else {
                s
            }
        }
        Aggregate::Min => a.min(b),
        Aggregate::Max => a.max(b),
    }
}

fn weighted(score: f64, w: f64) -> f64 {
    let v = score * w;
    // 0 * inf: Redis stores 0, never NaN.
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

/// The set operations behind ZUNION/ZINTER/ZDIFF and their STORE forms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SetOp {
    Union,
    Inter,
    Diff,
}

/// Computes a set operation over `inputs` into a new sorted set (listpack
/// or skiplist by size, per `lim`).
pub fn combine(inputs: &[SetInput], weights: &[f64], how: Aggregate, op: SetOp, lim: &EncodingLimits) -> ZSet {
    let mut acc: HashMap<SmallBytes, f64, foldhash::fast::RandomState> = HashMap::default();
    match op {
        SetOp::Union => {
            for (i, inp) in inputs.iter().enumerate() {
                inp.for_each(|m, s| {
                    let v = weighted(s, weights[i]);
                    match acc.get_mut(m) {
                        Some(cur) => *cur = aggregate(*cur, v, how),
                        None => {
                            acc.insert(SmallBytes::new(m), v);
                        }
                    }
                });
            }
        }
        SetOp::Inter => {
            // Walk the smallest input and probe the others, as Redis does.
            if inputs.iter().any(|i| i.is_empty()) {
                return ZSet::new();
            }
            let mut idx: Vec<usize> = (0..inputs.len()).collect();
            idx.sort_by_key(|&i| inputs[i].len());
            let first = idx[0];
            inputs[first].for_each(|m, s| {
                let mut v = weighted(s, weights[first]);
                for &j in &idx[1..] {
                    match inputs[j].score(m) {
                        Some(o) => v = aggregate(v, weighted(o, weights[j]), how),
                        None => return,
                    }
                }
                acc.insert(SmallBytes::new(m), v);
            });
        }
        SetOp::Diff => {
            if inputs.is_empty() || inputs[0].is_empty() {
                return ZSet::new();
            }
            inputs[0].for_each(|m, s| {
                if inputs[1..].iter().all(|o| o.score(m).is_none()) {
                    acc.insert(SmallBytes::new(m), s);
                }
            });
        }
    }
    ZSet::from_entries(acc.into_iter().map(|(member, score)| ZEntry { score, member }).collect(), lim)
}

impl Keyspace {
    /// The sorted set under `key` for a read command (counts hits/misses).
    pub fn zset_read(&mut self, db: usize, key: &[u8], touch: bool) -> KsResult<Option<&ZSet>> {
        match self.lookup_ro(db, key, touch) {
            None => Ok(None),
            Some(e) => match &e.value {
                Value::ZSet(z) => Ok(Some(z)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// The sorted set under `key` for a write command (no hit/miss stats).
    pub fn zset_write(&mut self, db: usize, key: &[u8]) -> KsResult<Option<&mut ZSet>> {
        match self.lookup(db, key, true) {
            None => Ok(None),
            Some(e) => match &mut e.value {
                Value::ZSet(z) => Ok(Some(z)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// Checks that `key` is absent or a sorted set, without side effects on stats.
    pub fn zset_check(&mut self, db: usize, key: &[u8]) -> KsResult<bool> {
        match self.lookup(db, key, false) {
            None => Ok(false),
            Some(e) => match &e.value {
                Value::ZSet(_) => Ok(true),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// The sorted set under `key`, created empty when absent. The caller
    /// must add members or call [`remove_if_empty`](Keyspace::remove_if_empty).
    pub fn zset_create(&mut self, db: usize, key: &[u8]) -> KsResult<&mut ZSet> {
        let (e, _) = self.entry_or_insert(db, key, || Value::ZSet(Box::default()));
        match &mut e.value {
            Value::ZSet(z) => Ok(z),
            _ => Err(KsError::WrongType),
        }
    }

    /// ZADD/ZINCRBY: applies `elems` (score, member) under `f`. Returns the
    /// outcome of each element, or None (nothing created) when the key is
    /// missing and XX makes every element a no-op.
    pub fn zadd(&mut self, db: usize, key: &[u8], elems: &[(f64, &[u8])], f: AddFlags) -> KsResult<Vec<AddOutcome>> {
        let lim = self.enc;
        if f.xx && !self.zset_check(db, key)? {
            return Ok(vec![AddOutcome::Skipped; elems.len()]);
        }
        let z = self.zset_create(db, key)?;
        if z.is_empty() && lim.zset_max_listpack_entries == 0 {
            z.convert_to_skiplist();
        }
        let out: Vec<AddOutcome> = elems.iter().map(|&(s, m)| z.add(s, m, f, &lim)).collect();
        // Only a failed INCR on a new key can leave it empty.
        if z.is_empty() {
            self.remove(db, key);
        }
        Ok(out)
    }

    /// Stores a freshly built sorted set under `key` (replacing any value,
    /// TTL cleared), or deletes `key` when `z` is empty. Returns the size.
    /// Build `z` with [`ZSet::from_entries`] (or call [`ZSet::fit`]) first.
    pub fn zset_store(&mut self, db: usize, key: &[u8], z: ZSet) -> usize {
        let n = z.len();
        if n == 0 {
            self.remove(db, key);
        } else {
            self.set_value(db, key, Value::ZSet(Box::new(z)), false, 0);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim() -> EncodingLimits {
        EncodingLimits::default()
    }

    fn members(z: &ZSet) -> Vec<(f64, String)> {
        z.tree().iter().map(|e| (e.score, String::from_utf8_lossy(&e.member).into_owned())).collect()
    }

    #[test]
    fn tree_keeps_order_and_ranks_over_many_chunks() {
        let mut z = ZSet::new();
        let l = lim();
        let mut x: u64 = 12345;
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = format!("m{}", x % 3000).into_bytes();
            let s = (x % 97) as f64;
            z.add(s, &m, AddFlags::default(), &l);
            model.retain(|(_, mm)| *mm != m);
            model.push((s, m));
            if x % 5 == 0 {
                let victim = format!("m{}", (x >> 8) % 3000).into_bytes();
                let had = model.iter().any(|(_, mm)| *mm == victim);
                assert_eq!(z.remove(&victim), had);
                model.retain(|(_, mm)| *mm != victim);
            }
        }
        model.sort_by(|a, b| cmp_key(a.0, &a.1, b.0, &b.1));
        assert_eq!(z.len(), model.len());
        assert_eq!(z.encoding(), "skiplist");
        for (i, (s, m)) in model.iter().enumerate() {
            assert_eq!(z.rank(m), Some((i, *s)));
            assert_eq!(z.tree().get(i).member.as_bytes(), m.as_slice());
        }
        let all: Vec<_> = z.tree().iter_range(10, 200).map(|e| e.member.to_vec()).collect();
        let want: Vec<_> = model[10..200].iter().map(|e| e.1.clone()).collect();
        assert_eq!(all, want);
        let rev: Vec<_> = z.tree().iter_range_rev(10, 200).map(|e| e.member.to_vec()).collect();
        assert_eq!(rev, want.into_iter().rev().collect::<Vec<_>>());
        let r = ScoreRange { min: 10.0, max: 20.0, minex: true, maxex: false };
        let (a, b) = z.score_span(&r);
        assert_eq!(b - a, model.iter().filter(|(s, _)| *s > 10.0 && *s <= 20.0).count());
        let n = z.remove_span(5, 700);
        assert_eq!(n, 695);
        model.drain(5..700);
        assert_eq!(members(&z).len(), model.len());
        for (i, (_, m)) in model.iter().enumerate() {
            assert_eq!(z.rank(m).map(|r| r.0), Some(i));
        }
        let popped = z.pop(3, true);
        assert_eq!(popped[0].member.as_bytes(), model.last().unwrap().1.as_slice());
    }

    #[test]
    fn random_ops_match_a_sorted_vec_model() {
        let l = lim();
        let mut z = ZSet::new();
        z.convert_to_skiplist();
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        let mut x: u64 = 987654321;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n.max(1)
        };
        for step in 0..20000 {
            match rnd(10) {
                0..=5 => {
                    let m = format!("k{}", rnd(4000)).into_bytes();
                    let s = rnd(50) as f64;
                    z.add(s, &m, AddFlags::default(), &l);
                    model.retain(|e| e.1 != m);
                    let at = model.partition_point(|e| cmp_key(e.0, &e.1, s, &m) == Ordering::Less);
                    model.insert(at, (s, m));
                }
                6 => {
                    let m = format!("k{}", rnd(4000)).into_bytes();
                    let had = model.iter().any(|e| e.1 == m);
                    assert_eq!(z.remove(&m), had);
                    model.retain(|e| e.1 != m);
                }
                7 if !model.is_empty() => {
                    let a = rnd(model.len() as u64) as usize;
                    let b = (a + rnd(300) as usize).min(model.len());
                    assert_eq!(z.remove_span(a, b), b - a);
                    model.drain(a..b);
                }
                8 => {
                    let n = rnd(20) as usize;
                    let max = rnd(2) == 1;
                    let got: Vec<Vec<u8>> = z.pop(n, max).into_iter().map(|e| e.member.to_vec()).collect();
                    let k = n.min(model.len());
                    let want: Vec<Vec<u8>> = if max {
                        model.drain(model.len() - k..).rev().map(|e| e.1).collect()
                    } else {
                        model.drain(..k).map(|e| e.1).collect()
                    };
                    assert_eq!(got, want);
                }
                _ => {}
            }
            assert_eq!(z.len(), model.len());
            if step % 997 == 0 {
                let all: Vec<Vec<u8>> = z.tree().iter().map(|e| e.member.to_vec()).collect();
                assert_eq!(all, model.iter().map(|e| e.1.clone()).collect::<Vec<_>>());
                for (i, e) in model.iter().enumerate().step_by(7) {
                    assert_eq!(z.rank(&e.1), Some((i, e.0)));
                }
            }
        }
    }

    #[test]
    fn sequential_loads_fill_chunks() {
        let l = lim();
        let mut z = ZSet::new();
        for i in 0..2000 {
            z.add(i as f64, format!("a{i}").as_bytes(), AddFlags::default(), &l);
            z.add(-(i as f64) - 1.0, format!("d{i}").as_bytes(), AddFlags::default(), &l);
        }
        assert!(z.tree().chunks.len() <= 4000 / (CHUNK - 1) + 2, "{} chunks", z.tree().chunks.len());
        assert_eq!(z.rank(b"d1999"), Some((0, -2000.0)));
        assert_eq!(z.rank(b"a0"), Some((2000, 0.0)));
        assert_eq!(z.rank(b"a1999"), Some((3999, 1999.0)));
        let ranks: Vec<usize> = z.tree().iter().map(|e| z.rank(&e.member).unwrap().0).collect();
        assert_eq!(ranks, (0..4000).collect::<Vec<_>>());
    }

    #[test]
    fn built_sets_take_inserts_and_ranks() {
        let l = lim();
        let entries: Vec<ZEntry> = (0..1000)
            .map(|i| ZEntry { score: (i % 10) as f64, member: SmallBytes::new(format!("e{i}").as_bytes()) })
            .collect();
        let mut z = ZSet::from_entries(entries, &l);
        assert_eq!(z.encoding(), "skiplist");
        z.add(-1.0, b"first", AddFlags::default(), &l);
        z.add(100.0, b"e5", AddFlags::default(), &l);
        assert_eq!(z.rank(b"first"), Some((0, -1.0)));
        assert_eq!(z.rank(b"e5"), Some((1000, 100.0)));
        assert_eq!(z.rank(b"e0").map(|r| r.0), Some(1));
        let small = ZSet::from_entries(vec![ZEntry { score: 1.0, member: SmallBytes::new(b"a") }], &l);
        assert_eq!(small.encoding(), "listpack");
    }

    #[test]
    fn listpack_converts_one_way() {
        let mut l = lim();
        l.zset_max_listpack_entries = 2;
        let mut z = ZSet::new();
        z.add(1.0, b"a", AddFlags::default(), &l);
        z.add(2.0, b"b", AddFlags::default(), &l);
        assert_eq!(z.encoding(), "listpack");
        z.add(3.0, b"c", AddFlags::default(), &l);
        assert_eq!(z.encoding(), "skiplist");
        z.remove(b"c");
        z.remove(b"b");
        assert_eq!(z.encoding(), "skiplist");
        assert_eq!(members(&z), vec![(1.0, "a".to_string())]);
    }

    #[test]
    fn add_flags() {
        let l = lim();
        let mut z = ZSet::new();
        let f = |nx, xx, gt, lt, incr| AddFlags { nx, xx, gt, lt, incr };
        assert_eq!(z.add(1.0, b"a", f(false, true, false, false, false), &l), AddOutcome::Skipped);
        assert_eq!(z.add(1.0, b"a", AddFlags::default(), &l), AddOutcome::Added(1.0));
        assert_eq!(z.add(5.0, b"a", f(true, false, false, false, false), &l), AddOutcome::Skipped);
        assert_eq!(z.add(0.0, b"a", f(false, false, true, false, false), &l), AddOutcome::Skipped);
        assert_eq!(z.add(2.0, b"a", f(false, false, true, false, true), &l), AddOutcome::Updated(3.0));
        assert_eq!(z.add(3.0, b"a", AddFlags::default(), &l), AddOutcome::Unchanged(3.0));
        z.add(f64::INFINITY, b"a", AddFlags::default(), &l);
        assert_eq!(z.add(f64::NEG_INFINITY, b"a", f(false, false, false, false, true), &l), AddOutcome::Nan);
    }

    #[test]
    fn scores_parse_like_strtod() {
        assert_eq!(parse_score(b"1.5"), Some(1.5));
        assert_eq!(parse_score(b"0x10"), Some(16.0));
        assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_score(b"Infinity"), Some(f64::INFINITY));
        for bad in [&b""[..], b" 1", b"1 ", b"nan", b"1e400", b"abc", b"1e", b"1e-400"] {
            assert_eq!(parse_score(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse_range_score(b""), Some(0.0));
        assert_eq!(parse_range_score(b" 2"), Some(2.0));
        assert_eq!(parse_range_score(b"1e400"), Some(f64::INFINITY));
        assert_eq!(parse_range_score(b"nan"), None);
    }

    #[test]
    fn scan_visits_everything_in_batches() {
        let mut l = lim();
        l.zset_max_listpack_entries = 0;
        let mut z = ZSet::new();
        z.convert_to_skiplist();
        for i in 0..1000 {
            z.add((i / 3) as f64 - 100.0, format!("m{i}").as_bytes(), AddFlags::default(), &l);
        }
        let mut seen = 0;
        let mut c = 0;
        loop {
            c = z.scan(c, 10, |_| seen += 1);
            if c == 0 {
                break;
            }
        }
        assert_eq!(seen, 1000);
    }
}
