//! Hash commands. PLACEHOLDER: filled in by the hash work. Semantics live in
//! `keyspace::hash`; this file parses arguments and shapes replies.

use crate::command::CommandSpec;

pub static COMMANDS: &[CommandSpec] = &[];
