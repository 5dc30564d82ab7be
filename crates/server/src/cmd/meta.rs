//! What COMMAND INFO and COMMAND DOCS report beyond the command table: key
//! specs, command tips and the documentation fields (complexity, doc flags,
//! deprecation, history, argument grammar), one [`Meta`] per full command
//! name (`get`, `client|kill`).
//!
//! This is data, not behaviour: it describes Redis's public command
//! interface as redis-server 7.0 reports it (and Redis 7.2's command files for
//! the 7.2 subcommands we implement). Arity, flags, the legacy key triple, ACL
//! categories and the handler stay in
//! [`CommandSpec`](crate::command::CommandSpec); nothing here is consulted by
//! the dispatcher. Summary, since and group are repeated here because the
//! table words them as Redis 7.2 does, and COMMAND DOCS answers as 7.0.
//!
//! The [`META`] table between the GENERATED markers is written by
//! `scripts/gen-command-meta.py` from a running reference server; rerun it
//! when a command is added. Neither the build nor the tests need that server.

/// Key-spec flags, as COMMAND INFO names them.
pub mod ks {
    pub const RO: u16 = 1 << 0;
    pub const RW: u16 = 1 << 1;
    pub const OW: u16 = 1 << 2;
    pub const RM: u16 = 1 << 3;
    pub const ACCESS: u16 = 1 << 4;
    pub const UPDATE: u16 = 1 << 5;
    pub const INSERT: u16 = 1 << 6;
    pub const DELETE: u16 = 1 << 7;
    pub const NOT_KEY: u16 = 1 << 8;
    pub const INCOMPLETE: u16 = 1 << 9;
    pub const VARIABLE_FLAGS: u16 = 1 << 10;

    /// (bit, name) pairs in the order Redis prints them.
    pub const NAMES: &[(u16, &str)] = &[
        (RO, "RO"),
        (RW, "RW"),
        (OW, "OW"),
        (RM, "RM"),
        (ACCESS, "access"),
        (UPDATE, "update"),
        (INSERT, "insert"),
        (DELETE, "delete"),
        (NOT_KEY, "not_key"),
        (INCOMPLETE, "incomplete"),
        (VARIABLE_FLAGS, "variable_flags"),
    ];
}

/// Argument flags of COMMAND DOCS.
pub mod arg {
    pub const OPTIONAL: u8 = 1 << 0;
    pub const MULTIPLE: u8 = 1 << 1;
    pub const MULTIPLE_TOKEN: u8 = 1 << 2;

    /// (bit, name) pairs in the order Redis prints them.
    pub const NAMES: &[(u8, &str)] =
        &[(OPTIONAL, "optional"), (MULTIPLE, "multiple"), (MULTIPLE_TOKEN, "multiple_token")];
}

/// Command documentation flags of COMMAND DOCS.
pub mod doc {
    pub const DEPRECATED: u8 = 1 << 0;
    pub const SYSCMD: u8 = 1 << 1;

    /// (bit, name) pairs in the order Redis prints them.
    pub const NAMES: &[(u8, &str)] = &[(DEPRECATED, "deprecated"), (SYSCMD, "syscmd")];
}

/// Where a key spec starts looking for keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bs {
    /// At this argument index.
    Index(i32),
    /// After the first argument equal to the keyword, searching from
    /// `startfrom` (negative: from the end, backwards).
    Keyword(&'static str, i32),
    /// The keys cannot be found from the argument vector's shape.
    Unknown,
}

/// How a key spec finds its keys from where the search began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fk {
    /// (lastkey, keystep, limit): keys up to `lastkey` (relative to the
    /// first key; negative: from the end), every `keystep`; `limit` divides
    /// the remaining arguments when lastkey is -1.
    Range(i32, i32, i32),
    /// (keynumidx, firstkey, keystep): the key count is at `keynumidx`,
    /// the keys start `firstkey` after the search start.
    Keynum(i32, i32, i32),
    /// Not describable.
    Unknown,
}

/// One key spec of COMMAND INFO.
#[derive(Clone, Debug)]
pub struct KeySpec {
    /// Free text; empty when Redis prints none.
    pub notes: &'static str,
    /// Bit set of [`ks`] flags.
    pub flags: u16,
    pub bs: Bs,
    pub fk: Fk,
}

/// Argument types of COMMAND DOCS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    Str,
    Int,
    Double,
    Key,
    Pattern,
    UnixTime,
    PureToken,
    OneOf,
    Block,
}

impl ArgType {
    /// The name COMMAND DOCS prints.
    pub fn name(self) -> &'static str {
        match self {
            ArgType::Str => "string",
            ArgType::Int => "integer",
            ArgType::Double => "double",
            ArgType::Key => "key",
            ArgType::Pattern => "pattern",
            ArgType::UnixTime => "unix-time",
            ArgType::PureToken => "pure-token",
            ArgType::OneOf => "oneof",
            ArgType::Block => "block",
        }
    }
}

use ArgType::*;

/// One argument of a command's COMMAND DOCS grammar. Empty strings, a
/// `key_spec` of -1 and zero flags are fields Redis leaves out.
#[derive(Debug)]
pub struct Arg {
    pub name: &'static str,
    pub kind: ArgType,
    /// Index into the command's key specs, for key arguments.
    pub key_spec: i32,
    pub token: &'static str,
    pub summary: &'static str,
    pub since: &'static str,
    pub deprecated_since: &'static str,
    /// Bit set of [`arg`] flags.
    pub flags: u8,
    /// Nested arguments of `oneof` and `block` arguments.
    pub args: &'static [Arg],
}

impl Arg {
    /// The empty argument the table's entries update.
    pub const NONE: Arg = Arg {
        name: "",
        kind: Str,
        key_spec: -1,
        token: "",
        summary: "",
        since: "",
        deprecated_since: "",
        flags: 0,
        args: &[],
    };
}

/// What COMMAND INFO and COMMAND DOCS print about one command beyond its
/// [`CommandSpec`](crate::command::CommandSpec). Empty strings and slices
/// are fields Redis leaves out.
#[derive(Debug)]
pub struct Meta {
    /// Full name: `get`, `client|kill`.
    pub name: &'static str,
    /// COMMAND DOCS summary, since and group as Redis words them (the
    /// command table's own texts are the fallback).
    pub summary: &'static str,
    pub since: &'static str,
    pub group: &'static str,
    /// Command tips (`nondeterministic_output`, `request_policy:all_shards`...).
    pub tips: &'static [&'static str],
    pub key_specs: &'static [KeySpec],
    pub complexity: &'static str,
    /// Bit set of [`doc`] flags.
    pub doc_flags: u8,
    pub deprecated_since: &'static str,
    pub replaced_by: &'static str,
    /// (version, change) pairs.
    pub history: &'static [(&'static str, &'static str)],
    pub args: &'static [Arg],
}

impl Meta {
    /// The empty entry the table's entries update.
    pub const NONE: Meta = Meta {
        name: "",
        summary: "",
        since: "",
        group: "",
        tips: &[],
        key_specs: &[],
        complexity: "",
        doc_flags: 0,
        deprecated_since: "",
        replaced_by: "",
        history: &[],
        args: &[],
    };

    /// The metadata of a full command name (lower case), or an empty entry
    /// for a command the table does not describe.
    pub fn of(fullname: &str) -> &'static Meta {
        static EMPTY: Meta = Meta::NONE;
        match META.binary_search_by(|m| m.name.cmp(fullname)) {
            Ok(i) => &META[i],
            Err(_) => &EMPTY,
        }
    }
}

