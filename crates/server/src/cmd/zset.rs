//! Sorted-set commands. PLACEHOLDER: filled in by the zset work. Semantics live in
//! `keyspace::zset`; this file parses arguments and shapes replies.

use crate::command::CommandSpec;

pub static COMMANDS: &[CommandSpec] = &[];
