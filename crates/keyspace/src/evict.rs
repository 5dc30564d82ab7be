//! Eviction under `maxmemory`: the per-key access metadata (LRU clock and
//! LFU counter), the policies, and the choice of which key to evict next.
//! It does not measure memory or decide *when* to evict: the server does,
//! and calls [`Keyspace::evict_one`] until it is under its limit.
//!
//! The choice follows Redis's approximated LRU/LFU: every call samples
//! `maxmemory-samples` keys of every non-empty database and offers them to
//! a small pool ordered by "idleness" (idle time for LRU, inverted counter
//! for LFU, inverted expiry time for volatile-ttl). The pool persists
//! between calls, so good candidates found earlier are remembered, and the
//! most idle key in it is evicted. Three refinements over Redis: our LRU
//! clock ticks every 10 ms instead of every second, so keys touched within
//! the same second are still told apart (caches that turn over in seconds);
//! LFU ties (new keys all start at counter 5) go to the least recently used
//! key; and a candidate read since it was sampled is re-scored before it is
//! evicted.

use crate::db::{Keyspace, KsEvent};
use crate::dict::Entry;
use crate::smallbytes::SmallBytes;

/// Counter given to new keys, so they survive a while before their first
/// reads make them look popular (Redis's LFU_INIT_VAL).
pub const LFU_INIT_VAL: u8 = 5;

/// Entries the eviction pool keeps (Redis's EVPOOL_SIZE).
const POOL_SIZE: usize = 16;

/// Milliseconds per tick of the LRU clock.
pub const LRU_TICK_MS: u64 = 10;

/// A `maxmemory-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// Refuse writes that need memory instead of evicting.
    #[default]
    NoEviction,
    AllKeysLru,
    VolatileLru,
    AllKeysLfu,
    VolatileLfu,
    AllKeysRandom,
    VolatileRandom,
    VolatileTtl,
}

impl Policy {
    /// Parses a `maxmemory-policy` value (any case).
    pub fn parse(s: &str) -> Option<Policy> {
        Some(match s.to_ascii_lowercase().as_str() {
            "noeviction" => Policy::NoEviction,
            "allkeys-lru" => Policy::AllKeysLru,
            "volatile-lru" => Policy::VolatileLru,
            "allkeys-lfu" => Policy::AllKeysLfu,
            "volatile-lfu" => Policy::VolatileLfu,
            "allkeys-random" => Policy::AllKeysRandom,
            "volatile-random" => Policy::VolatileRandom,
            "volatile-ttl" => Policy::VolatileTtl,
            _ => return None,
        })
    }

    /// True for the LFU policies (OBJECT FREQ works, OBJECT IDLETIME does not).
    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::AllKeysLfu | Policy::VolatileLfu)
    }

    /// True when only keys with a TTL may be evicted.
    pub fn is_volatile(self) -> bool {
        matches!(self, Policy::VolatileLru | Policy::VolatileLfu | Policy::VolatileRandom | Policy::VolatileTtl)
    }
}

/// The eviction-related directives the keyspace needs.
#[derive(Debug, Clone, Copy)]
pub struct EvictConfig {
    pub policy: Policy,
    /// `maxmemory-samples`: keys sampled per database per eviction.
    pub samples: usize,
    /// `lfu-log-factor`: how many hits it takes to raise the counter.
    pub lfu_log_factor: u32,
    /// `lfu-decay-time`: minutes per counter decrement (0 = never decay).
    pub lfu_decay_time: u32,
}

impl Default for EvictConfig {
    fn default() -> Self {
        EvictConfig { policy: Policy::NoEviction, samples: 5, lfu_log_factor: 10, lfu_decay_time: 1 }
    }
}

/// One eviction candidate.
#[derive(Debug)]
struct Candidate {
    idle: u64,
    db: usize,
    key: SmallBytes,
}

/// The best candidates seen so far, ascending by idleness.
#[derive(Debug, Default)]
pub struct EvictPool {
    c: Vec<Candidate>,
}

