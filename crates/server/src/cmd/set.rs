//! Set commands. PLACEHOLDER: filled in by the set work. Semantics live in
//! `keyspace::set`; this file parses arguments and shapes replies.

use crate::command::CommandSpec;

pub static COMMANDS: &[CommandSpec] = &[];
