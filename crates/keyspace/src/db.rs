//! Databases and the keyspace that owns them: lookups with lazy expiry,
//! insertion and deletion that keep per-database counts right, statistics,
//! and the injected clock. Typed command operations live in `strings.rs`
//! and `keys.rs`.

use crate::dict::{Dict, Entry};
use crate::smallbytes::SmallBytes;
use crate::value::Value;

/// One numbered database.
#[derive(Default)]
pub struct Db {
    /// Keys and values.
    pub dict: Dict,
    /// Number of keys with a TTL.
    pub(crate) volatile: usize,
    /// Where the active-expiry walk resumes (a SCAN cursor).
    pub(crate) expire_cursor: u64,
    /// Running average of remaining TTLs seen by active expiry (ms), as INFO shows.
    pub(crate) avg_ttl: u64,
}

impl Db {
    /// Number of keys (including expired ones not reclaimed yet).
    pub fn len(&self) -> usize {
        self.dict.len()
    }
    /// True when the database holds no keys.
    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }
    /// Number of keys with a TTL.
    pub fn volatile(&self) -> usize {
        self.volatile
    }
    /// Average TTL in ms of volatile keys, estimated by active expiry.
    pub fn avg_ttl(&self) -> u64 {
        self.avg_ttl
    }
}

/// Counters INFO reports.
#[derive(Default, Debug, Clone)]
pub struct Stats {
    /// Keys deleted because their TTL passed.
    pub expired_keys: u64,
    /// Read lookups that found a key.
    pub keyspace_hits: u64,
    /// Read lookups that found nothing.
    pub keyspace_misses: u64,
    /// Active-expiry cycles that stopped on their time budget.
    pub expired_time_cap_reached_count: u64,
    /// Percentage estimate of expired-but-unreclaimed keys (active expiry).
    pub expired_stale_perc: f64,
    /// Keys deleted to stay under maxmemory.
    pub evicted_keys: u64,
}

/// Size limits under which collections keep their compact encodings
/// (the `*-max-listpack-*` / `set-max-intset-entries` directives; Redis 7.0
/// defaults). Compact forms convert to the large ones one way, as in Redis.
#[derive(Debug, Clone, Copy)]
pub struct EncodingLimits {
    pub hash_max_listpack_entries: usize,
    pub hash_max_listpack_value: usize,
    pub set_max_intset_entries: usize,
    pub zset_max_listpack_entries: usize,
    pub zset_max_listpack_value: usize,
    /// list-max-listpack-size: > 0 entries per node, < 0 a size class (-1 = 4 KiB ... -5 = 64 KiB).
    pub list_max_listpack_size: i64,
    /// hll-sparse-max-bytes: a sparse HyperLogLog bigger than this turns dense.
    pub hll_sparse_max_bytes: usize,
    /// stream-node-max-entries / -bytes: when a stream starts a new node (0 = no limit).
    pub stream_node_max_entries: usize,
    pub stream_node_max_bytes: usize,
}

impl Default for EncodingLimits {
    fn default() -> Self {
        EncodingLimits {
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            list_max_listpack_size: -2,
            hll_sparse_max_bytes: 3000,
            stream_node_max_entries: 100,
            stream_node_max_bytes: 4096,
        }
    }
}

/// All databases, the clock and the statistics.
pub struct Keyspace {
    pub(crate) dbs: Vec<Db>,
    now_ms: u64,
    /// Counters for INFO.
    pub stats: Stats,
    rng: u64,
    /// Largest string APPEND/SETRANGE may build (proto-max-bulk-len).
    pub max_string_len: usize,
    /// Compact-encoding thresholds for collections.
    pub enc: EncodingLimits,
    /// What happened to keys inside the keyspace since the server last
    /// drained this list: deletions by expiry, new keys, read misses. The
    /// server turns them into keyspace events (`expired`, `new`, `keymiss`)
    /// and, for expiry, WATCH invalidations. Each kind is logged only while
    /// its `log_*` switch is on.
    pub event_log: Vec<(KsEvent, usize, SmallBytes)>,
    /// Log deletions by expiry.
    pub log_expired: bool,
    /// Log keys added to a database (notification class `n`).
    pub log_new: bool,
    /// Log read lookups that found nothing (notification class `m`).
    pub log_miss: bool,
    /// Eviction directives (policy, samples, LFU tuning).
    pub(crate) evict: crate::evict::EvictConfig,
    /// Eviction candidates kept between evictions.
    pub(crate) pool: crate::evict::EvictPool,
    /// Where the random policies look first (round robin over databases).
    pub(crate) next_evict_db: usize,
    /// A point-in-time snapshot in progress (BGSAVE), see `snapshot.rs`.
    pub(crate) snap: Option<Box<crate::snapshot::Snapshot>>,
    /// Tables a snapshot released, to be freed by the caller off its lock.
    pub(crate) snap_garbage: Vec<Dict>,
}

