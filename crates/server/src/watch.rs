//! WATCH bookkeeping: which clients watch which keys, and the dirty flags
//! EXEC checks. Every write reaches [`Watches::touch`] through the store's
//! `signal_modified`, so WATCH sees writes from any source, expiry included.

use bytes::Bytes;
use keyspace::Keyspace;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One client's watch on one key.
struct Watcher {
    db: usize,
    client: u64,
    dirty: Arc<AtomicBool>,
    /// The key existed but had logically expired when WATCH ran: its later
    /// deletion by expiry is not a change (Redis 7.0 semantics).
    expired: bool,
}

/// Watched keys, by key name (the db is in each watcher).
#[derive(Default)]
pub struct Watches {
    by_key: HashMap<Bytes, Vec<Watcher>>,
}

impl Watches {
    /// True when nobody watches anything (the common case: one check per write).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Registers `client`'s watch on `key` (caller checks it is not yet watched).
    pub fn watch(&mut self, ks: &Keyspace, db: usize, key: &Bytes, client: u64, dirty: &Arc<AtomicBool>) {
        let expired = ks.db(db).dict.get(key).is_some_and(|e| ks.entry_expired(e));
        self.by_key.entry(key.clone()).or_default().push(Watcher { db, client, dirty: dirty.clone(), expired });
    }

    /// Drops every watch of `client` on `keys`.
    pub fn unwatch(&mut self, keys: &[(usize, Bytes)], client: u64) {
        for (db, key) in keys {
            if let Some(v) = self.by_key.get_mut(key) {
                v.retain(|w| !(w.client == client && w.db == *db));
                if v.is_empty() {
                    self.by_key.remove(key);
                }
            }
        }
    }

    /// `key` in `db` changed: flag its watchers. `ks` tells whether the key
    /// still exists (for watches made on an already-expired key).
    pub fn touch(&mut self, ks: &Keyspace, db: usize, key: &[u8]) {
        let Some(v) = self.by_key.get_mut(key) else { return };
        for w in v.iter_mut().filter(|w| w.db == db) {
            if w.expired {
                if ks.db(db).dict.get(key).is_none() {
                    // The expired key was deleted: logically nothing changed.
                    w.expired = false;
                    continue;
                }
            }
            w.dirty.store(true, Ordering::Relaxed);
        }
    }

    /// FLUSHDB / FLUSHALL / SWAPDB: flags watchers of keys in `db` that exist
    /// there now, or in `other` (the database swapped in).
    pub fn touch_db(&mut self, ks: &Keyspace, db: usize, other: Option<usize>) {
        for (key, v) in self.by_key.iter_mut() {
            for w in v.iter_mut().filter(|w| w.db == db) {
                let here = ks.db(db).dict.get(key).is_some();
                let there = other.is_some_and(|o| ks.db(o).dict.get(key).is_some());
                if here || there {
                    if w.expired && !there {
                        w.expired = false;
                        continue;
                    }
                    w.dirty.store(true, Ordering::Relaxed);
                }
            }
        }
    }

    /// EXEC's last check: a watched key that was live at WATCH time and has
    /// logically expired since (not yet deleted) counts as changed.
    pub fn expired_since(&self, ks: &Keyspace, keys: &[(usize, Bytes)], client: u64) -> bool {
        keys.iter().any(|(db, key)| {
            self.by_key.get(key).is_some_and(|v| {
                v.iter().any(|w| {
                    w.client == client
                        && w.db == *db
                        && !w.expired
                        && ks.db(*db).dict.get(key).is_some_and(|e| ks.entry_expired(e))
                })
            })
        })
    }
}
