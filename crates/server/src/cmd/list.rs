//! List commands. PLACEHOLDER: filled in by the list work. Semantics live in
//! `keyspace::list`; this file parses arguments and shapes replies.

use crate::command::CommandSpec;

pub static COMMANDS: &[CommandSpec] = &[];