/// A keyspace-internal event for [`Keyspace::event_log`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KsEvent {
    /// The key was deleted because its TTL passed.
    Expired,
    /// The key was added to its database.
    New,
    /// A read lookup did not find the key.
    Miss,
    /// The key was deleted to stay under maxmemory ([`Keyspace::evict_one`]).
    Evicted,
}

impl Keyspace {
    /// A keyspace of `n` empty databases.
    pub fn new(n: usize) -> Keyspace {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Keyspace {
            dbs: (0..n.max(1)).map(|_| Db::default()).collect(),
            now_ms: 0,
            stats: Stats::default(),
            rng: seed | 1,
            max_string_len: 512 * 1024 * 1024,
            enc: EncodingLimits::default(),
            event_log: Vec::new(),
            log_expired: false,
            log_new: false,
            log_miss: false,
            evict: Default::default(),
            pool: Default::default(),
            next_evict_db: 0,
            snap: None,
            snap_garbage: Vec::new(),
        }
    }

    /// Sets the time (Unix ms) that expiry decisions use until the next call.
    /// The server sets it once per command, so a command, a MULTI block or a
    /// script sees one consistent time, as in Redis.
    #[inline]
    pub fn set_now(&mut self, ms: u64) {
        self.now_ms = ms;
    }

    /// The injected time in Unix ms.
    #[inline]
    pub fn now(&self) -> u64 {
        self.now_ms
    }

    /// The LRU clock as stored in [`Entry::lru`]: 10 ms ticks, wrapping
    /// (every ~497 days, longer than Redis's 24-bit seconds clock).
    #[inline]
    pub fn lru_clock(&self) -> u32 {
        (self.now_ms / crate::evict::LRU_TICK_MS) as u32
    }

    /// The LFU field a key created now starts with.
    #[inline]
    fn lfu_init(&self) -> u32 {
        crate::evict::lfu_pack(self.now_ms, crate::evict::LFU_INIT_VAL)
    }

    /// The generator state, for callers that need `FnMut() -> u64` while
    /// holding a borrow of a database.
    pub(crate) fn rng_state(&self) -> u64 {
        self.rng
    }

    pub(crate) fn set_rng_state(&mut self, s: u64) {
        self.rng = s;
    }

    /// Records an access to `e` (LRU clock; LFU counter under an LFU policy).
    #[inline]
    fn touch_meta(e: &mut Entry, lru: u32, now: u64, cfg: &crate::evict::EvictConfig, rng: &mut u64) {
        e.lru = lru;
        if cfg.policy.is_lfu() {
            e.lfu = crate::evict::lfu_access(e.lfu, now, cfg, rng);
        }
    }

    /// Number of databases.
    pub fn db_count(&self) -> usize {
        self.dbs.len()
    }

    /// A database by index (must be < [`db_count`](Self::db_count)).
    pub fn db(&self, i: usize) -> &Db {
        &self.dbs[i]
    }

    /// A database by index, mutable. Not for changing keys: those go
    /// through the entry points below, which a running snapshot hooks.
    pub fn db_mut(&mut self, i: usize) -> &mut Db {
        &mut self.dbs[i]
    }

    /// Total keys over all databases.
    pub fn total_keys(&self) -> usize {
        self.dbs.iter().map(|d| d.len()).sum()
    }

    /// A uniform random u64 (xorshift64*; not for cryptography).
    pub fn rand(&mut self) -> u64 {
        crate::evict::next_rand(&mut self.rng)
    }

    #[inline]
    fn is_expired(&self, e: &Entry) -> bool {
        e.expire_at != 0 && e.expire_at <= self.now_ms
    }

    /// Deletes `key` because its TTL passed.
    pub(crate) fn expire_now(&mut self, db: usize, key: &[u8]) {
        if self.remove(db, key).is_some() {
            self.stats.expired_keys += 1;
            if self.log_expired {
                self.event_log.push((KsEvent::Expired, db, SmallBytes::new(key)));
            }
        }
    }

    /// Finds a key for a command, deleting it first if its TTL has passed.
    /// `touch` refreshes its access time (LRU). Counts no hits or misses.
    pub fn lookup(&mut self, db: usize, key: &[u8], touch: bool) -> Option<&mut Entry> {
        // The caller may change what it finds.
        self.snap_pre_write(db, key);
        self.lookup_nohook(db, key, touch)
    }

