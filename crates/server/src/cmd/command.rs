//! COMMAND: introspection of the command table (COUNT, LIST, INFO, DOCS,
//! GETKEYS, GETKEYSANDFLAGS, HELP), answered from
//! [`Table`](crate::command::Table) (which commands exist, arity, flags, ACL
//! categories, legacy key triple) and [`meta`](super::meta) (key specs, tips,
//! documentation), in the exact shapes redis-server 7.0's `addReplyCommand*`
//! functions write. It is not the dispatcher, and a command missing from the
//! table never appears here even when `meta` describes it.
//!
//! Also home of two helpers other families reuse: [`reply_help`] (the HELP
//! reply every container command gives) and [`acl_categories`] (a spec's
//! ACL categories including the ones Redis implies from its flags).

use super::meta::{arg, doc, ks, Arg, ArgType, Bs, Fk, KeySpec, Meta};
use crate::command::{container, flags, fullname, spec, CommandSpec, Resolved, Table};
use crate::ctx::{eq, Ctx};
use crate::errors::{self, CmdResult};
use bytes::Bytes;
use resp::Out;
use std::borrow::Cow;

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
    sub(
        "list",
        -2,
        "7.0.0",
        "Get an array of Redis command names",
        "O(N) where N is the total number of Redis commands",
        list,
    ),
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
    out.simple(
        format!("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", name.to_ascii_uppercase()).as_bytes(),
    );
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

