//! Scripting commands: EVAL EVALSHA EVAL_RO EVALSHA_RO and SCRIPT (LOAD
//! EXISTS FLUSH KILL HELP). The Lua side (sandbox, `redis.*`, conversions,
//! the script cache) is the `scripting` crate; the checks on each command a
//! script calls are the dispatcher's (`dispatch::script_call`). A script
//! runs while the connection holds the store lock, so it is atomic with
//! respect to every other client, whatever keys it touches.

use crate::client::Client;
use crate::cmd::command::reply_help;
use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::server::{Shared, Store};
use bytes::Bytes;
use resp::Out;
use scripting::Engine;
use std::sync::Arc;

const ACL: &[&str] = &["slow", "scripting"];
const EVAL_FLAGS: u32 = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS;

static SCRIPT_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity:
            "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
        ..spec(
            "exists",
            -3,
            NOSCRIPT,
            (0, 0, 0),
            ACL,
            "scripting",
            "2.6.0",
            "Check existence of scripts in the script cache.",
            script_exists,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "help",
            2,
            LOADING | STALE,
            (0, 0, 0),
            ACL,
            "scripting",
            "5.0.0",
            "Show helpful text about the different subcommands",
            script_help,
        )
    },
    CommandSpec {
        complexity: "O(N) with N being the length in bytes of the script body.",
        ..spec(
            "load",
            3,
            NOSCRIPT | STALE,
            (0, 0, 0),
            ACL,
            "scripting",
            "2.6.0",
            "Load the specified Lua script into the script cache.",
            script_load,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "kill",
            2,
            NOSCRIPT | ALLOW_BUSY,
            (0, 0, 0),
            ACL,
            "scripting",
            "2.6.0",
            "Kill the script currently in execution.",
            script_kill,
        )
    },
    CommandSpec {
        complexity: "O(N) with N being the number of scripts in cache",
        ..spec(
            "flush",
            -2,
            NOSCRIPT,
            (0, 0, 0),
            ACL,
            "scripting",
            "2.6.0",
            "Remove all the scripts from the script cache.",
            script_flush,
        )
    },
];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "Depends on the script that is executed.",
        ..spec("eval", -3, EVAL_FLAGS, (0, 0, 0), ACL, "scripting", "2.6.0", "Execute a Lua script server side", eval)
    },
    CommandSpec {
        complexity: "Depends on the script that is executed.",
        ..spec(
            "evalsha",
            -3,
            EVAL_FLAGS,
            (0, 0, 0),
            ACL,
            "scripting",
            "2.6.0",
            "Execute a Lua script server side",
            evalsha,
        )
    },
    CommandSpec {
        complexity: "Depends on the script that is executed.",
        ..spec(
            "eval_ro",
            -3,
            EVAL_FLAGS | READONLY,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Execute a read-only Lua script server side",
            eval_ro,
        )
    },
    CommandSpec {
        complexity: "Depends on the script that is executed.",
        ..spec(
            "evalsha_ro",
            -3,
            EVAL_FLAGS | READONLY,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Execute a read-only Lua script server side",
            evalsha_ro,
        )
    },
    CommandSpec {
        complexity: "Depends on subcommand.",
        ..container(
            "script",
            &["slow"],
            "scripting",
            "2.6.0",
            "A container for Lua scripts management commands",
            SCRIPT_SUBCOMMANDS,
        )
    },
];

/// The engine, created on first use (a Lua state costs memory and start-up time).
fn engine(store: &mut Store) -> &mut Engine {
    store.lua.get_or_insert_with(|| Box::new(Engine::new()))
}

/// The server side of a running script: `redis.call` goes through the
/// dispatcher with a client of its own (Redis's Lua client), which starts
/// in the caller's database and never blocks.
pub struct ScriptHost<'a> {
    pub shared: &'a Arc<Shared>,
    pub store: &'a mut Store,
    pub client: Client,
    pub out: Out,
    /// EVAL_RO/EVALSHA_RO, or a `no-writes` script: write commands are refused.
    pub read_only: bool,
    /// A write command ran (SCRIPT KILL can no longer stop the script).
    pub wrote: bool,
    /// The script's `allow-oom` flag: deny-oom commands run even when the
    /// server was out of memory as the script started.
    pub allow_oom: bool,
    /// The busy-reply-threshold clock (`busy.rs`); None never times out.
    pub watch: Option<crate::busy::Watch<'a>>,
    /// `redis.set_repl`'s `REPL_AOF` bit: when clear, the commands the
    /// script runs are left out of the AOF (they still change the data).
    pub repl_aof: bool,
}