    fn lookup_nohook(&mut self, db: usize, key: &[u8], touch: bool) -> Option<&mut Entry> {
        let now = self.now_ms;
        let lru = self.lru_clock();
        let e: *mut Entry = self.dbs[db].dict.get_mut(key)?;
        // SAFETY: `e` points into `self.dbs[db].dict`, which nothing touches
        // between here and the return below, except in the expired branch,
        // which stops using `e` before it deletes.
        let e = unsafe { &mut *e };
        if e.expire_at != 0 && e.expire_at <= now {
            self.expire_now(db, key);
            return None;
        }
        if touch {
            Self::touch_meta(e, lru, now, &self.evict, &mut self.rng);
        }
        Some(e)
    }

    /// [`lookup`](Self::lookup) for read commands: also counts keyspace hits and misses.
    pub fn lookup_read(&mut self, db: usize, key: &[u8], touch: bool) -> Option<&mut Entry> {
        // This hands the entry out mutably, so a running snapshot keeps a
        // collection's T0 state first; strings are only changed through
        // `lookup`. Read paths that cannot change the value use `lookup_ro`.
        if self.snap.is_some() && self.dbs[db].dict.get(key).is_some_and(|e| !matches!(e.value, Value::Str(_))) {
            self.snap_pre_write(db, key);
        }
        self.lookup_read_nohook(db, key, touch)
    }

    /// [`lookup_read`](Self::lookup_read) for callers that only read the
    /// value: no snapshot copy needed.
    pub(crate) fn lookup_ro(&mut self, db: usize, key: &[u8], touch: bool) -> Option<&Entry> {
        self.lookup_read_nohook(db, key, touch).map(|e| &*e)
    }

    fn lookup_read_nohook(&mut self, db: usize, key: &[u8], touch: bool) -> Option<&mut Entry> {
        let found = self.lookup_nohook(db, key, touch).map(|e| e as *mut Entry);
        if found.is_some() {
            self.stats.keyspace_hits += 1;
        } else {
            self.stats.keyspace_misses += 1;
            if self.log_miss {
                self.event_log.push((KsEvent::Miss, db, SmallBytes::new(key)));
            }
        }
        // SAFETY: only the stats counters were touched since the lookup.
        found.map(|e| unsafe { &mut *e })
    }

    /// Read-only view of a live key without side effects (no expiry
    /// deletion, no LRU update). For KEYS, RANDOMKEY checks and INFO-style peeks.
    pub fn peek(&self, db: usize, key: &[u8]) -> Option<&Entry> {
        self.dbs[db].dict.get(key).filter(|e| !self.is_expired(e))
    }

    /// True when `e` is logically gone (TTL passed) at the injected time.
    pub fn entry_expired(&self, e: &Entry) -> bool {
        self.is_expired(e)
    }

    /// Stores `value` under `key`, replacing any old value. The TTL is kept
    /// when `keep_ttl`, otherwise cleared; then set to `expire_at` if non-zero.
    pub fn set_value(&mut self, db: usize, key: &[u8], value: Value, keep_ttl: bool, expire_at: u64) {
        self.snap_pre_write(db, key);
        let lru = self.lru_clock();
        let d = &mut self.dbs[db];
        match d.dict.get_mut(key) {
            Some(e) => {
                e.value = value;
                // An overwrite is an access: the LFU counter carries over, as Redis keeps it.
                Self::touch_meta(e, lru, self.now_ms, &self.evict, &mut self.rng);
                let was = e.expire_at != 0;
                if !keep_ttl {
                    e.expire_at = 0;
                }
                if expire_at != 0 {
                    e.expire_at = expire_at;
                }
                let is = e.expire_at != 0;
                match (was, is) {
                    (false, true) => d.volatile += 1,
                    (true, false) => d.volatile -= 1,
                    _ => {}
                }
            }
            None => {
                if self.log_new {
                    self.event_log.push((KsEvent::New, db, SmallBytes::new(key)));
                }
                let lfu = self.lfu_init();
                let d = &mut self.dbs[db];
                let e = d.dict.insert_new(Entry::new(SmallBytes::new(key), value, lru));
                e.lfu = lfu;
                if expire_at != 0 {
                    e.expire_at = expire_at;
                    d.volatile += 1;
                }
            }
        }
    }

    /// The live entry under `key` (expired keys are deleted first), creating
    /// it with `make()` when absent. Returns the entry and whether it was created.
    /// The caller checks the type. For commands that write into collections.
    pub fn entry_or_insert(&mut self, db: usize, key: &[u8], make: impl FnOnce() -> Value) -> (&mut Entry, bool) {
        self.snap_pre_write(db, key);
        let lru = self.lru_clock();
        if self.lookup(db, key, true).is_none() {
            if self.log_new {
                self.event_log.push((KsEvent::New, db, SmallBytes::new(key)));
            }
            let lfu = self.lfu_init();
            let d = &mut self.dbs[db];
            let e = d.dict.insert_new(Entry::new(SmallBytes::new(key), make(), lru));
            e.lfu = lfu;
            return (e, true);
        }
        (self.dbs[db].dict.get_mut(key).expect("found just above"), false)
    }

