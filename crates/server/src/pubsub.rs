//! Pub/Sub state: who listens to which channel, pattern and shard channel,
//! and message delivery. It lives in the store, so PUBLISH, keyspace
//! notifications and (un)subscriptions are ordered with every other command.
//! Messages go to each subscriber's push queue, whose size the
//! `client-output-buffer-limit pubsub` hard limit bounds.

use crate::client::ClientHandle;
use bytes::Bytes;
use keyspace::glob::Glob;
use resp::Out;
use std::collections::HashMap;
use std::sync::Arc;

/// Subscribers of one channel or pattern, in subscription order.
type Subs = Vec<Arc<ClientHandle>>;

/// A pattern subscription with its compiled matcher.
struct Pattern {
    glob: Glob,
    subs: Subs,
}

/// Every subscription on the server.
#[derive(Default)]
pub struct PubSub {
    channels: HashMap<Bytes, Subs>,
    patterns: HashMap<Bytes, Pattern>,
    shard: HashMap<Bytes, Subs>,
    /// Output limit for subscribers (client-output-buffer-limit pubsub hard; 0 = none).
    pub limit: usize,
}

/// Which namespace a subscription lives in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Channel,
    Pattern,
    Shard,
}

impl PubSub {
    fn map(&mut self, kind: Kind) -> &mut HashMap<Bytes, Subs> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Shard => &mut self.shard,
            Kind::Pattern => unreachable!("patterns have their own map"),
        }
    }

    /// Adds `h` to `name`'s subscribers (the caller checked it was not subscribed).
    pub fn subscribe(&mut self, kind: Kind, name: &Bytes, h: &Arc<ClientHandle>) {
        if kind == Kind::Pattern {
            let p = self
                .patterns
                .entry(name.clone())
                .or_insert_with(|| Pattern { glob: Glob::new(name, false), subs: Vec::new() });
            p.subs.push(h.clone());
        } else {
            self.map(kind).entry(name.clone()).or_default().push(h.clone());
        }
    }

    /// Removes client `id` from `name`'s subscribers; drops the name when none remain.
    pub fn unsubscribe(&mut self, kind: Kind, name: &[u8], id: u64) {
        fn drop_id(subs: &mut Subs, id: u64) {
            if let Some(i) = subs.iter().position(|h| h.id == id) {
                subs.remove(i);
            }
        }
        if kind == Kind::Pattern {
            if let Some(p) = self.patterns.get_mut(name) {
                drop_id(&mut p.subs, id);
                if p.subs.is_empty() {
                    self.patterns.remove(name);
                }
            }
        } else {
            let m = self.map(kind);
            if let Some(subs) = m.get_mut(name) {
                drop_id(subs, id);
                if subs.is_empty() {
                    m.remove(name);
                }
            }
        }
    }

    /// Delivers `msg` on `channel` to channel and pattern subscribers (or,
    /// for `shard`, to shard-channel subscribers). Returns the number of receivers.
    pub fn publish(&self, channel: &[u8], msg: &[u8], shard: bool) -> usize {
        let mut n = 0;
        let mut enc = Encoded::default();
        let direct = if shard { self.shard.get(channel) } else { self.channels.get(channel) };
        if let Some(subs) = direct {
            let kind: &[u8] = if shard { b"smessage" } else { b"message" };
            for h in subs {
                let bytes = enc.get(resp3_of(h), |o| {
                    o.push(3);
                    o.bulk(kind);
                    o.bulk(channel);
                    o.bulk(msg);
                });
                h.push(bytes, self.limit);
                n += 1;
            }
        }
        if !shard {
            for (pat, p) in &self.patterns {
                if !p.glob.is_match(channel) {
                    continue;
                }
                let mut penc = Encoded::default();
                for h in &p.subs {
                    let bytes = penc.get(resp3_of(h), |o| {
                        o.push(4);
                        o.bulk(b"pmessage");
                        o.bulk(pat);
                        o.bulk(channel);
                        o.bulk(msg);
                    });
                    h.push(bytes, self.limit);
                    n += 1;
                }
            }
        }
        n
    }

    /// True when nobody listens to anything (keyspace events can skip work).
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty()
    }

    /// Channel (or shard channel) names with at least one subscriber, optionally filtered.
    pub fn channel_names(&self, shard: bool, pattern: Option<&[u8]>) -> Vec<Bytes> {
        let m = if shard { &self.shard } else { &self.channels };
        let g = pattern.map(|p| Glob::new(p, false));
        m.keys().filter(|c| g.as_ref().is_none_or(|g| g.is_match(c))).cloned().collect()
    }

    /// Number of subscribers of `channel`.
    pub fn numsub(&self, channel: &[u8], shard: bool) -> usize {
        let m = if shard { &self.shard } else { &self.channels };
        m.get(channel).map_or(0, |s| s.len())
    }

    /// Number of distinct patterns subscribed.
    pub fn numpat(&self) -> usize {
        self.patterns.len()
    }

    /// Number of distinct channels (or shard channels) subscribed.
    pub fn num_channels(&self, shard: bool) -> usize {
        if shard {
            self.shard.len()
        } else {
            self.channels.len()
        }
    }
}

fn resp3_of(h: &ClientHandle) -> bool {
    h.info.lock().resp == 3
}

/// A message encoded at most once per protocol version.
#[derive(Default)]
struct Encoded {
    v2: Option<Bytes>,
    v3: Option<Bytes>,
}

impl Encoded {
    fn get(&mut self, resp3: bool, write: impl FnOnce(&mut Out)) -> Bytes {
        let slot = if resp3 { &mut self.v3 } else { &mut self.v2 };
        slot.get_or_insert_with(|| {
            let mut o = Out::new(resp3);
            write(&mut o);
            Bytes::from(o.take())
        })
        .clone()
    }
}
