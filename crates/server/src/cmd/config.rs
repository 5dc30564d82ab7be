//! CONFIG GET/SET/RESETSTAT/REWRITE/HELP: the command face of
//! [`Config`](crate::config::Config). Validation, canonical values and the
//! rewrite live there; this file parses arguments, applies the effects a
//! new value has outside `Config`, and resets statistics.

use crate::cmd::command::reply_help;
use crate::command::{container, flags, spec, CommandSpec};
use crate::ctx::Ctx;
use crate::errors::{self, CmdResult};
use crate::{notice, warning};
use std::sync::atomic::Ordering;

const ADMIN: u32 = flags::ADMIN | flags::NOSCRIPT | flags::LOADING | flags::STALE;
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous"];
const PARAMS_COMPLEXITY: &str = "O(N) when N is the number of configuration parameters provided";

static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: PARAMS_COMPLEXITY,
        ..spec(
            "get",
            -3,
            ADMIN,
            (0, 0, 0),
            ADMIN_ACL,
            "server",
            "2.0.0",
            "Get the values of configuration parameters",
            get,
        )
    },
    CommandSpec {
        complexity: PARAMS_COMPLEXITY,
        ..spec(
            "set",
            -4,
            ADMIN,
            (0, 0, 0),
            ADMIN_ACL,
            "server",
            "2.0.0",
            "Set configuration parameters to the given values",
            set,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "resetstat",
            2,
            ADMIN,
            (0, 0, 0),
            ADMIN_ACL,
            "server",
            "2.0.0",
            "Reset the stats returned by INFO",
            resetstat,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "rewrite",
            2,
            ADMIN,
            (0, 0, 0),
            ADMIN_ACL,
            "server",
            "2.8.0",
            "Rewrite the configuration file with the in memory configuration",
            rewrite,
        )
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec(
            "help",
            2,
            flags::LOADING | flags::STALE,
            (0, 0, 0),
            &["slow"],
            "server",
            "5.0.0",
            "Show helpful text about the different subcommands",
            help,
        )
    },
];

pub static COMMANDS: &[CommandSpec] = &[CommandSpec {
    complexity: "Depends on subcommand.",
    ..container("config", &["slow"], "server", "2.0.0", "A container for server configuration commands", SUBCOMMANDS)
}];

/// CONFIG GET pattern [pattern ...]
///
/// Every parameter (and alias) matching any glob pattern, each once: a map
/// in RESP3, a flat name/value array in RESP2.
fn get(ctx: &mut Ctx) -> CmdResult {
    let patterns: Vec<&[u8]> = ctx.argv[2..].iter().map(|a| &a[..]).collect();
    let pairs = ctx.shared.config.read().get(&patterns);
    ctx.out.map(pairs.len());
    for (name, value) in pairs {
        ctx.out.bulk(name.as_bytes());
        ctx.out.bulk(value.as_bytes());
    }
    Ok(())
}

/// CONFIG SET parameter value [parameter value ...]
///
/// All pairs or none are applied: when the TLS context or the listening
/// sockets cannot take the new values, every pair is put back. Afterwards
/// the values that live outside `Config` (the keyspace's string limit, the
/// log level) are refreshed.
///
/// # Errors
/// `ERR syntax error` for a parameter without a value; otherwise the
/// first failing pair's text from [`Config::set_from`](crate::config::Config::set_from).
fn set(ctx: &mut Ctx) -> CmdResult {
    if !ctx.argc().is_multiple_of(2) {
        return Err(errors::SYNTAX.into());
    }
    let pairs: Vec<(&[u8], &[u8])> = ctx.argv[2..].chunks(2).map(|p| (&p[0][..], &p[1][..])).collect();
    // `enable-protected-configs local` trusts exactly 127.0.0.1 and ::1, as Redis does.
    let local = ctx.client.handle.is_local();
    let names: Vec<&[u8]> = pairs.iter().map(|(k, _)| *k).collect();
    let old = ctx.shared.config.read().snapshot(&names);
    let inert = ctx.shared.config.write().set_from(&pairs, local)?;
    if let Err((name, reason)) = apply_sockets(ctx.shared, &old) {
        // All or nothing: put every value back, and the context and
        // listeners the failed attempt may have replaced.
        warning!(
            "Failed applying new configuration. Possibly related to new {name} setting. Restoring previous settings."
        );
        let newer = ctx.shared.config.read().snapshot(&names);
        ctx.shared.config.write().restore(old);
        if let Err((_, again)) = apply_sockets(ctx.shared, &newer) {
            warning!("Failed applying restored failed CONFIG SET command: {again}");
        }
        // Named as the client typed it, as Redis does.
        let typed =
            pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes())).map_or(name.as_bytes(), |(k, _)| k);
        return Err(errors::config_set_failed(&String::from_utf8_lossy(typed), reason).into());
    }
    ctx.shared.apply_config(ctx.store);
    // A lower maxmemory (or a policy that can now evict) takes effect at once.
    crate::evict::perform_evictions(ctx.shared, ctx.store);
    if pairs.iter().any(|(k, _)| k.eq_ignore_ascii_case(b"appendonly")) {
        if let Err(e) = crate::aof::config_changed(ctx.shared, ctx.store) {
            warning!("{e}");
            return Err(errors::AOF_TURN_ON_FAILED.into());
        }
    }
    for name in inert {
        warning!("CONFIG SET {name}: the parameter is accepted but has no effect yet in this version.");
    }
    ctx.out.ok();
    Ok(())
}