    /// Deletes `key` when it holds an empty collection (after an op removed
    /// its last element). Returns true when it deleted.
    pub fn remove_if_empty(&mut self, db: usize, key: &[u8]) -> bool {
        let empty = self.dbs[db].dict.get(key).is_some_and(|e| e.value.collection_len() == Some(0));
        if empty {
            self.remove(db, key);
        }
        empty
    }

    /// Inserts a whole entry (its key must be absent), keeping its TTL and LRU.
    pub(crate) fn insert_entry(&mut self, db: usize, e: Box<Entry>) {
        self.snap_pre_write(db, &e.key);
        if self.log_new {
            self.event_log.push((KsEvent::New, db, e.key.clone()));
        }
        let d = &mut self.dbs[db];
        if e.expire_at != 0 {
            d.volatile += 1;
        }
        d.dict.insert_new(e);
    }

    /// Removes a key without any expiry check; returns its entry.
    pub fn remove(&mut self, db: usize, key: &[u8]) -> Option<Box<Entry>> {
        self.snap_pre_write(db, key);
        let d = &mut self.dbs[db];
        let e = d.dict.remove(key)?;
        if e.expire_at != 0 {
            d.volatile -= 1;
        }
        Some(e)
    }

    /// Sets (non-zero) or clears (0) a live key's absolute expiry time.
    /// Returns false when the key does not exist.
    pub fn set_expire(&mut self, db: usize, key: &[u8], at: u64) -> bool {
        self.snap_pre_write(db, key);
        let d = &mut self.dbs[db];
        let Some(e) = d.dict.get_mut(key) else { return false };
        match (e.expire_at != 0, at != 0) {
            (false, true) => d.volatile += 1,
            (true, false) => d.volatile -= 1,
            _ => {}
        }
        e.expire_at = at;
        true
    }

    /// Empties one database and returns its old contents (drop them where
    /// convenient). While a snapshot still needs them, it keeps them and an
    /// empty table comes back: count the keys before calling.
    pub fn flush_db(&mut self, db: usize) -> Dict {
        let d = &mut self.dbs[db];
        d.volatile = 0;
        d.expire_cursor = 0;
        d.avg_ttl = 0;
        let mut old = d.dict.take();
        if self.snap_detach(db, &mut old) {
            // The snapshot still needs the old table; it frees it when done.
            return Dict::new();
        }
        old
    }

    /// Swaps two databases' contents.
    pub fn swap_dbs(&mut self, a: usize, b: usize) {
        self.dbs.swap(a, b);
        self.snap_swap(a, b);
    }

    /// Periodic housekeeping for one database: shrink a sparse table and
    /// advance a rehash in progress by up to `budget` buckets.
    pub fn maintain(&mut self, db: usize, budget: usize) {
        let d = &mut self.dbs[db];
        d.dict.shrink_if_needed();
        d.dict.rehash_some(budget);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Str;

    fn s(v: &str) -> Value {
        Value::Str(Str::from_bytes(v.as_bytes()))
    }

    #[test]
    fn lazy_expiry_removes_and_counts() {
        let mut ks = Keyspace::new(16);
        ks.set_now(1000);
        ks.set_value(0, b"k", s("v"), false, 1500);
        assert_eq!(ks.db(0).volatile(), 1);
        assert!(ks.lookup_read(0, b"k", true).is_some());
        ks.set_now(1500);
        assert!(ks.lookup_read(0, b"k", true).is_none());
        assert_eq!(ks.stats.expired_keys, 1);
        assert_eq!(ks.stats.keyspace_hits, 1);
        assert_eq!(ks.stats.keyspace_misses, 1);
        assert_eq!(ks.db(0).volatile(), 0);
        assert_eq!(ks.db(0).len(), 0);
    }

    #[test]
    fn overwrite_clears_ttl_unless_kept() {
        let mut ks = Keyspace::new(1);
        ks.set_value(0, b"k", s("v"), false, 5000);
        ks.set_value(0, b"k", s("w"), true, 0);
        assert_eq!(ks.peek(0, b"k").unwrap().expire_at(), 5000);
        ks.set_value(0, b"k", s("x"), false, 0);
        assert_eq!(ks.peek(0, b"k").unwrap().expire_at(), 0);
        assert_eq!(ks.db(0).volatile(), 0);
    }
}
