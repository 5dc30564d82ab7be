//! Functions: FUNCTION (LOAD DELETE LIST FLUSH DUMP RESTORE STATS KILL
//! HELP), FCALL and FCALL_RO. Libraries live in the `scripting` crate's
//! function engine (a Lua state of their own, as in Redis 7.0); this file
//! parses arguments, applies the flag rules and shapes replies. It also
//! owns how libraries read from a file or a payload join the current ones
//! ([`load_libraries`]), and what saves write ([`library_sources`]).
//!
//! FUNCTION DUMP's payload is Redis 7.0's (`persist::rdb::function_payload`:
//! FUNCTION2 records, RDB version, CRC-64), so dumps move both ways between
//! vermilion and redis-server.

use crate::cmd::command::reply_help;
use crate::cmd::scripting::ScriptHost;
use crate::command::{container, flags::*, spec, CommandSpec};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::server::Store;
use bytes::Bytes;
use scripting::engine::Functions;

const ACL: &[&str] = &["slow", "scripting"];
const WACL: &[&str] = &["write", "slow", "scripting"];
const FCALL_FLAGS: u32 = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS;

static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "help",
            2,
            LOADING | STALE,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Show helpful text about the different subcommands",
            help,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "delete",
            3,
            WRITE | NOSCRIPT,
            (0, 0, 0),
            WACL,
            "scripting",
            "7.0.0",
            "Delete a function by name",
            delete,
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
            "7.0.0",
            "Kill the function currently in execution.",
            kill,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of functions",
        ..spec(
            "list",
            -2,
            NOSCRIPT,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "List information about all the functions",
            list,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of functions on the payload",
        ..spec(
            "restore",
            -3,
            WRITE | DENYOOM | NOSCRIPT,
            (0, 0, 0),
            WACL,
            "scripting",
            "7.0.0",
            "Restore all the functions on the given payload",
            restore,
        )
    },
    CommandSpec {
        complexity: "O(1) (considering compilation time is redundant)",
        ..spec(
            "load",
            -3,
            WRITE | DENYOOM | NOSCRIPT,
            (0, 0, 0),
            WACL,
            "scripting",
            "7.0.0",
            "Create a function with the given arguments (name, code, description)",
            load,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of functions",
        ..spec(
            "dump",
            2,
            NOSCRIPT,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Dump all functions into a serialized binary payload",
            dump,
        )
    },
    CommandSpec {
        complexity: "O(N) where N is the number of functions deleted",
        ..spec("flush", -2, WRITE | NOSCRIPT, (0, 0, 0), WACL, "scripting", "7.0.0", "Deleting all functions", flush)
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "stats",
            2,
            NOSCRIPT | ALLOW_BUSY,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Return information about the function currently running (name, description, duration)",
            stats,
        )
    },
];

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "Depends on the function that is executed.",
        ..spec("fcall", -3, FCALL_FLAGS, (0, 0, 0), ACL, "scripting", "7.0.0", "Invoke a function", fcall)
    },
    CommandSpec {
        complexity: "Depends on the function that is executed.",
        ..spec(
            "fcall_ro",
            -3,
            FCALL_FLAGS | READONLY,
            (0, 0, 0),
            ACL,
            "scripting",
            "7.0.0",
            "Invoke a read-only function",
            fcall_ro,
        )
    },
    CommandSpec {
        complexity: "Depends on subcommand.",
        ..container("function", &["slow"], "scripting", "7.0.0", "A container for function commands", SUBCOMMANDS)
    },
];

/// Source text of every library, for RDB saves and AOF rewrites (taken
/// under the store lock, so a background save holds that instant's libraries).
pub fn library_sources(store: &Store) -> Vec<Vec<u8>> {
    store.functions.as_ref().map_or_else(Vec::new, |e| e.libraries.values().map(|l| l.code.to_vec()).collect())
}

/// Compiles `codes` (read from a file or a payload) into a new engine that
/// also holds the libraries of `keep`, through the same path as FUNCTION
/// LOAD (no REPLACE: a library twice is an error). All or nothing.
///
/// # Errors
/// FUNCTION LOAD's error text for the first library that fails.
fn build_engine<'a>(keep: impl Iterator<Item = &'a Bytes>, codes: &'a [Bytes]) -> Result<Functions, String> {
    let mut fresh = Functions::new();
    for code in keep.chain(codes.iter()) {
        fresh.load(code, false)?;
    }
    Ok(fresh)
}

