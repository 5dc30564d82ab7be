//! Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE
//! SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH PUBSUB. Subscriptions are kept
//! twice: in the client (what it is subscribed to, for its replies and
//! cleanup) and in the store's [`PubSub`](crate::pubsub::PubSub) (who
//! receives a message). The RESP2 subscribed-mode restriction is a dispatcher check.

use crate::cmd::command::reply_help;
use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::Ctx;
use crate::errors::{self, CmdResult};
use crate::pubsub::Kind;
use bytes::Bytes;

const SUB: u32 = PUBSUB | NOSCRIPT | LOADING | STALE;
const SLOW: &[&str] = &["pubsub", "slow"];
const FASTP: &[&str] = &["pubsub", "fast"];

static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        ..spec("channels", -2, PUBSUB | LOADING | STALE, (0, 0, 0), SLOW, "pubsub", "2.8.0", "List active channels", channels)
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec("help", 2, LOADING | STALE, (0, 0, 0), &["slow"], "pubsub", "6.2.0", "Show helpful text about the different subcommands", help)
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec("numpat", 2, PUBSUB | LOADING | STALE, (0, 0, 0), SLOW, "pubsub", "2.8.0", "Get the count of unique patterns pattern subscriptions", numpat)
    },
    CommandSpec {
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        ..spec("numsub", -2, PUBSUB | LOADING | STALE, (0, 0, 0), SLOW, "pubsub", "2.8.0", "Get the count of subscribers for channels", numsub)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        ..spec("shardchannels", -2, PUBSUB | LOADING | STALE, (0, 0, 0), SLOW, "pubsub", "7.0.0", "List active shard channels", shardchannels)
    },
    CommandSpec {
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        ..spec("shardnumsub", -2, PUBSUB | LOADING | STALE, (0, 0, 0), SLOW, "pubsub", "7.0.0", "Get the count of subscribers for shard channels", shardnumsub)
    },
];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(N) where N is the number of channels to subscribe to.",
        ..spec("subscribe", -2, SUB, (0, 0, 0), SLOW, "pubsub", "2.0.0", "Listen for messages published to the given channels", subscribe)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of clients already subscribed to a channel.",
        ..spec("unsubscribe", -1, SUB, (0, 0, 0), SLOW, "pubsub", "2.0.0", "Stop listening for messages posted to the given channels", unsubscribe)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
        ..spec("psubscribe", -2, SUB, (0, 0, 0), SLOW, "pubsub", "2.0.0", "Listen for messages published to channels matching the given patterns", psubscribe)
    },
    CommandSpec {
        complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
        ..spec("punsubscribe", -1, SUB, (0, 0, 0), SLOW, "pubsub", "2.0.0", "Stop listening for messages posted to channels matching the given patterns", punsubscribe)
    },
    CommandSpec {
        complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        ..spec("publish", 3, PUBSUB | LOADING | STALE | FAST, (0, 0, 0), FASTP, "pubsub", "2.0.0", "Post a message to a channel", publish)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of shard channels to subscribe to.",
        ..spec("ssubscribe", -2, SUB, (1, -1, 1), SLOW, "pubsub", "7.0.0", "Listen for messages published to the given shard channels", ssubscribe)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
        ..spec("sunsubscribe", -1, SUB, (1, -1, 1), SLOW, "pubsub", "7.0.0", "Stop listening for messages posted to the given shard channels", sunsubscribe)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
        ..spec("spublish", 3, PUBSUB | LOADING | STALE | FAST, (1, 1, 1), FASTP, "pubsub", "7.0.0", "Post a message to a shard channel", spublish)
    },
    container("pubsub", &["slow"], "pubsub", "2.8.0", "A container for Pub/Sub commands", SUBCOMMANDS),
];

fn names(kind: Kind) -> (&'static [u8], &'static [u8]) {
    match kind {
        Kind::Channel => (b"subscribe", b"unsubscribe"),
        Kind::Pattern => (b"psubscribe", b"punsubscribe"),
        Kind::Shard => (b"ssubscribe", b"sunsubscribe"),
    }
}

fn client_set<'c>(client: &'c mut crate::client::Client, kind: Kind) -> &'c mut std::collections::HashSet<Bytes> {
    match kind {
        Kind::Channel => &mut client.subs.channels,
        Kind::Pattern => &mut client.subs.patterns,
        Kind::Shard => &mut client.subs.shard,
    }
}

