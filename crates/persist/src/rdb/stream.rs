//! Streams in RDB files: Redis 7.0's `STREAM_LISTPACKS_2` layout (and the
//! older `STREAM_LISTPACKS`): nodes as listpacks keyed by their 16-byte
//! big-endian master ID, then the counters, then consumer groups with their
//! pending entries and consumers.
//!
//! A node's listpack holds the master entry (live count, deleted count,
//! field count, the fields, a 0 terminator) and then each entry: flags,
//! millisecond and sequence deltas from the master ID, the field count and
//! fields unless the entry has the master's fields, the values, and the
//! number of listpack elements the entry used.

use super::blob::{self, Elem, ListpackWriter};
use super::write::{put_len, put_string};
use super::RdbError;
use keyspace::stream::{Consumer, Group, Nack, RawEntry, Stream, StreamId};
use std::collections::BTreeSet;

const DELETED: i64 = 1;
const SAME_FIELDS: i64 = 2;

fn id_bytes(id: StreamId) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&id.ms.to_be_bytes());
    b[8..].copy_from_slice(&id.seq.to_be_bytes());
    b
}

fn id_from(b: &[u8]) -> Option<StreamId> {
    (b.len() == 16).then(|| {
        StreamId::new(
            u64::from_be_bytes(b[..8].try_into().expect("8")),
            u64::from_be_bytes(b[8..].try_into().expect("8")),
        )
    })
}

/// Writes the body of a stream value (type `STREAM_LISTPACKS_2`).
pub fn put_stream(out: &mut Vec<u8>, s: &Stream, compress: bool) {
    let mut nodes: Vec<(StreamId, Vec<u8>)> = Vec::new();
    s.for_each_node(|master, fields, entries| {
        let mut lp = ListpackWriter::new();
        let live = entries.iter().filter(|e| !e.deleted).count() as i64;
        lp.push_int(live);
        lp.push_int(entries.len() as i64 - live);
        lp.push_int(fields.len() as i64);
        for f in fields {
            lp.push(f);
        }
        lp.push_int(0);
        for e in &entries {
            let same = e.pairs.len() == fields.len() && e.pairs.iter().zip(fields).all(|((f, _), m)| *f == &m[..]);
            let flags = if e.deleted { DELETED } else { 0 } | if same { SAME_FIELDS } else { 0 };
            lp.push_int(flags);
            lp.push_int(e.id.ms.wrapping_sub(master.ms) as i64);
            lp.push_int(e.id.seq.wrapping_sub(master.seq) as i64);
            if !same {
                lp.push_int(e.pairs.len() as i64);
            }
            for (f, v) in &e.pairs {
                if !same {
                    lp.push(f);
                }
                lp.push(v);
            }
            let n = e.pairs.len() as i64;
            lp.push_int(if same { n + 3 } else { 2 * n + 4 });
        }
        nodes.push((master, lp.finish()));
    });
    put_len(out, nodes.len() as u64);
    for (master, lp) in nodes {
        put_string(out, &id_bytes(master), false);
        put_string(out, &lp, compress);
    }
    put_len(out, s.length);
    put_len(out, s.last_id.ms);
    put_len(out, s.last_id.seq);
    put_len(out, s.first_id.ms);
    put_len(out, s.first_id.seq);
    put_len(out, s.max_deleted.ms);
    put_len(out, s.max_deleted.seq);
    put_len(out, s.entries_added);
    put_len(out, s.groups.len() as u64);
    for (name, g) in &s.groups {
        put_string(out, name, compress);
        put_len(out, g.last_id.ms);
        put_len(out, g.last_id.seq);
        put_len(out, g.entries_read as u64);
        put_len(out, g.pel.len() as u64);
        for (id, n) in &g.pel {
            out.extend_from_slice(&id_bytes(*id));
            out.extend_from_slice(&n.delivery_time.to_le_bytes());
            put_len(out, n.delivery_count);
        }
        put_len(out, g.consumers.len() as u64);
        for (cname, c) in &g.consumers {
            put_string(out, cname, compress);
            out.extend_from_slice(&c.seen_time.to_le_bytes());
            put_len(out, c.pel.len() as u64);
            for id in &c.pel {
                out.extend_from_slice(&id_bytes(*id));
            }
        }
    }
}

/// What the stream reader needs from the RDB input.
pub(crate) trait Source {
    fn len(&mut self) -> Result<u64, RdbError>;
    fn string(&mut self) -> Result<Vec<u8>, RdbError>;
    fn raw<const N: usize>(&mut self) -> Result<[u8; N], RdbError>;
}

fn bad(what: &str) -> RdbError {
    RdbError::corrupt(format!("Stream {what} integrity check failed"))
}

fn int_of(e: Option<&Elem>) -> Result<i64, RdbError> {
    match e {
        Some(Elem::Int(n)) => Ok(*n),
        Some(Elem::Str(s)) => keyspace::value::parse_i64(s).ok_or_else(|| bad("listpack")),
        None => Err(bad("listpack")),
    }
}

