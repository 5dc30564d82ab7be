//! Streams: entries with increasing 128-bit IDs, consumer groups and their
//! pending-entry lists.
//!
//! Entries live in packed nodes (like Redis's listpacks in a radix tree):
//! a `BTreeMap` from each node's first ("master") ID to a byte buffer of up
//! to `stream-node-max-entries` entries. Each entry is a flags byte, the
//! varint delta of its milliseconds from the master's, its varint sequence,
//! and its fields and values as varint-length strings; an entry whose field
//! names equal the master entry's stores only values. Deleted entries are
//! flagged in place and a node goes away with its last live entry. This
//! keeps a small entry at a few bytes plus its data.

use crate::db::Keyspace;
use crate::error::KsError;
use crate::value::Value;
use crate::KsResult;
use std::collections::{BTreeMap, BTreeSet};

/// A stream entry ID: milliseconds and sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID, or None past the last possible one.
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            (self.ms != u64::MAX).then(|| StreamId::new(self.ms + 1, 0))
        } else {
            Some(StreamId::new(self.ms, self.seq + 1))
        }
    }

    /// The previous ID, or None before 0-0.
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            (self.ms != 0).then(|| StreamId::new(self.ms - 1, u64::MAX))
        } else {
            Some(StreamId::new(self.ms, self.seq - 1))
        }
    }

    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

const DELETED: u8 = 1;
const SAME_FIELDS: u8 = 2;

fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn get_varint(buf: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = buf[*pos];
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

fn get_str<'a>(buf: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let n = get_varint(buf, pos) as usize;
    let s = &buf[*pos..*pos + n];
    *pos += n;
    s
}

/// One entry read from a node.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub id: StreamId,
    /// Field, value pairs in insertion order.
    pub pairs: Vec<(&'a [u8], &'a [u8])>,
}

/// One entry of a node as stored, deleted or not (RDB export and import).
#[derive(Debug, Clone)]
pub struct RawEntry<'a> {
    pub deleted: bool,
    pub id: StreamId,
    pub pairs: Vec<(&'a [u8], &'a [u8])>,
}

#[derive(Debug, Clone)]
struct Node {
    master: StreamId,
    fields: Vec<Box<[u8]>>,
    buf: Vec<u8>,
    total: u32,
    live: u32,
}

impl Node {
    /// Decodes the entry at `pos`: (flags, id, pairs, next position).
    fn decode(&self, mut pos: usize) -> (u8, StreamId, Vec<(&[u8], &[u8])>, usize) {
        let buf = &self.buf;
        let flags = buf[pos];
        pos += 1;
        let ms = self.master.ms + get_varint(buf, &mut pos);
        let seq = get_varint(buf, &mut pos);
        let mut pairs = Vec::new();
        if flags & SAME_FIELDS != 0 {
            for f in &self.fields {
                pairs.push((&f[..], get_str(buf, &mut pos)));
            }
        } else {
            let n = get_varint(buf, &mut pos) as usize;
            let fields: Vec<&[u8]> = (0..n).map(|_| get_str(buf, &mut pos)).collect();
            for f in fields {
                pairs.push((f, get_str(buf, &mut pos)));
            }
        }
        (flags, StreamId::new(ms, seq), pairs, pos)
    }

    /// Start offsets of every entry, deleted ones included.
    fn offsets(&self) -> Vec<usize> {
        let mut v = Vec::with_capacity(self.total as usize);
        let mut pos = 0;
        while pos < self.buf.len() {
            v.push(pos);
            pos = self.decode(pos).3;
        }
        v
    }

    fn append(&mut self, id: StreamId, pairs: &[(&[u8], &[u8])]) {
        self.append_flagged(id, pairs, false);
    }

