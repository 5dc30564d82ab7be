//! Point-in-time snapshots without fork: the keyspace side of BGSAVE.
//!
//! [`Keyspace::snapshot_begin`] freezes every key table (no resize or
//! rehash, so each key stays in its bucket) and records the time T0. The
//! caller then calls [`Keyspace::snapshot_step`] repeatedly, each time under
//! its lock for a short slice; a step walks the next buckets in order and
//! hands out entries as they were at T0. Between steps, writes go on: before
//! any change to a key whose bucket the walk has not reached yet, the
//! mutation entry points of `db.rs` call a hook that keeps the key's T0
//! state (its old value, or the fact that it did not exist) on the side, and
//! the walk emits that instead of the live entry. Keys written after the walk
//! passed their bucket need nothing. Memory grows only by the values
//! overwritten during the snapshot, which is what fork's copy-on-write costs.
//!
//! A whole-database flush during the snapshot detaches the old table into
//! the snapshot (O(1)); SWAPDB swaps the snapshot state with the tables.
//! Not a serializer: the caller encodes what `snapshot_step` hands out.

use crate::db::Keyspace;
use crate::dict::Dict;
use crate::smallbytes::SmallBytes;
use crate::value::Value;
use std::collections::HashMap;

/// A key's state at T0, kept because it was about to change.
struct Saved {
    value: Value,
    expire_at: u64,
}

/// Snapshot progress of one database (it moves with the table on SWAPDB).
pub(crate) struct SnapDb {
    /// Database number the T0 contents are written under.
    orig: usize,
    keys: u64,
    expires: u64,
    /// Next bucket to walk.
    cursor: usize,
    started: bool,
    done: bool,
    /// The T0 table, when a flush replaced the live one.
    detached: Option<Dict>,
    /// T0 states of keys changed before the walk reached them (None: absent at T0).
    saved: HashMap<SmallBytes, Option<Saved>>,
}

/// A snapshot in progress.
pub struct Snapshot {
    t0: u64,
    pub(crate) dbs: Vec<SnapDb>,
    /// Detached tables already walked, for the caller to free off its lock.
    garbage: Vec<Dict>,
    /// Keys held on the side right now (copy-on-write cost).
    saved_keys: usize,
}

/// What a snapshot step hands out, in file order.
pub enum SnapItem<'a> {
    /// A database starts; sizes are T0 hints (RESIZEDB).
    Db { db: usize, keys: u64, expires: u64 },
    /// One key as it was at T0.
    Key { key: &'a [u8], value: &'a Value, expire_at: u64 },
}

impl Keyspace {
    /// Starts a snapshot of every database as of now.
    pub fn snapshot_begin(&mut self) {
        let t0 = self.now();
        let mut dbs = Vec::with_capacity(self.db_count());
        for i in 0..self.db_count() {
            let d = self.db_mut(i);
            d.dict.freeze();
            let empty = d.dict.is_empty();
            dbs.push(SnapDb {
                orig: i,
                keys: d.len() as u64,
                expires: d.volatile() as u64,
                cursor: 0,
                started: false,
                done: empty,
                detached: None,
                saved: HashMap::new(),
            });
        }
        self.snap = Some(Box::new(Snapshot { t0, dbs, garbage: Vec::new(), saved_keys: 0 }));
    }

    /// True while a snapshot is in progress.
    pub fn snapshot_active(&self) -> bool {
        self.snap.is_some()
    }

    /// Keys whose T0 state is held on the side (0 when no snapshot runs).
    pub fn snapshot_saved_keys(&self) -> usize {
        self.snap.as_ref().map_or(0, |s| s.saved_keys)
    }

    /// Ends a snapshot early (or after the last step) and lets tables resize again.
    pub fn snapshot_abort(&mut self) {
        if let Some(s) = self.snap.take() {
            self.snap_garbage.extend(s.garbage);
            self.snap_garbage.extend(s.dbs.into_iter().filter_map(|d| d.detached));
        }
        for i in 0..self.db_count() {
            self.db_mut(i).dict.unfreeze();
        }
    }

    /// Tables (and held values) the snapshot no longer needs; free them off the lock.
    pub fn take_snapshot_garbage(&mut self) -> Vec<Dict> {
        std::mem::take(&mut self.snap_garbage)
    }

