//! Lua scripting as Redis 7 runs it: a Lua 5.1 sandbox, the Redis Lua API,
//! the libraries scripts expect (cjson, cmsgpack, bit, struct) and the
//! conversions between Lua values and replies. It never touches the
//! keyspace: `redis.call` reaches the server through [`Host`], which the
//! server implements.

pub mod engine;
pub mod libs;
pub mod sha1;

pub use engine::{flags, parse_shebang, Engine, Script, ScriptError};
pub use sha1::sha1_hex;

/// `redis.REDIS_VERSION`: the version the server reports in INFO.
pub const REDIS_VERSION: &str = "7.0.15";
/// `redis.REDIS_VERSION_NUM`: 0x00MMmmpp.
pub const REDIS_VERSION_NUM: i64 = (7 << 16) | 15;

/// What a running script needs from the server.
pub trait Host {
    /// Runs one command for `redis.call`/`redis.pcall` and returns its
    /// reply, encoded as RESP3 when `resp3` (the script called
    /// `redis.setresp(3)`), else RESP2. A command refused before it ran
    /// (unknown, wrong arity, not allowed from scripts, a write in a
    /// read-only script) returns the message: a bare text gets the `ERR`
    /// code, `-CODE text` keeps its own.
    fn call(&mut self, argv: &[bytes::Bytes], resp3: bool) -> Result<&[u8], String>;

    /// `redis.log(level, ...)`: level 0 debug, 1 verbose, 2 notice, 3 warning.
    fn log(&mut self, level: u8, msg: &[u8]);

    /// Polled every 100000 Lua instructions: true stops the script with
    /// the SCRIPT KILL error.
    fn interrupt(&mut self) -> bool {
        false
    }

    /// `redis.set_repl(flags)`: whether later commands of this script
    /// reach the AOF (`REPL_AOF` bit) and replicas (`REPL_REPLICA` bit).
    fn set_repl(&mut self, _flags: u8) {}

    /// `redis.acl_check_cmd`: whether `argv` names a known command.
    fn command_exists(&mut self, argv: &[bytes::Bytes]) -> bool;
}
