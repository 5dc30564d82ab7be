//! COMMAND: introspection of the command table (COUNT, LIST, INFO, DOCS,
//! GETKEYS, GETKEYSANDFLAGS, HELP), answered from
//! [`Table`](crate::command::Table) alone. It is not the dispatcher and keeps
//! no list of commands of its own.
//!
//! Also home of two helpers other families reuse: [`reply_help`] (the HELP
//! reply every container command gives) and [`acl_categories`] (a spec's
//! ACL categories including the ones Redis implies from its flags).

use crate::command::{container, flags, spec, CommandSpec, Resolved, Table};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdResult};
use resp::Out;

/// ACL categories in the order Redis lists them (ACL CAT, COMMAND INFO).
pub const ACL_CATEGORIES: &[&str] = &[
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

const LS: u32 = flags::LOADING | flags::STALE;
const CMD_ACL: &[&str] = &["slow", "connection"];

const fn sub(
    name: &'static str,
    arity: i32,
    since: &'static str,
    summary: &'static str,
    complexity: &'static str,
    handler: crate::command::Handler,
) -> CommandSpec {
    CommandSpec { complexity, ..spec(name, arity, LS, (0, 0, 0), CMD_ACL, "server", since, summary, handler) }
}

static SUBCOMMANDS: &[CommandSpec] = &[
    sub("count", 2, "2.8.13", "Get total number of Redis commands", "O(1)", count),
    sub(
        "docs",
        -2,
        "7.0.0",
        "Get array of specific Redis command documentation",
        "O(N) where N is the number of commands to look up",
        docs,
    ),
    sub(
        "getkeys",
        -4,
        "2.8.13",
        "Extract keys given a full Redis command",
        "O(N) where N is the number of arguments to the command",
        getkeys,
    ),
    sub(
        "getkeysandflags",
        -4,
        "7.0.0",
        "Extract keys and access flags given a full Redis command",
        "O(N) where N is the number of arguments to the command",
        getkeysandflags,
    ),
    sub("help", 2, "5.0.0", "Show helpful text about the different subcommands", "O(1)", help),
    sub(
        "info",
        -2,
        "2.8.13",
        "Get array of specific Redis command details, or all when no argument is given.",
        "O(N) where N is the number of commands to look up",
        info,
    ),
    sub("list", -2, "7.0.0", "Get an array of Redis command names", "O(N) where N is the total number of Redis commands", list),
];

/// COMMAND has a handler of its own (no subcommand: every command's info)
/// and subcommands, like in Redis.
pub static COMMANDS: &[CommandSpec] = &[CommandSpec {
    arity: -1,
    flags: LS,
    handler: Some(command),
    complexity: "O(N) where N is the total number of Redis commands",
    ..container("command", CMD_ACL, "server", "2.8.13", "Get array of Redis command details", SUBCOMMANDS)
}];

/// Writes a HELP reply: `<NAME> <subcommand> [<arg> [value] [opt] ...].
/// Subcommands are:`, then `lines`, then the HELP entry, all as status
/// strings, the way every Redis container command answers HELP.
pub fn reply_help(out: &mut Out, name: &str, lines: &[&str]) {
    out.array(lines.len() + 3);
    out.simple(format!("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", name.to_ascii_uppercase()).as_bytes());
    for l in lines {
        out.simple(l.as_bytes());
    }
    out.simple(b"HELP");
    out.simple(b"    Prints this help.");
}

/// The ACL categories of a command, in Redis's order: the ones its spec
/// names plus the ones Redis derives from its flags (`write` → @write,
/// `readonly` → @read unless @scripting, `admin` → @admin @dangerous,
/// `pubsub`, `fast`, `blocking`, and @slow for everything not @fast).
pub fn acl_categories(spec: &CommandSpec) -> Vec<&'static str> {
    let mut names: Vec<&str> = spec.acl.iter().map(|c| c.strip_prefix('@').unwrap_or(c)).collect();
    let scripting = names.iter().any(|c| c.eq_ignore_ascii_case("scripting"));
    for (flag, cats) in [
        (flags::WRITE, &["write"][..]),
        (flags::ADMIN, &["admin", "dangerous"]),
        (flags::PUBSUB, &["pubsub"]),
        (flags::FAST, &["fast"]),
        (flags::BLOCKING, &["blocking"]),
    ] {
        if spec.has(flag) {
            names.extend_from_slice(cats);
        }
    }
    if spec.has(flags::READONLY) && !scripting {
        names.push("read");
    }
    if !names.iter().any(|c| c.eq_ignore_ascii_case("fast")) {
        names.push("slow");
    }
    ACL_CATEGORIES.iter().copied().filter(|c| names.iter().any(|n| n.eq_ignore_ascii_case(c))).collect()
}