impl EvictPool {
    fn offer(&mut self, idle: u64, db: usize, key: &[u8]) {
        if self.c.len() >= POOL_SIZE && idle <= self.c[0].idle {
            return;
        }
        if self.c.iter().any(|c| c.db == db && c.key.as_bytes() == key) {
            return;
        }
        let pos = self.c.partition_point(|c| c.idle < idle);
        self.c.insert(pos, Candidate { idle, db, key: SmallBytes::new(key) });
        if self.c.len() > POOL_SIZE {
            self.c.remove(0);
        }
    }

    /// Forgets every candidate (after FLUSHALL or a policy change).
    pub fn clear(&mut self) {
        self.c.clear();
    }
}

/// The current minute on the 16-bit LFU clock.
#[inline]
fn lfu_minutes(now_ms: u64) -> u32 {
    ((now_ms / 60_000) & 0xffff) as u32
}

/// An LFU field with `counter` and the decrement time set to now.
#[inline]
pub fn lfu_pack(now_ms: u64, counter: u8) -> u32 {
    (lfu_minutes(now_ms) << 8) | counter as u32
}

/// The counter of `lfu` after the decay due since its last decrement time
/// (one per `lfu-decay-time` minutes), without storing it.
pub fn lfu_decayed(lfu: u32, now_ms: u64, decay_time: u32) -> u8 {
    let counter = (lfu & 0xff) as u8;
    if decay_time == 0 {
        return counter;
    }
    let then = lfu >> 8;
    let now = lfu_minutes(now_ms);
    let elapsed = if now >= then { now - then } else { 65535 - then + now };
    let periods = elapsed / decay_time;
    if periods >= counter as u32 {
        0
    } else {
        counter - periods as u8
    }
}

/// Redis's logarithmic increment: the higher the counter, the less likely
/// a hit raises it; `factor` scales how fast it saturates at 255.
fn lfu_log_incr(counter: u8, factor: u32, rnd: u64) -> u8 {
    if counter == 255 {
        return 255;
    }
    let r = (rnd >> 11) as f64 / (1u64 << 53) as f64;
    let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
    let p = 1.0 / (base * factor as f64 + 1.0);
    if r < p {
        counter + 1
    } else {
        counter
    }
}

/// xorshift64* step on `state`, for the LFU coin flips.
#[inline]
pub(crate) fn next_rand(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545F4914F6CDD1D)
}

/// An access to a key with LFU state `lfu`: decay, then a probabilistic increment.
pub(crate) fn lfu_access(lfu: u32, now_ms: u64, cfg: &EvictConfig, rng: &mut u64) -> u32 {
    let c = lfu_decayed(lfu, now_ms, cfg.lfu_decay_time);
    let c = lfu_log_incr(c, cfg.lfu_log_factor, next_rand(rng));
    lfu_pack(now_ms, c)
}

impl Keyspace {
    /// Idle time of an entry in milliseconds, from its LRU clock.
    pub fn idle_ms(&self, e: &Entry) -> u64 {
        self.lru_clock().wrapping_sub(e.lru) as u64 * LRU_TICK_MS
    }

    /// RESTORE's IDLETIME (seconds) / FREQ: sets the access data the
    /// current policy tracks (an LFU policy takes FREQ, the others IDLETIME).
    pub fn set_access(&mut self, db: usize, key: &[u8], idle_secs: Option<u64>, freq: Option<u8>) {
        let (lfu, now, clock) = (self.evict.policy.is_lfu(), self.now(), self.lru_clock());
        let Some(e) = self.lookup(db, key, false) else { return };
        if lfu {
            if let Some(f) = freq {
                e.lfu = lfu_pack(now, f);
            }
        } else if let Some(idle) = idle_secs {
            let ticks = idle.saturating_mul(1000 / LRU_TICK_MS).min(u32::MAX as u64) as u32;
            e.lru = clock.wrapping_sub(ticks);
        }
    }

    /// The access frequency counter OBJECT FREQ reports (decayed to now).
    pub fn lfu_freq(&self, e: &Entry) -> u8 {
        lfu_decayed(e.lfu, self.now(), self.evict.lfu_decay_time)
    }

