//! SLOWLOG GET/LEN/RESET/HELP: reading and clearing the slow log. Entries
//! are recorded by the dispatcher (`dispatch::slowlog_record`), not here.

use crate::cmd::command::reply_help;
use crate::command::{container, flags, spec, CommandSpec};
use crate::ctx::{parse_int, Ctx};
use crate::errors::{self, CmdResult};

const ADMIN: u32 = flags::ADMIN | flags::LOADING | flags::STALE;
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous"];

static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        complexity: "O(N) where N is the number of entries returned",
        ..spec("get", -2, ADMIN, (0, 0, 0), ADMIN_ACL, "server", "2.2.12", "Get the slow log's entries", get)
    },
    CommandSpec {
        complexity: "O(1)",
        ..spec("len", 2, ADMIN, (0, 0, 0), ADMIN_ACL, "server", "2.2.12", "Get the slow log's length", len)
    },
    CommandSpec {
        complexity: "O(N) where N is the number of entries in the slowlog",
        ..spec(
            "reset",
            2,
            ADMIN,
            (0, 0, 0),
            ADMIN_ACL,
            "server",
            "2.2.12",
            "Clear all entries from the slow log",
            reset,
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
            "6.2.0",
            "Show helpful text about the different subcommands",
            help,
        )
    },
];

pub static COMMANDS: &[CommandSpec] = &[CommandSpec {
    complexity: "Depends on subcommand.",
    ..container("slowlog", &["slow"], "server", "2.2.12", "A container for slow log commands", SUBCOMMANDS)
}];

/// Entries SLOWLOG GET returns without a count.
const DEFAULT_COUNT: usize = 10;

/// How many entries SLOWLOG GET returns for a count argument: `None` is
/// the default, -1 means all.
///
/// # Errors
/// Anything but an integer >= -1 (Redis 7.0 has one text for both cases).
fn entries_wanted(arg: Option<&[u8]>) -> Result<usize, errors::CmdError> {
    let Some(arg) = arg else { return Ok(DEFAULT_COUNT) };
    match parse_int(arg) {
        Some(-1) => Ok(usize::MAX),
        Some(n) if n >= 0 => Ok(n as usize),
        _ => Err(errors::SLOWLOG_COUNT.into()),
    }
}

/// SLOWLOG GET [count]
///
/// The newest `count` entries (default 10, -1 for all), each
/// `[id, unix time, microseconds, [args...], "ip:port", client name]`.
///
/// # Errors
/// A bad count, or more than one argument.
fn get(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(errors::subcommand_syntax("slowlog", ctx.arg(1)).into());
    }
    let wanted = entries_wanted(ctx.argv.get(2).map(|a| &a[..]))?;
    let log = &ctx.store.slowlog;
    let n = wanted.min(log.len());
    ctx.out.array(n);
    for e in log.iter().take(n) {
        ctx.out.array(6);
        ctx.out.int(e.id as i64);
        ctx.out.int(e.time as i64);
        ctx.out.int(e.duration_us as i64);
        ctx.out.array(e.argv.len());
        for a in &e.argv {
            ctx.out.bulk(a);
        }
        ctx.out.bulk(e.addr.as_bytes());
        ctx.out.bulk(&e.name);
    }
    Ok(())
}

/// SLOWLOG LEN
fn len(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(ctx.store.slowlog.len() as i64);
    Ok(())
}

/// SLOWLOG RESET — drops every entry; ids keep counting up, as in Redis.
fn reset(ctx: &mut Ctx) -> CmdResult {
    ctx.store.slowlog.clear();
    ctx.out.ok();
    Ok(())
}

/// SLOWLOG HELP
fn help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "slowlog",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_defaults_to_ten() {
        assert_eq!(entries_wanted(None).unwrap(), 10);
    }

    #[test]
    fn minus_one_means_all_and_zero_means_none() {
        assert_eq!(entries_wanted(Some(b"-1")).unwrap(), usize::MAX);
        assert_eq!(entries_wanted(Some(b"0")).unwrap(), 0);
        assert_eq!(entries_wanted(Some(b"25")).unwrap(), 25);
    }

    #[test]
    fn below_minus_one_or_not_a_number_is_one_error() {
        for bad in [&b"-2"[..], b"abc", b"1.5", b""] {
            assert_eq!(entries_wanted(Some(bad)).unwrap_err().0, errors::SLOWLOG_COUNT);
        }
    }
}