    fn append_flagged(&mut self, id: StreamId, pairs: &[(&[u8], &[u8])], deleted: bool) {
        let same = pairs.len() == self.fields.len() && pairs.iter().zip(&self.fields).all(|((f, _), m)| *f == &m[..]);
        self.buf.push(if same { SAME_FIELDS } else { 0 } | if deleted { DELETED } else { 0 });
        put_varint(&mut self.buf, id.ms - self.master.ms);
        put_varint(&mut self.buf, id.seq);
        if !same {
            put_varint(&mut self.buf, pairs.len() as u64);
            for (f, _) in pairs {
                put_varint(&mut self.buf, f.len() as u64);
                self.buf.extend_from_slice(f);
            }
        }
        for (_, v) in pairs {
            put_varint(&mut self.buf, v.len() as u64);
            self.buf.extend_from_slice(v);
        }
        self.total += 1;
        if !deleted {
            self.live += 1;
        }
    }

    fn heap_size(&self) -> usize {
        self.buf.capacity() + self.fields.iter().map(|f| f.len() + 16).sum::<usize>()
    }
}

/// A pending entry: delivered to a consumer, not yet acknowledged.
#[derive(Debug, Clone)]
pub struct Nack {
    pub consumer: Box<[u8]>,
    pub delivery_time: u64,
    pub delivery_count: u64,
}

/// A consumer of a group.
#[derive(Debug, Clone, Default)]
pub struct Consumer {
    pub seen_time: u64,
    pub pel: BTreeSet<StreamId>,
}

/// A consumer group.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub last_id: StreamId,
    /// Logical number of entries read, or -1 when unknown.
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Nack>,
    pub consumers: BTreeMap<Box<[u8]>, Consumer>,
}

impl Group {
    /// Creates consumer `name` if missing; true when created.
    pub fn create_consumer(&mut self, name: &[u8], now: u64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(name.into(), Consumer { seen_time: now, pel: BTreeSet::new() });
        true
    }

    /// Moves (or creates) the pending entry `id` to consumer `name`.
    pub fn assign(&mut self, id: StreamId, name: &[u8], nack: Nack) {
        if let Some(old) = self.pel.get(&id) {
            if let Some(c) = self.consumers.get_mut(&old.consumer) {
                c.pel.remove(&id);
            }
        }
        self.consumers.entry(name.into()).or_default().pel.insert(id);
        self.pel.insert(id, nack);
    }

    /// Removes pending entry `id` from the group and its consumer.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(n) => {
                if let Some(c) = self.consumers.get_mut(&n.consumer) {
                    c.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }

    /// Deletes a consumer and its pending entries; returns how many it had.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let c = self.consumers.remove(name)?;
        for id in &c.pel {
            self.pel.remove(id);
        }
        Some(c.pel.len())
    }
}

/// How to trim.
#[derive(Debug, Clone, Copy)]
pub enum Trim {
    MaxLen(u64),
    MinId(StreamId),
}

/// Why an append failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendError {
    /// The ID is not greater than the stream's last ID.
    TooSmall,
}

/// The ID XADD was given.
#[derive(Debug, Clone, Copy)]
pub enum IdSpec {
    /// `*`: time-based.
    Auto,
    /// `ms-*`: given milliseconds, automatic sequence.
    Ms(u64),
    /// A full ID.
    Exact(StreamId),
}