    /// Sets the eviction directives; a new policy empties the candidate pool.
    pub fn set_evict_config(&mut self, cfg: EvictConfig) {
        if cfg.policy != self.evict.policy {
            self.pool.clear();
        }
        self.evict = cfg;
    }

    /// The eviction directives in force.
    pub fn evict_config(&self) -> EvictConfig {
        self.evict
    }

    /// How idle `e` is for the current policy: larger is evicted sooner.
    fn idleness(&self, e: &Entry) -> u64 {
        match self.evict.policy {
            // Redis ranks by counter alone; many keys share a counter
            // (new keys all start at 5), so among equals we evict the least
            // recently used one, which our separate LRU field allows.
            Policy::AllKeysLfu | Policy::VolatileLfu => {
                let c = lfu_decayed(e.lfu, self.now(), self.evict.lfu_decay_time) as u64;
                ((255 - c) << 40) | self.idle_ms(e).min((1 << 40) - 1)
            }
            Policy::VolatileTtl => u64::MAX - e.expire_at(),
            _ => self.idle_ms(e),
        }
    }

    /// Buckets a sampling walk may visit: Redis's 10 per wanted key, scaled
    /// up by how sparse the wanted keys are (volatile policies sample the
    /// whole table, in which only some keys have a TTL), up to the table.
    fn sample_budget(&self, db: usize, count: usize, volatile: bool) -> usize {
        let d = self.db(db);
        let base = count.saturating_mul(10).max(16);
        if volatile && d.volatile() > 0 {
            let sparsity = d.len().div_ceil(d.volatile());
            base.saturating_mul(sparsity).min(d.dict.slots())
        } else {
            base
        }
    }

    /// Offers `maxmemory-samples` keys of `db` to the pool; `whole` lets
    /// the walk cover the whole table (the retry when sampling found nothing).
    fn populate_pool(&mut self, db: usize, whole: bool) {
        let volatile = self.evict.policy.is_volatile();
        let count = self.evict.samples.max(1);
        let budget = if whole { self.db(db).dict.slots() } else { self.sample_budget(db, count, volatile) };
        let start = self.rand();
        let mut scored: Vec<(u64, SmallBytes)> = Vec::with_capacity(count.min(64));
        self.db(db).dict.sample(start, count, budget, |e| {
            if volatile && !e.is_volatile() {
                return false;
            }
            scored.push((self.idleness(e), e.key.clone()));
            true
        });
        for (idle, key) in scored {
            self.pool.offer(idle, db, &key);
        }
    }