    /// Walks about `budget` entries and hands them to `f`, stopping early
    /// (at the end of the current bucket) once `f` returns false. Returns
    /// true when the snapshot is complete (it is then ended).
    pub fn snapshot_step(&mut self, budget: usize, f: &mut dyn FnMut(SnapItem) -> bool) -> bool {
        let Some(snap) = self.snap.as_mut() else { return true };
        let t0 = snap.t0;
        let mut left = budget.max(1) as isize;
        // Walk the first unfinished database (SWAPDB may move one behind the walk's position).
        while left > 0 {
            let Some(slot) = snap.dbs.iter().position(|d| !d.done) else { break };
            let sd = &mut snap.dbs[slot];
            if !sd.started {
                sd.started = true;
                if !f(SnapItem::Db { db: sd.orig, keys: sd.keys, expires: sd.expires }) {
                    left = 0;
                }
            }
            let live = &self.dbs[slot].dict;
            let src = sd.detached.as_ref().unwrap_or(live);
            let n = src.bucket_count();
            let saved = &mut sd.saved;
            let mut freed = 0usize;
            while left > 0 && sd.cursor < n {
                src.for_each_in_bucket(sd.cursor, |e| {
                    left -= 1;
                    match saved.remove(e.key.as_bytes()) {
                        Some(old) => {
                            freed += 1;
                            if let Some(s) = old {
                                if (s.expire_at == 0 || s.expire_at > t0)
                                    && !f(SnapItem::Key { key: &e.key, value: &s.value, expire_at: s.expire_at })
                                {
                                    left = 0;
                                }
                            }
                        }
                        None => {
                            if (e.expire_at() == 0 || e.expire_at() > t0)
                                && !f(SnapItem::Key { key: &e.key, value: &e.value, expire_at: e.expire_at() })
                            {
                                left = 0;
                            }
                        }
                    }
                });
                // Empty buckets cost a little too, so sparse tables still yield the lock.
                left -= 1;
                sd.cursor += 1;
            }
            snap.saved_keys -= freed;
            if sd.cursor >= n {
                // Keys deleted after T0 are no longer in their bucket: emit their T0 state now.
                for (k, old) in sd.saved.drain() {
                    if let Some(s) = old {
                        if s.expire_at == 0 || s.expire_at > t0 {
                            f(SnapItem::Key { key: &k, value: &s.value, expire_at: s.expire_at });
                        }
                    }
                }
                snap.saved_keys = snap.dbs.iter().map(|d| d.saved.len()).sum();
                let sd = &mut snap.dbs[slot];
                sd.done = true;
                if let Some(d) = sd.detached.take() {
                    snap.garbage.push(d);
                }
            }
        }
        let finished = snap.dbs.iter().all(|d| d.done);
        let garbage = std::mem::take(&mut snap.garbage);
        self.snap_garbage.extend(garbage);
        if finished {
            self.snapshot_abort();
        }
        finished
    }

    /// The pre-write hook: keeps `key`'s T0 state if the walk has not reached it.
    #[inline]
    pub(crate) fn snap_pre_write(&mut self, db: usize, key: &[u8]) {
        if self.snap.is_none() {
            return;
        }
        self.snap_save(db, key);
    }

    #[cold]
    fn snap_save(&mut self, db: usize, key: &[u8]) {
        let dict = &self.dbs[db].dict;
        let Some(snap) = self.snap.as_mut() else { return };
        let sd = &mut snap.dbs[db];
        if sd.done || sd.detached.is_some() || dict.bucket_count() == 0 || dict.bucket_of(key) < sd.cursor {
            return;
        }
        if sd.saved.contains_key(key) {
            return;
        }
        let old = dict.get(key).map(|e| Saved { value: e.value.clone(), expire_at: e.expire_at() });
        sd.saved.insert(SmallBytes::new(key), old);
        snap.saved_keys += 1;
    }

    /// A flush of `db` during a snapshot: the T0 table moves into the
    /// snapshot if the walk still needs it. Returns true when it did.
    pub(crate) fn snap_detach(&mut self, db: usize, old: &mut Dict) -> bool {
        let Some(snap) = self.snap.as_mut() else { return false };
        let sd = &mut snap.dbs[db];
        if sd.done || sd.detached.is_some() {
            return false;
        }
        sd.detached = Some(std::mem::take(old));
        true
    }

