//! Command families, one file each. Every family exports `COMMANDS`, its
//! table of [`CommandSpec`](crate::command::CommandSpec)s with handlers.

pub mod aof;
pub mod bitmap;
pub mod command;
pub mod config;
pub mod connection;
pub mod function;
pub mod geo;
pub mod hash;
pub mod hll;
pub mod info;
pub mod keys;
pub mod list;
pub mod memory;
pub mod meta;
pub mod multi;
pub mod persist;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod set;
pub mod slowlog;
pub mod sort;
pub mod stream;
pub mod string;
pub mod zset;

use crate::command::CommandSpec;

/// Every family's table, in the order COMMAND LIST reports them.
pub static FAMILIES: &[&[CommandSpec]] = &[
    string::COMMANDS,
    keys::COMMANDS,
    list::COMMANDS,
    hash::COMMANDS,
    set::COMMANDS,
    zset::COMMANDS,
    connection::COMMANDS,
    server::COMMANDS,
    info::COMMANDS,
    config::COMMANDS,
    command::COMMANDS,
    slowlog::COMMANDS,
    multi::COMMANDS,
    pubsub::COMMANDS,
    sort::COMMANDS,
    bitmap::COMMANDS,
    hll::COMMANDS,
    geo::COMMANDS,
    stream::COMMANDS,
    scripting::COMMANDS,
    function::COMMANDS,
    memory::COMMANDS,
    aof::COMMANDS,
    persist::COMMANDS,
];
