//! Lists (Redis type `list`): a quicklist-like deque of packed nodes, and the
//! typed keyspace lookups the list commands use. Not a reply formatter: the
//! server's `cmd/list.rs` walks the elements and writes them out.
//!
//! # Layout
//!
//! A [`List`] is a `VecDeque` of [`Node`]s; each node is one byte buffer
//! holding up to a few KiB of entries, like a Redis listpack. An entry is
//!
//! ```text
//! [len as LEB128] [bytes] [len as LEB128, bytes reversed]
//! ```
//!
//! so a node can be walked forwards (read the header) and backwards (read the
//! trailer from the end). Small elements cost their length plus two bytes,
//! with no per-element allocation; 1M three-byte elements take ~5 MB, about
//! what Redis's quicklist takes.
//!
//! A node whose entries all have one length (ids, timestamps, UUIDs, hashes:
//! common in queues) stores them back to back with no headers at all, the
//! length kept once in the node (`width`); the first entry of another length
//! re-encodes that node in the general form. Such a node also finds entry
//! `i` by multiplication. Pushing or popping at either end touches
//! only the end node (a memmove inside one node at the front, as listpack
//! does); finding an index skips whole nodes by their counts.
//!
//! Node size follows `list-max-listpack-size` ("fill"): negative values are
//! byte classes (-1 = 4 KiB ... -5 = 64 KiB), positive values an entry count
//! (with an 8 KiB byte cap, as Redis's safety limit). A single element larger
//! than the limit gets a node of its own.

use crate::db::Keyspace;
use crate::error::KsError;
use crate::value::Value;
use crate::KsResult;
use std::collections::VecDeque;

/// Byte cap of a node when `fill` counts entries (Redis's SIZE_SAFETY_LIMIT).
const SAFETY_BYTES: usize = 8192;

/// Length of the LEB128 encoding of `n`.
#[inline]
fn varint_len(mut n: usize) -> usize {
    let mut l = 1;
    while n >= 0x80 {
        n >>= 7;
        l += 1;
    }
    l
}

/// Appends the LEB128 encoding of `n` (reversed when `rev`).
#[inline]
fn put_varint(out: &mut Vec<u8>, n: usize, rev: bool) {
    let start = out.len();
    let mut n = n;
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    if rev {
        out[start..].reverse();
    }
}

/// Bytes an entry of `len` data bytes takes in a node.
#[inline]
fn entry_size(len: usize) -> usize {
    2 * varint_len(len) + len
}

/// Appends the encoded entry for `e`.
#[inline]
fn encode_entry(out: &mut Vec<u8>, e: &[u8]) {
    put_varint(out, e.len(), false);
    out.extend_from_slice(e);
    put_varint(out, e.len(), true);
}

/// Encodes `e` into `dst`, which is exactly `entry_size(e.len())` bytes.
#[inline]
fn write_entry(dst: &mut [u8], e: &[u8]) {
    let h = varint_len(e.len());
    let mut n = e.len();
    for i in 0..h {
        let b = (n & 0x7f) as u8 | if i + 1 < h { 0x80 } else { 0 };
        dst[i] = b;
        // The trailer holds the same bytes in reverse order.
        dst[2 * h + e.len() - 1 - i] = b;
        n >>= 7;
    }
    dst[h..h + e.len()].copy_from_slice(e);
}

