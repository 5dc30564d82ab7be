//! Typed operations that work on keys of any type: DEL, EXISTS, TYPE,
//! RENAME, COPY, MOVE, expiry (EXPIRE family, TTL, PERSIST), KEYS, SCAN,
//! RANDOMKEY. Argument parsing and replies belong to the server's `cmd/keys.rs`.

use crate::db::Keyspace;
use crate::dict::Entry;
use crate::error::KsError;
use crate::glob::glob_match;
use crate::smallbytes::SmallBytes;
use crate::KsResult;

/// EXPIRE's NX / XX / GT / LT condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpireCond {
    /// Always set.
    #[default]
    Always,
    /// Only when the key has no TTL.
    Nx,
    /// Only when the key has a TTL.
    Xx,
    /// Only when the new expiry is later (no TTL counts as infinite).
    Gt,
    /// Only when the new expiry is earlier (no TTL counts as infinite).
    Lt,
}

/// What TTL/PTTL/EXPIRETIME report for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ttl {
    /// No such key (-2).
    Missing,
    /// No expiry (-1).
    Persistent,
    /// Absolute expiry time in Unix ms.
    At(u64),
}

impl Keyspace {
    /// DEL / UNLINK of one key: true when it existed.
    pub fn del(&mut self, db: usize, key: &[u8]) -> bool {
        if self.lookup(db, key, false).is_none() {
            return false;
        }
        self.remove(db, key).is_some()
    }

    /// EXISTS of one key (counts hits/misses, does not touch).
    pub fn exists(&mut self, db: usize, key: &[u8]) -> bool {
        self.lookup_ro(db, key, false).is_some()
    }

