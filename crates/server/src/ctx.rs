//! The context a command handler runs in: its arguments, the reply buffer,
//! the calling client, and the locked store.

use crate::client::Client;
use crate::command::Resolved;
use crate::errors::{CmdError, NOT_INTEGER};
use crate::server::{Shared, Store};
use bytes::Bytes;
use keyspace::Keyspace;
use resp::Out;
use std::sync::Arc;

/// Everything a handler may touch.
pub struct Ctx<'a> {
    pub argv: &'a [Bytes],
    pub out: &'a mut Out,
    pub client: &'a mut Client,
    pub store: &'a mut Store,
    pub shared: &'a Arc<Shared>,
    pub cmd: Resolved,
    /// Keys changed by this command; the dispatcher's post-write path reads it.
    pub dirty: u64,
}

impl<'a> Ctx<'a> {
    /// The keyspace.
    #[inline]
    pub fn ks(&mut self) -> &mut Keyspace {
        &mut self.store.ks
    }

    /// The selected database.
    #[inline]
    pub fn db(&self) -> usize {
        self.client.db
    }

    /// Argument `i` (0 is the command name).
    #[inline]
    pub fn arg(&self, i: usize) -> &'a [u8] {
        &self.argv[i]
    }

    /// Number of arguments including the command name.
    #[inline]
    pub fn argc(&self) -> usize {
        self.argv.len()
    }

    /// Argument `i` as an i64, or Redis's "not an integer" error.
    pub fn int_arg(&self, i: usize) -> Result<i64, CmdError> {
        parse_int(self.arg(i)).ok_or_else(|| NOT_INTEGER.into())
    }

    /// Records `n` changes for the post-write path.
    #[inline]
    pub fn changed(&mut self, n: u64) {
        self.dirty += n;
    }

    /// The `:1` / `:0` reply of commands that either changed one key or did
    /// nothing (RENAMENX, COPY, MOVE, EXPIRE, PERSIST, SETNX), counting the change.
    pub fn reply_changed_one(&mut self, done: bool) {
        if done {
            self.dirty += 1;
        }
        self.out.int(done as i64);
    }

    /// True when the client asked not to update access times (CLIENT NO-TOUCH).
    #[inline]
    pub fn touch(&self) -> bool {
        !self.client.no_touch
    }
}

/// Redis's strict integer parsing (string2ll).
pub fn parse_int(b: &[u8]) -> Option<i64> {
    keyspace::value::parse_i64(b)
}

/// Case-insensitive ASCII comparison of an argument with an option name.
#[inline]
pub fn eq(arg: &[u8], opt: &str) -> bool {
    arg.eq_ignore_ascii_case(opt.as_bytes())
}