/// The count a (un)subscribe confirmation carries: shard subscriptions are
/// counted on their own, channels and patterns together.
fn count(ctx: &Ctx, kind: Kind) -> i64 {
    match kind {
        Kind::Shard => ctx.client.subs.shard.len() as i64,
        _ => ctx.client.subs.count() as i64,
    }
}

fn confirm(ctx: &mut Ctx, what: &[u8], name: Option<&[u8]>, kind: Kind) {
    let n = count(ctx, kind);
    ctx.out.push(3);
    ctx.out.bulk(what);
    match name {
        Some(c) => ctx.out.bulk(c),
        None => ctx.out.null(),
    }
    ctx.out.int(n);
}

fn sub_generic(ctx: &mut Ctx, kind: Kind) -> CmdResult {
    let handle = ctx.client.handle.clone();
    for name in &ctx.argv[1..] {
        if client_set(ctx.client, kind).insert(name.clone()) {
            ctx.store.pubsub.subscribe(kind, name, &handle);
        }
        confirm(ctx, names(kind).0, Some(name), kind);
    }
    Ok(())
}

fn unsub_generic(ctx: &mut Ctx, kind: Kind) -> CmdResult {
    let id = ctx.client.id();
    let what = names(kind).1;
    let targets: Vec<Bytes> =
        if ctx.argc() > 1 { ctx.argv[1..].to_vec() } else { client_set(ctx.client, kind).iter().cloned().collect() };
    if targets.is_empty() {
        confirm(ctx, what, None, kind);
        return Ok(());
    }
    for name in targets {
        if client_set(ctx.client, kind).remove(&name) {
            ctx.store.pubsub.unsubscribe(kind, &name, id);
        }
        confirm(ctx, what, Some(&name), kind);
    }
    Ok(())
}

fn subscribe(ctx: &mut Ctx) -> CmdResult {
    sub_generic(ctx, Kind::Channel)
}
fn psubscribe(ctx: &mut Ctx) -> CmdResult {
    sub_generic(ctx, Kind::Pattern)
}
fn ssubscribe(ctx: &mut Ctx) -> CmdResult {
    sub_generic(ctx, Kind::Shard)
}
fn unsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsub_generic(ctx, Kind::Channel)
}
fn punsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsub_generic(ctx, Kind::Pattern)
}
fn sunsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsub_generic(ctx, Kind::Shard)
}

fn publish(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.store.pubsub.publish(ctx.arg(1), ctx.arg(2), false);
    ctx.out.int(n as i64);
    Ok(())
}

fn spublish(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.store.pubsub.publish(ctx.arg(1), ctx.arg(2), true);
    ctx.out.int(n as i64);
    Ok(())
}

/// Drops every subscription of a departing client.
pub fn forget_client(store: &mut crate::server::Store, client: &mut crate::client::Client) {
    let id = client.id();
    for c in client.subs.channels.drain() {
        store.pubsub.unsubscribe(Kind::Channel, &c, id);
    }
    for p in client.subs.patterns.drain() {
        store.pubsub.unsubscribe(Kind::Pattern, &p, id);
    }
    for s in client.subs.shard.drain() {
        store.pubsub.unsubscribe(Kind::Shard, &s, id);
    }
}

fn list_channels(ctx: &mut Ctx, shard: bool) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(errors::subcommand_syntax("pubsub", ctx.arg(1)).into());
    }
    let pat = if ctx.argc() == 3 { Some(ctx.arg(2)) } else { None };
    let names = ctx.store.pubsub.channel_names(shard, pat);
    ctx.out.array(names.len());
    for n in names {
        ctx.out.bulk(&n);
    }
    Ok(())
}

fn channels(ctx: &mut Ctx) -> CmdResult {
    list_channels(ctx, false)
}
fn shardchannels(ctx: &mut Ctx) -> CmdResult {
    list_channels(ctx, true)
}

fn numsub_generic(ctx: &mut Ctx, shard: bool) -> CmdResult {
    let n = ctx.argc() - 2;
    // A flat array in RESP3 too (Redis 7.0).
    ctx.out.array(2 * n);
    for i in 2..ctx.argc() {
        let c = ctx.arg(i);
        let k = ctx.store.pubsub.numsub(c, shard);
        ctx.out.bulk(c);
        ctx.out.int(k as i64);
    }
    Ok(())
}

fn numsub(ctx: &mut Ctx) -> CmdResult {
    numsub_generic(ctx, false)
}
fn shardnumsub(ctx: &mut Ctx) -> CmdResult {
    numsub_generic(ctx, true)
}

fn numpat(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(ctx.store.pubsub.numpat() as i64);
    Ok(())
}

fn help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "pubsub",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    );
    Ok(())
}
