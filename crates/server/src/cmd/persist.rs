//! Persistence commands: SAVE, BGSAVE, DUMP, RESTORE. (LASTSAVE and
//! SHUTDOWN live with the server commands; the snapshot machinery is
//! `snapshot.rs`, the format `persist::rdb`.)

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class;
use crate::snapshot;
use persist::rdb;

const ADM: &[&str] = &["admin", "slow", "dangerous"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "save",
        1,
        ADMIN | NOSCRIPT | NO_MULTI,
        (0, 0, 0),
        ADM,
        "server",
        "1.0.0",
        "Synchronously saves the database(s) to disk.",
        save,
    ),
    spec(
        "bgsave",
        -1,
        ADMIN | NOSCRIPT,
        (0, 0, 0),
        ADM,
        "server",
        "1.0.0",
        "Asynchronously saves the database(s) to disk.",
        bgsave,
    ),
    spec(
        "dump",
        2,
        READONLY,
        (1, 1, 1),
        &["keyspace", "read", "slow"],
        "generic",
        "2.6.0",
        "Returns a serialized representation of the value stored at a key.",
        dump,
    ),
    spec(
        "restore",
        -4,
        WRITE | DENYOOM,
        (1, 1, 1),
        &["keyspace", "write", "slow", "dangerous"],
        "generic",
        "2.6.0",
        "Creates a key from the serialized representation of a value.",
        restore,
    ),
];

/// SAVE
fn save(ctx: &mut Ctx) -> CmdResult {
    if ctx.store.rdb.in_progress {
        return Err(errors::BGSAVE_IN_PROGRESS.into());
    }
    snapshot::save_sync(ctx.shared, ctx.store).map_err(|_| CmdError::from(errors::SAVE_FAILED))?;
    ctx.out.ok();
    Ok(())
}

/// BGSAVE [SCHEDULE]
fn bgsave(ctx: &mut Ctx) -> CmdResult {
    let schedule = match ctx.argc() {
        1 => false,
        2 if eq(ctx.arg(1), "schedule") => true,
        _ => return Err(errors::SYNTAX.into()),
    };
    if ctx.store.rdb.in_progress {
        return Err(errors::BGSAVE_IN_PROGRESS.into());
    }
    // An AOF rewrite counts as Redis's other active child.
    if ctx.shared.aof.state.lock().rewrite_in_progress {
        if !schedule {
            return Err(errors::BGSAVE_AOF_ACTIVE.into());
        }
        ctx.store.rdb.scheduled = true;
        ctx.out.simple(b"Background saving scheduled");
        return Ok(());
    }
    // Inside EXEC Redis never forks; it schedules, whatever the option says.
    if ctx.client.in_exec {
        ctx.store.rdb.scheduled = true;
        ctx.out.simple(b"Background saving scheduled");
        return Ok(());
    }
    let _ = schedule;
    snapshot::start_bgsave(ctx.shared, ctx.store).map_err(|_| CmdError::from(errors::SAVE_FAILED))?;
    ctx.out.simple(b"Background saving started");
    Ok(())
}

/// DUMP key
fn dump(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.db();
    let key = ctx.arg(1);
    let touch = ctx.touch();
    let compress = ctx.shared.config.read().value("rdbcompression") != Some("no");
    match ctx.store.ks.lookup_read(db, key, touch) {
        Some(e) => {
            let p = rdb::dump_payload(&e.value, compress);
            ctx.out.bulk(&p);
        }
        None => ctx.out.null(),
    }
    Ok(())
}

/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
fn restore(ctx: &mut Ctx) -> CmdResult {
    let mut replace = false;
    let mut absttl = false;
    let mut idle: Option<i64> = None;
    let mut freq: Option<u8> = None;
    let mut i = 4;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        let more = i + 1 < ctx.argc();
        if eq(a, "replace") {
            replace = true;
        } else if eq(a, "absttl") {
            absttl = true;
        } else if eq(a, "idletime") && more {
            i += 1;
            let v = ctx.int_arg(i)?;
            if v < 0 {
                return Err(errors::RESTORE_BAD_IDLETIME.into());
            }
            idle = Some(v);
        } else if eq(a, "freq") && more {
            i += 1;
            let v = ctx.int_arg(i)?;
            if !(0..=255).contains(&v) {
                return Err(errors::RESTORE_BAD_FREQ.into());
            }
            freq = Some(v as u8);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let db = ctx.db();
    let key = ctx.arg(1);
    if !replace && ctx.store.ks.lookup(db, key, false).is_some() {
        return Err(errors::BUSYKEY.into());
    }
    let ttl = ctx.int_arg(2)?;
    if ttl < 0 {
        return Err(errors::RESTORE_BAD_TTL.into());
    }
    let value = rdb::restore_payload(ctx.arg(3), &ctx.store.ks.enc).map_err(|e| match e {
        rdb::RestoreError::VersionOrChecksum => CmdError::from(errors::DUMP_PAYLOAD_WRONG),
        rdb::RestoreError::BadData(rdb::RdbError::Unsupported(what)) => errors::bad_data_unsupported(&what).into(),
        rdb::RestoreError::BadData(_) => CmdError::from(errors::BAD_DATA_FORMAT),
    })?;
    let deleted = replace && ctx.store.ks.remove(db, key).is_some();
    let now = ctx.store.ks.now() as i64;
    let at = if ttl != 0 && !absttl { ttl.wrapping_add(now) } else { ttl };
    if ttl != 0 && at <= now {
        if deleted {
            ctx.wrote(class::GENERIC, "del", key);
            ctx.changed(1);
        }
        ctx.out.ok();
        return Ok(());
    }
    ctx.store.ks.set_value(db, key, value, false, if ttl != 0 { at as u64 } else { 0 });
    ctx.store.ks.set_access(db, key, idle.map(|i| i.max(0) as u64), freq);
    ctx.wrote(class::GENERIC, "restore", key);
    ctx.changed(1);
    ctx.out.ok();
    Ok(())
}
