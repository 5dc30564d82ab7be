//! Lua scripting as Redis 7 runs it: a Lua 5.1 sandbox, the Redis Lua API,
//! the libraries scripts expect (cjson, cmsgpack, bit, struct) and the
//! conversions between Lua values and replies. It never touches the
//! keyspace: `redis.call` reaches the server through a trait the server
//! implements.

pub mod libs;