/// Decodes the entry starting at `pos`: (data start, data len, next entry position).
#[inline]
fn read_fwd(buf: &[u8], pos: usize) -> (usize, usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    let mut p = pos;
    loop {
        let b = buf[p];
        p += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (p, n, p + n + (p - pos))
}

/// Decodes the entry ending at `end`: (entry start, data start, data len).
#[inline]
fn read_back(buf: &[u8], end: usize) -> (usize, usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    let mut p = end;
    loop {
        p -= 1;
        let b = buf[p];
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let h = end - p;
    let data = p - n;
    (data - h, data, n)
}

/// One packed run of entries.
#[derive(Clone, Debug, Default)]
struct Node {
    buf: Vec<u8>,
    count: u32,
    /// Length of every entry when the node holds them headerless, back to
    /// back; 0 for the varint form (empty elements always use that form).
    width: u32,
}

impl Node {
    /// Entries of the node in order, as slices of its buffer.
    fn iter(&self) -> NodeIter<'_> {
        self.iter_between(0, self.buf.len())
    }

    /// Entries whose encodings lie within byte offsets `front..back`.
    fn iter_between(&self, front: usize, back: usize) -> NodeIter<'_> {
        NodeIter { buf: &self.buf, front, back, width: self.width as usize }
    }

    /// Bytes the node grows by when an element of `len` bytes joins it
    /// (including re-encoding a fixed-width node in the varint form).
    #[inline]
    fn push_cost(&self, len: usize) -> usize {
        let w = self.width as usize;
        if (self.count == 0 && len > 0) || (w > 0 && w == len) {
            len
        } else if w == 0 {
            entry_size(len)
        } else {
            entry_size(len) + self.count as usize * (entry_size(w) - w)
        }
    }

    /// Makes room for an element of `len` bytes in the node's form: false
    /// when it must be written headerless. The first element of a node sets
    /// its width; one of a different length switches it to the varint form.
    #[inline]
    fn prepare(&mut self, len: usize) -> bool {
        if self.count == 0 {
            self.width = u32::try_from(len).unwrap_or(0);
        }
        let w = self.width as usize;
        if w > 0 && w == len {
            return false;
        }
        self.make_var();
        true
    }

    /// Re-encodes a fixed-width node in the varint form.
    fn make_var(&mut self) {
        let w = self.width as usize;
        if w == 0 {
            return;
        }
        let mut out = Vec::with_capacity(self.buf.len() + self.count as usize * (entry_size(w) - w));
        for e in self.buf.chunks_exact(w) {
            encode_entry(&mut out, e);
        }
        self.buf = out;
        self.width = 0;
    }

    /// Byte offset of entry `i` (i < count), walking from the nearer end.
    fn offset_of(&self, i: usize) -> usize {
        if self.width > 0 {
            return i * self.width as usize;
        }
        let c = self.count as usize;
        if i <= c / 2 {
            let mut p = 0;
            for _ in 0..i {
                p = read_fwd(&self.buf, p).2;
            }
            p
        } else {
            let mut end = self.buf.len();
            for _ in 0..(c - i) {
                end = read_back(&self.buf, end).0;
            }
            end
        }
    }

    /// Entry `i` as (start, data start, data len, end).
    fn entry_at(&self, i: usize) -> (usize, usize, usize, usize) {
        let s = self.offset_of(i);
        if self.width > 0 {
            let w = self.width as usize;
            return (s, s, w, s + w);
        }
        let (d, n, e) = read_fwd(&self.buf, s);
        (s, d, n, e)
    }

    /// Rebuilds the node from the entries `keep` selects; returns how many went.
    fn retain(&mut self, mut keep: impl FnMut(usize, &[u8]) -> bool) -> usize {
        let mut out = Vec::with_capacity(self.buf.len());
        let mut kept = 0u32;
        for (i, e) in self.iter().enumerate() {
            if keep(i, e) {
                if self.width > 0 {
                    out.extend_from_slice(e);
                } else {
                    encode_entry(&mut out, e);
                }
                kept += 1;
            }
        }
        let removed = (self.count - kept) as usize;
        out.shrink_to_fit();
        self.buf = out;
        self.count = kept;
        removed
    }
}

/// Iterator over the entries of one node (both directions).
struct NodeIter<'a> {
    buf: &'a [u8],
    front: usize,
    back: usize,
    /// The node's `width`.
    width: usize,
}

impl<'a> Iterator for NodeIter<'a> {
    type Item = &'a [u8];
    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.front >= self.back {
            return None;
        }
        if self.width > 0 {
            let s = self.front;
            self.front += self.width;
            return Some(&self.buf[s..self.front]);
        }
        let (d, n, next) = read_fwd(self.buf, self.front);
        self.front = next;
        Some(&self.buf[d..d + n])
    }
}

impl<'a> DoubleEndedIterator for NodeIter<'a> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a [u8]> {
        if self.front >= self.back {
            return None;
        }
        if self.width > 0 {
            self.back -= self.width;
            return Some(&self.buf[self.back..self.back + self.width]);
        }
        let (s, d, n) = read_back(self.buf, self.back);
        self.back = s;
        Some(&self.buf[d..d + n])
    }
}

/// A list value.
#[derive(Clone, Debug, Default)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
}

/// Which end of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The head (LPUSH, LPOP, LEFT).
    Left,
    /// The tail (RPUSH, RPOP, RIGHT).
    Right,
}