    /// Picks a key by the current policy, deletes it, counts it in
    /// `evicted_keys` and logs an [`KsEvent::Evicted`] event. Returns the
    /// database and key, or None when no key may be evicted (noeviction, or
    /// no candidate: e.g. volatile-* and no key has a TTL).
    pub fn evict_one(&mut self) -> Option<(usize, SmallBytes)> {
        let policy = self.evict.policy;
        let volatile = policy.is_volatile();
        let ndbs = self.db_count();
        let candidates = |ks: &Keyspace, db: usize| if volatile { ks.db(db).volatile() } else { ks.db(db).len() };
        let victim = match policy {
            Policy::NoEviction => None,
            Policy::AllKeysRandom | Policy::VolatileRandom => {
                let mut victim = None;
                for k in 0..ndbs {
                    let db = (self.next_evict_db + k) % ndbs;
                    if candidates(self, db) == 0 {
                        continue;
                    }
                    let mut key = None;
                    if volatile {
                        // Uniform: random entries until one has a TTL. (Taking
                        // the first TTL key after a random bucket would favour
                        // keys that follow runs without any, widening those
                        // runs eviction after eviction.)
                        let d = self.db(db);
                        let tries = 8 * d.len().div_ceil(d.volatile()).min(1024);
                        let mut rng = self.rng_state();
                        for _ in 0..tries {
                            let e = self.db(db).dict.random_entry(&mut || next_rand(&mut rng));
                            if let Some(e) = e.filter(|e| e.is_volatile()) {
                                key = Some(e.key.clone());
                                break;
                            }
                        }
                        self.set_rng_state(rng);
                        if key.is_none() {
                            let (start, slots) = (self.rand(), self.db(db).dict.slots());
                            self.db(db).dict.sample(start, 1, slots, |e| {
                                if e.is_volatile() {
                                    key = Some(e.key.clone());
                                }
                                e.is_volatile()
                            });
                        }
                    } else {
                        let mut rng = self.rng_state();
                        key = self.db(db).dict.random_entry(&mut || next_rand(&mut rng)).map(|e| e.key.clone());
                        self.set_rng_state(rng);
                    }
                    if let Some(key) = key {
                        self.next_evict_db = db + 1;
                        victim = Some((db, key));
                        break;
                    }
                }
                victim
            }
            _ => {
                let mut victim = None;
                // Sampling can miss sparse TTL keys: retry walking whole tables.
                for round in 0..4 {
                    let mut total = 0;
                    for db in 0..ndbs {
                        let n = candidates(self, db);
                        if n > 0 {
                            self.populate_pool(db, round > 0);
                            total += n;
                        }
                    }
                    if total == 0 {
                        break;
                    }
                    while let Some(c) = self.pool.c.pop() {
                        let Some(e) = self.db(c.db).dict.get(&c.key) else { continue };
                        if volatile && !e.is_volatile() {
                            continue;
                        }
                        // Redis evicts on the score the key had when sampled;
                        // a key read since then (a hot key caught just before
                        // its next hit) goes back in with its fresh score
                        // unless it is still the best candidate.
                        let fresh = self.idleness(e);
                        if fresh < c.idle && self.pool.c.last().is_some_and(|n| n.idle > fresh) {
                            self.pool.offer(fresh, c.db, &c.key);
                            continue;
                        }
                        victim = Some((c.db, c.key));
                        break;
                    }
                    if victim.is_some() {
                        break;
                    }
                }
                victim
            }
        };
        let (db, key) = victim?;
        self.remove(db, &key)?;
        self.stats.evicted_keys += 1;
        self.event_log.push((KsEvent::Evicted, db, key.clone()));
        Some((db, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::SetOpts;

    fn ks(policy: Policy) -> Keyspace {
        let mut k = Keyspace::new(2);
        k.set_now(1_000_000);
        k.set_evict_config(EvictConfig { policy, ..Default::default() });
        k
    }

    fn set(k: &mut Keyspace, db: usize, key: &str, expire_at: u64) {
        k.set_str(db, key.as_bytes(), b"v", SetOpts { expire_at, ..Default::default() }).unwrap();
    }

    #[test]
    fn noeviction_evicts_nothing() {
        let mut k = ks(Policy::NoEviction);
        set(&mut k, 0, "a", 0);
        assert!(k.evict_one().is_none());
        assert_eq!(k.total_keys(), 1);
    }

    #[test]
    fn volatile_policies_never_touch_persistent_keys() {
        for p in [Policy::VolatileLru, Policy::VolatileLfu, Policy::VolatileRandom, Policy::VolatileTtl] {
            let mut k = ks(p);
            for i in 0..200 {
                set(&mut k, i % 2, &format!("p{i}"), 0);
            }
            for i in 0..10 {
                set(&mut k, 1, &format!("v{i}"), 5_000_000 + i as u64);
            }
            for _ in 0..10 {
                let (_, key) = k.evict_one().expect("a volatile key is left");
                assert!(key.starts_with(b"v"), "{p:?} evicted {key:?}");
            }
            assert!(k.evict_one().is_none(), "{p:?}");
            assert_eq!(k.total_keys(), 200);
            assert_eq!(k.stats.evicted_keys, 10);
        }
    }

    #[test]
    fn volatile_ttl_takes_nearest_expiry_first() {
        // With as many samples as keys the approximation is exact.
        let mut k = ks(Policy::VolatileTtl);
        k.set_evict_config(EvictConfig { policy: Policy::VolatileTtl, samples: 10, ..Default::default() });
        for i in 0..10u64 {
            set(&mut k, 0, &format!("v{i}"), 2_000_000 + i * 1000);
        }
        let order: Vec<_> = (0..10).map(|_| k.evict_one().unwrap().1.to_vec()).collect();
        let want: Vec<_> = (0..10).map(|i| format!("v{i}").into_bytes()).collect();
        assert_eq!(order, want);
    }

    #[test]
    fn lru_prefers_idle_keys() {
        let mut k = ks(Policy::AllKeysLru);
        for i in 0..1000 {
            set(&mut k, 0, &format!("k{i}"), 0);
        }
        // Later, touch the upper half.
        k.set_now(1_000_000 + 60_000);
        for i in 500..1000 {
            k.lookup(0, format!("k{i}").as_bytes(), true);
        }
        let mut old = 0;
        for _ in 0..200 {
            let (_, key) = k.evict_one().unwrap();
            let n: usize = std::str::from_utf8(&key[1..]).unwrap().parse().unwrap();
            old += (n < 500) as usize;
        }
        // Sampling is approximate, but the pool makes it nearly exact here.
        assert!(old >= 195, "{old}");
    }

    #[test]
    fn lfu_counter_grows_logarithmically_and_decays() {
        let cfg = EvictConfig { policy: Policy::AllKeysLfu, ..Default::default() };
        let mut rng = 0x1234_5678u64;
        let mut lfu = lfu_pack(0, LFU_INIT_VAL);
        for _ in 0..100 {
            lfu = lfu_access(lfu, 0, &cfg, &mut rng);
        }
        let c = (lfu & 0xff) as u8;
        // Redis's table for factor 10: about 10 at 100 hits.
        assert!((8..=14).contains(&c), "{c}");
        for _ in 0..1_000_000 {
            lfu = lfu_access(lfu, 0, &cfg, &mut rng);
        }
        let c = (lfu & 0xff) as u8;
        assert!(c >= 100, "{c}");
        // Ten minutes later with decay 1: ten less.
        assert_eq!(lfu_decayed(lfu, 600_000, 1), c - 10);
        assert_eq!(lfu_decayed(lfu, 600_000, 0), c);
        assert_eq!(lfu_decayed(lfu_pack(0, 3), 600_000, 1), 0);
    }

    #[test]
    fn lfu_evicts_rarely_used_keys() {
        let mut k = ks(Policy::AllKeysLfu);
        for i in 0..400 {
            set(&mut k, 0, &format!("k{i}"), 0);
        }
        for _ in 0..50 {
            for i in 200..400 {
                k.lookup(0, format!("k{i}").as_bytes(), true);
            }
        }
        let mut cold = 0;
        for _ in 0..100 {
            let (_, key) = k.evict_one().unwrap();
            let n: usize = std::str::from_utf8(&key[1..]).unwrap().parse().unwrap();
            cold += (n < 200) as usize;
        }
        assert!(cold >= 98, "{cold}");
    }

    #[test]
    fn random_policies_empty_every_database() {
        let mut k = ks(Policy::AllKeysRandom);
        for i in 0..50 {
            set(&mut k, i % 2, &format!("k{i}"), 0);
        }
        for _ in 0..50 {
            assert!(k.evict_one().is_some());
        }
        assert!(k.evict_one().is_none());
        assert_eq!(k.total_keys(), 0);
    }

    #[test]
    fn volatile_random_keeps_finding_ttl_keys_among_persistent_ones() {
        let mut k = ks(Policy::VolatileRandom);
        for i in 0..2000 {
            set(&mut k, 0, &format!("p{i}"), 0);
        }
        for i in 0..20000u64 {
            set(&mut k, 0, &format!("v{i}"), 5_000_000 + i);
            if i > 5000 {
                let (_, key) = k.evict_one().expect("TTL keys are left");
                assert!(key.starts_with(b"v"));
            }
        }
        assert_eq!(k.db(0).len() - k.db(0).volatile(), 2000);
    }
}