impl<'a> ScriptHost<'a> {
    /// A host for a script `caller` runs.
    pub fn new(shared: &'a Arc<Shared>, store: &'a mut Store, caller: &Client, read_only: bool) -> Self {
        let mut client = Client::for_retry(caller.handle.clone(), caller.db, false);
        client.in_exec = true;
        client.lua = true;
        ScriptHost {
            shared,
            store,
            client,
            out: Out::new(false),
            read_only,
            wrote: false,
            allow_oom: false,
            watch: None,
            repl_aof: true,
        }
    }
}

impl Drop for ScriptHost<'_> {
    fn drop(&mut self) {
        // The script ended: other clients are served normally again.
        if self.watch.as_ref().is_some_and(|w| w.timed_out()) {
            self.store.busy = None;
        }
    }
}

impl scripting::Host for ScriptHost<'_> {
    fn call(&mut self, argv: &[Bytes], resp3: bool) -> Result<&[u8], String> {
        self.client.resp3 = resp3;
        self.out.clear();
        self.out.set_resp3(resp3);
        let logged = self.store.prop.pending_len();
        let r = crate::dispatch::script_call(
            self.shared,
            &mut self.client,
            self.store,
            &mut self.out,
            argv,
            self.read_only,
            self.allow_oom,
            &mut self.wrote,
        );
        if !self.repl_aof {
            self.store.prop.forget_since(logged);
        }
        r?;
        Ok(self.out.as_bytes())
    }

    fn set_repl(&mut self, flags: u8) {
        // REPL_AOF is bit 1 (replication, bit 2, has no consumer here).
        self.repl_aof = flags & 1 != 0;
    }

    fn log(&mut self, level: u8, msg: &[u8]) {
        let text = String::from_utf8_lossy(msg);
        match level {
            0 => crate::log::log(crate::log::Level::Debug, &text),
            1 => crate::verbose!("{text}"),
            2 => crate::notice!("{text}"),
            _ => crate::warning!("{text}"),
        }
    }

    fn interrupt(&mut self) -> bool {
        crate::busy::interrupt(self)
    }

    fn command_exists(&mut self, argv: &[Bytes]) -> bool {
        crate::dispatch::resolve(argv).is_ok()
    }
}

fn eval(ctx: &mut Ctx) -> CmdResult {
    eval_generic(ctx, false, false)
}

fn evalsha(ctx: &mut Ctx) -> CmdResult {
    eval_generic(ctx, true, false)
}

fn eval_ro(ctx: &mut Ctx) -> CmdResult {
    eval_generic(ctx, false, true)
}

fn evalsha_ro(ctx: &mut Ctx) -> CmdResult {
    eval_generic(ctx, true, true)
}

