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

    /// Reports that this command changed `key` in the selected database
    /// (Redis's signalModifiedKey): WATCH invalidation and wake-ups of
    /// clients blocked on the key. Call once per key written, after the write.
    pub fn signal(&mut self, key: &[u8]) {
        let db = self.client.db;
        self.store.signal_modified(db, key);
    }

    /// Publishes keyspace notification `event` (e.g. "hset", "lpush", "del")
    /// of `class` (`notify::class::HASH`, ...) for `key` in the selected database.
    pub fn notify(&mut self, class: u32, event: &str, key: &[u8]) {
        let db = self.client.db;
        self.store.notify(class, event, db, key);
    }

    /// [`signal`](Self::signal) and [`notify`](Self::notify) in one: the usual
    /// pair after writing one key.
    pub fn wrote(&mut self, class: u32, event: &str, key: &[u8]) {
        self.signal(key);
        self.notify(class, event, key);
    }

    /// Argument `i` as a blocking-command timeout in seconds (fractions
    /// allowed, as BLPOP and BZPOPMIN take it). Returns milliseconds, 0 = forever.
    pub fn timeout_arg(&self, i: usize) -> Result<u64, CmdError> {
        parse_timeout_secs(self.arg(i))
    }

    /// Parks the client until one of `keys` (in the selected database) is
    /// written by someone, then runs this same command again; after
    /// `timeout_ms` (0 = never) it replies a null array (what Redis 7.0 sends
    /// for every timed-out blocking command). The handler writes no reply
    /// when it calls this. Where blocking is not allowed (inside MULTI or a
    /// script) it replies `on_timeout` at once instead: that is where BRPOPLPUSH
    /// and BLMOVE answer a null bulk string, as Redis does.
    pub fn block(&mut self, keys: Vec<Bytes>, timeout_ms: u64, on_timeout: TimeoutReply) {
        self.block_with(keys, timeout_ms, on_timeout, None);
    }

    /// [`block`](Self::block), re-running `argv` instead of this command
    /// when a key is ready.
    pub fn block_with(
        &mut self,
        keys: Vec<Bytes>,
        timeout_ms: u64,
        on_timeout: TimeoutReply,
        argv: Option<Vec<Bytes>>,
    ) {
        if self.client.in_exec {
            on_timeout.write(self.out);
        } else {
            self.client.block_req = Some(crate::client::BlockRequest { keys, timeout_ms, argv });
        }
    }

    /// Logs this command (AOF, later replicas) as `argv` instead of as it was
    /// sent, in the selected database; several calls log several commands.
    /// For commands whose effect depends on randomness or the clock (SPOP as
    /// SREM, EXPIRE as PEXPIREAT, blocking pops as plain pops). Costs nothing
    /// while nothing consumes propagation.
    pub fn propagate_as(&mut self, argv: &[&[u8]]) {
        if self.store.prop.on {
            self.store.prop.propagate_as(argv.iter().map(|a| Bytes::copy_from_slice(a)).collect());
        }
    }

    /// This command is not logged at all (its effects were logged some
    /// other way, e.g. by [`also_propagate`](Self::also_propagate)).
    pub fn no_propagate(&mut self) {
        self.store.prop.suppress();
    }

    /// Logs `argv` in database `db` now, before this command's own form
    /// (Redis's alsoPropagate): script effects, evictions. Commands run
    /// through `dispatch::call` from inside a handler (EXEC, scripts) are
    /// logged by themselves, and the outer command is then not logged.
    pub fn also_propagate(&mut self, db: usize, argv: &[&[u8]]) {
        if self.store.prop.on {
            self.store.prop.push(db, argv.iter().map(|a| Bytes::copy_from_slice(a)).collect());
        }
    }

    /// The command a deletion caused by a TTL is logged as: `UNLINK` with
    /// `lazyfree-lazy-expire yes`, else `DEL` (EXPIRE with a past time, GETEX).
    pub fn expire_del_cmd(&self) -> &'static [u8] {
        if self.store.prop.lazy_expire {
            b"UNLINK"
        } else {
            b"DEL"
        }
    }

    /// True when the client asked not to update access times (CLIENT NO-TOUCH).
    #[inline]
    pub fn touch(&self) -> bool {
        !self.client.no_touch
    }
}