// BEGIN GENERATED by scripts/gen-command-meta.py; do not edit by hand.
pub static META: &[Meta] = &[
    Meta {
        name: "append",
        summary: "Append a value to a key",
        since: "2.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "auth",
        summary: "Authenticate to the server",
        since: "1.0.0",
        group: "connection",
        complexity: "O(N) where N is the number of passwords defined for the user",
        history: &[("6.0.0", "Added ACL style (username and password).")],
        args: &[
            Arg { name: "username", kind: Str, since: "6.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "password", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bgrewriteaof",
        summary: "Asynchronously rewrite the append-only file",
        since: "1.0.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "bgsave",
        summary: "Asynchronously save the dataset to disk",
        since: "1.0.0",
        group: "server",
        complexity: "O(1)",
        history: &[("3.2.2", "Added the `SCHEDULE` option.")],
        args: &[
            Arg { name: "schedule", kind: PureToken, token: "SCHEDULE", since: "3.2.2", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bitcount",
        summary: "Count set bits in a string",
        since: "2.6.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N)",
        history: &[("7.0.0", "Added the `BYTE|BIT` option.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "index", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "start", kind: Int, ..Arg::NONE },
                Arg { name: "end", kind: Int, ..Arg::NONE },
                Arg { name: "index_unit", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                    Arg { name: "byte", kind: PureToken, token: "BYTE", ..Arg::NONE },
                    Arg { name: "bit", kind: PureToken, token: "BIT", ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bitfield",
        summary: "Perform arbitrary bitfield integer operations on strings",
        since: "3.2.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "This command allows both access and modification of the key", flags: ks::RW | ks::ACCESS | ks::UPDATE | ks::VARIABLE_FLAGS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each subcommand specified",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "operation", kind: OneOf, flags: arg::OPTIONAL | arg::MULTIPLE, args: &[
                Arg { name: "encoding_offset", kind: Block, token: "GET", args: &[
                    Arg { name: "encoding", kind: Str, ..Arg::NONE },
                    Arg { name: "offset", kind: Int, ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "write", kind: Block, args: &[
                    Arg { name: "wrap_sat_fail", kind: OneOf, token: "OVERFLOW", flags: arg::OPTIONAL, args: &[
                        Arg { name: "wrap", kind: PureToken, token: "WRAP", ..Arg::NONE },
                        Arg { name: "sat", kind: PureToken, token: "SAT", ..Arg::NONE },
                        Arg { name: "fail", kind: PureToken, token: "FAIL", ..Arg::NONE },
                    ], ..Arg::NONE },
                    Arg { name: "write_operation", kind: OneOf, args: &[
                        Arg { name: "encoding_offset_value", kind: Block, token: "SET", args: &[
                            Arg { name: "encoding", kind: Str, ..Arg::NONE },
                            Arg { name: "offset", kind: Int, ..Arg::NONE },
                            Arg { name: "value", kind: Int, ..Arg::NONE },
                        ], ..Arg::NONE },
                        Arg { name: "encoding_offset_increment", kind: Block, token: "INCRBY", args: &[
                            Arg { name: "encoding", kind: Str, ..Arg::NONE },
                            Arg { name: "offset", kind: Int, ..Arg::NONE },
                            Arg { name: "increment", kind: Int, ..Arg::NONE },
                        ], ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bitfield_ro",
        summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
        since: "6.0.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each subcommand specified",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "encoding_offset", kind: Block, token: "GET", flags: arg::OPTIONAL | arg::MULTIPLE | arg::MULTIPLE_TOKEN, args: &[
                Arg { name: "encoding", kind: Str, ..Arg::NONE },
                Arg { name: "offset", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bitop",
        summary: "Perform bitwise operations between strings",
        since: "2.6.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(3), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N)",
        args: &[
            Arg { name: "operation", kind: Str, ..Arg::NONE },
            Arg { name: "destkey", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bitpos",
        summary: "Find first bit set or clear in a string",
        since: "2.8.7",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N)",
        history: &[("7.0.0", "Added the `BYTE|BIT` option.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "bit", kind: Int, ..Arg::NONE },
            Arg { name: "index", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "start", kind: Int, ..Arg::NONE },
                Arg { name: "end_index", kind: Block, flags: arg::OPTIONAL, args: &[
                    Arg { name: "end", kind: Int, ..Arg::NONE },
                    Arg { name: "index_unit", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                        Arg { name: "byte", kind: PureToken, token: "BYTE", ..Arg::NONE },
                        Arg { name: "bit", kind: PureToken, token: "BIT", ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "blmove",
        summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
        since: "6.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "wherefrom", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "whereto", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "blmpop",
        summary: "Pop elements from a list, or block until one is available",
        since: "7.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        args: &[
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "where", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "blpop",
        summary: "Remove and get the first element in a list, or block until one is available",
        since: "2.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-2, 1, 0) },
        ],
        complexity: "O(N) where N is the number of provided keys.",
        history: &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "brpop",
        summary: "Remove and get the last element in a list, or block until one is available",
        since: "2.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-2, 1, 0) },
        ],
        complexity: "O(N) where N is the number of provided keys.",
        history: &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "brpoplpush",
        summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
        since: "2.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
        history: &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")],
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bzmpop",
        summary: "Remove and return members with scores in a sorted set or block until one is available",
        since: "7.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        args: &[
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "where", kind: OneOf, args: &[
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bzpopmax",
        summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
        since: "5.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-2, 1, 0) },
        ],
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        history: &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "bzpopmin",
        summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
        since: "5.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-2, 1, 0) },
        ],
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        history: &[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "timeout", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client",
        summary: "A container for client connection commands",
        since: "2.4.0",
        group: "connection",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "client|getname",
        summary: "Get the current connection name",
        since: "2.6.9",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "client|getredir",
        summary: "Get tracking notifications redirection client ID if any",
        since: "6.0.0",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "client|help",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "client|id",
        summary: "Returns the client ID for the current connection",
        since: "5.0.0",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "client|info",
        summary: "Returns information about the current client connection.",
        since: "6.2.0",
        group: "connection",
        tips: &["nondeterministic_output"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "client|kill",
        summary: "Kill the connection of a client",
        since: "2.4.0",
        group: "connection",
        complexity: "O(N) where N is the number of client connections",
        history: &[("2.8.12", "Added new filter format."), ("2.8.12", "`ID` option."), ("3.2.0", "Added `master` type in for `TYPE` option."), ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."), ("6.2.0", "`LADDR` option.")],
        args: &[
            Arg { name: "filter", kind: OneOf, args: &[
                Arg { name: "ip:port", kind: Str, deprecated_since: "2.8.12", ..Arg::NONE },
                Arg { name: "new-format", kind: OneOf, flags: arg::MULTIPLE, args: &[
                    Arg { name: "client-id", kind: Int, token: "ID", since: "2.8.12", flags: arg::OPTIONAL, ..Arg::NONE },
                    Arg { name: "normal_master_slave_pubsub", kind: OneOf, token: "TYPE", since: "2.8.12", flags: arg::OPTIONAL, args: &[
                        Arg { name: "normal", kind: PureToken, token: "NORMAL", ..Arg::NONE },
                        Arg { name: "master", kind: PureToken, token: "MASTER", since: "3.2.0", ..Arg::NONE },
                        Arg { name: "slave", kind: PureToken, token: "SLAVE", ..Arg::NONE },
                        Arg { name: "replica", kind: PureToken, token: "REPLICA", since: "5.0.0", ..Arg::NONE },
                        Arg { name: "pubsub", kind: PureToken, token: "PUBSUB", ..Arg::NONE },
                    ], ..Arg::NONE },
                    Arg { name: "username", kind: Str, token: "USER", flags: arg::OPTIONAL, ..Arg::NONE },
                    Arg { name: "ip:port", kind: Str, token: "ADDR", flags: arg::OPTIONAL, ..Arg::NONE },
                    Arg { name: "ip:port", kind: Str, token: "LADDR", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
                    Arg { name: "yes/no", kind: Str, token: "SKIPME", flags: arg::OPTIONAL, ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|list",
        summary: "Get the list of client connections",
        since: "2.4.0",
        group: "connection",
        tips: &["nondeterministic_output"],
        complexity: "O(N) where N is the number of client connections",
        history: &[("2.8.12", "Added unique client `id` field."), ("5.0.0", "Added optional `TYPE` filter."), ("6.0.0", "Added `user` field."), ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."), ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."), ("7.0.3", "Added `ssub` field.")],
        args: &[
            Arg { name: "normal_master_replica_pubsub", kind: OneOf, token: "TYPE", since: "5.0.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "normal", kind: PureToken, token: "NORMAL", ..Arg::NONE },
                Arg { name: "master", kind: PureToken, token: "MASTER", ..Arg::NONE },
                Arg { name: "replica", kind: PureToken, token: "REPLICA", ..Arg::NONE },
                Arg { name: "pubsub", kind: PureToken, token: "PUBSUB", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "id", kind: Block, token: "ID", since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "client-id", kind: Int, flags: arg::MULTIPLE, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|no-evict",
        summary: "Set client eviction mode for the current connection",
        since: "7.0.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "enabled", kind: OneOf, args: &[
                Arg { name: "on", kind: PureToken, token: "ON", ..Arg::NONE },
                Arg { name: "off", kind: PureToken, token: "OFF", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|no-touch",
        summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
        since: "7.2.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "enabled", kind: OneOf, args: &[
                Arg { name: "on", kind: PureToken, token: "ON", ..Arg::NONE },
                Arg { name: "off", kind: PureToken, token: "OFF", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|pause",
        summary: "Stop processing commands from clients for some time",
        since: "2.9.50",
        group: "connection",
        complexity: "O(1)",
        history: &[("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")],
        args: &[
            Arg { name: "timeout", kind: Int, ..Arg::NONE },
            Arg { name: "mode", kind: OneOf, since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "write", kind: PureToken, token: "WRITE", ..Arg::NONE },
                Arg { name: "all", kind: PureToken, token: "ALL", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|reply",
        summary: "Instruct the server whether to reply to commands",
        since: "3.2.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "on_off_skip", kind: OneOf, args: &[
                Arg { name: "on", kind: PureToken, token: "ON", ..Arg::NONE },
                Arg { name: "off", kind: PureToken, token: "OFF", ..Arg::NONE },
                Arg { name: "skip", kind: PureToken, token: "SKIP", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|setinfo",
        summary: "Sets information specific to the client or connection.",
        since: "7.2.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "attr", kind: OneOf, args: &[
                Arg { name: "libname", kind: Str, token: "lib-name", ..Arg::NONE },
                Arg { name: "libver", kind: Str, token: "lib-ver", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|setname",
        summary: "Set the current connection name",
        since: "2.6.9",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "connection-name", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|unblock",
        summary: "Unblock a client blocked in a blocking command from a different connection",
        since: "5.0.0",
        group: "connection",
        complexity: "O(log N) where N is the number of client connections",
        args: &[
            Arg { name: "client-id", kind: Int, ..Arg::NONE },
            Arg { name: "timeout_error", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "timeout", kind: PureToken, token: "TIMEOUT", ..Arg::NONE },
                Arg { name: "error", kind: PureToken, token: "ERROR", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "client|unpause",
        summary: "Resume processing of clients that were paused",
        since: "6.2.0",
        group: "connection",
        complexity: "O(N) Where N is the number of paused clients",
        ..Meta::NONE
    },
    Meta {
        name: "command",
        summary: "Get array of Redis command details",
        since: "2.8.13",
        group: "server",
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the total number of Redis commands",
        ..Meta::NONE
    },
    Meta {
        name: "command|count",
        summary: "Get total number of Redis commands",
        since: "2.8.13",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "command|docs",
        summary: "Get array of specific Redis command documentation",
        since: "7.0.0",
        group: "server",
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the number of commands to look up",
        args: &[
            Arg { name: "command-name", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "command|getkeys",
        summary: "Extract keys given a full Redis command",
        since: "2.8.13",
        group: "server",
        complexity: "O(N) where N is the number of arguments to the command",
        ..Meta::NONE
    },
    Meta {
        name: "command|getkeysandflags",
        summary: "Extract keys and access flags given a full Redis command",
        since: "7.0.0",
        group: "server",
        complexity: "O(N) where N is the number of arguments to the command",
        ..Meta::NONE
    },
    Meta {
        name: "command|help",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "command|info",
        summary: "Get array of specific Redis command details, or all when no argument is given.",
        since: "2.8.13",
        group: "server",
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the number of commands to look up",
        history: &[("7.0.0", "Allowed to be called with no argument to get info on all commands.")],
        args: &[
            Arg { name: "command-name", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "command|list",
        summary: "Get an array of Redis command names",
        since: "7.0.0",
        group: "server",
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the total number of Redis commands",
        args: &[
            Arg { name: "filterby", kind: OneOf, token: "FILTERBY", flags: arg::OPTIONAL, args: &[
                Arg { name: "module-name", kind: Str, token: "MODULE", ..Arg::NONE },
                Arg { name: "category", kind: Str, token: "ACLCAT", ..Arg::NONE },
                Arg { name: "pattern", kind: Pattern, token: "PATTERN", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "config",
        summary: "A container for server configuration commands",
        since: "2.0.0",
        group: "server",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "config|get",
        summary: "Get the values of configuration parameters",
        since: "2.0.0",
        group: "server",
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: &[("7.0.0", "Added the ability to pass multiple pattern parameters in one call")],
        args: &[
            Arg { name: "parameter", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "parameter", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "config|help",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "config|resetstat",
        summary: "Reset the stats returned by INFO",
        since: "2.0.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "config|rewrite",
        summary: "Rewrite the configuration file with the in memory configuration",
        since: "2.8.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "config|set",
        summary: "Set configuration parameters to the given values",
        since: "2.0.0",
        group: "server",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: &[("7.0.0", "Added the ability to set multiple parameters in one call.")],
        args: &[
            Arg { name: "parameter_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "parameter", kind: Str, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "copy",
        summary: "Copy a key",
        since: "6.2.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "destination-db", kind: Int, token: "DB", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "replace", kind: PureToken, token: "REPLACE", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "dbsize",
        summary: "Return the number of keys in the selected database",
        since: "1.0.0",
        group: "server",
        tips: &["request_policy:all_shards", "response_policy:agg_sum"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "debug",
        summary: "A container for debugging commands",
        since: "1.0.0",
        group: "server",
        complexity: "Depends on subcommand.",
        doc_flags: doc::SYSCMD,
        ..Meta::NONE
    },
    Meta {
        name: "decr",
        summary: "Decrement the integer value of a key by one",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "decrby",
        summary: "Decrement the integer value of a key by the given number",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "decrement", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "del",
        summary: "Delete a key",
        since: "1.0.0",
        group: "generic",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RM | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "discard",
        summary: "Discard all commands issued after MULTI",
        since: "2.0.0",
        group: "transactions",
        complexity: "O(N), when N is the number of queued commands",
        ..Meta::NONE
    },
    Meta {
        name: "dump",
        summary: "Return a serialized version of the value stored at the specified key.",
        since: "2.6.0",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "echo",
        summary: "Echo the given string",
        since: "1.0.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "message", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "eval",
        summary: "Execute a Lua script server side",
        since: "2.6.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the script that is executed.",
        args: &[
            Arg { name: "script", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "eval_ro",
        summary: "Execute a read-only Lua script server side",
        since: "7.0.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the script that is executed.",
        args: &[
            Arg { name: "script", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "evalsha",
        summary: "Execute a Lua script server side",
        since: "2.6.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the script that is executed.",
        args: &[
            Arg { name: "sha1", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "evalsha_ro",
        summary: "Execute a read-only Lua script server side",
        since: "7.0.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the script that is executed.",
        args: &[
            Arg { name: "sha1", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "exec",
        summary: "Execute all commands issued after MULTI",
        since: "1.2.0",
        group: "transactions",
        complexity: "Depends on commands in the transaction",
        ..Meta::NONE
    },
    Meta {
        name: "exists",
        summary: "Determine if a key exists",
        since: "1.0.0",
        group: "generic",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of keys to check.",
        history: &[("3.0.3", "Accepts multiple `key` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "expire",
        summary: "Set a key's time to live in seconds",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "seconds", kind: Int, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
                Arg { name: "gt", kind: PureToken, token: "GT", ..Arg::NONE },
                Arg { name: "lt", kind: PureToken, token: "LT", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "expireat",
        summary: "Set the expiration for a key as a UNIX timestamp",
        since: "1.2.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "unix-time-seconds", kind: UnixTime, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
                Arg { name: "gt", kind: PureToken, token: "GT", ..Arg::NONE },
                Arg { name: "lt", kind: PureToken, token: "LT", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "expiretime",
        summary: "Get the expiration Unix timestamp for a key",
        since: "7.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "fcall",
        summary: "Invoke a function",
        since: "7.0.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the function that is executed.",
        args: &[
            Arg { name: "function", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "fcall_ro",
        summary: "Invoke a read-only function",
        since: "7.0.0",
        group: "scripting",
        key_specs: &[
            KeySpec { notes: "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "Depends on the function that is executed.",
        args: &[
            Arg { name: "function", kind: Str, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "arg", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "flushall",
        summary: "Remove all keys from all databases",
        since: "1.0.0",
        group: "server",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the total number of keys in all databases",
        history: &[("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")],
        args: &[
            Arg { name: "async", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "async", kind: PureToken, token: "ASYNC", since: "4.0.0", ..Arg::NONE },
                Arg { name: "sync", kind: PureToken, token: "SYNC", since: "6.2.0", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "flushdb",
        summary: "Remove all keys from the current database",
        since: "1.0.0",
        group: "server",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the number of keys in the selected database",
        history: &[("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")],
        args: &[
            Arg { name: "async", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "async", kind: PureToken, token: "ASYNC", since: "4.0.0", ..Arg::NONE },
                Arg { name: "sync", kind: PureToken, token: "SYNC", since: "6.2.0", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function",
        summary: "A container for function commands",
        since: "7.0.0",
        group: "scripting",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "function|delete",
        summary: "Delete a function by name",
        since: "7.0.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(1)",
        args: &[
            Arg { name: "library-name", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function|dump",
        summary: "Dump all functions into a serialized binary payload",
        since: "7.0.0",
        group: "scripting",
        complexity: "O(N) where N is the number of functions",
        ..Meta::NONE
    },
    Meta {
        name: "function|flush",
        summary: "Deleting all functions",
        since: "7.0.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the number of functions deleted",
        args: &[
            Arg { name: "async", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "async", kind: PureToken, token: "ASYNC", ..Arg::NONE },
                Arg { name: "sync", kind: PureToken, token: "SYNC", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function|help",
        summary: "Show helpful text about the different subcommands",
        since: "7.0.0",
        group: "scripting",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "function|kill",
        summary: "Kill the function currently in execution.",
        since: "7.0.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "function|list",
        summary: "List information about all the functions",
        since: "7.0.0",
        group: "scripting",
        tips: &["nondeterministic_output_order"],
        complexity: "O(N) where N is the number of functions",
        args: &[
            Arg { name: "library-name-pattern", kind: Str, token: "LIBRARYNAME", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withcode", kind: PureToken, token: "WITHCODE", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function|load",
        summary: "Create a function with the given arguments (name, code, description)",
        since: "7.0.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(1) (considering compilation time is redundant)",
        args: &[
            Arg { name: "replace", kind: PureToken, token: "REPLACE", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "function-code", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function|restore",
        summary: "Restore all the functions on the given payload",
        since: "7.0.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the number of functions on the payload",
        args: &[
            Arg { name: "serialized-value", kind: Str, ..Arg::NONE },
            Arg { name: "policy", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "flush", kind: PureToken, token: "FLUSH", ..Arg::NONE },
                Arg { name: "append", kind: PureToken, token: "APPEND", ..Arg::NONE },
                Arg { name: "replace", kind: PureToken, token: "REPLACE", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "function|stats",
        summary: "Return information about the function currently running (name, description, duration)",
        since: "7.0.0",
        group: "scripting",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "geoadd",
        summary: "Add one or more geospatial items in the geospatial index represented using a sorted set",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        history: &[("6.2.0", "Added the `CH`, `NX` and `XX` options.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "change", kind: PureToken, token: "CH", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "longitude_latitude_member", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "longitude", kind: Double, ..Arg::NONE },
                Arg { name: "latitude", kind: Double, ..Arg::NONE },
                Arg { name: "member", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "geodist",
        summary: "Returns the distance between two members of a geospatial index",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N))",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member1", kind: Str, ..Arg::NONE },
            Arg { name: "member2", kind: Str, ..Arg::NONE },
            Arg { name: "unit", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "geohash",
        summary: "Returns members of a geospatial index as standard geohash strings",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "geopos",
        summary: "Returns longitude and latitude of members of a geospatial index",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of members requested.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "georadius",
        summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Keyword("STORE", 6), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Keyword("STOREDIST", 6), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument",
        history: &[("6.2.0", "Added the `ANY` option for `COUNT`."), ("7.0.0", "Added support for uppercase unit names.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "longitude", kind: Double, ..Arg::NONE },
            Arg { name: "latitude", kind: Double, ..Arg::NONE },
            Arg { name: "radius", kind: Double, ..Arg::NONE },
            Arg { name: "unit", kind: OneOf, args: &[
                Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withcoord", kind: PureToken, token: "WITHCOORD", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withdist", kind: PureToken, token: "WITHDIST", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withhash", kind: PureToken, token: "WITHHASH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, token: "STORE", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 2, token: "STOREDIST", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "georadius_ro",
        summary: "A read-only variant for GEORADIUS",
        since: "3.2.10",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`GEOSEARCH` with the `BYRADIUS` argument",
        history: &[("6.2.0", "Added the `ANY` option for `COUNT`.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "longitude", kind: Double, ..Arg::NONE },
            Arg { name: "latitude", kind: Double, ..Arg::NONE },
            Arg { name: "radius", kind: Double, ..Arg::NONE },
            Arg { name: "unit", kind: OneOf, args: &[
                Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withcoord", kind: PureToken, token: "WITHCOORD", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withdist", kind: PureToken, token: "WITHDIST", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withhash", kind: PureToken, token: "WITHHASH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "georadiusbymember",
        summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
        since: "3.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Keyword("STORE", 5), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Keyword("STOREDIST", 5), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
        history: &[("7.0.0", "Added support for uppercase unit names.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
            Arg { name: "radius", kind: Double, ..Arg::NONE },
            Arg { name: "unit", kind: OneOf, args: &[
                Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withcoord", kind: PureToken, token: "WITHCOORD", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withdist", kind: PureToken, token: "WITHDIST", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withhash", kind: PureToken, token: "WITHHASH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, token: "STORE", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 2, token: "STOREDIST", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "georadiusbymember_ro",
        summary: "A read-only variant for GEORADIUSBYMEMBER",
        since: "3.2.10",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
            Arg { name: "radius", kind: Double, ..Arg::NONE },
            Arg { name: "unit", kind: OneOf, args: &[
                Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withcoord", kind: PureToken, token: "WITHCOORD", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withdist", kind: PureToken, token: "WITHDIST", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withhash", kind: PureToken, token: "WITHHASH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "geosearch",
        summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
        since: "6.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
        history: &[("7.0.0", "Added support for uppercase unit names.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "from", kind: OneOf, args: &[
                Arg { name: "member", kind: Str, token: "FROMMEMBER", ..Arg::NONE },
                Arg { name: "longitude_latitude", kind: Block, token: "FROMLONLAT", args: &[
                    Arg { name: "longitude", kind: Double, ..Arg::NONE },
                    Arg { name: "latitude", kind: Double, ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "by", kind: OneOf, args: &[
                Arg { name: "circle", kind: Block, args: &[
                    Arg { name: "radius", kind: Double, token: "BYRADIUS", ..Arg::NONE },
                    Arg { name: "unit", kind: OneOf, args: &[
                        Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                        Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                        Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                        Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "box", kind: Block, args: &[
                    Arg { name: "width", kind: Double, token: "BYBOX", ..Arg::NONE },
                    Arg { name: "height", kind: Double, ..Arg::NONE },
                    Arg { name: "unit", kind: OneOf, args: &[
                        Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                        Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                        Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                        Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withcoord", kind: PureToken, token: "WITHCOORD", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withdist", kind: PureToken, token: "WITHDIST", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withhash", kind: PureToken, token: "WITHHASH", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "geosearchstore",
        summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
        since: "6.2.0",
        group: "geo",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
        history: &[("7.0.0", "Added support for uppercase unit names.")],
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "source", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "from", kind: OneOf, args: &[
                Arg { name: "member", kind: Str, token: "FROMMEMBER", ..Arg::NONE },
                Arg { name: "longitude_latitude", kind: Block, token: "FROMLONLAT", args: &[
                    Arg { name: "longitude", kind: Double, ..Arg::NONE },
                    Arg { name: "latitude", kind: Double, ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "by", kind: OneOf, args: &[
                Arg { name: "circle", kind: Block, args: &[
                    Arg { name: "radius", kind: Double, token: "BYRADIUS", ..Arg::NONE },
                    Arg { name: "unit", kind: OneOf, args: &[
                        Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                        Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                        Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                        Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "box", kind: Block, args: &[
                    Arg { name: "width", kind: Double, token: "BYBOX", ..Arg::NONE },
                    Arg { name: "height", kind: Double, ..Arg::NONE },
                    Arg { name: "unit", kind: OneOf, args: &[
                        Arg { name: "m", kind: PureToken, token: "M", ..Arg::NONE },
                        Arg { name: "km", kind: PureToken, token: "KM", ..Arg::NONE },
                        Arg { name: "ft", kind: PureToken, token: "FT", ..Arg::NONE },
                        Arg { name: "mi", kind: PureToken, token: "MI", ..Arg::NONE },
                    ], ..Arg::NONE },
                ], ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", ..Arg::NONE },
                Arg { name: "any", kind: PureToken, token: "ANY", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "storedist", kind: PureToken, token: "STOREDIST", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "get",
        summary: "Get the value of a key",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "getbit",
        summary: "Returns the bit value at offset in the string value stored at key",
        since: "2.2.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "offset", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "getdel",
        summary: "Get the value of a key and delete the key",
        since: "6.2.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "getex",
        summary: "Get the value of a key and optionally set its expiration",
        since: "6.2.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "RW and UPDATE because it changes the TTL", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "expiration", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "seconds", kind: Int, token: "EX", ..Arg::NONE },
                Arg { name: "milliseconds", kind: Int, token: "PX", ..Arg::NONE },
                Arg { name: "unix-time-seconds", kind: UnixTime, token: "EXAT", ..Arg::NONE },
                Arg { name: "unix-time-milliseconds", kind: UnixTime, token: "PXAT", ..Arg::NONE },
                Arg { name: "persist", kind: PureToken, token: "PERSIST", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "getrange",
        summary: "Get a substring of the string stored at a key",
        since: "2.4.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "end", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "getset",
        summary: "Set the string value of a key and return its old value",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`SET` with the `!GET` argument",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hdel",
        summary: "Delete one or more hash fields",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of fields to be removed.",
        history: &[("2.4.0", "Accepts multiple `field` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hello",
        summary: "Handshake with Redis",
        since: "6.0.0",
        group: "connection",
        complexity: "O(1)",
        history: &[("6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context.")],
        args: &[
            Arg { name: "arguments", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "protover", kind: Int, ..Arg::NONE },
                Arg { name: "username_password", kind: Block, token: "AUTH", flags: arg::OPTIONAL, args: &[
                    Arg { name: "username", kind: Str, ..Arg::NONE },
                    Arg { name: "password", kind: Str, ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "clientname", kind: Str, token: "SETNAME", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hexists",
        summary: "Determine if a hash field exists",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hget",
        summary: "Get the value of a hash field",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hgetall",
        summary: "Get all the fields and values in a hash",
        since: "2.0.0",
        group: "hash",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the size of the hash.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hincrby",
        summary: "Increment the integer value of a hash field by the given number",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
            Arg { name: "increment", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hincrbyfloat",
        summary: "Increment the float value of a hash field by the given amount",
        since: "2.6.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
            Arg { name: "increment", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hkeys",
        summary: "Get all the fields in a hash",
        since: "2.0.0",
        group: "hash",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the size of the hash.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hlen",
        summary: "Get the number of fields in a hash",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hmget",
        summary: "Get the values of all the given hash fields",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of fields being requested.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hmset",
        summary: "Set multiple hash fields to multiple values",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of fields being set.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "4.0.0",
        replaced_by: "`HSET` with multiple field-value pairs",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "field", kind: Str, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hrandfield",
        summary: "Get one or multiple random fields from a hash",
        since: "6.2.0",
        group: "hash",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of fields returned",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "options", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, ..Arg::NONE },
                Arg { name: "withvalues", kind: PureToken, token: "WITHVALUES", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hscan",
        summary: "Incrementally iterate hash fields and associated values",
        since: "2.8.0",
        group: "hash",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "cursor", kind: Int, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, token: "MATCH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hset",
        summary: "Set the string value of a hash field",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
        history: &[("4.0.0", "Accepts multiple `field` and `value` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "field", kind: Str, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hsetnx",
        summary: "Set the value of a hash field, only if the field does not exist",
        since: "2.0.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hstrlen",
        summary: "Get the length of the value of a hash field",
        since: "3.2.0",
        group: "hash",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "field", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "hvals",
        summary: "Get all the values in a hash",
        since: "2.0.0",
        group: "hash",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the size of the hash.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "incr",
        summary: "Increment the integer value of a key by one",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "incrby",
        summary: "Increment the integer value of a key by the given amount",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "increment", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "incrbyfloat",
        summary: "Increment the float value of a key by the given amount",
        since: "2.6.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "increment", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "info",
        summary: "Get information and statistics about the server",
        since: "1.0.0",
        group: "server",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        complexity: "O(1)",
        history: &[("7.0.0", "Added support for taking multiple section arguments.")],
        args: &[
            Arg { name: "section", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "keys",
        summary: "Find all keys matching the given pattern",
        since: "1.0.0",
        group: "generic",
        tips: &["request_policy:all_shards", "nondeterministic_output_order"],
        complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
        args: &[
            Arg { name: "pattern", kind: Pattern, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lastsave",
        summary: "Get the UNIX time stamp of the last successful save to disk",
        since: "1.0.0",
        group: "server",
        tips: &["nondeterministic_output"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "lcs",
        summary: "Find longest common substring",
        since: "7.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(1, 1, 0) },
        ],
        complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        args: &[
            Arg { name: "key1", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "key2", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "len", kind: PureToken, token: "LEN", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "idx", kind: PureToken, token: "IDX", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "len", kind: Int, token: "MINMATCHLEN", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "withmatchlen", kind: PureToken, token: "WITHMATCHLEN", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lindex",
        summary: "Get an element from a list by its index",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "index", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "linsert",
        summary: "Insert an element before or after another element in a list",
        since: "2.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "where", kind: OneOf, args: &[
                Arg { name: "before", kind: PureToken, token: "BEFORE", ..Arg::NONE },
                Arg { name: "after", kind: PureToken, token: "AFTER", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "pivot", kind: Str, ..Arg::NONE },
            Arg { name: "element", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "llen",
        summary: "Get the length of a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lmove",
        summary: "Pop an element from a list, push it to another list and return it",
        since: "6.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "wherefrom", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "whereto", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lmpop",
        summary: "Pop elements from a list",
        since: "7.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "where", kind: OneOf, args: &[
                Arg { name: "left", kind: PureToken, token: "LEFT", ..Arg::NONE },
                Arg { name: "right", kind: PureToken, token: "RIGHT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lpop",
        summary: "Remove and get the first elements in a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements returned",
        history: &[("6.2.0", "Added the `count` argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lpos",
        summary: "Return the index of matching elements on a list",
        since: "6.0.6",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, ..Arg::NONE },
            Arg { name: "rank", kind: Int, token: "RANK", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "num-matches", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "len", kind: Int, token: "MAXLEN", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lpush",
        summary: "Prepend one or multiple elements to a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: &[("2.4.0", "Accepts multiple `element` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lpushx",
        summary: "Prepend an element to a list, only if the list exists",
        since: "2.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: &[("4.0.0", "Accepts multiple `element` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lrange",
        summary: "Get a range of elements from a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "stop", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lrem",
        summary: "Remove elements from a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, ..Arg::NONE },
            Arg { name: "element", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "lset",
        summary: "Set the value of an element in a list by its index",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "index", kind: Int, ..Arg::NONE },
            Arg { name: "element", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "ltrim",
        summary: "Trim a list to the specified range",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements to be removed by the operation.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "stop", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "memory",
        summary: "A container for memory diagnostics commands",
        since: "4.0.0",
        group: "server",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "memory|doctor",
        summary: "Outputs memory problems report",
        since: "4.0.0",
        group: "server",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "memory|help",
        summary: "Show helpful text about the different subcommands",
        since: "4.0.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "memory|malloc-stats",
        summary: "Show allocator internal stats",
        since: "4.0.0",
        group: "server",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        complexity: "Depends on how much memory is allocated, could be slow",
        ..Meta::NONE
    },
    Meta {
        name: "memory|purge",
        summary: "Ask the allocator to release memory",
        since: "4.0.0",
        group: "server",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "Depends on how much memory is allocated, could be slow",
        ..Meta::NONE
    },
    Meta {
        name: "memory|stats",
        summary: "Show memory usage details",
        since: "4.0.0",
        group: "server",
        tips: &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "memory|usage",
        summary: "Estimate the memory usage of a key",
        since: "4.0.0",
        group: "server",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of samples.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "SAMPLES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "mget",
        summary: "Get the values of all the given keys",
        since: "1.0.0",
        group: "string",
        tips: &["request_policy:multi_shard"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of keys to retrieve.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "monitor",
        summary: "Listen for all requests received by the server in real time",
        since: "1.0.0",
        group: "server",
        ..Meta::NONE
    },
    Meta {
        name: "move",
        summary: "Move a key to another database",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "db", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "mset",
        summary: "Set multiple keys to multiple values",
        since: "1.0.1",
        group: "string",
        tips: &["request_policy:multi_shard", "response_policy:all_succeeded"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(-1, 2, 0) },
        ],
        complexity: "O(N) where N is the number of keys to set.",
        args: &[
            Arg { name: "key_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "msetnx",
        summary: "Set multiple keys to multiple values, only if none of the keys exist",
        since: "1.0.1",
        group: "string",
        tips: &["request_policy:multi_shard", "response_policy:agg_min"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(-1, 2, 0) },
        ],
        complexity: "O(N) where N is the number of keys to set.",
        args: &[
            Arg { name: "key_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "multi",
        summary: "Mark the start of a transaction block",
        since: "1.2.0",
        group: "transactions",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "object",
        summary: "A container for object introspection commands",
        since: "2.2.3",
        group: "generic",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "object|encoding",
        summary: "Inspect the internal encoding of a Redis object",
        since: "2.2.3",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "object|freq",
        summary: "Get the logarithmic access frequency counter of a Redis object",
        since: "4.0.0",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "object|help",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        group: "generic",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "object|idletime",
        summary: "Get the time since a Redis object was last accessed",
        since: "2.2.3",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "object|refcount",
        summary: "Get the number of references to the value of the key",
        since: "2.2.3",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "persist",
        summary: "Remove the expiration from a key",
        since: "2.2.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pexpire",
        summary: "Set a key's time to live in milliseconds",
        since: "2.6.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "milliseconds", kind: Int, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
                Arg { name: "gt", kind: PureToken, token: "GT", ..Arg::NONE },
                Arg { name: "lt", kind: PureToken, token: "LT", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pexpireat",
        summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
        since: "2.6.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "unix-time-milliseconds", kind: UnixTime, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "7.0.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
                Arg { name: "gt", kind: PureToken, token: "GT", ..Arg::NONE },
                Arg { name: "lt", kind: PureToken, token: "LT", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pexpiretime",
        summary: "Get the expiration Unix timestamp for a key in milliseconds",
        since: "7.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pfadd",
        summary: "Adds the specified elements to the specified HyperLogLog.",
        since: "2.8.9",
        group: "hyperloglog",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) to add every element.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pfcount",
        summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
        since: "2.8.9",
        group: "hyperloglog",
        key_specs: &[
            KeySpec { notes: "RW because it may change the internal representation of the key, and propagate to replicas", flags: ks::RW | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pfdebug",
        summary: "Internal commands for debugging HyperLogLog values",
        since: "2.8.9",
        group: "hyperloglog",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "N/A",
        doc_flags: doc::SYSCMD,
        args: &[
            Arg { name: "subcommand", kind: Str, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pfmerge",
        summary: "Merge N different HyperLogLogs into a single one.",
        since: "2.8.9",
        group: "hyperloglog",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
        args: &[
            Arg { name: "destkey", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "sourcekey", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "ping",
        summary: "Ping the server",
        since: "1.0.0",
        group: "connection",
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        complexity: "O(1)",
        args: &[
            Arg { name: "message", kind: Str, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "psetex",
        summary: "Set the value and expiration in milliseconds of a key",
        since: "2.6.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "milliseconds", kind: Int, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "psubscribe",
        summary: "Listen for messages published to channels matching the given patterns",
        since: "2.0.0",
        group: "pubsub",
        complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
        args: &[
            Arg { name: "pattern", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "pattern", kind: Pattern, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pttl",
        summary: "Get the time to live for a key in milliseconds",
        since: "2.6.0",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("2.8.0", "Added the -2 reply.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "publish",
        summary: "Post a message to a channel",
        since: "2.0.0",
        group: "pubsub",
        complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        args: &[
            Arg { name: "channel", kind: Str, ..Arg::NONE },
            Arg { name: "message", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pubsub",
        summary: "A container for Pub/Sub commands",
        since: "2.8.0",
        group: "pubsub",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|channels",
        summary: "List active channels",
        since: "2.8.0",
        group: "pubsub",
        complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        args: &[
            Arg { name: "pattern", kind: Pattern, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|help",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        group: "pubsub",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|numpat",
        summary: "Get the count of unique patterns pattern subscriptions",
        since: "2.8.0",
        group: "pubsub",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|numsub",
        summary: "Get the count of subscribers for channels",
        since: "2.8.0",
        group: "pubsub",
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        args: &[
            Arg { name: "channel", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|shardchannels",
        summary: "List active shard channels",
        since: "7.0.0",
        group: "pubsub",
        complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        args: &[
            Arg { name: "pattern", kind: Pattern, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "pubsub|shardnumsub",
        summary: "Get the count of subscribers for shard channels",
        since: "7.0.0",
        group: "pubsub",
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        args: &[
            Arg { name: "shardchannel", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "punsubscribe",
        summary: "Stop listening for messages posted to channels matching the given patterns",
        since: "2.0.0",
        group: "pubsub",
        complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
        args: &[
            Arg { name: "pattern", kind: Pattern, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "quit",
        summary: "Close the connection",
        since: "1.0.0",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "randomkey",
        summary: "Return a random key from the keyspace",
        since: "1.0.0",
        group: "generic",
        tips: &["request_policy:all_shards", "nondeterministic_output"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "rename",
        summary: "Rename a key",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "newkey", kind: Key, key_spec: 1, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "renamenx",
        summary: "Rename a key, only if the new key does not exist",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::OW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("3.2.0", "The command no longer returns an error when source and destination names are the same.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "newkey", kind: Key, key_spec: 1, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "reset",
        summary: "Reset the connection",
        since: "6.2.0",
        group: "connection",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "restore",
        summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
        since: "2.6.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        history: &[("3.0.0", "Added the `REPLACE` modifier."), ("5.0.0", "Added the `ABSTTL` modifier."), ("5.0.0", "Added the `IDLETIME` and `FREQ` options.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "ttl", kind: Int, ..Arg::NONE },
            Arg { name: "serialized-value", kind: Str, ..Arg::NONE },
            Arg { name: "replace", kind: PureToken, token: "REPLACE", since: "3.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "absttl", kind: PureToken, token: "ABSTTL", since: "5.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "seconds", kind: Int, token: "IDLETIME", since: "5.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "frequency", kind: Int, token: "FREQ", since: "5.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "rpop",
        summary: "Remove and get the last elements in a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements returned",
        history: &[("6.2.0", "Added the `count` argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "rpoplpush",
        summary: "Remove the last element in a list, prepend it to another list and return it",
        since: "1.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "rpush",
        summary: "Append one or multiple elements to a list",
        since: "1.0.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: &[("2.4.0", "Accepts multiple `element` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "rpushx",
        summary: "Append an element to a list, only if the list exists",
        since: "2.2.0",
        group: "list",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: &[("4.0.0", "Accepts multiple `element` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "element", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sadd",
        summary: "Add one or more members to a set",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        history: &[("2.4.0", "Accepts multiple `member` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "save",
        summary: "Synchronously save the dataset to disk",
        since: "1.0.0",
        group: "server",
        complexity: "O(N) where N is the total number of keys in all databases",
        ..Meta::NONE
    },
    Meta {
        name: "scan",
        summary: "Incrementally iterate the keys space",
        since: "2.8.0",
        group: "generic",
        tips: &["nondeterministic_output", "request_policy:special"],
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        history: &[("6.0.0", "Added the `TYPE` subcommand.")],
        args: &[
            Arg { name: "cursor", kind: Int, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, token: "MATCH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "type", kind: Str, token: "TYPE", since: "6.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "scard",
        summary: "Get the number of members in a set",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "script",
        summary: "A container for Lua scripts management commands",
        since: "2.6.0",
        group: "scripting",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "script|exists",
        summary: "Check existence of scripts in the script cache.",
        since: "2.6.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:agg_logical_and"],
        complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
        args: &[
            Arg { name: "sha1", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "script|flush",
        summary: "Remove all the scripts from the script cache.",
        since: "2.6.0",
        group: "scripting",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        complexity: "O(N) with N being the number of scripts in cache",
        history: &[("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")],
        args: &[
            Arg { name: "async", kind: OneOf, since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "async", kind: PureToken, token: "ASYNC", ..Arg::NONE },
                Arg { name: "sync", kind: PureToken, token: "SYNC", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "script|help",
        summary: "Show helpful text about the different subcommands",
        since: "5.0.0",
        group: "scripting",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "script|kill",
        summary: "Kill the script currently in execution.",
        since: "2.6.0",
        group: "scripting",
        tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "script|load",
        summary: "Load the specified Lua script into the script cache.",
        since: "2.6.0",
        group: "scripting",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        complexity: "O(N) with N being the length in bytes of the script body.",
        args: &[
            Arg { name: "script", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sdiff",
        summary: "Subtract multiple sets",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the total number of elements in all given sets.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sdiffstore",
        summary: "Subtract multiple sets and store the resulting set in a key",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the total number of elements in all given sets.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "select",
        summary: "Change the selected database for the current connection",
        since: "1.0.0",
        group: "connection",
        complexity: "O(1)",
        args: &[
            Arg { name: "index", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "set",
        summary: "Set the string value of a key",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "RW and ACCESS due to the optional `GET` argument", flags: ks::RW | ks::ACCESS | ks::UPDATE | ks::VARIABLE_FLAGS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."), ("6.0.0", "Added the `KEEPTTL` option."), ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."), ("7.0.0", "Allowed the `NX` and `GET` options to be used together.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "2.6.12", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "get", kind: PureToken, token: "GET", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "expiration", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "seconds", kind: Int, token: "EX", since: "2.6.12", ..Arg::NONE },
                Arg { name: "milliseconds", kind: Int, token: "PX", since: "2.6.12", ..Arg::NONE },
                Arg { name: "unix-time-seconds", kind: UnixTime, token: "EXAT", since: "6.2.0", ..Arg::NONE },
                Arg { name: "unix-time-milliseconds", kind: UnixTime, token: "PXAT", since: "6.2.0", ..Arg::NONE },
                Arg { name: "keepttl", kind: PureToken, token: "KEEPTTL", since: "6.0.0", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "setbit",
        summary: "Sets or clears the bit at offset in the string value stored at key",
        since: "2.2.0",
        group: "bitmap",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "offset", kind: Int, ..Arg::NONE },
            Arg { name: "value", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "setex",
        summary: "Set the value and expiration of a key",
        since: "2.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "seconds", kind: Int, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "setnx",
        summary: "Set the value of a key, only if the key does not exist",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::INSERT, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "setrange",
        summary: "Overwrite part of a string at key starting at the specified offset",
        since: "2.2.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "offset", kind: Int, ..Arg::NONE },
            Arg { name: "value", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "shutdown",
        summary: "Synchronously save the dataset to disk and then shut down the server",
        since: "1.0.0",
        group: "server",
        complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
        history: &[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")],
        args: &[
            Arg { name: "nosave_save", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "nosave", kind: PureToken, token: "NOSAVE", ..Arg::NONE },
                Arg { name: "save", kind: PureToken, token: "SAVE", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "now", kind: PureToken, token: "NOW", since: "7.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "force", kind: PureToken, token: "FORCE", since: "7.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "abort", kind: PureToken, token: "ABORT", since: "7.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sinter",
        summary: "Intersect multiple sets",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sintercard",
        summary: "Intersect multiple sets and return the cardinality of the result",
        since: "7.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "limit", kind: Int, token: "LIMIT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sinterstore",
        summary: "Intersect multiple sets and store the resulting set in a key",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sismember",
        summary: "Determine if a given value is a member of a set",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "slowlog",
        summary: "A container for slow log commands",
        since: "2.2.12",
        group: "server",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "slowlog|get",
        summary: "Get the slow log's entries",
        since: "2.2.12",
        group: "server",
        tips: &["request_policy:all_nodes", "nondeterministic_output"],
        complexity: "O(N) where N is the number of entries returned",
        history: &[("4.0.0", "Added client IP address, port and name to the reply.")],
        args: &[
            Arg { name: "count", kind: Int, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "slowlog|help",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        group: "server",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "slowlog|len",
        summary: "Get the slow log's length",
        since: "2.2.12",
        group: "server",
        tips: &["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "slowlog|reset",
        summary: "Clear all entries from the slow log",
        since: "2.2.12",
        group: "server",
        tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
        complexity: "O(N) where N is the number of entries in the slowlog",
        ..Meta::NONE
    },
    Meta {
        name: "smembers",
        summary: "Get all the members in a set",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the set cardinality.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "smismember",
        summary: "Returns the membership associated with the given elements for a set",
        since: "6.2.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements being checked for membership",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "smove",
        summary: "Move a member from one set to another",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "source", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sort",
        summary: "Sort the elements in a list, set or sorted set",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort", flags: ks::RO | ks::ACCESS, bs: Bs::Unknown, fk: Fk::Unknown },
            KeySpec { notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array", flags: ks::OW | ks::UPDATE, bs: Bs::Unknown, fk: Fk::Unknown },
        ],
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, key_spec: 1, token: "BY", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, key_spec: 1, token: "GET", flags: arg::OPTIONAL | arg::MULTIPLE | arg::MULTIPLE_TOKEN, ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "sorting", kind: PureToken, token: "ALPHA", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "destination", kind: Key, key_spec: 2, token: "STORE", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sort_ro",
        summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
        since: "7.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort", flags: ks::RO | ks::ACCESS, bs: Bs::Unknown, fk: Fk::Unknown },
        ],
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, key_spec: 1, token: "BY", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, key_spec: 1, token: "GET", flags: arg::OPTIONAL | arg::MULTIPLE | arg::MULTIPLE_TOKEN, ..Arg::NONE },
            Arg { name: "order", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "asc", kind: PureToken, token: "ASC", ..Arg::NONE },
                Arg { name: "desc", kind: PureToken, token: "DESC", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "sorting", kind: PureToken, token: "ALPHA", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "spop",
        summary: "Remove and return one or multiple random members from a set",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
        history: &[("3.2.0", "Added the `count` argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, since: "3.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "spublish",
        summary: "Post a message to a shard channel",
        since: "7.0.0",
        group: "pubsub",
        key_specs: &[
            KeySpec { notes: "", flags: ks::NOT_KEY, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
        args: &[
            Arg { name: "shardchannel", kind: Str, ..Arg::NONE },
            Arg { name: "message", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "srandmember",
        summary: "Get one or multiple random members from a set",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
        history: &[("2.6.0", "Added the optional `count` argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, since: "2.6.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "srem",
        summary: "Remove one or more members from a set",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of members to be removed.",
        history: &[("2.4.0", "Accepts multiple `member` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sscan",
        summary: "Incrementally iterate Set elements",
        since: "2.8.0",
        group: "set",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "cursor", kind: Int, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, token: "MATCH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "ssubscribe",
        summary: "Listen for messages published to the given shard channels",
        since: "7.0.0",
        group: "pubsub",
        key_specs: &[
            KeySpec { notes: "", flags: ks::NOT_KEY, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of shard channels to subscribe to.",
        args: &[
            Arg { name: "shardchannel", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "strlen",
        summary: "Get the length of the value stored in a key",
        since: "2.2.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "subscribe",
        summary: "Listen for messages published to the given channels",
        since: "2.0.0",
        group: "pubsub",
        complexity: "O(N) where N is the number of channels to subscribe to.",
        args: &[
            Arg { name: "channel", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "substr",
        summary: "Get a substring of the string stored at a key",
        since: "1.0.0",
        group: "string",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "2.0.0",
        replaced_by: "`GETRANGE`",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "end", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sunion",
        summary: "Add multiple sets",
        since: "1.0.0",
        group: "set",
        tips: &["nondeterministic_output_order"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the total number of elements in all given sets.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sunionstore",
        summary: "Add multiple sets and store the resulting set in a key",
        since: "1.0.0",
        group: "set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the total number of elements in all given sets.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "sunsubscribe",
        summary: "Stop listening for messages posted to the given shard channels",
        since: "7.0.0",
        group: "pubsub",
        key_specs: &[
            KeySpec { notes: "", flags: ks::NOT_KEY, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
        args: &[
            Arg { name: "shardchannel", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "swapdb",
        summary: "Swaps two Redis databases",
        since: "4.0.0",
        group: "server",
        complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
        args: &[
            Arg { name: "index1", kind: Int, ..Arg::NONE },
            Arg { name: "index2", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "time",
        summary: "Return the current server time",
        since: "2.6.0",
        group: "server",
        tips: &["nondeterministic_output"],
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "touch",
        summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
        since: "3.2.1",
        group: "generic",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(N) where N is the number of keys that will be touched.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "ttl",
        summary: "Get the time to live for a key in seconds",
        since: "1.0.0",
        group: "generic",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("2.8.0", "Added the -2 reply.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "type",
        summary: "Determine the type stored at key",
        since: "1.0.0",
        group: "generic",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "unlink",
        summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
        since: "4.0.0",
        group: "generic",
        tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RM | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "unsubscribe",
        summary: "Stop listening for messages posted to the given channels",
        since: "2.0.0",
        group: "pubsub",
        complexity: "O(N) where N is the number of clients already subscribed to a channel.",
        args: &[
            Arg { name: "channel", kind: Str, flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "unwatch",
        summary: "Forget about all watched keys",
        since: "2.2.0",
        group: "transactions",
        complexity: "O(1)",
        ..Meta::NONE
    },
    Meta {
        name: "watch",
        summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
        since: "2.2.0",
        group: "transactions",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(-1, 1, 0) },
        ],
        complexity: "O(1) for every key.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xack",
        summary: "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each message ID processed.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "group", kind: Str, ..Arg::NONE },
            Arg { name: "id", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xadd",
        summary: "Appends a new entry to a stream",
        since: "5.0.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "UPDATE instead of INSERT because of the optional trimming feature", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
        history: &[("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."), ("7.0.0", "Added support for the `<ms>-*` explicit ID form.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "nomkstream", kind: PureToken, token: "NOMKSTREAM", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "trim", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "strategy", kind: OneOf, args: &[
                    Arg { name: "maxlen", kind: PureToken, token: "MAXLEN", ..Arg::NONE },
                    Arg { name: "minid", kind: PureToken, token: "MINID", since: "6.2.0", ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "operator", kind: OneOf, flags: arg::OPTIONAL, args: &[
                    Arg { name: "equal", kind: PureToken, token: "=", ..Arg::NONE },
                    Arg { name: "approximately", kind: PureToken, token: "~", ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "threshold", kind: Str, ..Arg::NONE },
                Arg { name: "count", kind: Int, token: "LIMIT", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "id_or_auto", kind: OneOf, args: &[
                Arg { name: "auto_id", kind: PureToken, token: "*", ..Arg::NONE },
                Arg { name: "id", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "field_value", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "field", kind: Str, ..Arg::NONE },
                Arg { name: "value", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xautoclaim",
        summary: "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
        since: "6.2.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) if COUNT is small.",
        history: &[("7.0.0", "Added an element to the reply array, containing deleted entries the command cleared from the PEL")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "group", kind: Str, ..Arg::NONE },
            Arg { name: "consumer", kind: Str, ..Arg::NONE },
            Arg { name: "min-idle-time", kind: Str, ..Arg::NONE },
            Arg { name: "start", kind: Str, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "justid", kind: PureToken, token: "JUSTID", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xclaim",
        summary: "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
        since: "5.0.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "group", kind: Str, ..Arg::NONE },
            Arg { name: "consumer", kind: Str, ..Arg::NONE },
            Arg { name: "min-idle-time", kind: Str, ..Arg::NONE },
            Arg { name: "id", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "ms", kind: Int, token: "IDLE", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "unix-time-milliseconds", kind: UnixTime, token: "TIME", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "RETRYCOUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "force", kind: PureToken, token: "FORCE", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "justid", kind: PureToken, token: "JUSTID", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "id", kind: Str, token: "LASTID", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xdel",
        summary: "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "id", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xgroup",
        summary: "A container for consumer groups commands",
        since: "5.0.0",
        group: "stream",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "xgroup|create",
        summary: "Create a consumer group.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added the `entries_read` named argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
            Arg { name: "id", kind: OneOf, args: &[
                Arg { name: "id", kind: Str, ..Arg::NONE },
                Arg { name: "new_id", kind: PureToken, token: "$", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "mkstream", kind: PureToken, token: "MKSTREAM", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "entries_read", kind: Int, token: "ENTRIESREAD", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xgroup|createconsumer",
        summary: "Create a consumer in a consumer group.",
        since: "6.2.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::INSERT, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
            Arg { name: "consumername", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xgroup|delconsumer",
        summary: "Delete a consumer from a consumer group.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
            Arg { name: "consumername", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xgroup|destroy",
        summary: "Destroy a consumer group.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xgroup|setid",
        summary: "Set a consumer group to an arbitrary last delivered ID value.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added the optional `entries_read` argument.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
            Arg { name: "id", kind: OneOf, args: &[
                Arg { name: "id", kind: Str, ..Arg::NONE },
                Arg { name: "new_id", kind: PureToken, token: "$", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "entries_read", kind: Int, token: "ENTRIESREAD", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xinfo",
        summary: "A container for stream introspection commands",
        since: "5.0.0",
        group: "stream",
        complexity: "Depends on subcommand.",
        ..Meta::NONE
    },
    Meta {
        name: "xinfo|consumers",
        summary: "List the consumers in a consumer group",
        since: "5.0.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "groupname", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xinfo|groups",
        summary: "List the consumer groups of a stream",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added the `entries-read` and `lag` fields")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xinfo|stream",
        summary: "Get information about a stream",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("6.0.0", "Added the `FULL` modifier."), ("7.0.0", "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "full", kind: Block, token: "FULL", flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xlen",
        summary: "Return the number of entries in a stream",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xpending",
        summary: "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
        since: "5.0.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
        history: &[("6.2.0", "Added the `IDLE` option and exclusive range intervals.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "group", kind: Str, ..Arg::NONE },
            Arg { name: "filters", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "min-idle-time", kind: Int, token: "IDLE", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
                Arg { name: "start", kind: Str, ..Arg::NONE },
                Arg { name: "end", kind: Str, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
                Arg { name: "consumer", kind: Str, flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xrange",
        summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        history: &[("6.2.0", "Added exclusive ranges.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Str, ..Arg::NONE },
            Arg { name: "end", kind: Str, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xread",
        summary: "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Keyword("STREAMS", 1), fk: Fk::Range(-1, 1, 2) },
        ],
        complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
        args: &[
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "milliseconds", kind: Int, token: "BLOCK", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "streams", kind: Block, token: "STREAMS", args: &[
                Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
                Arg { name: "id", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xreadgroup",
        summary: "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Keyword("STREAMS", 4), fk: Fk::Range(-1, 1, 2) },
        ],
        complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
        args: &[
            Arg { name: "group_consumer", kind: Block, token: "GROUP", args: &[
                Arg { name: "group", kind: Str, ..Arg::NONE },
                Arg { name: "consumer", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "milliseconds", kind: Int, token: "BLOCK", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "noack", kind: PureToken, token: "NOACK", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "streams", kind: Block, token: "STREAMS", args: &[
                Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
                Arg { name: "id", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xrevrange",
        summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        history: &[("6.2.0", "Added exclusive ranges.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "end", kind: Str, ..Arg::NONE },
            Arg { name: "start", kind: Str, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xsetid",
        summary: "An internal command for replicating stream values",
        since: "5.0.0",
        group: "stream",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        history: &[("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "last-id", kind: Str, ..Arg::NONE },
            Arg { name: "entries_added", kind: Int, token: "ENTRIESADDED", since: "7.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "max_deleted_entry_id", kind: Str, token: "MAXDELETEDID", since: "7.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "xtrim",
        summary: "Trims the stream to (approximately if '~' is passed) a certain size",
        since: "5.0.0",
        group: "stream",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
        history: &[("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "trim", kind: Block, args: &[
                Arg { name: "strategy", kind: OneOf, args: &[
                    Arg { name: "maxlen", kind: PureToken, token: "MAXLEN", ..Arg::NONE },
                    Arg { name: "minid", kind: PureToken, token: "MINID", since: "6.2.0", ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "operator", kind: OneOf, flags: arg::OPTIONAL, args: &[
                    Arg { name: "equal", kind: PureToken, token: "=", ..Arg::NONE },
                    Arg { name: "approximately", kind: PureToken, token: "~", ..Arg::NONE },
                ], ..Arg::NONE },
                Arg { name: "threshold", kind: Str, ..Arg::NONE },
                Arg { name: "count", kind: Int, token: "LIMIT", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zadd",
        summary: "Add one or more members to a sorted set, or update its score if it already exists",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        history: &[("2.4.0", "Accepts multiple elements."), ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."), ("6.2.0", "Added the `GT` and `LT` options.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "condition", kind: OneOf, since: "3.0.2", flags: arg::OPTIONAL, args: &[
                Arg { name: "nx", kind: PureToken, token: "NX", ..Arg::NONE },
                Arg { name: "xx", kind: PureToken, token: "XX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "comparison", kind: OneOf, since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "gt", kind: PureToken, token: "GT", ..Arg::NONE },
                Arg { name: "lt", kind: PureToken, token: "LT", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "change", kind: PureToken, token: "CH", since: "3.0.2", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "increment", kind: PureToken, token: "INCR", since: "3.0.2", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "score_member", kind: Block, flags: arg::MULTIPLE, args: &[
                Arg { name: "score", kind: Double, ..Arg::NONE },
                Arg { name: "member", kind: Str, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zcard",
        summary: "Get the number of members in a sorted set",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zcount",
        summary: "Count the members in a sorted set with scores within the given values",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Double, ..Arg::NONE },
            Arg { name: "max", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zdiff",
        summary: "Subtract multiple sorted sets",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zdiffstore",
        summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zincrby",
        summary: "Increment the score of a member in a sorted set",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) where N is the number of elements in the sorted set.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "increment", kind: Int, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zinter",
        summary: "Intersect multiple sorted sets",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "weight", kind: Int, token: "WEIGHTS", flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "aggregate", kind: OneOf, token: "AGGREGATE", flags: arg::OPTIONAL, args: &[
                Arg { name: "sum", kind: PureToken, token: "SUM", ..Arg::NONE },
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zintercard",
        summary: "Intersect multiple sorted sets and return the cardinality of the result",
        since: "7.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "limit", kind: Int, token: "LIMIT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zinterstore",
        summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "weight", kind: Int, token: "WEIGHTS", flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "aggregate", kind: OneOf, token: "AGGREGATE", flags: arg::OPTIONAL, args: &[
                Arg { name: "sum", kind: PureToken, token: "SUM", ..Arg::NONE },
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zlexcount",
        summary: "Count the number of members in a sorted set between a given lexicographical range",
        since: "2.8.9",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Str, ..Arg::NONE },
            Arg { name: "max", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zmpop",
        summary: "Remove and return members with scores in a sorted set",
        since: "7.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "where", kind: OneOf, args: &[
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zmscore",
        summary: "Get the score associated with the given members in a sorted set",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of members being requested.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zpopmax",
        summary: "Remove and return members with the highest scores in a sorted set",
        since: "5.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zpopmin",
        summary: "Remove and return members with the lowest scores in a sorted set",
        since: "5.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::ACCESS | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "count", kind: Int, flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrandmember",
        summary: "Get one or multiple random elements from a sorted set",
        since: "6.2.0",
        group: "sorted-set",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(N) where N is the number of elements returned",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "options", kind: Block, flags: arg::OPTIONAL, args: &[
                Arg { name: "count", kind: Int, ..Arg::NONE },
                Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrange",
        summary: "Return a range of members in a sorted set",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
        history: &[("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Str, ..Arg::NONE },
            Arg { name: "stop", kind: Str, ..Arg::NONE },
            Arg { name: "sortby", kind: OneOf, since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "byscore", kind: PureToken, token: "BYSCORE", ..Arg::NONE },
                Arg { name: "bylex", kind: PureToken, token: "BYLEX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "rev", kind: PureToken, token: "REV", since: "6.2.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", since: "6.2.0", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrangebylex",
        summary: "Return a range of members in a sorted set, by lexicographical range",
        since: "2.8.9",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`ZRANGE` with the `BYLEX` argument",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Str, ..Arg::NONE },
            Arg { name: "max", kind: Str, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrangebyscore",
        summary: "Return a range of members in a sorted set, by score",
        since: "1.0.5",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`ZRANGE` with the `BYSCORE` argument",
        history: &[("2.0.0", "Added the `WITHSCORES` modifier.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Double, ..Arg::NONE },
            Arg { name: "max", kind: Double, ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", since: "2.0.0", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrangestore",
        summary: "Store a range of members from sorted set into another key",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
        args: &[
            Arg { name: "dst", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "src", kind: Key, key_spec: 1, ..Arg::NONE },
            Arg { name: "min", kind: Str, ..Arg::NONE },
            Arg { name: "max", kind: Str, ..Arg::NONE },
            Arg { name: "sortby", kind: OneOf, flags: arg::OPTIONAL, args: &[
                Arg { name: "byscore", kind: PureToken, token: "BYSCORE", ..Arg::NONE },
                Arg { name: "bylex", kind: PureToken, token: "BYLEX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "rev", kind: PureToken, token: "REV", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrank",
        summary: "Determine the index of a member in a sorted set",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N))",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrem",
        summary: "Remove one or more members from a sorted set",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
        history: &[("2.4.0", "Accepts multiple elements.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, flags: arg::MULTIPLE, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zremrangebylex",
        summary: "Remove all members in a sorted set between the given lexicographical range",
        since: "2.8.9",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Str, ..Arg::NONE },
            Arg { name: "max", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zremrangebyrank",
        summary: "Remove all members in a sorted set within the given indexes",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "stop", kind: Int, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zremrangebyscore",
        summary: "Remove all members in a sorted set within the given scores",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RW | ks::DELETE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "min", kind: Double, ..Arg::NONE },
            Arg { name: "max", kind: Double, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrevrange",
        summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`ZRANGE` with the `REV` argument",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "start", kind: Int, ..Arg::NONE },
            Arg { name: "stop", kind: Int, ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrevrangebylex",
        summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
        since: "2.8.9",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`ZRANGE` with the `REV` and `BYLEX` arguments",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "max", kind: Str, ..Arg::NONE },
            Arg { name: "min", kind: Str, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrevrangebyscore",
        summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
        since: "2.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        doc_flags: doc::DEPRECATED,
        deprecated_since: "6.2.0",
        replaced_by: "`ZRANGE` with the `REV` and `BYSCORE` arguments",
        history: &[("2.1.6", "`min` and `max` can be exclusive.")],
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "max", kind: Double, ..Arg::NONE },
            Arg { name: "min", kind: Double, ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "offset_count", kind: Block, token: "LIMIT", flags: arg::OPTIONAL, args: &[
                Arg { name: "offset", kind: Int, ..Arg::NONE },
                Arg { name: "count", kind: Int, ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zrevrank",
        summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(log(N))",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zscan",
        summary: "Incrementally iterate sorted sets elements and associated scores",
        since: "2.8.0",
        group: "sorted-set",
        tips: &["nondeterministic_output"],
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "cursor", kind: Int, ..Arg::NONE },
            Arg { name: "pattern", kind: Pattern, token: "MATCH", flags: arg::OPTIONAL, ..Arg::NONE },
            Arg { name: "count", kind: Int, token: "COUNT", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zscore",
        summary: "Get the score associated with the given member in a sorted set",
        since: "1.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
        ],
        complexity: "O(1)",
        args: &[
            Arg { name: "key", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "member", kind: Str, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zunion",
        summary: "Add multiple sorted sets",
        since: "6.2.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(1), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        args: &[
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 0, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "weight", kind: Int, token: "WEIGHTS", flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "aggregate", kind: OneOf, token: "AGGREGATE", flags: arg::OPTIONAL, args: &[
                Arg { name: "sum", kind: PureToken, token: "SUM", ..Arg::NONE },
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
            Arg { name: "withscores", kind: PureToken, token: "WITHSCORES", flags: arg::OPTIONAL, ..Arg::NONE },
        ],
        ..Meta::NONE
    },
    Meta {
        name: "zunionstore",
        summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
        since: "2.0.0",
        group: "sorted-set",
        key_specs: &[
            KeySpec { notes: "", flags: ks::OW | ks::UPDATE, bs: Bs::Index(1), fk: Fk::Range(0, 1, 0) },
            KeySpec { notes: "", flags: ks::RO | ks::ACCESS, bs: Bs::Index(2), fk: Fk::Keynum(0, 1, 1) },
        ],
        complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        args: &[
            Arg { name: "destination", kind: Key, key_spec: 0, ..Arg::NONE },
            Arg { name: "numkeys", kind: Int, ..Arg::NONE },
            Arg { name: "key", kind: Key, key_spec: 1, flags: arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "weight", kind: Int, token: "WEIGHTS", flags: arg::OPTIONAL | arg::MULTIPLE, ..Arg::NONE },
            Arg { name: "aggregate", kind: OneOf, token: "AGGREGATE", flags: arg::OPTIONAL, args: &[
                Arg { name: "sum", kind: PureToken, token: "SUM", ..Arg::NONE },
                Arg { name: "min", kind: PureToken, token: "MIN", ..Arg::NONE },
                Arg { name: "max", kind: PureToken, token: "MAX", ..Arg::NONE },
            ], ..Arg::NONE },
        ],
        ..Meta::NONE
    },
];
// END GENERATED

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        for w in META.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn lookup_finds_subcommands_and_misses_unknowns() {
        assert_eq!(Meta::of("get").key_specs.len(), 1);
        assert_eq!(Meta::of("rename").key_specs[1].flags, ks::OW | ks::UPDATE);
        assert_eq!(Meta::of("object|freq").key_specs[0].bs, Bs::Index(2));
        assert_eq!(Meta::of("no-such-command").name, "");
    }

    #[test]
    fn key_arguments_point_at_key_specs() {
        fn check(m: &Meta, args: &[Arg]) {
            for a in args {
                if a.kind == Key {
                    assert!((a.key_spec as usize) < m.key_specs.len(), "{}: {}", m.name, a.name);
                }
                check(m, a.args);
            }
        }
        for m in META {
            check(m, m.args);
        }
    }
}
