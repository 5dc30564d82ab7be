//! Active expiry: reclaiming keys whose TTL passed but that nobody reads.
//!
//! Redis samples random keys from a separate table of volatile keys. We keep
//! the expiry time inside each entry instead (no second table: fewer bytes
//! per key), so we walk the key table with a SCAN cursor that persists
//! between calls. The caller (the server's periodic task) runs short slices
//! under a time budget and keeps going while slices keep finding a good share
//! of expired keys, which is the same adaptive rule Redis uses.

use crate::db::Keyspace;

/// Outcome of one slice.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SliceStats {
    /// Volatile keys examined.
    pub sampled: usize,
    /// Keys deleted.
    pub expired: usize,
    /// True when the walk wrapped around to the start of the table.
    pub wrapped: bool,
}

impl Keyspace {
    /// Walks up to `buckets` buckets of database `db` from its saved cursor
    /// and deletes the keys whose TTL passed.
    pub fn active_expire_slice(&mut self, db: usize, buckets: usize) -> SliceStats {
        let mut st = SliceStats::default();
        if self.db(db).volatile() == 0 {
            return st;
        }
        let now = self.now();
        let mut cursor = self.db(db).expire_cursor;
        let mut doomed: Vec<Vec<u8>> = Vec::new();
        let mut ttl_sum: u64 = 0;
        let mut ttl_n: u64 = 0;
        for _ in 0..buckets {
            cursor = self.db(db).dict.scan(cursor, |e| {
                let at = e.expire_at();
                if at != 0 {
                    st.sampled += 1;
                    if at <= now {
                        doomed.push(e.key.to_vec());
                    } else {
                        ttl_sum += at - now;
                        ttl_n += 1;
                    }
                }
            });
            if cursor == 0 {
                st.wrapped = true;
                break;
            }
        }
        for k in &doomed {
            let before = self.stats.expired_keys;
            self.expire_now(db, k);
            st.expired += (self.stats.expired_keys - before) as usize;
        }
        let d = self.db_mut(db);
        d.expire_cursor = cursor;
        if ttl_n > 0 {
            // Same smoothing as Redis: the new sample weighs 2%.
            let avg = ttl_sum / ttl_n;
            d.avg_ttl = if d.avg_ttl == 0 { avg } else { (d.avg_ttl / 50) * 49 + avg / 50 };
        }
        if d.volatile == 0 {
            d.avg_ttl = 0;
        }
        st
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Keyspace;
    use crate::strings::SetOpts;

    #[test]
    fn slices_reclaim_every_expired_key() {
        let mut k = Keyspace::new(1);
        k.set_now(1000);
        for i in 0..10_000 {
            let o = SetOpts { expire_at: 1500, ..Default::default() };
            k.set_str(0, format!("k{i}").as_bytes(), b"v", o).unwrap();
        }
        for i in 0..100 {
            k.set_str(0, format!("p{i}").as_bytes(), b"v", SetOpts::default()).unwrap();
        }
        k.set_now(2000);
        let mut rounds = 0;
        while k.db(0).volatile() > 0 {
            k.active_expire_slice(0, 64);
            rounds += 1;
            assert!(rounds < 100_000);
        }
        assert_eq!(k.db(0).len(), 100);
        assert_eq!(k.stats.expired_keys, 10_000);
    }
}