/// Whether a node already holding `count` entries in `bytes` bytes may take
/// one more entry of `add` bytes under `fill`.
#[inline]
fn fits(fill: i64, count: u32, bytes: usize, add: usize) -> bool {
    if count == 0 {
        return true;
    }
    let total = bytes + add;
    if fill >= 0 {
        (count as i64) < fill.max(1) && total <= SAFETY_BYTES
    } else {
        let class = (-fill).clamp(1, 5) as u32;
        total <= 4096usize << (class - 1)
    }
}

impl List {
    /// An empty list.
    pub fn new() -> List {
        List::default()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the list has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The name `OBJECT ENCODING` reports (always `quicklist` in Redis 7.0).
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>() + self.nodes.iter().map(|n| n.buf.capacity()).sum::<usize>()
    }

    /// Adds `e` at `end`; nodes hold entries up to `fill` (list-max-listpack-size).
    pub fn push(&mut self, end: End, e: &[u8], fill: i64) {
        match end {
            End::Right => {
                let need_new = match self.nodes.back() {
                    Some(n) => !fits(fill, n.count, n.buf.len(), n.push_cost(e.len())),
                    None => true,
                };
                if need_new {
                    // The full node will not grow again from this end: give back its slack.
                    if let Some(n) = self.nodes.back_mut() {
                        n.buf.shrink_to_fit();
                    }
                    if self.nodes.is_empty() {
                        // Most lists stay one node: no room for more until a second is needed.
                        self.nodes.reserve_exact(1);
                    }
                    self.nodes.push_back(Node { buf: Vec::with_capacity(e.len().max(2)), count: 0, width: 0 });
                }
                let n = self.nodes.back_mut().expect("node ensured");
                if n.prepare(e.len()) {
                    encode_entry(&mut n.buf, e);
                } else {
                    n.buf.extend_from_slice(e);
                }
                n.count += 1;
            }
            End::Left => {
                let need_new = match self.nodes.front() {
                    Some(n) => !fits(fill, n.count, n.buf.len(), n.push_cost(e.len())),
                    None => true,
                };
                if need_new {
                    if let Some(n) = self.nodes.front_mut() {
                        n.buf.shrink_to_fit();
                    }
                    if self.nodes.is_empty() {
                        // Most lists stay one node: no room for more until a second is needed.
                        self.nodes.reserve_exact(1);
                    }
                    self.nodes.push_front(Node { buf: Vec::with_capacity(e.len().max(2)), count: 0, width: 0 });
                }
                let n = self.nodes.front_mut().expect("node ensured");
                let var = n.prepare(e.len());
                let sz = if var { entry_size(e.len()) } else { e.len() };
                // Open a gap at the front and encode into it: one memmove, no temporary.
                let old = n.buf.len();
                n.buf.resize(old + sz, 0);
                n.buf.copy_within(0..old, sz);
                if var {
                    write_entry(&mut n.buf[..sz], e);
                } else {
                    n.buf[..sz].copy_from_slice(e);
                }
                n.count += 1;
            }
        }
        self.len += 1;
    }

    /// Removes the element at `end`, handing its bytes to `f` first.
    pub fn pop_with<R>(&mut self, end: End, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let node = match end {
            End::Left => self.nodes.front_mut()?,
            End::Right => self.nodes.back_mut()?,
        };
        let r = match end {
            End::Left => {
                let (_, d, n, next) = node.entry_at(0);
                let r = f(&node.buf[d..d + n]);
                node.buf.drain(..next);
                r
            }
            End::Right => {
                let (s, d, n) = if node.width > 0 {
                    let w = node.width as usize;
                    let s = node.buf.len() - w;
                    (s, s, w)
                } else {
                    read_back(&node.buf, node.buf.len())
                };
                let r = f(&node.buf[d..d + n]);
                node.buf.truncate(s);
                r
            }
        };
        node.count -= 1;
        if node.count == 0 {
            match end {
                End::Left => self.nodes.pop_front(),
                End::Right => self.nodes.pop_back(),
            };
        }
        self.len -= 1;
        Some(r)
    }