/// What a blocked command replies when its timeout passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutReply {
    /// `*-1` in RESP2 (BLPOP, BZPOPMIN, BLMPOP, ...).
    NullArray,
    /// `$-1` in RESP2 (BRPOPLPUSH, BLMOVE).
    NullBulk,
}

impl TimeoutReply {
    /// Writes the reply (`_` in RESP3 either way).
    pub fn write(self, out: &mut Out) {
        match self {
            TimeoutReply::NullArray => out.null_array(),
            TimeoutReply::NullBulk => out.null(),
        }
    }
}

/// Redis's blocking timeout in seconds (getTimeoutFromObjectOrReply with
/// UNIT_SECONDS): a long double, times 1000, rounded up to whole ms.
pub fn parse_timeout_secs(b: &[u8]) -> Result<u64, CmdError> {
    use crate::errors::{TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, TIMEOUT_OUT_OF_RANGE};
    let v = keyspace::longdouble::LongDouble::parse(b).ok_or_else(|| CmdError::from(TIMEOUT_NOT_FLOAT))?;
    let secs = if v.is_infinite() || v.is_zero() {
        if v.is_zero() {
            0.0
        } else if v.is_sign_negative() {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }
    } else {
        // x87 extended: 64-bit mantissa with explicit integer bit, bias 16383.
        let (se, mant) = v.to_parts();
        let exp = (se & 0x7fff) as i32 - 16383 - 63;
        // A positive value too small for f64 still means "1 ms", not "forever".
        let mag = (mant as f64 * 2f64.powi(exp)).max(f64::MIN_POSITIVE);
        if v.is_sign_negative() {
            -mag
        } else {
            mag
        }
    };
    let ms = (secs * 1000.0).ceil();
    // Redis casts to long long: values past its range (inf, 1e300) wrap to
    // LLONG_MIN on x86 and are reported as negative.
    if ms < 0.0 || ms >= i64::MAX as f64 {
        return Err(TIMEOUT_NEGATIVE.into());
    }
    let ms = ms as u64;
    if ms > 0 && ms > i64::MAX as u64 - crate::server::now_ms() {
        return Err(TIMEOUT_OUT_OF_RANGE.into());
    }
    Ok(ms)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_like_redis() {
        let ok = |s: &str| parse_timeout_secs(s.as_bytes()).map_err(|e| e.0);
        assert_eq!(ok("0"), Ok(0));
        assert_eq!(ok("0.029"), Ok(29));
        assert_eq!(ok("1.0001"), Ok(1001));
        assert_eq!(ok("2"), Ok(2000));
        assert_eq!(ok("1e-400"), Ok(1), "fits a long double; rounds up to 1 ms");
        assert_eq!(ok("-0.0001"), Ok(0), "ceil gives -0: blocks forever, as in Redis 7.0");
        assert_eq!(ok("0x10"), Ok(16000));
        assert_eq!(ok("-1").unwrap_err(), crate::errors::TIMEOUT_NEGATIVE);
        assert_eq!(ok("abc").unwrap_err(), crate::errors::TIMEOUT_NOT_FLOAT);
        assert_eq!(ok(" 1").unwrap_err(), crate::errors::TIMEOUT_NOT_FLOAT);
        assert_eq!(ok("nan").unwrap_err(), crate::errors::TIMEOUT_NOT_FLOAT);
        assert_eq!(ok("inf").unwrap_err(), crate::errors::TIMEOUT_NEGATIVE);
        assert_eq!(ok("1e300").unwrap_err(), crate::errors::TIMEOUT_NEGATIVE);
    }
}
