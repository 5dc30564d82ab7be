//! Server commands: DBSIZE FLUSHDB FLUSHALL SWAPDB TIME LASTSAVE MONITOR
//! SHUTDOWN DEBUG. (INFO, CONFIG, COMMAND and SLOWLOG have files of their own.)

use crate::client::ShutdownMode;
use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::server::now_us;
use std::sync::atomic::Ordering;

const KW: &[&str] = &["keyspace", "write", "slow", "dangerous"];
const ADM: &[&str] = &["admin", "slow", "dangerous"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "dbsize",
        1,
        READONLY | FAST,
        (0, 0, 0),
        &["keyspace", "read", "fast"],
        "server",
        "1.0.0",
        "Returns the number of keys in the database.",
        dbsize,
    ),
    spec("flushdb", -1, WRITE, (0, 0, 0), KW, "server", "1.0.0", "Remove all keys from the current database.", flushdb),
    spec("flushall", -1, WRITE, (0, 0, 0), KW, "server", "1.0.0", "Removes all keys from all databases.", flushall),
    spec(
        "swapdb",
        3,
        WRITE | FAST,
        (0, 0, 0),
        &["keyspace", "write", "fast", "dangerous"],
        "server",
        "4.0.0",
        "Swaps two Redis databases.",
        swapdb,
    ),
    spec("time", 1, LOADING | STALE | FAST, (0, 0, 0), &["fast"], "server", "2.6.0", "Returns the server time.", time),
    spec(
        "lastsave",
        1,
        LOADING | STALE | FAST,
        (0, 0, 0),
        &["admin", "fast", "dangerous"],
        "server",
        "1.0.0",
        "Returns the Unix timestamp of the last successful save to disk.",
        lastsave,
    ),
    spec(
        "monitor",
        1,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "server",
        "1.0.0",
        "Listens for all requests received by the server in real-time.",
        monitor,
    ),
    spec(
        "shutdown",
        -1,
        ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY,
        (0, 0, 0),
        ADM,
        "server",
        "1.0.0",
        "Synchronously saves the database(s) to disk and shuts down the Redis server.",
        shutdown,
    ),
    spec(
        "debug",
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        (0, 0, 0),
        ADM,
        "server",
        "1.0.0",
        "A container for debugging commands.",
        debug,
    ),
];

/// DBSIZE
fn dbsize(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let n = ctx.store.ks.db(db).len();
    ctx.out.int(n as i64);
    Ok(())
}

/// Parses the optional ASYNC | SYNC argument of FLUSHDB/FLUSHALL.
fn flush_async(ctx: &Ctx) -> Result<bool, CmdError> {
    match ctx.argc() {
        1 => Ok(false),
        2 if eq(ctx.arg(1), "async") => Ok(true),
        2 if eq(ctx.arg(1), "sync") => Ok(false),
        _ => Err(errors::SYNTAX.into()),
    }
}

/// Frees a flushed table. Large ones go to a helper thread for ASYNC, so
/// the store lock is not held while millions of entries are freed.
fn dispose(old: keyspace::Dict, lazy: bool) {
    if lazy && old.len() > 64 {
        std::thread::spawn(move || drop(old));
    }
}

/// FLUSHDB [ASYNC | SYNC]
fn flushdb(ctx: &mut Ctx) -> CmdResult {
    let lazy = flush_async(ctx)?;
    let db = ctx.db();
    ctx.store.watches.touch_db(&ctx.store.ks, db, None);
    // Counted before: a running BGSAVE keeps the old table and hands back an empty one.
    let n = ctx.store.ks.db(db).len() as u64;
    let old = ctx.store.ks.flush_db(db);
    ctx.changed(n);
    dispose(old, lazy);
    ctx.out.ok();
    Ok(())
}

/// FLUSHALL [ASYNC | SYNC]
fn flushall(ctx: &mut Ctx) -> CmdResult {
    let lazy = flush_async(ctx)?;
    for db in 0..ctx.store.ks.db_count() {
        ctx.store.watches.touch_db(&ctx.store.ks, db, None);
        let n = ctx.store.ks.db(db).len() as u64;
        let old = ctx.store.ks.flush_db(db);
        ctx.changed(n);
        dispose(old, lazy);
    }
    // Redis counts FLUSHALL as a change even on an empty keyspace.
    ctx.changed(1);
    if crate::snapshot::after_flushall(ctx.shared, ctx.store) {
        // The save reset the counter; Redis then counts the FLUSHALL itself once.
        ctx.dirty = 1;
    }
    ctx.out.ok();
    Ok(())
}