    /// Removes and returns the element at `end`.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        self.pop_with(end, |b| b.to_vec())
    }

    /// (node index, index within node) of element `i` (< len), skipping whole
    /// nodes from the nearer end.
    fn locate(&self, i: usize) -> (usize, usize) {
        if i < self.len / 2 {
            let mut i = i;
            for (ni, n) in self.nodes.iter().enumerate() {
                let c = n.count as usize;
                if i < c {
                    return (ni, i);
                }
                i -= c;
            }
        } else {
            let mut from_end = self.len - 1 - i;
            for (ni, n) in self.nodes.iter().enumerate().rev() {
                let c = n.count as usize;
                if from_end < c {
                    return (ni, c - 1 - from_end);
                }
                from_end -= c;
            }
        }
        unreachable!("index checked against len")
    }

    /// Redis index (negative counts from the tail) to a position, if in range.
    pub fn resolve(&self, index: i64) -> Option<usize> {
        let len = self.len as i64;
        let i = if index < 0 { len.checked_add(index)? } else { index };
        (0..len).contains(&i).then_some(i as usize)
    }

    /// Element at position `i` (0-based from the head).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.len {
            return None;
        }
        let (ni, ei) = self.locate(i);
        let n = &self.nodes[ni];
        let (_, d, l, _) = n.entry_at(ei);
        Some(&n.buf[d..d + l])
    }

    /// Replaces the element at position `i`; false when out of range.
    pub fn set(&mut self, i: usize, e: &[u8], fill: i64) -> bool {
        if i >= self.len {
            return false;
        }
        let (ni, ei) = self.locate(i);
        let n = &mut self.nodes[ni];
        if n.width > 0 && n.width as usize == e.len() {
            let s = n.offset_of(ei);
            n.buf[s..s + e.len()].copy_from_slice(e);
            return true;
        }
        n.make_var();
        let (s, _, _, end) = n.entry_at(ei);
        let mut enc = Vec::with_capacity(entry_size(e.len()));
        encode_entry(&mut enc, e);
        n.buf.splice(s..end, enc);
        self.split_if_needed(ni, fill);
        true
    }

    /// Inserts `e` so that it becomes element `i` (0 ≤ i ≤ len).
    pub fn insert(&mut self, i: usize, e: &[u8], fill: i64) {
        if i == 0 {
            return self.push(End::Left, e, fill);
        }
        if i >= self.len {
            return self.push(End::Right, e, fill);
        }
        let (ni, ei) = self.locate(i);
        let n = &mut self.nodes[ni];
        if n.prepare(e.len()) {
            let s = n.offset_of(ei);
            let mut enc = Vec::with_capacity(entry_size(e.len()));
            encode_entry(&mut enc, e);
            n.buf.splice(s..s, enc);
        } else {
            let s = n.offset_of(ei);
            n.buf.splice(s..s, e.iter().copied());
        }
        n.count += 1;
        self.len += 1;
        self.split_if_needed(ni, fill);
    }

    /// Splits node `ni` in two halves while it is over the fill limit.
    fn split_if_needed(&mut self, ni: usize, fill: i64) {
        let n = &self.nodes[ni];
        if n.count < 2 {
            return;
        }
        let over = if fill >= 0 {
            n.count as i64 > fill.max(1) || n.buf.len() > SAFETY_BYTES
        } else {
            n.buf.len() > 4096usize << ((-fill).clamp(1, 5) - 1)
        };
        if !over {
            return;
        }
        let half = n.count as usize / 2;
        let off = n.offset_of(half);
        let right = Node { buf: n.buf[off..].to_vec(), count: n.count - half as u32, width: n.width };
        let n = &mut self.nodes[ni];
        n.buf.truncate(off);
        n.buf.shrink_to_fit();
        n.count = half as u32;
        self.nodes.insert(ni + 1, right);
        self.split_if_needed(ni + 1, fill);
        self.split_if_needed(ni, fill);
    }

    /// Elements from the head.
    pub fn iter(&self) -> Iter<'_> {
        self.range(0, self.len)
    }

    /// Elements at positions `start..end` (clamped), from the head; the
    /// iterator also runs backwards.
    pub fn range(&self, start: usize, end: usize) -> Iter<'_> {
        let end = end.min(self.len);
        let start = start.min(end);
        let mut it = Iter {
            list: self,
            front_node: 0,
            back_node: 0,
            front: None,
            back: None,
            back_last: 0,
            remaining: end - start,
        };
        if it.remaining == 0 {
            return it;
        }
        let (fnode, fi) = self.locate(start);
        let n = &self.nodes[fnode];
        it.front_node = fnode;
        it.front = Some(n.iter_between(n.offset_of(fi), n.buf.len()));
        // The back cursor is placed on first use: forward walks (LRANGE) never pay for it.
        let (bnode, bi) = self.locate(end - 1);
        it.back_node = bnode;
        it.back_last = bi;
        it
    }

    /// Removes up to `count` elements equal to `e` (all when 0; from the
    /// tail when negative). Returns how many went.
    pub fn remove_matching(&mut self, e: &[u8], count: i64) -> usize {
        let limit = if count == 0 { usize::MAX } else { count.unsigned_abs().min(usize::MAX as u64) as usize };
        let mut removed = 0usize;
        let nn = self.nodes.len();
        for k in 0..nn {
            if removed >= limit {
                break;
            }
            let ni = if count < 0 { nn - 1 - k } else { k };
            let node = &mut self.nodes[ni];
            let hits = node.iter().filter(|x| *x == e).count();
            if hits == 0 {
                continue;
            }
            let take = hits.min(limit - removed);
            // Which matches of this node go: the first `take` from the head
            // side, or the last `take` when removing from the tail.
            let skip = if count < 0 { hits - take } else { 0 };
            let mut seen = 0usize;
            node.retain(|_, x| {
                if x != e {
                    return true;
                }
                seen += 1;
                !(seen > skip && seen <= skip + take)
            });
            removed += take;
        }
        self.len -= removed;
        self.nodes.retain(|n| n.count > 0);
        removed
    }

    /// Keeps only positions `start..end` (clamped); everything else goes.
    pub fn keep_range(&mut self, start: usize, end: usize) {
        let end = end.min(self.len);
        let start = start.min(end);
        let mut front = start;
        while front > 0 {
            let c = self.nodes[0].count as usize;
            if c <= front {
                self.nodes.pop_front();
                front -= c;
                self.len -= c;
            } else {
                let n = &mut self.nodes[0];
                let off = n.offset_of(front);
                n.buf.drain(..off);
                n.count -= front as u32;
                self.len -= front;
                front = 0;
            }
        }
        let mut back = self.len - (end - start);
        while back > 0 {
            let last = self.nodes.len() - 1;
            let c = self.nodes[last].count as usize;
            if c <= back {
                self.nodes.pop_back();
                back -= c;
                self.len -= c;
            } else {
                let n = &mut self.nodes[last];
                let off = n.offset_of(c - back);
                n.buf.truncate(off);
                n.count -= back as u32;
                self.len -= back;
                back = 0;
            }
        }
        if self.len == 0 {
            self.nodes.clear();
        }
    }

    /// Number of nodes (for tests and memory reports).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