/// Adds libraries read from an RDB file (or an AOF's RDB preamble) to the
/// current ones, as Redis's rdbFunctionLoad does; nothing changes on error.
///
/// # Errors
/// The reason without the `ERR ` prefix, as Redis logs it after
/// "Failed loading library, ".
pub fn load_libraries(store: &mut Store, codes: Vec<Vec<u8>>) -> Result<(), String> {
    if codes.is_empty() {
        return Ok(());
    }
    let codes: Vec<Bytes> = codes.into_iter().map(Bytes::from).collect();
    let kept: Vec<Bytes> =
        store.functions.as_ref().map_or_else(Vec::new, |e| e.libraries.values().map(|l| l.code.clone()).collect());
    let fresh =
        build_engine(kept.iter(), &codes).map_err(|e| e.strip_prefix("ERR ").map(str::to_string).unwrap_or(e))?;
    store.functions = Some(Box::new(fresh));
    Ok(())
}

/// The function engine, made on first use.
fn engine(store: &mut Store) -> &mut Functions {
    store.functions.get_or_insert_with(|| Box::new(Functions::new()))
}

fn fcall(ctx: &mut Ctx) -> CmdResult {
    fcall_generic(ctx, false)
}

fn fcall_ro(ctx: &mut Ctx) -> CmdResult {
    fcall_generic(ctx, true)
}

/// FCALL function numkeys [key ...] [arg ...], and FCALL_RO.
fn fcall_generic(ctx: &mut Ctx, ro: bool) -> CmdResult {
    crate::dispatch::feed_monitors_for(ctx.shared, ctx.client, ctx.argv);
    let name = String::from_utf8_lossy(ctx.arg(1)).into_owned();
    let Some(f) = ctx.store.functions.as_ref().and_then(|e| e.functions.get(&name)) else {
        return Err(errors::FUNCTION_NOT_FOUND.into());
    };
    let fflags = f.flags;
    let numkeys = crate::ctx::parse_int(ctx.arg(2)).ok_or(CmdError::from(errors::FCALL_BAD_NUMKEYS))?;
    if numkeys > (ctx.argc() - 3) as i64 {
        return Err(errors::SCRIPT_NUMKEYS_TOO_MANY.into());
    }
    if numkeys < 0 {
        return Err(errors::SCRIPT_NUMKEYS_NEGATIVE.into());
    }
    let numkeys = numkeys as usize;
    let no_writes = fflags & scripting::flags::NO_WRITES != 0;
    if ro && !no_writes {
        return Err(errors::SCRIPT_RO_WITH_WRITE_FLAG.into());
    }
    let allow_oom = fflags & scripting::flags::ALLOW_OOM != 0;
    if !(ro || no_writes) && !allow_oom && crate::evict::script_started_oom(ctx.shared) {
        return Err(errors::OOM.into());
    }
    let keys = &ctx.argv[3..3 + numkeys];
    let args = &ctx.argv[3 + numkeys..];
    let mut eng = ctx.store.functions.take().expect("looked up above");
    let result = {
        let watch = crate::busy::Watch::new(ctx.shared, false, &name, ctx.argv)
            .with_fn_counts(eng.libraries.len(), eng.functions.len());
        let mut host = ScriptHost::new(ctx.shared, ctx.store, ctx.client, ro || no_writes);
        host.allow_oom = allow_oom;
        host.watch = Some(watch);
        eng.call(&name, keys, args, &mut host, ctx.out)
    };
    let is_error = eng.engine().reply_is_error;
    let errs = eng.engine().reply_errors.clone();
    ctx.store.functions = Some(eng);
    crate::cmd::scripting::settle(ctx, result, is_error, &errs)
}

