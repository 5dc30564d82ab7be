//! Clients parked by blocking commands (BLPOP, BZPOPMIN, ...), per key in
//! first-blocked first-served order, and the serving of keys that became
//! ready. A write to a key someone waits on marks it ready (through the
//! store's `signal_modified`); after the writing command (or the whole
//! EXEC) the dispatcher calls [`serve_ready`], which runs each waiter's
//! command again, in order, under the same lock, and hands the reply to the
//! waiter's connection. A waiter whose command still finds nothing stays parked
//! in its place.

use crate::client::{Client, ClientHandle};
use crate::command::Resolved;
use crate::server::{Shared, Store};
use bytes::Bytes;
use resp::Out;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use tokio::sync::oneshot;

/// A parked client.
pub struct Parked {
    pub handle: Arc<ClientHandle>,
    pub db: usize,
    pub resp3: bool,
    pub argv: Vec<Bytes>,
    pub cmd: Resolved,
    pub keys: Vec<Bytes>,
    pub tx: oneshot::Sender<Bytes>,
}

/// Parked clients and ready keys.
#[derive(Default)]
pub struct Blocking {
    by_key: HashMap<(usize, Bytes), VecDeque<u64>>,
    clients: HashMap<u64, Parked>,
    ready: VecDeque<(usize, Bytes)>,
    ready_set: HashSet<(usize, Bytes)>,
}

impl Blocking {
    /// Number of parked clients (INFO blocked_clients).
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// True when no client is parked.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// Number of distinct keys clients wait on.
    pub fn keys(&self) -> usize {
        self.by_key.len()
    }

    /// Parks client `id` at the end of each of its keys' queues.
    pub fn park(&mut self, id: u64, p: Parked) {
        for k in &p.keys {
            let q = self.by_key.entry((p.db, k.clone())).or_default();
            if !q.contains(&id) {
                q.push_back(id);
            }
        }
        self.clients.insert(id, p);
    }

    /// Removes client `id` (served, timed out, unblocked or gone).
    pub fn cancel(&mut self, id: u64) -> Option<Parked> {
        let p = self.clients.remove(&id)?;
        for k in &p.keys {
            let key = (p.db, k.clone());
            if let Some(q) = self.by_key.get_mut(&key) {
                q.retain(|&c| c != id);
                if q.is_empty() {
                    self.by_key.remove(&key);
                }
            }
        }
        Some(p)
    }

    /// `key` was written: if someone waits on it, queue it for serving.
    #[inline]
    pub fn signal(&mut self, db: usize, key: &[u8]) {
        if self.by_key.is_empty() {
            return;
        }
        let k = (db, Bytes::copy_from_slice(key));
        if self.by_key.contains_key(&k) && self.ready_set.insert(k.clone()) {
            self.ready.push_back(k);
        }
    }

    /// Marks ready every waited-on key of `db` that exists (after SWAPDB).
    pub fn signal_existing(&mut self, ks: &keyspace::Keyspace, db: usize) {
        let keys: Vec<(usize, Bytes)> =
            self.by_key.keys().filter(|(d, k)| *d == db && ks.peek(db, k).is_some()).cloned().collect();
        for k in keys {
            if self.ready_set.insert(k.clone()) {
                self.ready.push_back(k);
            }
        }
    }

    /// True when some written key has waiters to serve.
    #[inline]
    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }
}

/// Serves clients waiting on keys that became ready, until none is left
/// (serving one may make another key ready, as BLMOVE does).
pub fn serve_ready(shared: &Arc<Shared>, store: &mut Store) {
    while let Some(key) = store.blocking.ready.pop_front() {
        store.blocking.ready_set.remove(&key);
        let waiting: Vec<u64> = match store.blocking.by_key.get(&key) {
            Some(q) => q.iter().copied().collect(),
            None => continue,
        };
        for id in waiting {
            let Some(ty) = store.ks.peek(key.0, &key.1).map(|e| e.value.type_name()) else {
                break; // emptied by an earlier waiter: the rest keep waiting
            };
            let Some(p) = store.blocking.clients.remove(&id) else { continue };
            if ty != waits_for(p.cmd) {
                // Redis 7.0 leaves a waiter parked when its key now holds another type.
                store.blocking.clients.insert(id, p);
                continue;
            }
            let mut client = Client::for_retry(p.handle.clone(), p.db, p.resp3);
            let mut out = Out::new(p.resp3);
            crate::dispatch::call(shared, &mut client, store, &mut out, &p.argv, p.cmd);
            if client.block_req.take().is_some() {
                // Still nothing for it (wrong type, say): it keeps its place.
                store.blocking.clients.insert(id, p);
                continue;
            }
            store.blocking.clients.insert(id, p);
            let p = store.blocking.cancel(id).expect("just inserted");
            let _ = p.tx.send(Bytes::from(out.take()));
        }
    }
}

/// The type a blocking command waits for, from its ACL category.
fn waits_for(cmd: Resolved) -> &'static str {
    let acl = cmd.spec.acl;
    if acl.contains(&"sortedset") {
        "zset"
    } else if acl.contains(&"stream") {
        "stream"
    } else {
        "list"
    }
}

/// CLIENT UNBLOCK: answers parked client `id` with its timeout reply, or
/// with the UNBLOCKED error. Returns false when it was not parked.
pub fn unblock(store: &mut Store, id: u64, error: bool) -> bool {
    let Some(p) = store.blocking.cancel(id) else { return false };
    let mut out = Out::new(p.resp3);
    if error {
        out.error(crate::errors::UNBLOCKED);
    } else {
        // TIMEOUT replies what a timeout does: a null array, for every parked command (Redis 7.0).
        out.null_array();
    }
    let _ = p.tx.send(Bytes::from(out.take()));
    true
}