/// Iterator over a run of list elements; see [`List::range`].
pub struct Iter<'a> {
    list: &'a List,
    front_node: usize,
    back_node: usize,
    front: Option<NodeIter<'a>>,
    back: Option<NodeIter<'a>>,
    /// Index within `back_node` of the last element, until `back` is placed.
    back_last: usize,
    remaining: usize,
}

// Both cursors may sit in one node; `remaining` alone stops them from
// crossing, since each yields only elements not yet taken from either end.
impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];
    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        loop {
            let f = self.front.as_mut().expect("set while remaining > 0");
            if let Some(x) = f.next() {
                return Some(x);
            }
            self.front_node += 1;
            self.front = Some(self.list.nodes[self.front_node].iter());
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<'a> DoubleEndedIterator for Iter<'a> {
    fn next_back(&mut self) -> Option<&'a [u8]> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        if self.back.is_none() {
            let n = &self.list.nodes[self.back_node];
            let end =
                if self.back_last + 1 == n.count as usize { n.buf.len() } else { n.offset_of(self.back_last + 1) };
            self.back = Some(n.iter_between(0, end));
        }
        loop {
            let b = self.back.as_mut().expect("placed above");
            if let Some(x) = b.next_back() {
                return Some(x);
            }
            self.back_node -= 1;
            self.back = Some(self.list.nodes[self.back_node].iter());
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Keyspace {
    /// The list under `key` for a read command (counts hits and misses).
    ///
    /// # Errors
    /// [`KsError::WrongType`] when the key holds another type.
    pub fn list_read(&mut self, db: usize, key: &[u8], touch: bool) -> KsResult<Option<&List>> {
        match self.lookup_ro(db, key, touch) {
            None => Ok(None),
            Some(e) => match &e.value {
                Value::List(l) => Ok(Some(l)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// The list under `key` for a write command (no hit/miss counting).
    ///
    /// # Errors
    /// [`KsError::WrongType`] when the key holds another type.
    pub fn list_write(&mut self, db: usize, key: &[u8]) -> KsResult<Option<&mut List>> {
        match self.lookup(db, key, true) {
            None => Ok(None),
            Some(e) => match &mut e.value {
                Value::List(l) => Ok(Some(l)),
                _ => Err(KsError::WrongType),
            },
        }
    }

    /// Pushes `elems` one by one at `end` of the list under `key`, creating
    /// it unless `only_existing` (LPUSHX/RPUSHX). Returns the new length, or
    /// None when the key was absent and `only_existing`.
    ///
    /// # Errors
    /// [`KsError::WrongType`] when the key holds another type.
    pub fn list_push<'e>(
        &mut self,
        db: usize,
        key: &[u8],
        end: End,
        elems: impl IntoIterator<Item = &'e [u8]>,
        only_existing: bool,
    ) -> KsResult<Option<usize>> {
        let fill = self.enc.list_max_listpack_size;
        if only_existing {
            return match self.list_write(db, key)? {
                None => Ok(None),
                Some(l) => {
                    for e in elems {
                        l.push(end, e, fill);
                    }
                    Ok(Some(l.len()))
                }
            };
        }
        // An existing key of another type is returned untouched, so the type
        // check can follow the (single) lookup-or-create.
        let (e, _) = self.entry_or_insert(db, key, || Value::List(Box::default()));
        let Value::List(l) = &mut e.value else {
            return Err(KsError::WrongType);
        };
        for x in elems {
            l.push(end, x, fill);
        }
        Ok(Some(l.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(l: &List) -> Vec<Vec<u8>> {
        l.iter().map(|x| x.to_vec()).collect()
    }

    fn model_check(l: &List, m: &VecDeque<Vec<u8>>) {
        assert_eq!(l.len(), m.len());
        let v: Vec<Vec<u8>> = m.iter().cloned().collect();
        assert_eq!(collect(l), v);
        let mut r: Vec<Vec<u8>> = l.iter().rev().map(|x| x.to_vec()).collect();
        r.reverse();
        assert_eq!(r, v);
        let counted: usize = l.nodes.iter().map(|n| n.count as usize).sum();
        assert_eq!(counted, l.len());
        assert!(l.nodes.iter().all(|n| n.count > 0));
    }

    #[test]
    fn varints_round_trip_both_ways() {
        for n in [0usize, 1, 127, 128, 300, 16383, 16384, 1 << 20] {
            let e = vec![7u8; n];
            let mut buf = Vec::new();
            encode_entry(&mut buf, &e);
            assert_eq!(buf.len(), entry_size(n));
            let (d, l, next) = read_fwd(&buf, 0);
            assert_eq!((l, next), (n, buf.len()));
            assert_eq!(d, varint_len(n));
            assert_eq!(read_back(&buf, buf.len()), (0, d, n));
            let mut direct = vec![0u8; entry_size(n)];
            write_entry(&mut direct, &e);
            assert_eq!(direct, buf);
        }
    }

    #[test]
    fn push_pop_both_ends_against_a_model() {
        let mut l = List::new();
        let mut m = VecDeque::new();
        let mut x = 12345u64;
        for i in 0..5000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let e = format!("e{}{}", i, "z".repeat((x >> 60) as usize * 20)).into_bytes();
            match (x >> 33) % 5 {
                0 | 1 => {
                    l.push(End::Right, &e, 5);
                    m.push_back(e);
                }
                2 => {
                    l.push(End::Left, &e, -1);
                    m.push_front(e);
                }
                3 => assert_eq!(l.pop(End::Left), m.pop_front()),
                _ => assert_eq!(l.pop(End::Right), m.pop_back()),
            }
        }
        model_check(&l, &m);
        for (i, x) in m.iter().enumerate() {
            assert_eq!(l.get(i), Some(&x[..]));
        }
    }

    #[test]
    fn ranges_both_directions() {
        let mut l = List::new();
        for i in 0..100 {
            l.push(End::Right, i.to_string().as_bytes(), 7);
        }
        for (s, e) in [(0, 100), (3, 4), (5, 50), (13, 14), (99, 100), (0, 0), (50, 200)] {
            let want: Vec<String> = (s..e.min(100)).map(|i: usize| i.to_string()).collect();
            let got: Vec<String> = l.range(s, e).map(|b| String::from_utf8(b.to_vec()).unwrap()).collect();
            assert_eq!(got, want);
            let mut back: Vec<String> = l.range(s, e).rev().map(|b| String::from_utf8(b.to_vec()).unwrap()).collect();
            back.reverse();
            assert_eq!(back, want);
        }
    }

    #[test]
    fn set_insert_remove_trim() {
        let mut l = List::new();
        let mut m: VecDeque<Vec<u8>> = VecDeque::new();
        for i in 0..60 {
            let e = format!("{}", i % 4).into_bytes();
            l.push(End::Right, &e, 4);
            m.push_back(e);
        }
        assert!(l.set(10, b"long-value-here", 4));
        m[10] = b"long-value-here".to_vec();
        l.insert(7, b"ins", 4);
        m.insert(7, b"ins".to_vec());
        model_check(&l, &m);
        assert_eq!(l.remove_matching(b"1", 3), 3);
        let mut n = 0;
        m.retain(|x| {
            !(x == b"1" && {
                n += 1;
                n <= 3
            })
        });
        model_check(&l, &m);
        assert_eq!(l.remove_matching(b"2", -2), 2);
        let idx: Vec<usize> = m.iter().enumerate().filter(|(_, x)| *x == b"2").map(|(i, _)| i).collect();
        for &i in idx.iter().rev().take(2) {
            m.remove(i);
        }
        model_check(&l, &m);
        assert_eq!(l.remove_matching(b"3", 0), 15);
        m.retain(|x| x != b"3");
        model_check(&l, &m);
        l.keep_range(3, 20);
        let v: VecDeque<Vec<u8>> = m.iter().skip(3).take(17).cloned().collect();
        model_check(&l, &v);
        l.keep_range(5, 5);
        assert!(l.is_empty());
    }

    #[test]
    fn keyspace_push_creates_checks_type_and_pushx_skips() {
        let mut ks = Keyspace::new(1);
        let one = |b: &'static [u8]| std::iter::once(b);
        assert_eq!(ks.list_push(0, b"l", End::Left, one(b"x"), true), Ok(None));
        assert!(ks.peek(0, b"l").is_none(), "PUSHX must not create the key");
        assert_eq!(ks.list_push(0, b"l", End::Right, [&b"a"[..], b"b"], false), Ok(Some(2)));
        assert_eq!(ks.list_push(0, b"l", End::Left, one(b"z"), true), Ok(Some(3)));
        let l = ks.list_read(0, b"l", true).unwrap().unwrap();
        assert_eq!(collect(l), vec![b"z".to_vec(), b"a".to_vec(), b"b".to_vec()]);
        ks.set_value(0, b"s", Value::Str(crate::value::Str::from_bytes(b"v")), false, 0);
        assert_eq!(ks.list_push(0, b"s", End::Left, one(b"x"), false), Err(KsError::WrongType));
        assert!(matches!(ks.list_write(0, b"s"), Err(KsError::WrongType)));
        assert!(matches!(ks.list_write(0, b"missing"), Ok(None)));
    }

    #[test]
    fn resolve_handles_extreme_indexes() {
        let mut l = List::new();
        for e in [b"a", b"b", b"c"] {
            l.push(End::Right, e, -2);
        }
        assert_eq!(l.resolve(0), Some(0));
        assert_eq!(l.resolve(-1), Some(2));
        assert_eq!(l.resolve(-3), Some(0));
        assert_eq!(l.resolve(-4), None);
        assert_eq!(l.resolve(3), None);
        assert_eq!(l.resolve(i64::MIN), None);
        assert_eq!(l.resolve(i64::MAX), None);
    }

    #[test]
    fn oversized_elements_get_their_own_node() {
        let mut l = List::new();
        let big = vec![b'z'; 20_000];
        l.push(End::Right, b"a", -2);
        l.push(End::Right, &big, -2);
        l.push(End::Right, b"b", -2);
        l.push(End::Left, &big, -2);
        assert_eq!(l.node_count(), 4);
        assert_eq!(l.get(2), Some(&big[..]));
        assert!(l.set(1, &big, -2));
        assert_eq!(l.remove_matching(&big, 0), 3);
        assert_eq!(collect(&l), vec![b"b".to_vec()]);
    }

    #[test]
    fn equal_length_elements_are_headerless_until_one_differs() {
        let mut l = List::new();
        for i in 0..1000 {
            l.push(End::Right, format!("elem:{i:011}").as_bytes(), -2);
        }
        assert!(l.nodes.iter().all(|n| n.width == 16));
        // 16 bytes an element, nodes full to 8 KiB.
        assert!(l.heap_size() < 1000 * 17, "{}", l.heap_size());
        // A full node takes an element of another length into a new node,
        // which is fixed-width for its own first element's length ...
        l.push(End::Right, b"x", -2);
        assert_eq!(l.nodes.back().unwrap().width, 1);
        // ... and one with room re-encodes itself in the varint form.
        l.push(End::Right, b"elem:00000000999", -2);
        assert_eq!(l.nodes.back().unwrap().width, 0);
        l.pop(End::Right);
        l.push(End::Left, b"", -2);
        assert_eq!(l.nodes.front().unwrap().width, 0);
        assert!(l.nodes.iter().skip(1).take(l.node_count() - 2).all(|n| n.width == 16));
        assert_eq!(l.get(0), Some(&b""[..]));
        assert_eq!(l.get(1), Some(&b"elem:00000000000"[..]));
        assert_eq!(l.get(1000), Some(&b"elem:00000000999"[..]));
        assert_eq!(l.get(1001), Some(&b"x"[..]));
        assert_eq!(l.pop(End::Right), Some(b"x".to_vec()));
        assert_eq!(l.pop(End::Left), Some(Vec::new()));
        assert_eq!(l.pop(End::Right), Some(b"elem:00000000999".to_vec()));
        assert_eq!(l.pop(End::Left), Some(b"elem:00000000000".to_vec()));
    }

    #[test]
    fn mostly_equal_lengths_against_a_model() {
        // Every operation, on nodes that switch between the two forms.
        let mut l = List::new();
        let mut m: VecDeque<Vec<u8>> = VecDeque::new();
        let mut x = 99u64;
        for i in 0..20_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = x >> 33;
            let e = match r % 50 {
                0 => b"odd-one".to_vec(),
                1 => Vec::new(),
                _ => format!("{:08}", i % 100_000_000).into_bytes(),
            };
            let fill = if r % 7 == 0 { 5 } else { -1 };
            match (r >> 8) % 12 {
                0..=3 => {
                    l.push(End::Right, &e, fill);
                    m.push_back(e);
                }
                4..=6 => {
                    l.push(End::Left, &e, fill);
                    m.push_front(e);
                }
                7 => assert_eq!(l.pop(End::Left), m.pop_front()),
                8 => assert_eq!(l.pop(End::Right), m.pop_back()),
                9 if !m.is_empty() => {
                    let at = (r as usize >> 12) % m.len();
                    assert!(l.set(at, &e, fill));
                    m[at] = e;
                }
                10 => {
                    let at = (r as usize >> 12) % (m.len() + 1);
                    l.insert(at, &e, fill);
                    m.insert(at, e);
                }
                11 if i % 97 == 0 => {
                    let n = l.remove_matching(b"odd-one", 2);
                    let mut k = 0;
                    m.retain(|y| {
                        !(y == b"odd-one" && {
                            k += 1;
                            k <= 2
                        })
                    });
                    assert_eq!(n, k.min(2));
                }
                _ => {}
            }
            if i % 1000 == 0 {
                model_check(&l, &m);
                let (s, e) = (m.len() / 3, m.len() / 2);
                let want: Vec<&[u8]> = m.iter().skip(s).take(e - s).map(|v| &v[..]).collect();
                assert_eq!(l.range(s, e).collect::<Vec<_>>(), want);
                assert_eq!(l.range(s, e).rev().collect::<Vec<_>>(), want.into_iter().rev().collect::<Vec<_>>());
            }
        }
        model_check(&l, &m);
        for (i, v) in m.iter().enumerate() {
            assert_eq!(l.get(i), Some(&v[..]));
        }
        let (s, e) = (m.len() / 4, m.len() - m.len() / 4);
        l.keep_range(s, e);
        let v: VecDeque<Vec<u8>> = m.iter().skip(s).take(e - s).cloned().collect();
        model_check(&l, &v);
    }

    #[test]
    fn small_elements_are_compact() {
        let mut l = List::new();
        for _ in 0..100_000 {
            l.push(End::Right, b"xxx", -2);
        }
        // 5 bytes an entry plus node overhead.
        assert!(l.heap_size() < 100_000 * 6, "{}", l.heap_size());
    }
}