/// The parameters of `old` (a snapshot) whose value is now different.
fn changed_names(cfg: &crate::config::Config, old: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    old.iter().filter(|(k, v)| cfg.value(k) != Some(v.as_str())).cloned().collect()
}

/// Carries out what the parameters in `old` (a snapshot of the values
/// before this CONFIG SET) ask of things outside the table, as Redis's
/// apply functions do:
/// - a new TLS context when a `tls-*` value changed, or a certificate,
///   key or CA file was named at all (rotation), while TLS is on;
/// - a first context when `tls-port` turns TLS on (an existing one is kept);
/// - new listening sockets when `port`, `tls-port` or `bind` changed.
///
/// # Errors
/// The parameter to name and Redis's reason, once the cause is logged.
fn apply_sockets(
    shared: &std::sync::Arc<crate::server::Shared>,
    old: &[(&'static str, String)],
) -> Result<(), (&'static str, &'static str)> {
    let changed = changed_names(&shared.config.read(), old);
    let reload = old
        .iter()
        .map(|(k, _)| *k)
        .find(|k| crate::tls::RELOAD_FILES.contains(k))
        .or_else(|| changed.iter().map(|(k, _)| *k).find(|k| crate::tls::RELOAD_ON_SET.contains(k)));
    let tls_port_on = changed.iter().any(|(k, _)| *k == "tls-port") && !shared.tls.is_configured();
    {
        let cfg = shared.config.read();
        let name = reload.or(tls_port_on.then_some("tls-port"));
        if let Some(name) = name.filter(|_| crate::tls::wanted(&cfg)) {
            if let Err(e) = shared.tls.configure(&cfg) {
                warning!("{e}");
                return Err((name, errors::TLS_UPDATE_FAILED));
            }
        }
    }
    let listening = |k: &&str| matches!(*k, "port" | "tls-port" | "bind");
    if let Some(name) = changed.iter().map(|(k, _)| *k).find(listening) {
        if let Err(e) = crate::server::rebind(shared) {
            warning!("{e}");
            // Redis names the argument whose apply step failed.
            return Err(if changed.iter().any(|(k, _)| *k == "bind") {
                ("bind", errors::BIND_FAILED)
            } else {
                (name, errors::LISTEN_PORT_FAILED)
            });
        }
    }
    Ok(())
}

/// CONFIG RESETSTAT
///
/// Zeroes what INFO counts: per-command and per-error statistics, command,
/// error, connection and network totals, keyspace hits/misses/expiries,
/// the active-expiry counters, and restarts the memory peak from now.
fn resetstat(ctx: &mut Ctx) -> CmdResult {
    let st = &mut *ctx.store;
    st.cmd_stats.iter_mut().for_each(|s| *s = Default::default());
    st.error_stats.clear();
    st.total_error_replies = 0;
    st.total_commands = 0;
    st.ks.stats = keyspace::Stats::default();
    let net = &ctx.shared.net;
    for c in [
        &net.connections_received,
        &net.rejected_connections,
        &net.net_input_bytes,
        &net.net_output_bytes,
        &net.reads_processed,
        &net.writes_processed,
    ] {
        c.store(0, Ordering::Relaxed);
    }
    ctx.shared.expire_cpu_us.store(0, Ordering::Relaxed);
    ctx.shared.evict.exceeded_total_us.store(0, Ordering::Relaxed);
    ctx.shared.evict.exceeded_since_us.store(0, Ordering::Relaxed);
    ctx.shared.peak_memory.store(crate::memory::used_exact(), Ordering::Relaxed);
    ctx.out.ok();
    Ok(())
}

/// CONFIG REWRITE
///
/// # Errors
/// No config file, or the file could not be written.
fn rewrite(ctx: &mut Ctx) -> CmdResult {
    ctx.shared.config.read().rewrite()?;
    notice!("CONFIG REWRITE executed with success.");
    ctx.out.ok();
    Ok(())
}

/// CONFIG HELP
fn help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "config",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    );
    Ok(())
}