/// The key specs COMMAND INFO reports and GETKEYS uses: [`Meta`]'s, or for
/// a command [`META`](super::meta::META) does not describe yet, one spec
/// synthesised from the legacy (first, last, step) triple (every key of a
/// write command read-write, every other key read-only).
fn key_specs(spec: &CommandSpec, meta: &'static Meta) -> Cow<'static, [KeySpec]> {
    let (first, last, step) = spec.keys;
    if !meta.name.is_empty() || first <= 0 {
        return Cow::Borrowed(meta.key_specs);
    }
    let flags = if spec.has(flags::WRITE) { ks::RW | ks::ACCESS } else { ks::RO | ks::ACCESS };
    let lastkey = if last < 0 { last } else { last - first };
    Cow::Owned(vec![KeySpec { notes: "", flags, bs: Bs::Index(first), fk: Fk::Range(lastkey, step, 0) }])
}

/// Writes the names of the bits of `set` in `names` as a set of status strings.
fn write_flag_set<T: Copy + Into<u32>>(out: &mut Out, set: T, names: &[(T, &str)]) {
    let set = set.into();
    let on: Vec<&str> = names.iter().filter(|(bit, _)| set & (*bit).into() != 0).map(|(_, n)| *n).collect();
    out.set(on.len());
    for n in on {
        out.simple(n.as_bytes());
    }
}

/// One COMMAND INFO element: name, arity, flags, first key, last key, step,
/// ACL categories, tips, key specs, subcommands.
fn write_info(out: &mut Out, spec: &CommandSpec, parent: Option<&CommandSpec>) {
    let name = fullname(spec, parent);
    let meta = Meta::of(&name);
    out.array(10);
    out.bulk(name.as_bytes());
    out.int(spec.arity as i64);
    let movable = meta.key_specs.iter().any(|k| !matches!((&k.bs, &k.fk), (Bs::Index(_), Fk::Range(..))));
    write_flag_set(out, spec.flags | if movable { flags::MOVABLEKEYS } else { 0 }, flags::NAMES);
    let (first, last, step) = spec.keys;
    out.int(first as i64);
    out.int(last as i64);
    out.int(step as i64);
    let cats = acl_categories(spec);
    out.set(cats.len());
    for c in cats {
        out.simple(format!("@{c}").as_bytes());
    }
    out.set(meta.tips.len());
    for t in meta.tips {
        out.bulk(t.as_bytes());
    }
    write_key_specs(out, &key_specs(spec, meta));
    if spec.subcommands.is_empty() {
        out.set(0);
    } else {
        out.array(spec.subcommands.len());
        for s in spec.subcommands {
            write_info(out, s, Some(spec));
        }
    }
}

/// The key specs as Redis's `addReplyCommandKeySpecs` writes them: a set of
/// maps of notes (when there are any), flags, begin_search and find_keys.
fn write_key_specs(out: &mut Out, specs: &[KeySpec]) {
    out.set(specs.len());
    for k in specs {
        out.map(3 + !k.notes.is_empty() as usize);
        if !k.notes.is_empty() {
            out.bulk(b"notes");
            out.bulk(k.notes.as_bytes());
        }
        out.bulk(b"flags");
        write_flag_set(out, k.flags, ks::NAMES);
        out.bulk(b"begin_search");
        match k.bs {
            Bs::Index(i) => write_search(out, "index", &[("index", Field::Int(i))]),
            Bs::Keyword(kw, from) => {
                write_search(out, "keyword", &[("keyword", Field::Str(kw)), ("startfrom", Field::Int(from))])
            }
            Bs::Unknown => write_search(out, "unknown", &[]),
        }
        out.bulk(b"find_keys");
        match k.fk {
            Fk::Range(last, step, limit) => write_search(
                out,
                "range",
                &[("lastkey", Field::Int(last)), ("keystep", Field::Int(step)), ("limit", Field::Int(limit))],
            ),
            Fk::Keynum(idx, first, step) => write_search(
                out,
                "keynum",
                &[("keynumidx", Field::Int(idx)), ("firstkey", Field::Int(first)), ("keystep", Field::Int(step))],
            ),
            Fk::Unknown => write_search(out, "unknown", &[]),
        }
    }
}

enum Field {
    Int(i32),
    Str(&'static str),
}

/// `{type: <kind>, spec: {<fields>}}`, the shape of begin_search and find_keys.
fn write_search(out: &mut Out, kind: &str, fields: &[(&str, Field)]) {
    out.map(2);
    out.bulk(b"type");
    out.bulk(kind.as_bytes());
    out.bulk(b"spec");
    out.map(fields.len());
    for (k, v) in fields {
        out.bulk(k.as_bytes());
        match v {
            Field::Int(i) => out.int(*i as i64),
            Field::Str(s) => out.bulk(s.as_bytes()),
        }
    }
}

/// The documentation map of one command, as Redis's `addReplyCommandDocs`
/// writes it: summary, since, group, complexity, doc_flags,
/// deprecated_since, replaced_by, history, arguments, subcommands, each
/// left out when the command has none (group is always there).
fn write_docs(out: &mut Out, spec: &CommandSpec, parent: Option<&CommandSpec>) {
    let meta = Meta::of(&fullname(spec, parent));
    let or = |a: &'static str, b: &'static str| if a.is_empty() { b } else { a };
    let (summary, since, group) =
        (or(meta.summary, spec.summary), or(meta.since, spec.since), or(meta.group, spec.group));
    let complexity = or(meta.complexity, spec.complexity);
    let present = [
        !summary.is_empty(),
        !since.is_empty(),
        true,
        !complexity.is_empty(),
        meta.doc_flags != 0,
        !meta.deprecated_since.is_empty(),
        !meta.replaced_by.is_empty(),
        !meta.history.is_empty(),
        !meta.args.is_empty(),
        !spec.subcommands.is_empty(),
    ];
    out.map(present.iter().filter(|p| **p).count());
    for (k, v) in [("summary", summary), ("since", since), ("group", group), ("complexity", complexity)] {
        if !v.is_empty() {
            out.bulk(k.as_bytes());
            out.bulk(v.as_bytes());
        }
    }
    if meta.doc_flags != 0 {
        out.bulk(b"doc_flags");
        write_flag_set(out, meta.doc_flags, doc::NAMES);
    }
    for (k, v) in [("deprecated_since", meta.deprecated_since), ("replaced_by", meta.replaced_by)] {
        if !v.is_empty() {
            out.bulk(k.as_bytes());
            out.bulk(v.as_bytes());
        }
    }
    if !meta.history.is_empty() {
        out.bulk(b"history");
        out.set(meta.history.len());
        for (version, change) in meta.history {
            out.array(2);
            out.bulk(version.as_bytes());
            out.bulk(change.as_bytes());
        }
    }
    if !meta.args.is_empty() {
        out.bulk(b"arguments");
        write_args(out, meta.args);
    }
    if !spec.subcommands.is_empty() {
        out.bulk(b"subcommands");
        out.map(spec.subcommands.len());
        for s in spec.subcommands {
            out.bulk(fullname(s, Some(spec)).as_bytes());
            write_docs(out, s, Some(spec));
        }
    }
}

/// An argument list as Redis's `addReplyCommandArgList` writes it: one map
/// per argument of name, type, key_spec_index, token, summary, since,
/// deprecated_since, flags and (for oneof and block) arguments.
fn write_args(out: &mut Out, args: &[Arg]) {
    out.array(args.len());
    for a in args {
        let nested = matches!(a.kind, ArgType::OneOf | ArgType::Block);
        let strs =
            [("token", a.token), ("summary", a.summary), ("since", a.since), ("deprecated_since", a.deprecated_since)];
        let len = 2
            + (a.key_spec >= 0) as usize
            + strs.iter().filter(|(_, v)| !v.is_empty()).count()
            + (a.flags != 0) as usize
            + nested as usize;
        out.map(len);
        out.bulk(b"name");
        out.bulk(a.name.as_bytes());
        out.bulk(b"type");
        out.bulk(a.kind.name().as_bytes());
        if a.key_spec >= 0 {
            out.bulk(b"key_spec_index");
            out.int(a.key_spec as i64);
        }
        for (k, v) in strs {
            // Redis writes a token that is present even when it is empty
            // (MIGRATE's `""`), but no command we implement has one.
            if !v.is_empty() {
                out.bulk(k.as_bytes());
                out.bulk(v.as_bytes());
            }
        }
        if a.flags != 0 {
            out.bulk(b"flags");
            write_flag_set(out, a.flags, arg::NAMES);
        }
        if nested {
            out.bulk(b"arguments");
            write_args(out, a.args);
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
        write_docs(ctx.out, r.spec, r.parent);
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
fn resolve_for_keys(args: &[Bytes]) -> Option<Resolved> {
    let table = Table::get();
    let top = table.lookup(&args[0])?;
    if args.len() == 1 || top.spec.subcommands.is_empty() {
        return Some(top);
    }
    table.lookup_sub(top, &args[1])
}

/// Positions (in `args`) and key-spec flags of the keys of the command
/// `args` spells, the way Redis's `getKeysFromCommandWithSpecs` finds them:
/// by the key specs, unless their flags vary with the arguments (SET) or a
/// spec cannot be applied, when the command's own key finder decides.
///
/// # Errors
/// Redis's GETKEYS texts: unknown command, no key arguments, wrong arity,
/// or arguments that yield no keys.
fn keys_of(args: &[Bytes]) -> Result<Vec<(usize, u16)>, errors::CmdError> {
    let r = resolve_for_keys(args).ok_or(errors::GETKEYS_INVALID_COMMAND)?;
    let specs = key_specs(r.spec, Meta::of(&r.fullname()));
    if !specs.iter().any(|k| k.flags & ks::NOT_KEY == 0) {
        return Err(errors::GETKEYS_NO_KEYS.into());
    }
    if !r.spec.arity_ok(args.len()) {
        return Err(errors::GETKEYS_BAD_ARITY.into());
    }
    let variable = specs.iter().any(|k| k.flags & ks::VARIABLE_FLAGS != 0);
    let keys = match (variable, r.parent) {
        (true, None) if r.spec.name == "set" => set_keys(args),
        (_, None) if r.spec.name == "sort" => sort_keys(args),
        (_, None) if r.spec.name == "sort_ro" => vec![(1, ks::RO | ks::ACCESS)],
        _ => keys_by_specs(&specs, args).unwrap_or_default(),
    };
    if keys.is_empty() {
        return Err(errors::GETKEYS_INVALID_ARGS.into());
    }
    Ok(keys)
}

/// SORT's key finder (Redis's `sortGetKeys`): the sorted key, and the last
/// `STORE` destination, skipping the arguments of LIMIT, GET and BY (BY and
/// GET patterns are not counted as keys).
fn sort_keys(args: &[Bytes]) -> Vec<(usize, u16)> {
    let mut keys = vec![(1, ks::RO | ks::ACCESS)];
    let mut store = None;
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        if eq(a, "limit") {
            i += 2;
        } else if eq(a, "get") || eq(a, "by") {
            i += 1;
        } else if eq(a, "store") && i + 1 < args.len() {
            store = Some(i + 1);
        }
        i += 1;
    }
    keys.extend(store.map(|p| (p, ks::OW | ks::UPDATE)));
    keys
}

/// SET's key finder (Redis's `setGetKeys`): the key is overwritten, unless
/// a `GET` after the value makes it read too.
fn set_keys(args: &[Bytes]) -> Vec<(usize, u16)> {
    let get = args.iter().skip(3).any(|a| eq(a, "get"));
    vec![(1, if get { ks::RW | ks::ACCESS | ks::UPDATE } else { ks::OW | ks::UPDATE })]
}

/// Applies key specs to an argument vector (Redis's `getKeysUsingKeySpecs`).
/// None when a spec is unknown or incomplete, or points outside `args`.
fn keys_by_specs(specs: &[KeySpec], args: &[Bytes]) -> Option<Vec<(usize, u16)>> {
    let argc = args.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if spec.flags & ks::NOT_KEY != 0 {
            continue;
        }
        let mut first = match spec.bs {
            Bs::Index(i) => i as i64,
            Bs::Keyword(keyword, from) => {
                // Forwards up to (not including) the last argument, or
                // backwards down to (not including) the command name.
                let from = from as i64;
                let (start, end) = if from > 0 { (from, argc - 1) } else { (argc + from, 1) };
                let dir = if start <= end { 1 } else { -1 };
                let mut i = start;
                let mut found = 0;
                while i != end && (1..argc).contains(&i) {
                    if eq(&args[i as usize], keyword) {
                        found = i + 1;
                        break;
                    }
                    i += dir;
                }
                if found == 0 {
                    continue; // the keyword is optional and absent
                }
                found
            }
            Bs::Unknown => return None,
        };
        let (last, step) = match spec.fk {
            Fk::Range(lastkey, step, limit) => {
                let (lastkey, limit) = (lastkey as i64, limit as i64);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (last, step as i64)
            }
            Fk::Keynum(idx, firstkey, step) => {
                let at = first + idx as i64;
                if at >= argc {
                    return None;
                }
                let n: i64 = std::str::from_utf8(&args[at as usize]).ok()?.parse().ok()?;
                if n < 0 {
                    return None;
                }
                first += firstkey as i64;
                (first + n - 1, step as i64)
            }
            Fk::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc || step <= 0 {
            return None;
        }
        keys.extend((first..=last).step_by(step as usize).map(|i| (i as usize, spec.flags)));
        if spec.flags & ks::INCOMPLETE != 0 {
            return None;
        }
    }
    Some(keys)
}

/// COMMAND GETKEYS command [arg ...] — the key arguments of a full command.
fn getkeys(ctx: &mut Ctx) -> CmdResult {
    let args = &ctx.argv[2..];
    let keys = keys_of(args)?;
    ctx.out.array(keys.len());
    for (p, _) in keys {
        ctx.out.bulk(&args[p]);
    }
    Ok(())
}

/// COMMAND GETKEYSANDFLAGS command [arg ...] — each key with its key-spec flags.
fn getkeysandflags(ctx: &mut Ctx) -> CmdResult {
    let args = &ctx.argv[2..];
    let keys = keys_of(args)?;
    ctx.out.array(keys.len());
    for (p, f) in keys {
        ctx.out.array(2);
        ctx.out.bulk(&args[p]);
        write_flag_set(ctx.out, f, ks::NAMES);
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

    fn args(s: &str) -> Vec<Bytes> {
        s.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
    }

    #[test]
    fn commands_meta_lacks_get_a_spec_from_the_legacy_triple() {
        let m = spec("not-in-meta", -3, flags::WRITE, (1, -1, 2), &[], "string", "1.0.1", "", noop);
        let specs = key_specs(&m, Meta::of("not-in-meta"));
        let mut out = Out::new(false);
        write_key_specs(&mut out, &specs);
        let s = String::from_utf8(out.take()).unwrap();
        assert!(s.contains("$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n"), "{s}");
        assert!(s.contains("+RW\r\n+access\r\n"), "{s}");
    }

    #[test]
    fn key_specs_are_written_as_redis_writes_them() {
        let rename = Table::get().by_fullname("rename").unwrap();
        let mut out = Out::new(true);
        write_key_specs(&mut out, &key_specs(rename.spec, Meta::of("rename")));
        let s = String::from_utf8(out.take()).unwrap();
        let range = "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n\
                     $7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n";
        let index = |i| {
            format!(
                "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:{i}\r\n"
            )
        };
        let want = format!(
            "~2\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n{}{range}\
             %3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n{}{range}",
            index(1),
            index(2)
        );
        assert_eq!(s, want);
    }

    #[test]
    fn docs_of_set_match_redis_7_0() {
        let set = Table::get().by_fullname("set").unwrap();
        let mut out = Out::new(false);
        write_docs(&mut out, set.spec, None);
        let s = String::from_utf8(out.take()).unwrap();
        assert!(s.starts_with("*12\r\n$7\r\nsummary\r\n$29\r\nSet the string value of a key\r\n"), "{s}");
        assert!(s.contains("$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n"), "{s}");
    }

    #[test]
    fn getkeys_follows_the_key_specs() {
        assert_eq!(
            keys_of(&args("RENAME a b")).unwrap(),
            vec![(1, ks::RW | ks::ACCESS | ks::DELETE), (2, ks::OW | ks::UPDATE)]
        );
        assert_eq!(keys_of(&args("MSET a 1 b")).unwrap(), vec![(1, ks::OW | ks::UPDATE), (3, ks::OW | ks::UPDATE)]);
        assert_eq!(keys_of(&args("OBJECT FREQ k")).unwrap(), vec![(2, ks::RO)]);
        assert_eq!(keys_of(&args("SET k v")).unwrap(), vec![(1, ks::OW | ks::UPDATE)]);
        assert_eq!(keys_of(&args("SET k v EX 1 get")).unwrap(), vec![(1, ks::RW | ks::ACCESS | ks::UPDATE)]);
        assert!(keys_of(&args("OBJECT HELP")).is_err());
        assert!(keys_of(&args("GET")).is_err());
    }

    #[test]
    fn keyword_and_keynum_specs() {
        let kw = [KeySpec { notes: "", flags: ks::RO, bs: Bs::Keyword("KEYS", -2), fk: Fk::Range(-1, 1, 0) }];
        // MIGRATE host port "" db timeout KEYS a b: searched backwards from the end.
        let m = args("MIGRATE h p x 0 5 KEYS a b");
        assert_eq!(keys_by_specs(&kw, &m).unwrap(), vec![(7, ks::RO), (8, ks::RO)]);
        assert_eq!(keys_by_specs(&kw, &args("MIGRATE h p k 0 5")).unwrap(), vec![]);
        let num = [KeySpec { notes: "", flags: ks::RW, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) }];
        assert_eq!(keys_by_specs(&num, &args("ZUNIONSTORE d 2 a b")).unwrap(), vec![(3, ks::RW), (4, ks::RW)]);
        assert_eq!(keys_by_specs(&num, &args("ZUNIONSTORE d 3 a b")), None);
        assert_eq!(keys_by_specs(&num, &args("ZUNIONSTORE d x a b")), None);
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