/// A stream value.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    nodes: BTreeMap<StreamId, Node>,
    pub length: u64,
    pub last_id: StreamId,
    pub first_id: StreamId,
    pub max_deleted: StreamId,
    pub entries_added: u64,
    pub groups: BTreeMap<Box<[u8]>, Group>,
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Number of nodes (XINFO's radix-tree-keys).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Appends an entry. `node_max_entries` / `node_max_bytes` (0 = no
    /// limit) decide when a new node starts.
    pub fn append(
        &mut self,
        pairs: &[(&[u8], &[u8])],
        spec: IdSpec,
        now_ms: u64,
        node_max_entries: usize,
        node_max_bytes: usize,
    ) -> Result<StreamId, AppendError> {
        let id = match spec {
            IdSpec::Exact(id) => id,
            IdSpec::Ms(ms) if ms == self.last_id.ms => {
                if self.last_id.seq == u64::MAX {
                    return Err(AppendError::TooSmall);
                }
                StreamId::new(ms, self.last_id.seq + 1)
            }
            IdSpec::Ms(ms) => StreamId::new(ms, 0),
            IdSpec::Auto => {
                if now_ms > self.last_id.ms {
                    StreamId::new(now_ms, 0)
                } else {
                    self.last_id.incr().unwrap_or(StreamId::MIN)
                }
            }
        };
        if id <= self.last_id {
            return Err(AppendError::TooSmall);
        }
        let size: usize = pairs.iter().map(|(f, v)| f.len() + v.len()).sum();
        let fits = self.nodes.last_key_value().is_some_and(|(_, n)| {
            (node_max_bytes == 0 || n.buf.len() + size < node_max_bytes)
                && (node_max_entries == 0 || (n.total as usize) < node_max_entries)
        });
        if !fits {
            // The full node takes no more entries: give back its spare capacity.
            if let Some(mut last) = self.nodes.last_entry() {
                last.get_mut().buf.shrink_to_fit();
            }
            let fields = pairs.iter().map(|(f, _)| Box::<[u8]>::from(*f)).collect();
            self.nodes.insert(id, Node { master: id, fields, buf: Vec::new(), total: 0, live: 0 });
        }
        self.nodes.last_entry().expect("a node exists").get_mut().append(id, pairs);
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(id)
    }

    /// Calls `f` for live entries with IDs in `start..=end`, ascending (or
    /// descending with `rev`), until it returns false.
    pub fn range(&self, start: StreamId, end: StreamId, rev: bool, mut f: impl FnMut(Entry) -> bool) {
        if start > end {
            return;
        }
        if !rev {
            // The node holding `start` may begin before it.
            let first = self.nodes.range(..=start).next_back().map(|(k, _)| *k).unwrap_or(start);
            for (_, node) in self.nodes.range(first..=end) {
                let mut pos = 0;
                while pos < node.buf.len() {
                    let (flags, id, pairs, next) = node.decode(pos);
                    pos = next;
                    if id > end {
                        return;
                    }
                    if flags & DELETED == 0 && id >= start && !f(Entry { id, pairs }) {
                        return;
                    }
                }
            }
        } else {
            for (_, node) in self.nodes.range(..=end).rev() {
                for &pos in node.offsets().iter().rev() {
                    let (flags, id, pairs, _) = node.decode(pos);
                    if id < start {
                        return;
                    }
                    if flags & DELETED == 0 && id <= end && !f(Entry { id, pairs }) {
                        return;
                    }
                }
            }
        }
    }

    /// The live entry `id`, if any, as owned pairs.
    pub fn get(&self, id: StreamId) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = None;
        self.range(id, id, false, |e| {
            out = Some(e.pairs.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect());
            false
        });
        out
    }

    /// True when a live entry `id` exists.
    pub fn contains(&self, id: StreamId) -> bool {
        let mut found = false;
        self.range(id, id, false, |_| {
            found = true;
            false
        });
        found
    }

    /// First (or last) live entry ID.
    pub fn edge_id(&self, last: bool) -> Option<StreamId> {
        let mut out = None;
        if last {
            self.range(StreamId::MIN, StreamId::MAX, true, |e| {
                out = Some(e.id);
                false
            });
        } else {
            self.range(StreamId::MIN, StreamId::MAX, false, |e| {
                out = Some(e.id);
                false
            });
        }
        out
    }

    /// Deletes entry `id`; true when it was live.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some((&key, _)) = self.nodes.range(..=id).next_back() else { return false };
        let node = self.nodes.get_mut(&key).expect("just found");
        let mut pos = 0;
        while pos < node.buf.len() {
            let (flags, eid, _, next) = node.decode(pos);
            if eid == id {
                if flags & DELETED != 0 {
                    return false;
                }
                node.buf[pos] |= DELETED;
                node.live -= 1;
                if node.live == 0 {
                    self.nodes.remove(&key);
                }
                self.length -= 1;
                return true;
            }
            if eid > id {
                return false;
            }
            pos = next;
        }
        false
    }

    /// Trims as XTRIM / XADD's MAXLEN and MINID do: whole nodes first;
    /// inside a node entries are flagged deleted, unless `approx`, which
    /// stops at the first node it cannot drop whole. `limit` (0 = none)
    /// bounds the entries removed. Returns how many were removed.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted = 0u64;
        let keys: Vec<StreamId> = self.nodes.keys().copied().collect();
        for key in keys {
            if let Trim::MaxLen(max) = how {
                if self.length <= max {
                    break;
                }
            }
            let node = self.nodes.get(&key).expect("listed");
            let entries = node.live as u64;
            if limit > 0 && deleted + entries > limit {
                break;
            }
            let remove_node = match how {
                Trim::MaxLen(max) => self.length - entries >= max,
                Trim::MinId(min) => {
                    let last = node.decode(*node.offsets().last().expect("non-empty")).1;
                    last < min
                }
            };
            if remove_node {
                self.nodes.remove(&key);
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            let node = self.nodes.get_mut(&key).expect("listed");
            let mut pos = 0;
            while pos < node.buf.len() {
                let (flags, id, _, next) = node.decode(pos);
                let stop = match how {
                    Trim::MaxLen(max) => self.length <= max,
                    Trim::MinId(min) => id >= min,
                };
                if stop {
                    break;
                }
                if flags & DELETED == 0 {
                    node.buf[pos] |= DELETED;
                    node.live -= 1;
                    self.length -= 1;
                    deleted += 1;
                }
                pos = next;
            }
            if node.live == 0 {
                self.nodes.remove(&key);
            }
            break;
        }
        if self.length > 0 {
            self.first_id = self.edge_id(false).unwrap_or_default();
        } else {
            self.first_id = StreamId::MIN;
        }
        deleted
    }

    /// True when a deleted entry may lie in `start..=end` (Redis's
    /// streamRangeHasTombstones, from the largest deleted ID).
    pub fn has_tombstones(&self, start: StreamId, end: StreamId) -> bool {
        if self.length == 0 || self.max_deleted.is_zero() || self.first_id > self.max_deleted {
            return false;
        }
        start <= self.max_deleted && self.max_deleted <= end
    }

    /// The logical position of `id` counted from the first entry ever
    /// added, or -1 when it cannot be known (streamEstimateDistanceFromFirstEverEntry).
    pub fn estimate_distance(&self, id: StreamId) -> i64 {
        if self.entries_added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return self.entries_added as i64;
        }
        if id == self.last_id {
            return self.entries_added as i64;
        }
        if id > self.last_id {
            return -1;
        }
        if self.max_deleted.is_zero() || self.max_deleted < self.first_id {
            if id < self.first_id {
                return (self.entries_added - self.length) as i64;
            }
            if id == self.first_id {
                return (self.entries_added - self.length + 1) as i64;
            }
        }
        -1
    }

    /// Calls `f` for each node in ID order with its master ID, master
    /// fields and every entry, deleted ones included (for RDB files, which
    /// keep Redis's node layout).
    pub fn for_each_node(&self, mut f: impl FnMut(StreamId, &[Box<[u8]>], Vec<RawEntry<'_>>)) {
        for (master, node) in &self.nodes {
            let mut entries = Vec::with_capacity(node.total as usize);
            let mut pos = 0;
            while pos < node.buf.len() {
                let (flags, id, pairs, next) = node.decode(pos);
                entries.push(RawEntry { deleted: flags & DELETED != 0, id, pairs });
                pos = next;
            }
            f(*master, &node.fields, entries);
        }
    }

    /// Adds a whole node as read from a file: its master ID and fields and
    /// its entries in order. Only the node list changes: the caller sets
    /// `length`, `last_id` and the other counters from the file.
    pub fn push_node(&mut self, master: StreamId, fields: Vec<Box<[u8]>>, entries: &[RawEntry<'_>]) {
        let mut node = Node { master, fields, buf: Vec::new(), total: 0, live: 0 };
        for e in entries {
            node.append_flagged(e.id, &e.pairs, e.deleted);
        }
        node.buf.shrink_to_fit();
        if node.live > 0 {
            self.nodes.insert(master, node);
        }
    }

    /// Heap bytes (MEMORY USAGE and INFO estimates).
    pub fn heap_size(&self) -> usize {
        let nodes: usize = self.nodes.values().map(|n| n.heap_size() + 96).sum();
        let groups: usize = self
            .groups
            .iter()
            .map(|(k, g)| {
                k.len()
                    + 96
                    + g.pel.len() * 64
                    + g.consumers.iter().map(|(n, c)| n.len() + 64 + c.pel.len() * 40).sum::<usize>()
            })
            .sum();
        nodes + groups
    }
}

impl Keyspace {
    /// The stream under `key` for a read command (counts hits/misses).
    pub fn stream_read(&mut self, db: usize, key: &[u8], touch: bool) -> KsResult<Option<&mut Stream>> {
        match self.lookup_read(db, key, touch) {
            None => Ok(None),
            Some(e) => match &mut e.value {
                Value::Stream(s) => Ok(Some(s)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// The stream under `key` for a write command (no hit/miss stats).
    pub fn stream_write(&mut self, db: usize, key: &[u8]) -> KsResult<Option<&mut Stream>> {
        match self.lookup(db, key, true) {
            None => Ok(None),
            Some(e) => match &mut e.value {
                Value::Stream(s) => Ok(Some(s)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// The stream under `key`, created empty when absent.
    pub fn stream_create(&mut self, db: usize, key: &[u8]) -> KsResult<&mut Stream> {
        let (e, _) = self.entry_or_insert(db, key, || Value::Stream(Box::default()));
        match &mut e.value {
            Value::Stream(s) => Ok(s),
            _ => Err(KsError::WrongType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(s: &mut Stream, ms: u64, f: &[u8], v: &[u8]) -> StreamId {
        s.append(&[(f, v)], IdSpec::Ms(ms), 0, 100, 4096).unwrap()
    }

    #[test]
    fn append_range_delete_trim() {
        let mut s = Stream::new();
        for i in 1..=250 {
            add(&mut s, i, b"f", format!("v{i}").as_bytes());
        }
        assert_eq!(s.length, 250);
        assert_eq!(s.node_count(), 3);
        let mut seen = vec![];
        s.range(StreamId::new(99, 0), StreamId::new(102, 0), false, |e| {
            seen.push(e.id.ms);
            true
        });
        assert_eq!(seen, vec![99, 100, 101, 102]);
        let mut rev = vec![];
        s.range(StreamId::MIN, StreamId::MAX, true, |e| {
            rev.push(e.id.ms);
            rev.len() < 3
        });
        assert_eq!(rev, vec![250, 249, 248]);
        assert!(s.delete(StreamId::new(5, 0)));
        assert!(!s.delete(StreamId::new(5, 0)));
        assert!(!s.contains(StreamId::new(5, 0)));
        assert_eq!(s.get(StreamId::new(6, 0)).unwrap(), vec![(b"f".to_vec(), b"v6".to_vec())]);
        assert_eq!(s.trim(Trim::MaxLen(120), true, 0), 99);
        assert_eq!(s.length, 150);
        assert_eq!(s.trim(Trim::MaxLen(120), false, 0), 30);
        assert_eq!(s.first_id, StreamId::new(131, 0));
        assert_eq!(s.trim(Trim::MinId(StreamId::new(200, 0)), false, 0), 69);
        assert_eq!(s.edge_id(false), Some(StreamId::new(200, 0)));
    }

    #[test]
    fn ids_must_grow() {
        let mut s = Stream::new();
        s.append(&[(b"a", b"1")], IdSpec::Exact(StreamId::new(5, 5)), 0, 100, 4096).unwrap();
        assert_eq!(
            s.append(&[(b"a", b"1")], IdSpec::Exact(StreamId::new(5, 5)), 0, 100, 4096),
            Err(AppendError::TooSmall)
        );
        assert_eq!(s.append(&[(b"a", b"1")], IdSpec::Ms(5), 0, 100, 4096), Ok(StreamId::new(5, 6)));
        assert_eq!(s.append(&[(b"a", b"1")], IdSpec::Auto, 3, 100, 4096), Ok(StreamId::new(5, 7)));
        assert_eq!(s.append(&[(b"b", b"2"), (b"c", b"3")], IdSpec::Auto, 9, 100, 4096), Ok(StreamId::new(9, 0)));
        assert_eq!(s.get(StreamId::new(9, 0)).unwrap().len(), 2);
    }
}