/// Key-spec flags synthesised from the command flags: the table only has
/// the legacy (first, last, step) triple, so every key of a write command
/// is reported as read-write and every other key as read-only.
fn key_flags(spec: &CommandSpec) -> &'static [&'static str] {
    if spec.has(flags::WRITE) {
        &["RW", "access"]
    } else {
        &["RO", "access"]
    }
}

fn fullname(spec: &CommandSpec, parent: Option<&CommandSpec>) -> String {
    match parent {
        Some(p) => format!("{}|{}", p.name, spec.name),
        None => spec.name.to_string(),
    }
}

/// One COMMAND INFO element: name, arity, flags, first key, last key, step,
/// ACL categories, tips, key specs, subcommands.
fn write_info(out: &mut Out, spec: &CommandSpec, parent: Option<&CommandSpec>) {
    out.array(10);
    out.bulk(fullname(spec, parent).as_bytes());
    out.int(spec.arity as i64);
    let names: Vec<&str> = flags::NAMES.iter().filter(|(bit, _)| spec.has(*bit)).map(|(_, n)| *n).collect();
    out.set(names.len());
    for n in names {
        out.simple(n.as_bytes());
    }
    let (first, last, step) = spec.keys;
    out.int(first as i64);
    out.int(last as i64);
    out.int(step as i64);
    let cats = acl_categories(spec);
    out.set(cats.len());
    for c in cats {
        out.simple(format!("@{c}").as_bytes());
    }
    out.set(0); // tips: the table has none
    write_key_specs(out, spec);
    if spec.subcommands.is_empty() {
        out.set(0);
    } else {
        out.array(spec.subcommands.len());
        for s in spec.subcommands {
            write_info(out, s, Some(spec));
        }
    }
}

/// The key specs, built from the legacy triple as one `index` begin-search
/// and one `range` find-keys spec (the inverse of how Redis derives the
/// triple from specs).
fn write_key_specs(out: &mut Out, spec: &CommandSpec) {
    let (first, last, step) = spec.keys;
    if first <= 0 {
        out.set(0);
        return;
    }
    let lastkey = if last < 0 { last } else { last - first };
    out.set(1);
    out.map(3);
    out.bulk(b"flags");
    let f = key_flags(spec);
    out.set(f.len());
    for s in f {
        out.simple(s.as_bytes());
    }
    out.bulk(b"begin_search");
    out.map(2);
    out.bulk(b"type");
    out.bulk(b"index");
    out.bulk(b"spec");
    out.map(1);
    out.bulk(b"index");
    out.int(first as i64);
    out.bulk(b"find_keys");
    out.map(2);
    out.bulk(b"type");
    out.bulk(b"range");
    out.bulk(b"spec");
    out.map(3);
    out.bulk(b"lastkey");
    out.int(lastkey as i64);
    out.bulk(b"keystep");
    out.int(step as i64);
    out.bulk(b"limit");
    out.int(0);
}

