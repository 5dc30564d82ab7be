//! Append-only file commands: BGREWRITEAOF. (The AOF service itself is
//! `aof.rs`; CONFIG SET appendonly goes through `cmd/config.rs`.)

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::Ctx;
use crate::errors::{self, CmdResult};

pub static COMMANDS: &[CommandSpec] = &[spec(
    "bgrewriteaof",
    1,
    ADMIN | NOSCRIPT | NO_ASYNC_LOADING,
    (0, 0, 0),
    &["admin", "slow", "dangerous"],
    "server",
    "1.0.0",
    "Asynchronously rewrites the append-only file to disk.",
    bgrewriteaof,
)];

/// BGREWRITEAOF
///
/// Starts a rewrite: a new base file of the current dataset and a fresh
/// incr file, swapped in by the manifest. Works with `appendonly no` too
/// (as in Redis, it then just writes the files).
///
/// Replies `Background append only file rewriting scheduled` while a
/// BGSAVE runs or inside EXEC.
///
/// # Errors
/// `ERR Background append only file rewriting already in progress`.
fn bgrewriteaof(ctx: &mut Ctx) -> CmdResult {
    if ctx.shared.aof.state.lock().rewrite_in_progress {
        return Err(errors::AOF_REWRITE_IN_PROGRESS.into());
    }
    // While a BGSAVE runs, and inside EXEC, Redis schedules the rewrite
    // (the periodic task starts it once possible).
    if ctx.store.rdb.in_progress || ctx.client.in_exec {
        ctx.shared.aof.state.lock().rewrite_scheduled = true;
        ctx.out.simple(errors::AOF_REWRITE_SCHEDULED.as_bytes());
        return Ok(());
    }
    if !ctx.shared.aof.enabled.load(std::sync::atomic::Ordering::Relaxed) {
        crate::aof::prepare_dir(ctx.shared).map_err(crate::errors::CmdError::from)?;
    }
    crate::aof::start_rewrite(ctx.shared, ctx.store).map_err(crate::errors::CmdError::from)?;
    ctx.out.simple(errors::AOF_REWRITE_STARTED.as_bytes());
    Ok(())
}