/// FUNCTION LOAD [REPLACE] function-code
fn load(ctx: &mut Ctx) -> CmdResult {
    let mut replace = false;
    let mut i = 2;
    while i < ctx.argc() - 1 {
        if eq(ctx.arg(i), "replace") {
            replace = true;
        } else {
            return Err(errors::function_unknown_option(ctx.arg(i)).into());
        }
        i += 1;
    }
    let code = ctx.argv[ctx.argc() - 1].clone();
    let name = engine(ctx.store).load(&code, replace).map_err(CmdError::from)?;
    ctx.changed(1);
    ctx.out.bulk(name.as_bytes());
    Ok(())
}

/// FUNCTION DELETE library-name
fn delete(ctx: &mut Ctx) -> CmdResult {
    let name = String::from_utf8_lossy(ctx.arg(2)).into_owned();
    if !ctx.store.functions.as_mut().is_some_and(|e| e.delete(&name)) {
        return Err(errors::LIBRARY_NOT_FOUND.into());
    }
    ctx.changed(1);
    ctx.out.ok();
    Ok(())
}

/// FUNCTION FLUSH [ASYNC|SYNC]: a fresh function engine.
fn flush(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 || (ctx.argc() == 3 && !eq(ctx.arg(2), "sync") && !eq(ctx.arg(2), "async")) {
        return Err(errors::FUNCTION_FLUSH_OPTION.into());
    }
    ctx.store.functions = None;
    ctx.changed(1);
    ctx.out.ok();
    Ok(())
}

/// FUNCTION KILL: stops the function past busy-reply-threshold (this runs
/// from inside it, see `busy.rs`), unless it wrote.
fn kill(ctx: &mut Ctx) -> CmdResult {
    crate::busy::kill(ctx.store, ctx.out, false)
}

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
fn list(ctx: &mut Ctx) -> CmdResult {
    let mut with_code = false;
    let mut pattern: Option<Vec<u8>> = None;
    let mut i = 2;
    while i < ctx.argc() {
        let a = ctx.arg(i);
        if eq(a, "withcode") && !with_code {
            with_code = true;
        } else if eq(a, "libraryname") && pattern.is_none() {
            if i + 1 >= ctx.argc() {
                return Err(errors::FUNCTION_LIBRARYNAME_MISSING.into());
            }
            pattern = Some(ctx.arg(i + 1).to_vec());
            i += 1;
        } else {
            return Err(errors::function_unknown_argument(a).into());
        }
        i += 1;
    }
    let Some(eng) = ctx.store.functions.as_ref() else {
        ctx.out.array(0);
        return Ok(());
    };
    let glob = pattern.as_ref().map(|p| keyspace::glob::Glob::new(p, false));
    let libs: Vec<_> =
        eng.libraries.values().filter(|l| glob.as_ref().is_none_or(|g| g.is_match(l.name.as_bytes()))).collect();
    let out = &mut *ctx.out;
    out.array(libs.len());
    for lib in libs {
        out.map(if with_code { 4 } else { 3 });
        out.bulk(b"library_name");
        out.bulk(lib.name.as_bytes());
        out.bulk(b"engine");
        out.bulk(b"LUA");
        out.bulk(b"functions");
        out.array(lib.functions.len());
        for fname in &lib.functions {
            let f = &eng.functions[fname];
            out.map(3);
            out.bulk(b"name");
            out.bulk(fname.as_bytes());
            out.bulk(b"description");
            match &f.description {
                Some(d) => out.bulk(d),
                None => out.null(),
            }
            out.bulk(b"flags");
            let names: Vec<&str> =
                scripting::flags::NAMES.iter().filter(|(bit, _)| f.flags & bit != 0).map(|(_, n)| *n).collect();
            out.set(names.len());
            for n in names {
                out.simple(n.as_bytes());
            }
        }
        if with_code {
            out.bulk(b"library_code");
            out.bulk(&lib.code);
        }
    }
    Ok(())
}

