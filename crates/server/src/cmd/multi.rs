//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH. Queueing itself is a
//! dispatcher policy (`dispatch::execute`); EXEC runs the queue through the
//! dispatcher's `call`, all under the one store lock the connection holds,
//! so no other client's command can interleave.

use crate::client::MultiState;
use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::Ctx;
use crate::errors::{self, CmdResult};
use std::sync::atomic::Ordering;

const TX: u32 = NOSCRIPT | LOADING | STALE;
const FAST_TX: &[&str] = &["fast", "transaction"];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "multi",
            1,
            TX | FAST | ALLOW_BUSY,
            (0, 0, 0),
            FAST_TX,
            "transactions",
            "1.2.0",
            "Mark the start of a transaction block",
            multi,
        )
    },
    CommandSpec {
        complexity: "Depends on commands in the transaction",
        ..spec(
            "exec",
            1,
            TX | SKIP_SLOWLOG,
            (0, 0, 0),
            &["slow", "transaction"],
            "transactions",
            "1.2.0",
            "Execute all commands issued after MULTI",
            exec,
        )
    },
    CommandSpec {
        complexity: "O(N), when N is the number of queued commands",
        ..spec(
            "discard",
            1,
            TX | FAST | ALLOW_BUSY,
            (0, 0, 0),
            FAST_TX,
            "transactions",
            "2.0.0",
            "Discard all commands issued after MULTI",
            discard,
        )
    },
    CommandSpec {
        complexity: "O(1) for every key.",
        ..spec(
            "watch",
            -2,
            TX | FAST | ALLOW_BUSY,
            (1, -1, 1),
            FAST_TX,
            "transactions",
            "2.2.0",
            "Watch the given keys to determine execution of the MULTI/EXEC block",
            watch,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "unwatch",
            1,
            TX | FAST | ALLOW_BUSY,
            (0, 0, 0),
            FAST_TX,
            "transactions",
            "2.2.0",
            "Forget about all watched keys",
            unwatch,
        )
    },
];

fn multi(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.is_some() {
        return Err(errors::MULTI_NESTED.into());
    }
    ctx.client.multi = Some(MultiState::default());
    ctx.out.ok();
    Ok(())
}

fn exec(ctx: &mut Ctx) -> CmdResult {
    let Some(m) = ctx.client.multi.take() else {
        return Err(errors::EXEC_WITHOUT_MULTI.into());
    };
    if m.error {
        unwatch_all(ctx);
        return Err(errors::EXECABORT.into());
    }
    let id = ctx.client.id();
    let changed = ctx.client.watch_dirty.load(Ordering::Relaxed)
        || ctx.store.watches.expired_since(&ctx.store.ks, &ctx.client.watched, id);
    unwatch_all(ctx);
    if changed {
        ctx.out.null_array();
        return Ok(());
    }
    ctx.out.array(m.queue.len());
    ctx.client.in_exec = true;
    for (argv, cmd) in &m.queue {
        crate::dispatch::call(ctx.shared, ctx.client, ctx.store, ctx.out, argv, *cmd);
    }
    ctx.client.in_exec = false;
    Ok(())
}

fn discard(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.take().is_none() {
        return Err(errors::DISCARD_WITHOUT_MULTI.into());
    }
    unwatch_all(ctx);
    ctx.out.ok();
    Ok(())
}

fn watch(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.is_some() {
        return Err(errors::WATCH_IN_MULTI.into());
    }
    let db = ctx.db();
    let id = ctx.client.id();
    for key in &ctx.argv[1..] {
        if ctx.client.watched.iter().any(|(d, k)| *d == db && k == key) {
            continue;
        }
        ctx.store.watches.watch(&ctx.store.ks, db, key, id, &ctx.client.watch_dirty);
        ctx.client.watched.push((db, key.clone()));
    }
    ctx.out.ok();
    Ok(())
}

fn unwatch(ctx: &mut Ctx) -> CmdResult {
    unwatch_all(ctx);
    ctx.out.ok();
    Ok(())
}

/// Forgets every key the client watches and clears its dirty flag (EXEC,
/// DISCARD, UNWATCH, RESET and disconnection).
pub fn unwatch_all(ctx: &mut Ctx) {
    let id = ctx.client.id();
    forget_watches(ctx.store, ctx.client, id);
}

/// [`unwatch_all`] without a command context (connection cleanup).
pub fn forget_watches(store: &mut crate::server::Store, client: &mut crate::client::Client, id: u64) {
    if !client.watched.is_empty() {
        store.watches.unwatch(&client.watched, id);
        client.watched.clear();
    }
    client.watch_dirty.store(false, Ordering::Relaxed);
}