/// Reads a stream body of type 15 (`v1`) or 19 (`v2`, Redis 7.0).
pub(crate) fn read_stream(inp: &mut impl Source, v2: bool) -> Result<Stream, RdbError> {
    let mut s = Stream::new();
    let nodes = inp.len()?;
    let mut last_seen: Option<StreamId> = None;
    for _ in 0..nodes {
        let key = inp.string()?;
        let master = id_from(&key).ok_or_else(|| bad("node key"))?;
        let lp = inp.string()?;
        let elems = blob::listpack(&lp).ok_or_else(|| bad("listpack"))?;
        let mut i = 0usize;
        macro_rules! next {
            () => {{
                i += 1;
                elems.get(i - 1)
            }};
        }
        let _live = int_of(next!())?;
        let _deleted = int_of(next!())?;
        let nf = int_of(next!())?;
        if nf < 0 || nf as usize > elems.len() {
            return Err(bad("master entry"));
        }
        let fields_e: Vec<Vec<u8>> =
            (0..nf).map(|_| next!().map(|e| e.to_vec()).ok_or_else(|| bad("listpack"))).collect::<Result<_, _>>()?;
        if int_of(next!())? != 0 {
            return Err(bad("master entry"));
        }
        let mut owned: Vec<(bool, StreamId, Vec<(Vec<u8>, Vec<u8>)>)> = Vec::new();
        while i < elems.len() {
            let flags = int_of(next!())?;
            let ms = master.ms.wrapping_add(int_of(next!())? as u64);
            let seq = master.seq.wrapping_add(int_of(next!())? as u64);
            let id = StreamId::new(ms, seq);
            if last_seen.is_some_and(|l| id <= l) || id < master {
                return Err(bad("entry ID order"));
            }
            last_seen = Some(id);
            let mut pairs = Vec::new();
            if flags & SAME_FIELDS != 0 {
                for f in &fields_e {
                    pairs.push((f.clone(), next!().ok_or_else(|| bad("listpack"))?.to_vec()));
                }
            } else {
                let n = int_of(next!())?;
                if n < 0 || n as usize > elems.len() {
                    return Err(bad("entry"));
                }
                for _ in 0..n {
                    let f = next!().ok_or_else(|| bad("listpack"))?.to_vec();
                    let v = next!().ok_or_else(|| bad("listpack"))?.to_vec();
                    pairs.push((f, v));
                }
            }
            int_of(next!())?; // lp-count, only for walking backwards
            owned.push((flags & DELETED != 0, id, pairs));
        }
        let entries: Vec<RawEntry> = owned
            .iter()
            .map(|(d, id, p)| RawEntry {
                deleted: *d,
                id: *id,
                pairs: p.iter().map(|(f, v)| (&f[..], &v[..])).collect(),
            })
            .collect();
        s.push_node(master, fields_e.into_iter().map(Vec::into_boxed_slice).collect(), &entries);
    }
    s.length = inp.len()?;
    s.last_id = StreamId::new(inp.len()?, inp.len()?);
    if v2 {
        s.first_id = StreamId::new(inp.len()?, inp.len()?);
        s.max_deleted = StreamId::new(inp.len()?, inp.len()?);
        s.entries_added = inp.len()?;
    } else {
        s.first_id = s.edge_id(false).unwrap_or_default();
        s.entries_added = s.length;
    }
    if last_seen.is_some_and(|l| l > s.last_id) {
        return Err(bad("last ID"));
    }
    let groups = inp.len()?;
    for _ in 0..groups {
        let name = inp.string()?;
        let last_id = StreamId::new(inp.len()?, inp.len()?);
        let entries_read = if v2 { inp.len()? as i64 } else { s.estimate_distance(last_id) };
        let mut g = Group { last_id, entries_read, ..Default::default() };
        let mut owned_ids = BTreeSet::new();
        let pel = inp.len()?;
        for _ in 0..pel {
            let id = id_from(&inp.raw::<16>()?).expect("16 bytes");
            let delivery_time = u64::from_le_bytes(inp.raw::<8>()?);
            let delivery_count = inp.len()?;
            g.pel.insert(id, Nack { consumer: Box::default(), delivery_time, delivery_count });
        }
        let consumers = inp.len()?;
        for _ in 0..consumers {
            let cname = inp.string()?;
            let seen_time = u64::from_le_bytes(inp.raw::<8>()?);
            let mut c = Consumer { seen_time, pel: BTreeSet::new() };
            let n = inp.len()?;
            for _ in 0..n {
                let id = id_from(&inp.raw::<16>()?).expect("16 bytes");
                let nack = g.pel.get_mut(&id).ok_or_else(|| bad("consumer PEL entry without group entry"))?;
                nack.consumer = cname.clone().into_boxed_slice();
                if !owned_ids.insert(id) {
                    return Err(bad("PEL entry owned twice"));
                }
                c.pel.insert(id);
            }
            g.consumers.insert(cname.into_boxed_slice(), c);
        }
        if owned_ids.len() != g.pel.len() {
            return Err(bad("PEL entry without consumer"));
        }
        if s.groups.insert(name.into_boxed_slice(), g).is_some() {
            return Err(bad("duplicate consumer group"));
        }
    }
    Ok(s)
}