/// FUNCTION STATS
fn stats(ctx: &mut Ctx) -> CmdResult {
    // While busy (busy.rs): the running function, or BUSY for an EVAL script.
    let running = ctx.store.busy.as_deref();
    if running.is_some_and(|r| r.eval) {
        return Err(errors::BUSY_EVAL.into());
    }
    let (libs, funcs) = match running {
        Some(r) => r.fn_counts,
        None => ctx.store.functions.as_ref().map_or((0, 0), |e| (e.libraries.len(), e.functions.len())),
    };
    let out = &mut *ctx.out;
    out.map(2);
    out.bulk(b"running_script");
    match running {
        Some(r) => {
            out.map(3);
            out.bulk(b"name");
            out.bulk(r.name.as_bytes());
            out.bulk(b"command");
            out.array(r.argv.len());
            for a in &r.argv {
                out.bulk(a);
            }
            out.bulk(b"duration_ms");
            out.int((r.started.nanos_until(crate::clock::stamp()) / 1_000_000) as i64);
        }
        None => out.null(),
    }
    out.bulk(b"engines");
    out.map(1);
    out.bulk(b"LUA");
    out.map(2);
    out.bulk(b"libraries_count");
    out.int(libs as i64);
    out.bulk(b"functions_count");
    out.int(funcs as i64);
    Ok(())
}

/// FUNCTION DUMP: Redis 7.0's payload (compressed as `rdbcompression` says).
fn dump(ctx: &mut Ctx) -> CmdResult {
    let compress = ctx.shared.config.read().value("rdbcompression") != Some("no");
    let payload = match ctx.store.functions.as_ref() {
        Some(eng) => persist::rdb::function_payload(eng.libraries.values().map(|l| &l.code[..]), compress),
        None => persist::rdb::function_payload(std::iter::empty(), compress),
    };
    ctx.out.bulk(&payload);
    Ok(())
}

/// FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]: all or nothing.
/// As Redis: the payload's libraries are compiled on their own first (a
/// library twice in the payload fails there), then joined with the current
/// ones: APPEND fails on a library name already present, REPLACE drops
/// those, and either fails when a function name is taken by a kept library.
fn restore(ctx: &mut Ctx) -> CmdResult {
    #[derive(PartialEq)]
    enum Policy {
        Flush,
        Append,
        Replace,
    }
    let policy = match ctx.argc() {
        3 => Policy::Append,
        4 if eq(ctx.arg(3), "flush") => Policy::Flush,
        4 if eq(ctx.arg(3), "append") => Policy::Append,
        4 if eq(ctx.arg(3), "replace") => Policy::Replace,
        4 => return Err(errors::FUNCTION_RESTORE_POLICY.into()),
        _ => return Err(errors::subcommand_syntax("function", ctx.arg(1)).into()),
    };
    let (codes, parsed) = persist::rdb::parse_function_payload(ctx.arg(2));
    let codes: Vec<Bytes> = codes.into_iter().map(Bytes::from).collect();
    // Phase 1: the payload alone. Redis compiles each record as it reads
    // it, so a library that fails to compile is reported before a broken
    // record after it.
    let alone = build_engine(std::iter::empty(), &codes).map_err(CmdError::from)?;
    parsed.map_err(|e| match e {
        persist::rdb::FunctionPayloadError::VersionOrChecksum => CmdError::from(errors::FUNCTION_BAD_PAYLOAD),
        persist::rdb::FunctionPayloadError::Bad(why) => CmdError::from(format!("ERR {why}")),
    })?;
    let fresh = if policy == Policy::Flush {
        alone
    } else {
        let current: Vec<(String, Bytes)> = ctx
            .store
            .functions
            .as_ref()
            .map_or_else(Vec::new, |e| e.libraries.values().map(|l| (l.name.clone(), l.code.clone())).collect());
        let mut kept = Vec::new();
        for (name, code) in &current {
            if alone.libraries.contains_key(name) {
                if policy == Policy::Append {
                    return Err(errors::function_restore_exists(name).into());
                }
            } else {
                kept.push(code.clone());
            }
        }
        // Function names of kept libraries must not collide with restored ones.
        if let Some(eng) = ctx.store.functions.as_ref() {
            for fname in alone.functions.keys() {
                if eng.functions.get(fname).is_some_and(|old| !alone.libraries.contains_key(&old.library)) {
                    return Err(errors::function_restore_function_exists(fname).into());
                }
            }
        }
        drop(alone);
        build_engine(kept.iter(), &codes).map_err(CmdError::from)?
    };
    ctx.store.functions = Some(Box::new(fresh));
    ctx.changed(1);
    ctx.out.ok();
    Ok(())
}

/// FUNCTION HELP
fn help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "function",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    );
    Ok(())
}