/// EVAL script numkeys [key ...] [arg ...], and its SHA and read-only forms.
fn eval_generic(ctx: &mut Ctx, by_sha: bool, ro: bool) -> CmdResult {
    // EVAL skips the dispatcher's MONITOR feed so that it shows before the
    // commands the script runs, as in Redis.
    crate::dispatch::feed_monitors_for(ctx.shared, ctx.client, ctx.argv);
    // A SHA of the wrong length cannot match: Redis says so before anything else.
    if by_sha && ctx.arg(1).len() != 40 {
        return Err(errors::NOSCRIPT.into());
    }
    let numkeys = ctx.int_arg(2)?;
    if numkeys > (ctx.argc() - 3) as i64 {
        return Err(errors::SCRIPT_NUMKEYS_TOO_MANY.into());
    }
    if numkeys < 0 {
        return Err(errors::SCRIPT_NUMKEYS_NEGATIVE.into());
    }
    let numkeys = numkeys as usize;
    let sha = if by_sha {
        let s = ctx.arg(1);
        if s.len() != 40 {
            return Err(errors::NOSCRIPT.into());
        }
        let sha = String::from_utf8_lossy(s).to_ascii_lowercase();
        if engine(ctx.store).get(&sha).is_none() {
            return Err(errors::NOSCRIPT.into());
        }
        sha
    } else {
        let body = ctx.argv[1].clone();
        engine(ctx.store).load(&body).map_err(CmdError::from)?
    };
    let script_flags = engine(ctx.store).get(&sha).map_or(0, |s| s.flags);
    let compat = script_flags & scripting::flags::EVAL_COMPAT_MODE != 0;
    if !compat && script_flags & scripting::flags::NO_WRITES == 0 && ro {
        return Err(errors::SCRIPT_RO_WITH_WRITE_FLAG.into());
    }
    let read_only = ro || (!compat && script_flags & scripting::flags::NO_WRITES != 0);
    let allow_oom = !compat && script_flags & scripting::flags::ALLOW_OOM != 0;
    // A script that declares its flags and may write is refused up front
    // when the server was out of memory as it started (Redis 7.0).
    if !compat && !read_only && !allow_oom && crate::evict::script_started_oom(ctx.shared) {
        return Err(errors::OOM.into());
    }
    let keys = &ctx.argv[3..3 + numkeys];
    let args = &ctx.argv[3 + numkeys..];
    // The engine leaves the store while it runs: the host needs the store,
    // and no script can reach the engine again (EVAL and SCRIPT are noscript).
    let mut eng = ctx.store.lua.take().expect("created above");
    let result = {
        let mut host = ScriptHost::new(ctx.shared, ctx.store, ctx.client, read_only);
        host.allow_oom = allow_oom;
        host.watch = Some(crate::busy::Watch::new(ctx.shared, true, &sha, ctx.argv));
        eng.run(&sha, keys, args, &mut host, ctx.out)
    };
    let (is_error, errs) = (eng.reply_is_error, std::mem::take(&mut eng.reply_errors));
    ctx.store.lua = Some(eng);
    settle(ctx, result, is_error, &errs)
}

/// Accounts for how a script or function ended: error replies in its result
/// count in INFO errorstats (except those the failing command already
/// counted), and an error result makes the call a failed one.
pub(crate) fn settle(
    ctx: &mut Ctx,
    result: Result<(), scripting::ScriptError>,
    is_error: bool,
    errs: &[Vec<u8>],
) -> CmdResult {
    match result {
        Ok(()) => {
            for code in errs {
                crate::dispatch::count_error_code(ctx.store, &String::from_utf8_lossy(code));
            }
            // As Redis: failed when the result itself carries an error reply
            // (at any depth), not for errors of commands the script ran.
            if is_error || !errs.is_empty() {
                ctx.store.cmd_stats[ctx.cmd.id].failed += 1;
            }
            Ok(())
        }
        // Already counted in the error stats by the command that failed.
        Err(e) if e.already_counted => {
            ctx.out.error(&e.msg);
            ctx.store.cmd_stats[ctx.cmd.id].failed += 1;
            Ok(())
        }
        Err(e) => Err(e.msg.into()),
    }
}

/// SCRIPT LOAD script
fn script_load(ctx: &mut Ctx) -> CmdResult {
    let body = ctx.argv[2].clone();
    let sha = engine(ctx.store).load(&body).map_err(CmdError::from)?;
    ctx.out.bulk(sha.as_bytes());
    Ok(())
}

/// SCRIPT EXISTS sha1 [sha1 ...]
fn script_exists(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc() - 2;
    ctx.out.array(n);
    for i in 2..ctx.argc() {
        let found = ctx.store.lua.as_ref().is_some_and(|e| e.exists(&ctx.argv[i]));
        ctx.out.int(found as i64);
    }
    Ok(())
}

/// SCRIPT FLUSH [ASYNC|SYNC]: drops the cache by closing the Lua state
/// (a fresh one is made on next use), as Redis does.
fn script_flush(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 || (ctx.argc() == 3 && !eq(ctx.arg(2), "sync") && !eq(ctx.arg(2), "async")) {
        return Err(errors::SCRIPT_FLUSH_OPTION.into());
    }
    ctx.store.lua = None;
    ctx.out.ok();
    Ok(())
}

/// SCRIPT KILL: stops the EVAL script past busy-reply-threshold (this runs
/// from inside it, see `busy.rs`), unless it wrote.
fn script_kill(ctx: &mut Ctx) -> CmdResult {
    crate::busy::kill(ctx.store, ctx.out, true)
}

/// SCRIPT HELP
fn script_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "script",
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    );
    Ok(())
}