    /// TYPE: the type name, or "none".
    pub fn type_of(&mut self, db: usize, key: &[u8]) -> &'static str {
        self.lookup_ro(db, key, false).map_or("none", |e| e.value.type_name())
    }

    /// TOUCH of one key: true when it exists (updates its access time).
    pub fn touch(&mut self, db: usize, key: &[u8]) -> bool {
        self.lookup_ro(db, key, true).is_some()
    }

    /// RENAME / RENAMENX. Returns false only for NX when the destination exists.
    ///
    /// # Errors
    /// `NoSuchKey` when the source does not exist.
    pub fn rename(&mut self, db: usize, src: &[u8], dst: &[u8], nx: bool) -> KsResult<bool> {
        if self.lookup(db, src, false).is_none() {
            return Err(KsError::NoSuchKey);
        }
        if src == dst {
            return Ok(!nx);
        }
        if self.lookup(db, dst, false).is_some() {
            if nx {
                return Ok(false);
            }
            self.remove(db, dst);
        }
        let mut e = self.remove(db, src).expect("looked up above");
        e.key = SmallBytes::new(dst);
        self.insert_entry(db, e);
        Ok(true)
    }

    /// COPY to `dst` in `dst_db` (with its TTL). Returns false when the
    /// destination exists and `replace` is off, or the source is missing.
    ///
    /// # Errors
    /// `SameObject` when source and destination are the same key.
    pub fn copy(&mut self, db: usize, src: &[u8], dst_db: usize, dst: &[u8], replace: bool) -> KsResult<bool> {
        if db == dst_db && src == dst {
            return Err(KsError::SameObject);
        }
        let Some(e) = self.lookup(db, src, false) else { return Ok(false) };
        let (value, expire_at) = (e.value.clone(), e.expire_at());
        if self.lookup(dst_db, dst, false).is_some() {
            if !replace {
                return Ok(false);
            }
            self.remove(dst_db, dst);
        }
        self.set_value(dst_db, dst, value, false, expire_at);
        Ok(true)
    }

    /// MOVE to another database. False when the key is missing or exists there.
    ///
    /// # Errors
    /// `SameObject` when `dst_db == db`.
    pub fn move_key(&mut self, db: usize, key: &[u8], dst_db: usize) -> KsResult<bool> {
        if db == dst_db {
            return Err(KsError::SameObject);
        }
        if self.lookup(db, key, false).is_none() {
            return Ok(false);
        }
        if self.lookup(dst_db, key, false).is_some() {
            return Ok(false);
        }
        let e = self.remove(db, key).expect("looked up above");
        self.insert_entry(dst_db, e);
        Ok(true)
    }

    /// EXPIRE family with an absolute time in Unix ms. A time not in the
    /// future deletes the key. Returns true when the TTL was set (or the key
    /// deleted), false when the key is missing or the condition failed.
    pub fn expire_at(&mut self, db: usize, key: &[u8], at: i64, cond: ExpireCond) -> bool {
        let now = self.now() as i64;
        let Some(e) = self.lookup(db, key, false) else { return false };
        let cur = e.expire_at();
        let ok = match cond {
            ExpireCond::Always => true,
            ExpireCond::Nx => cur == 0,
            ExpireCond::Xx => cur != 0,
            ExpireCond::Gt => cur != 0 && at > cur as i64,
            ExpireCond::Lt => cur == 0 || at < cur as i64,
        };
        if !ok {
            return false;
        }
        if at <= now {
            self.remove(db, key);
        } else {
            self.set_expire(db, key, at as u64);
        }
        true
    }

    /// TTL / PTTL / EXPIRETIME / PEXPIRETIME source.
    pub fn ttl(&mut self, db: usize, key: &[u8]) -> Ttl {
        match self.lookup_ro(db, key, false) {
            None => Ttl::Missing,
            Some(e) if e.expire_at() == 0 => Ttl::Persistent,
            Some(e) => Ttl::At(e.expire_at()),
        }
    }

    /// PERSIST: true when a TTL was removed.
    pub fn persist(&mut self, db: usize, key: &[u8]) -> bool {
        match self.lookup(db, key, true) {
            Some(e) if e.expire_at() != 0 => self.set_expire(db, key, 0),
            _ => false,
        }
    }

    /// KEYS: every live key matching `pattern`.
    pub fn keys(&self, db: usize, pattern: &[u8]) -> Vec<Vec<u8>> {
        let all = pattern == b"*";
        let mut out = Vec::new();
        self.db(db).dict.for_each(|e| {
            if !self.entry_expired(e) && (all || glob_match(pattern, &e.key, false)) {
                out.push(e.key.to_vec());
            }
        });
        out
    }

    /// One SCAN call: visits buckets from `cursor` until at least `count`
    /// keys were gathered (or about 10x `count` buckets were visited, so
    /// sparse tables still return promptly), then filters by pattern and
    /// type. Expired keys found are deleted, as Redis does.
    pub fn scan(
        &mut self,
        db: usize,
        cursor: u64,
        count: usize,
        pattern: Option<&[u8]>,
        type_name: Option<&str>,
    ) -> (u64, Vec<Vec<u8>>) {
        let mut found: Vec<(Vec<u8>, &'static str, bool)> = Vec::new();
        let mut cur = cursor;
        let mut visits = count.saturating_mul(10).max(100);
        let now = self.now();
        loop {
            cur = self.db(db).dict.scan(cur, |e: &Entry| {
                let expired = e.expire_at() != 0 && e.expire_at() <= now;
                found.push((e.key.to_vec(), e.value.type_name(), expired));
            });
            visits -= 1;
            if cur == 0 || found.len() >= count || visits == 0 {
                break;
            }
        }
        let pattern = pattern.filter(|p| *p != b"*");
        let mut keys = Vec::with_capacity(found.len());
        for (k, t, expired) in found {
            if expired {
                self.lookup(db, &k, false);
                continue;
            }
            if pattern.is_some_and(|p| !glob_match(p, &k, false)) {
                continue;
            }
            if type_name.is_some_and(|want| !want.eq_ignore_ascii_case(t)) {
                continue;
            }
            keys.push(k);
        }
        (cur, keys)
    }

    /// RANDOMKEY: a random live key. Expired keys met on the way are deleted;
    /// gives up (None) after many tries when every key is expired.
    pub fn random_key(&mut self, db: usize) -> Option<Vec<u8>> {
        for _ in 0..100 {
            let mut seed = self.rand();
            let mut rng = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let (key, expired) = {
                let e = self.db(db).dict.random_entry(&mut rng)?;
                (e.key.to_vec(), self.entry_expired(e))
            };
            if !expired {
                return Some(key);
            }
            self.lookup(db, &key, false);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::SetOpts;

    fn ks() -> Keyspace {
        let mut k = Keyspace::new(16);
        k.set_now(1_000_000);
        k
    }

    #[test]
    fn expire_conditions() {
        let mut k = ks();
        k.set_str(0, b"a", b"1", SetOpts::default()).unwrap();
        assert!(!k.expire_at(0, b"a", 2_000_000, ExpireCond::Xx));
        assert!(!k.expire_at(0, b"a", 2_000_000, ExpireCond::Gt));
        assert!(k.expire_at(0, b"a", 2_000_000, ExpireCond::Lt));
        assert!(!k.expire_at(0, b"a", 3_000_000, ExpireCond::Nx));
        assert!(k.expire_at(0, b"a", 3_000_000, ExpireCond::Gt));
        assert_eq!(k.ttl(0, b"a"), Ttl::At(3_000_000));
        assert!(k.persist(0, b"a"));
        assert_eq!(k.ttl(0, b"a"), Ttl::Persistent);
        assert!(k.expire_at(0, b"a", 5, ExpireCond::Always));
        assert_eq!(k.ttl(0, b"a"), Ttl::Missing);
    }

    #[test]
    fn rename_copy_move() {
        let mut k = ks();
        k.set_str(0, b"a", b"1", SetOpts::default()).unwrap();
        assert_eq!(k.rename(0, b"nope", b"b", false), Err(KsError::NoSuchKey));
        assert!(k.rename(0, b"a", b"b", false).unwrap());
        assert!(k.copy(0, b"b", 1, b"b", false).unwrap());
        assert!(!k.copy(0, b"b", 1, b"b", false).unwrap());
        assert_eq!(k.copy(0, b"b", 0, b"b", true), Err(KsError::SameObject));
        assert!(!k.move_key(0, b"b", 1).unwrap());
        k.del(1, b"b");
        assert!(k.move_key(0, b"b", 1).unwrap());
        assert_eq!(k.db(1).len(), 1);
    }

    #[test]
    fn scan_with_pattern_and_type() {
        let mut k = ks();
        for i in 0..500 {
            k.set_str(0, format!("user:{i}").as_bytes(), b"x", SetOpts::default()).unwrap();
            k.set_str(0, format!("other:{i}").as_bytes(), b"x", SetOpts::default()).unwrap();
        }
        let mut all = std::collections::HashSet::new();
        let mut c = 0;
        loop {
            let (n, keys) = k.scan(0, c, 10, Some(b"user:*"), Some("string"));
            all.extend(keys);
            c = n;
            if c == 0 {
                break;
            }
        }
        assert_eq!(all.len(), 500);
        let (_, none) = k.scan(0, 0, 10_000, None, Some("hash"));
        assert!(none.is_empty());
    }
}