/// The documentation map of one command (fields the table has, empty ones
/// left out, as Redis leaves out what a command's JSON does not define).
fn write_docs(out: &mut Out, spec: &CommandSpec) {
    let fields: Vec<(&str, &str)> =
        [("summary", spec.summary), ("since", spec.since), ("group", spec.group), ("complexity", spec.complexity)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
    let subs = !spec.subcommands.is_empty();
    out.map(fields.len() + subs as usize);
    for (k, v) in fields {
        out.bulk(k.as_bytes());
        out.bulk(v.as_bytes());
    }
    if subs {
        out.bulk(b"subcommands");
        out.map(spec.subcommands.len());
        for s in spec.subcommands {
            out.bulk(fullname(s, Some(spec)).as_bytes());
            write_docs(out, s);
        }
    }
}

/// COMMAND: the COMMAND INFO element of every command. (With a subcommand
/// the dispatcher resolves straight to that subcommand's handler.)
fn command(ctx: &mut Ctx) -> CmdResult {
    let table = Table::get();
    ctx.out.array(table.top.len());
    for spec in &table.top {
        write_info(ctx.out, spec, None);
    }
    Ok(())
}

/// COMMAND COUNT — number of top-level commands.
fn count(ctx: &mut Ctx) -> CmdResult {
    ctx.out.int(Table::get().top.len() as i64);
    Ok(())
}

/// COMMAND INFO [command-name ...] — one element per name (null when
/// unknown), or every command without names. `container|sub` names work.
fn info(ctx: &mut Ctx) -> CmdResult {
    let table = Table::get();
    if ctx.argc() == 2 {
        ctx.out.array(table.top.len());
        for spec in &table.top {
            write_info(ctx.out, spec, None);
        }
        return Ok(());
    }
    ctx.out.array(ctx.argc() - 2);
    for name in &ctx.argv[2..] {
        match lookup_name(table, name) {
            Some(r) => write_info(ctx.out, r.spec, r.parent),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

fn lookup_name(table: &Table, name: &[u8]) -> Option<Resolved> {
    table.by_fullname(std::str::from_utf8(name).ok()?)
}

/// COMMAND DOCS [command-name ...] — map of name to documentation; unknown
/// names are skipped.
fn docs(ctx: &mut Ctx) -> CmdResult {
    let table = Table::get();
    let found: Vec<Resolved> = if ctx.argc() == 2 {
        (0..table.top.len()).filter_map(|i| table.lookup(table.top[i].name.as_bytes())).collect()
    } else {
        ctx.argv[2..].iter().filter_map(|n| lookup_name(table, n)).collect()
    };
    ctx.out.map(found.len());
    for r in found {
        ctx.out.bulk(r.fullname().as_bytes());
        write_docs(ctx.out, r.spec);
    }
    Ok(())
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
///
/// Names of all commands and subcommands (`config|get`), optionally filtered.
///
/// # Errors
/// `ERR syntax error` for any other argument shape.
fn list(ctx: &mut Ctx) -> CmdResult {
    enum Filter<'a> {
        All,
        Module,
        AclCat(&'a [u8]),
        Pattern(&'a [u8]),
    }
    let filter = match ctx.argc() {
        2 => Filter::All,
        5 if eq(ctx.arg(2), "filterby") => {
            let (kind, arg) = (ctx.arg(3), ctx.arg(4));
            if eq(kind, "module") {
                Filter::Module
            } else if eq(kind, "aclcat") {
                Filter::AclCat(arg)
            } else if eq(kind, "pattern") {
                Filter::Pattern(arg)
            } else {
                return Err(errors::SYNTAX.into());
            }
        }
        _ => return Err(errors::SYNTAX.into()),
    };
    let names: Vec<String> = Table::get()
        .all
        .iter()
        .filter(|(spec, parent)| match &filter {
            Filter::All => true,
            // No modules can be loaded, so no command belongs to one.
            Filter::Module => false,
            Filter::AclCat(cat) => acl_categories(spec).iter().any(|c| c.as_bytes().eq_ignore_ascii_case(cat)),
            Filter::Pattern(p) => keyspace::glob::glob_match(p, fullname(spec, *parent).as_bytes(), true),
        })
        .map(|(spec, parent)| fullname(spec, *parent))
        .collect();
    ctx.out.array(names.len());
    for n in names {
        ctx.out.bulk(n.as_bytes());
    }
    Ok(())
}

/// The command an argument vector names, as Redis resolves it for GETKEYS:
/// a container with at least one more argument must name a known subcommand.
fn resolve_for_keys(args: &[bytes::Bytes]) -> Option<&'static CommandSpec> {
    let table = Table::get();
    let top = table.lookup(&args[0])?;
    if args.len() == 1 || top.spec.subcommands.is_empty() {
        return Some(top.spec);
    }
    table.lookup_sub(top, &args[1]).map(|r| r.spec)
}

/// Positions (in `args`) of the keys of the command `args` spells.
///
/// # Errors
/// Redis's GETKEYS texts: unknown command, no key arguments, wrong arity,
/// or arguments that yield no keys.
fn keys_of(args: &[bytes::Bytes]) -> Result<(&'static CommandSpec, Vec<usize>), errors::CmdError> {
    let spec = resolve_for_keys(args).ok_or(errors::GETKEYS_INVALID_COMMAND)?;
    if spec.keys.0 <= 0 {
        return Err(errors::GETKEYS_NO_KEYS.into());
    }
    if !spec.arity_ok(args.len()) {
        return Err(errors::GETKEYS_BAD_ARITY.into());
    }
    let pos = spec.key_positions(args.len());
    if pos.is_empty() {
        return Err(errors::GETKEYS_INVALID_ARGS.into());
    }
    Ok((spec, pos))
}

/// COMMAND GETKEYS command [arg ...] — the key arguments of a full command.
fn getkeys(ctx: &mut Ctx) -> CmdResult {
    let args = &ctx.argv[2..];
    let (_, pos) = keys_of(args)?;
    ctx.out.array(pos.len());
    for p in pos {
        ctx.out.bulk(&args[p]);
    }
    Ok(())
}

/// COMMAND GETKEYSANDFLAGS command [arg ...] — each key with its key-spec flags.
fn getkeysandflags(ctx: &mut Ctx) -> CmdResult {
    let args = &ctx.argv[2..];
    let (spec, pos) = keys_of(args)?;
    let f = key_flags(spec);
    ctx.out.array(pos.len());
    for p in pos {
        ctx.out.array(2);
        ctx.out.bulk(&args[p]);
        ctx.out.set(f.len());
        for s in f {
            ctx.out.simple(s.as_bytes());
        }
    }
    Ok(())
}

/// COMMAND HELP
fn help(ctx: &mut Ctx) -> CmdResult {
    reply_help(
        ctx.out,
        "command",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop(_: &mut Ctx) -> CmdResult {
        Ok(())
    }

    #[test]
    fn implicit_acl_categories_follow_flags() {
        let get = spec("get", 2, flags::READONLY | flags::FAST, (1, 1, 1), &["string"], "string", "1.0.0", "", noop);
        assert_eq!(acl_categories(&get), vec!["read", "string", "fast"]);
        let cfg = spec("get", -3, flags::ADMIN | flags::NOSCRIPT, (0, 0, 0), &[], "server", "2.0.0", "", noop);
        assert_eq!(acl_categories(&cfg), vec!["admin", "slow", "dangerous"]);
        // Explicit categories are not duplicated and keep Redis's order.
        let info = spec("info", -1, LS, (0, 0, 0), &["dangerous", "slow"], "server", "1.0.0", "", noop);
        assert_eq!(acl_categories(&info), vec!["slow", "dangerous"]);
        let eval_ro = spec("eval_ro", -3, flags::READONLY, (0, 0, 0), &["scripting"], "scripting", "7.0.0", "", noop);
        assert_eq!(acl_categories(&eval_ro), vec!["slow", "scripting"]);
    }

    #[test]
    fn key_specs_invert_the_legacy_triple() {
        let mset = spec("mset", -3, flags::WRITE, (1, -1, 2), &[], "string", "1.0.1", "", noop);
        let mut out = Out::new(false);
        write_key_specs(&mut out, &mset);
        let s = String::from_utf8(out.take()).unwrap();
        assert!(s.contains("$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n"), "{s}");
        assert!(s.contains("+RW\r\n+access\r\n"), "{s}");
        let lcs = spec("lcs", -3, flags::READONLY, (1, 2, 1), &[], "string", "7.0.0", "", noop);
        let mut out = Out::new(true);
        write_key_specs(&mut out, &lcs);
        let s = String::from_utf8(out.take()).unwrap();
        assert!(s.starts_with("~1\r\n%3\r\n"), "{s}");
        assert!(s.contains("$7\r\nlastkey\r\n:1\r\n"), "{s}");
    }

    #[test]
    fn help_frames_lines_as_status_strings() {
        let mut out = Out::new(false);
        reply_help(&mut out, "slowlog", &["LEN", "    Return the length of the slowlog."]);
        let s = String::from_utf8(out.take()).unwrap();
        assert_eq!(
            s,
            "*5\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+LEN\r\n\
             +    Return the length of the slowlog.\r\n+HELP\r\n+    Prints this help.\r\n"
        );
    }
}