/// SWAPDB index1 index2
fn swapdb(ctx: &mut Ctx) -> CmdResult {
    let a = ctx.int_arg(1).map_err(|_| CmdError::from(errors::INVALID_FIRST_DB))?;
    let b = ctx.int_arg(2).map_err(|_| CmdError::from(errors::INVALID_SECOND_DB))?;
    let n = ctx.store.ks.db_count() as i64;
    if a < 0 || a >= n || b < 0 || b >= n {
        return Err(errors::DB_INDEX_OUT_OF_RANGE.into());
    }
    let (a, b) = (a as usize, b as usize);
    ctx.store.watches.touch_db(&ctx.store.ks, a, Some(b));
    ctx.store.watches.touch_db(&ctx.store.ks, b, Some(a));
    ctx.store.ks.swap_dbs(a, b);
    // Clients blocked on a key that now exists in the swapped-in database are served.
    ctx.store.blocking.signal_existing(&ctx.store.ks, a);
    ctx.store.blocking.signal_existing(&ctx.store.ks, b);
    ctx.changed(1);
    ctx.out.ok();
    Ok(())
}

/// TIME
fn time(ctx: &mut Ctx) -> CmdResult {
    let us = now_us();
    ctx.out.array(2);
    ctx.out.bulk((us / 1_000_000).to_string().as_bytes());
    ctx.out.bulk((us % 1_000_000).to_string().as_bytes());
    Ok(())
}

/// LASTSAVE
fn lastsave(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(ctx.store.lastsave as i64);
    Ok(())
}

/// MONITOR: from now on, every command any client runs is pushed here.
fn monitor(ctx: &mut Ctx) -> CmdResult {
    if !ctx.client.monitor {
        ctx.client.monitor = true;
        ctx.client.handle.info.lock().monitor = true;
        ctx.shared.monitors.lock().push(ctx.client.handle.clone());
        ctx.shared.monitor_count.fetch_add(1, Ordering::AcqRel);
    }
    ctx.out.ok();
    Ok(())
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
fn shutdown(ctx: &mut Ctx) -> CmdResult {
    let mut mode = ShutdownMode::Default;
    let mut abort = false;
    let mut force = false;
    for i in 1..ctx.argc() {
        let a = ctx.arg(i);
        if eq(a, "nosave") && mode != ShutdownMode::Save {
            mode = ShutdownMode::NoSave;
        } else if eq(a, "save") && mode != ShutdownMode::NoSave {
            mode = ShutdownMode::Save;
        } else if eq(a, "now") {
            // Nothing to wait for: no replicas.
        } else if eq(a, "force") {
            force = true;
        } else if eq(a, "abort") {
            abort = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    if abort {
        if ctx.argc() > 2 {
            return Err(errors::SYNTAX.into());
        }
        return Err(errors::NO_SHUTDOWN.into());
    }
    // A script past busy-reply-threshold: only SHUTDOWN NOSAVE (busy.rs exits at once).
    if let Some(r) = ctx.store.busy.as_deref() {
        if mode != ShutdownMode::NoSave {
            return Err(crate::busy::busy_error(r.eval).into());
        }
    }
    // The final save runs here, under the lock, so that a failure can be
    // answered (Redis keeps running unless FORCE); the exit path saves again
    // only if a write slipped in between.
    let save = match mode {
        ShutdownMode::Save => true,
        ShutdownMode::Default => !crate::snapshot::save_points(ctx.shared).is_empty(),
        _ => false,
    };
    if save {
        if crate::snapshot::shutdown_save(ctx.shared, ctx.store, true).is_err() && !force {
            return Err(errors::SHUTDOWN_ERRORS.into());
        }
        mode = ShutdownMode::Saved;
    }
    // No reply on success: the connection closes as the server exits.
    ctx.client.shutdown = Some(mode);
    Ok(())
}

/// DEBUG SLEEP seconds | DEBUG HELP
fn debug(ctx: &mut Ctx) -> CmdResult {
    let allowed = match ctx.shared.config.read().value("enable-debug-command") {
        Some("yes") => true,
        Some("local") => ctx.client.handle.is_local(),
        _ => false,
    };
    if !allowed {
        return Err(errors::DEBUG_NOT_ALLOWED.into());
    }
    let sub = ctx.arg(1);
    if eq(sub, "sleep") && ctx.argc() == 3 {
        let secs: f64 = std::str::from_utf8(ctx.arg(2)).ok().and_then(|s| s.parse().ok()).unwrap_or(0.0);
        // Holds the store like Redis's single thread would: that is the point of it.
        std::thread::sleep(std::time::Duration::from_secs_f64(secs.clamp(0.0, 3600.0)));
        ctx.out.ok();
        return Ok(());
    }
    if eq(sub, "reload") {
        // DEBUG RELOAD [NOSAVE]: the other options of Redis (MERGE, NOFLUSH) are refused, not ignored.
        let mut save = true;
        for i in 2..ctx.argc() {
            if eq(ctx.arg(i), "nosave") {
                save = false;
            } else {
                return Err(errors::SYNTAX.into());
            }
        }
        crate::snapshot::debug_reload(ctx.shared, ctx.store, save).map_err(CmdError::from)?;
        ctx.out.ok();
        return Ok(());
    }
    if eq(sub, "help") {
        crate::cmd::command::reply_help(
            ctx.out,
            "DEBUG",
            &[
                "RELOAD [NOSAVE]",
                "    Save the RDB on disk and reload it back to memory. NOSAVE skips the save.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        );
        return Ok(());
    }
    Err(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
        String::from_utf8_lossy(sub)
    )
    .into())
}