    /// SWAPDB during a snapshot: the snapshot state follows the tables.
    pub(crate) fn snap_swap(&mut self, a: usize, b: usize) {
        if let Some(snap) = self.snap.as_mut() {
            snap.dbs.swap(a, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Keyspace;
    use crate::strings::SetOpts;
    use crate::value::{Str, Value};
    use std::collections::BTreeMap;

    fn image(
        ks: &mut Keyspace,
        budget: usize,
        mut between: impl FnMut(&mut Keyspace, usize),
    ) -> BTreeMap<(usize, Vec<u8>), Vec<u8>> {
        let mut out = BTreeMap::new();
        ks.snapshot_begin();
        let mut db = 0;
        let mut step = 0;
        loop {
            let done = ks.snapshot_step(budget, &mut |it| {
                match it {
                    super::SnapItem::Db { db: d, .. } => db = d,
                    super::SnapItem::Key { key, value, .. } => {
                        let v = match value {
                            Value::Str(s) => s.to_vec(),
                            other => other.type_name().as_bytes().to_vec(),
                        };
                        assert!(out.insert((db, key.to_vec()), v).is_none(), "key twice");
                    }
                }
                true
            });
            if done {
                break;
            }
            between(ks, step);
            step += 1;
        }
        assert!(!ks.snapshot_active());
        out
    }

    fn filled() -> Keyspace {
        let mut ks = Keyspace::new(4);
        ks.set_now(1000);
        for i in 0..2000 {
            ks.set_str(i % 3, format!("k{i}").as_bytes(), format!("v{i}").as_bytes(), SetOpts::default()).unwrap();
        }
        ks
    }

    #[test]
    fn snapshot_is_the_state_at_its_start_despite_writes() {
        let mut ks = filled();
        let mut want = BTreeMap::new();
        for i in 0..2000usize {
            want.insert((i % 3, format!("k{i}").into_bytes()), format!("v{i}").into_bytes());
        }
        let got = image(&mut ks, 50, |ks, step| {
            // Overwrite, delete, create, expire-set and grow far past the table size.
            for j in 0..40 {
                let i = (step * 37 + j * 11) % 2000;
                let db = i % 3;
                match j % 4 {
                    0 => {
                        ks.set_str(db, format!("k{i}").as_bytes(), b"changed", SetOpts::default()).unwrap();
                    }
                    1 => {
                        ks.del(db, format!("k{i}").as_bytes());
                    }
                    2 => {
                        ks.set_str(db, format!("new{step}-{j}").as_bytes(), b"n", SetOpts::default()).unwrap();
                    }
                    _ => {
                        ks.set_value(db, format!("k{i}").as_bytes(), Value::Str(Str::from_bytes(b"x")), false, 5000);
                    }
                }
            }
            if step == 7 {
                ks.swap_dbs(1, 2);
            }
            if step == 9 {
                drop(ks.flush_db(0));
            }
        });
        assert_eq!(got, want);
        // Resizing works again afterwards.
        for i in 0..5000 {
            ks.set_str(3, format!("z{i}").as_bytes(), b"v", SetOpts::default()).unwrap();
        }
        assert!(ks.db(3).dict.slots() >= 4096);
    }

    #[test]
    fn a_table_caught_mid_rehash_is_walked_whole() {
        let mut ks = Keyspace::new(1);
        ks.set_now(1000);
        let mut i = 0;
        // Grow until a rehash is in progress and partly done.
        while !(ks.db(0).dict.is_rehashing() && i > 3000) {
            ks.set_str(0, format!("k{i}").as_bytes(), b"v", SetOpts::default()).unwrap();
            i += 1;
        }
        let n = i;
        let got = image(&mut ks, 7, |ks, step| {
            for j in 0..20 {
                let k = (step * 13 + j * 7) % n;
                if j % 2 == 0 {
                    ks.set_str(0, format!("k{k}").as_bytes(), b"w", SetOpts::default()).unwrap();
                } else {
                    ks.del(0, format!("k{k}").as_bytes());
                }
                ks.set_str(0, format!("fresh{step}-{j}").as_bytes(), b"f", SetOpts::default()).unwrap();
            }
        });
        assert_eq!(got.len(), n);
        assert!(got.values().all(|v| v == b"v"));
        // The paused rehash resumes afterwards.
        for _ in 0..100_000 {
            ks.db_mut(0).dict.rehash_step();
        }
        assert!(!ks.db(0).dict.is_rehashing());
    }

    #[test]
    fn reads_copy_nothing_writes_copy_once() {
        let mut ks = Keyspace::new(1);
        ks.set_now(1000);
        ks.list_push(0, b"l", crate::list::End::Right, [b"a".as_slice(), b"b"], false).unwrap();
        ks.hset(0, b"h", &[b"f".as_slice(), b"v"]).unwrap();
        ks.snapshot_begin();
        assert_eq!(ks.list_read(0, b"l", true).unwrap().unwrap().len(), 2);
        assert!(ks.hash_read(0, b"h", true).unwrap().is_some());
        assert!(ks.exists(0, b"l") && ks.ttl(0, b"h") == crate::keys::Ttl::Persistent);
        assert_eq!(ks.snapshot_saved_keys(), 0);
        ks.list_push(0, b"l", crate::list::End::Right, [b"c".as_slice()], false).unwrap();
        ks.list_push(0, b"l", crate::list::End::Right, [b"d".as_slice()], false).unwrap();
        assert_eq!(ks.snapshot_saved_keys(), 1);
        ks.snapshot_abort();
    }

    #[test]
    fn keys_expired_at_the_start_are_left_out() {
        let mut ks = Keyspace::new(1);
        ks.set_now(1000);
        ks.set_value(0, b"gone", Value::Str(Str::from_bytes(b"v")), false, 1000);
        ks.set_value(0, b"kept", Value::Str(Str::from_bytes(b"v")), false, 2000);
        let got = image(&mut ks, 10, |_, _| {});
        assert_eq!(got.keys().map(|(_, k)| k.clone()).collect::<Vec<_>>(), vec![b"kept".to_vec()]);
    }
}
