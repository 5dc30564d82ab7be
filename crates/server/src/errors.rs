//! Every error text a client can see, byte for byte as Redis 7 writes it,
//! and the error type command handlers return. Nothing else in the server
//! spells an error message.

use keyspace::KsError;
use std::borrow::Cow;

pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
pub const NOAUTH: &str = "NOAUTH Authentication required.";
pub const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";
pub const AUTH_NOT_CONFIGURED: &str =
    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
pub const SYNTAX: &str = "ERR syntax error";
pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
pub const NOT_FLOAT: &str = "ERR value is not a valid float";
pub const OVERFLOW: &str = "ERR increment or decrement would overflow";
pub const NAN_OR_INF: &str = "ERR increment would produce NaN or Infinity";
pub const NO_SUCH_KEY: &str = "ERR no such key";
pub const STRING_TOO_LONG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
pub const OUT_OF_RANGE: &str = "ERR value is out of range";
pub const OFFSET_OUT_OF_RANGE: &str = "ERR offset is out of range";
pub const DB_INDEX_OUT_OF_RANGE: &str = "ERR DB index is out of range";
pub const SAME_OBJECT: &str = "ERR source and destination objects are the same";
pub const MAX_CLIENTS: &str = "ERR max number of clients reached";
pub const NOPROTO: &str = "NOPROTO unsupported protocol version";
pub const TIMEOUT_NOT_FLOAT: &str = "ERR timeout is not a float or out of range";
pub const TIMEOUT_NEGATIVE: &str = "ERR timeout is negative";
pub const TIMEOUT_OUT_OF_RANGE: &str = "ERR timeout is out of range";
pub const EXPIRE_OPTS_NX: &str = "ERR NX and XX, GT or LT options at the same time are not compatible";
pub const EXPIRE_OPTS_GT_LT: &str = "ERR GT and LT options at the same time are not compatible";
pub const COUNT_POSITIVE: &str = "ERR value is out of range, must be positive";
pub const DENIED: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";
pub const LCS_TOO_LONG: &str = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
pub const LCS_LEN_IDX: &str = "ERR If you want both the length and indexes, please just use IDX.";
pub const CLIENT_NAME_SPACES: &str = "ERR Client names cannot contain spaces, newlines or special characters.";
pub const NO_SUCH_CLIENT: &str = "ERR No such client";
pub const SHUTDOWN_FAILED: &str = "ERR Errors trying to SHUTDOWN. Check logs.";
pub const SLOWLOG_COUNT: &str = "ERR count should be greater than or equal to -1";

/// `ERR wrong number of arguments for 'cmd' command`.
pub fn wrong_args(fullname: &str) -> String {
    format!("ERR wrong number of arguments for '{fullname}' command")
}

/// `ERR unknown command 'x', with args beginning with: 'a' 'b' `.
pub fn unknown_command(argv: &[bytes::Bytes]) -> String {
    let mut s = format!("ERR unknown command '{}', with args beginning with: ", printable(&argv[0], 128));
    for a in argv.iter().skip(1) {
        if s.len() >= 512 {
            break;
        }
        s.push_str(&format!("'{}' ", printable(a, 128)));
    }
    s
}

/// `ERR unknown subcommand 'x'. Try CONTAINER HELP.`
pub fn unknown_subcommand(container: &str, sub: &[u8]) -> String {
    format!("ERR unknown subcommand '{}'. Try {} HELP.", printable(sub, 128), container.to_ascii_uppercase())
}

/// `ERR invalid expire time in 'set' command`.
pub fn invalid_expire(cmd: &str) -> String {
    format!("ERR invalid expire time in '{cmd}' command")
}

/// CONFIG SET port: the new listening socket could not be opened.
pub const LISTEN_PORT_FAILED: &str = "Unable to listen on this port. Check server logs.";
/// CONFIG SET bind: the new addresses could not be bound.
pub const BIND_FAILED: &str = "Failed to bind to specified addresses.";
/// CONFIG SET of a `tls-*` directive: the new TLS context could not be built.
pub const TLS_UPDATE_FAILED: &str = "Unable to update TLS configuration. Check server logs.";

/// `ERR Unsupported CONFIG parameter: x` and friends for CONFIG SET.
pub fn config_set_failed(name: &str, reason: &str) -> String {
    format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}")
}

/// Error text a client sent, made safe to echo (Redis truncates and keeps bytes).
fn printable(b: &[u8], max: usize) -> String {
    let b = &b[..b.len().min(max)];
    String::from_utf8_lossy(b).replace(['\r', '\n'], " ")
}

/// An error reply from a command: its full text, code included.
#[derive(Debug, Clone)]
pub struct CmdError(pub Cow<'static, str>);

impl CmdError {
    /// The error code (first word), as errorstats counts it.
    pub fn code(&self) -> &str {
        self.0.split(' ').next().unwrap_or("ERR")
    }
}

impl From<&'static str> for CmdError {
    fn from(s: &'static str) -> Self {
        CmdError(Cow::Borrowed(s))
    }
}

impl From<String> for CmdError {
    fn from(s: String) -> Self {
        CmdError(Cow::Owned(s))
    }
}

impl From<KsError> for CmdError {
    fn from(e: KsError) -> Self {
        CmdError::from(match e {
            KsError::WrongType => WRONGTYPE,
            KsError::NotInteger => NOT_INTEGER,
            KsError::NotFloat => NOT_FLOAT,
            KsError::Overflow => OVERFLOW,
            KsError::NanOrInfinity => NAN_OR_INF,
            KsError::NoSuchKey => NO_SUCH_KEY,
            KsError::StringTooLong => STRING_TOO_LONG,
            KsError::OutOfRange => OUT_OF_RANGE,
            KsError::DbIndexOutOfRange => DB_INDEX_OUT_OF_RANGE,
            KsError::SameObject => SAME_OBJECT,
        })
    }
}

/// What a command handler returns.
pub type CmdResult = Result<(), CmdError>;

pub const DECREMENT_OVERFLOW: &str = "ERR decrement would overflow";
pub const LCS_NOT_STRINGS: &str = "ERR The specified keys must contain string values";
pub const INVALID_CURSOR: &str = "ERR invalid cursor";
pub const IDLETIME_LFU: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
pub const FREQ_NOT_LFU: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
pub const HELLO_NOAUTH: &str = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";
pub const PROTOVER_NOT_INT: &str = "ERR Protocol version is not an integer or out of range";
pub const NO_SHUTDOWN: &str = "ERR No shutdown in progress.";
pub const INVALID_FIRST_DB: &str = "ERR invalid first DB index";
pub const INVALID_SECOND_DB: &str = "ERR invalid second DB index";
pub const INVALID_CLIENT_ID: &str = "ERR client-id should be greater than 0";
pub const TIMEOUT_NOT_INT: &str = "ERR timeout is not an integer or out of range";

// --- COMMAND GETKEYS / SLOWLOG / subcommand syntax (cmd/command.rs, cmd/slowlog.rs) ---

pub const GETKEYS_INVALID_COMMAND: &str = "ERR Invalid command specified";
pub const GETKEYS_NO_KEYS: &str = "ERR The command has no key arguments";
pub const GETKEYS_BAD_ARITY: &str = "ERR Invalid number of arguments specified for command";
pub const GETKEYS_INVALID_ARGS: &str = "ERR Invalid arguments specified for command";

/// `ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.`
/// (`sub` as the client typed it, `container` upper-cased).
pub fn subcommand_syntax(container: &str, sub: &[u8]) -> String {
    format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        printable(sub, 128),
        container.to_ascii_uppercase()
    )
}
pub const PAUSE_MODE: &str = "ERR CLIENT PAUSE mode must be WRITE or ALL";
pub const INVALID_CLIENT_ID_LIST: &str = "ERR Invalid client ID";
pub const DEBUG_NOT_ALLOWED: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

// --- Transactions, pub/sub, blocking (dispatch.rs, cmd/multi.rs, cmd/pubsub.rs, blocking.rs) ---

pub const UNBLOCK_REASON: &str = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
pub const UNBLOCKED: &str = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
pub const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";
pub const EXECABORT_BECAUSE: &str = "EXECABORT Transaction discarded because of: ";
pub const EXEC_WITHOUT_MULTI: &str = "ERR EXEC without MULTI";
pub const DISCARD_WITHOUT_MULTI: &str = "ERR DISCARD without MULTI";
pub const MULTI_NESTED: &str = "ERR MULTI calls can not be nested";
pub const WATCH_IN_MULTI: &str = "ERR WATCH inside MULTI is not allowed";
pub const NOT_IN_MULTI: &str = "ERR Command not allowed inside a transaction";

/// The RESP2 subscribed-mode refusal.
pub fn subscribed_context(fullname: &str) -> String {
    format!(
        "ERR Can't execute '{fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    )
}
// --- list commands (cmd/list.rs) ---
pub const LIST_INDEX_OUT_OF_RANGE: &str = "ERR index out of range";
pub const LIST_RANK_ZERO: &str = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
pub const LIST_COUNT_NEGATIVE: &str = "ERR COUNT can't be negative";
pub const LIST_MAXLEN_NEGATIVE: &str = "ERR MAXLEN can't be negative";
pub const LIST_NUMKEYS: &str = "ERR numkeys should be greater than 0";
pub const LIST_COUNT_GT_ZERO: &str = "ERR count should be greater than 0";
// --- set commands (cmd/set.rs) ---
pub const SRANDMEMBER_COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
pub const SET_NUMKEYS_POSITIVE: &str = "ERR numkeys should be greater than 0";
pub const SET_NUMKEYS_TOO_MANY: &str = "ERR Number of keys can't be greater than number of args";
pub const SET_LIMIT_NEGATIVE: &str = "ERR LIMIT can't be negative";
// --- hash commands (cmd/hash.rs) ---

pub const HASH_NOT_INTEGER: &str = "ERR hash value is not an integer";
pub const HASH_NOT_FLOAT: &str = "ERR hash value is not a float";
pub const VALUE_NAN_OR_INF: &str = "ERR value is NaN or Infinity";
pub const RANDFIELD_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

// --- SORT (cmd/sort.rs) ---

pub const SORT_SCORES: &str = "ERR One or more scores can't be converted into double";
// --- sorted-set commands (cmd/zset.rs) ---

pub const Z_XX_NX: &str = "ERR XX and NX options at the same time are not compatible";
pub const Z_GT_LT_NX: &str = "ERR GT, LT, and/or NX options at the same time are not compatible";
pub const Z_INCR_PAIR: &str = "ERR INCR option supports a single increment-element pair";
pub const Z_NAN: &str = "ERR resulting score is not a number (NaN)";
pub const Z_MINMAX_FLOAT: &str = "ERR min or max is not a float";
pub const Z_MINMAX_LEX: &str = "ERR min or max not valid string range item";
pub const Z_LIMIT_RANK: &str = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
pub const Z_WITHSCORES_BYLEX: &str = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
pub const Z_WEIGHT_FLOAT: &str = "ERR weight value is not a float";
pub const Z_LIMIT_NEGATIVE: &str = "ERR LIMIT can't be negative";
pub const Z_NUMKEYS: &str = "ERR numkeys should be greater than 0";
pub const Z_COUNT_GT0: &str = "ERR count should be greater than 0";
pub const Z_RANDMEMBER_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

/// `ERR at least 1 input key is needed for 'zunion' command`.
pub fn z_at_least_one_key(fullname: &str) -> String {
    format!("ERR at least 1 input key is needed for '{fullname}' command")
}

// Bitmaps.
pub const BIT_OFFSET: &str = "ERR bit offset is not an integer or out of range";
pub const BIT_VALUE: &str = "ERR bit is not an integer or out of range";
pub const BITPOS_BIT: &str = "ERR The bit argument must be 1 or 0.";
pub const BITOP_NOT_ONE_KEY: &str = "ERR BITOP NOT must be called with a single source key.";
pub const BITFIELD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
pub const BITFIELD_OVERFLOW: &str = "ERR Invalid OVERFLOW type specified";
pub const BITFIELD_RO_GET_ONLY: &str = "ERR BITFIELD_RO only supports the GET subcommand";

// HyperLogLog.
pub const HLL_NOT_VALID: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
pub const HLL_CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";
pub const HLL_PFDEBUG_NO_KEY: &str = "ERR The specified key does not exist";
pub const HLL_DECODE_DENSE: &str = "ERR HLL encoding is not sparse";

pub fn hll_pfdebug_unknown(sub: &[u8]) -> String {
    format!("ERR Unknown PFDEBUG subcommand '{}'", String::from_utf8_lossy(sub))
}

// Geo.
pub const GEO_UNIT: &str = "ERR unsupported unit provided. please use M, KM, FT, MI";
pub const GEO_NEED_RADIUS: &str = "ERR need numeric radius";
pub const GEO_RADIUS_NEGATIVE: &str = "ERR radius cannot be negative";
pub const GEO_NEED_WIDTH: &str = "ERR need numeric width";
pub const GEO_NEED_HEIGHT: &str = "ERR need numeric height";
pub const GEO_BOX_NEGATIVE: &str = "ERR height or width cannot be negative";
pub const GEO_COUNT: &str = "ERR COUNT must be > 0";
pub const GEO_NO_MEMBER: &str = "ERR could not decode requested zset member";
pub const GEO_ANY_NEEDS_COUNT: &str = "ERR the ANY argument requires COUNT argument";

pub fn geo_invalid_pair(lon: f64, lat: f64) -> String {
    format!("ERR invalid longitude,latitude pair {lon:.6},{lat:.6}")
}

pub fn geo_store_with(searchstore: bool) -> String {
    let what = if searchstore { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
    format!("ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
}

pub fn geo_need_from(cmd: &str) -> String {
    format!("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {cmd}")
}

pub fn geo_need_by(cmd: &str) -> String {
    format!("ERR exactly one of BYRADIUS and BYBOX can be specified for {cmd}")
}

// Streams.
pub const STREAM_BAD_ID: &str = "ERR Invalid stream ID specified as stream command argument";
pub const STREAM_BAD_START: &str = "ERR invalid start ID for the interval";
pub const STREAM_BAD_END: &str = "ERR invalid end ID for the interval";
pub const STREAM_MAXLEN_MINID: &str = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
pub const STREAM_MAXLEN_NEGATIVE: &str = "ERR The MAXLEN argument must be >= 0.";
pub const STREAM_LIMIT_NEGATIVE: &str = "ERR The LIMIT argument must be >= 0.";
pub const STREAM_LIMIT_NO_TRIM: &str = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
pub const STREAM_XTRIM_NO_STRATEGY: &str = "ERR syntax error, XTRIM must be called with a trimming strategy";
pub const STREAM_LIMIT_NOT_APPROX: &str = "ERR syntax error, LIMIT cannot be used without the special ~ option";
pub const STREAM_XADD_ZERO: &str = "ERR The ID specified in XADD must be greater than 0-0";
pub const STREAM_EXHAUSTED: &str = "ERR The stream has exhausted the last possible ID, unable to add more items";
pub const STREAM_XADD_SMALL: &str = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
pub const STREAM_ENTRIES_ADDED_NEGATIVE: &str = "ERR entries_added must be positive";
pub const STREAM_SETID_SMALLER_THAN_GIVEN_MAXDEL: &str =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
pub const STREAM_SETID_SMALLER_THAN_MAXDEL: &str =
    "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id";
pub const STREAM_SETID_SMALLER_THAN_TOP: &str =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
pub const STREAM_SETID_ENTRIES_ADDED_SMALL: &str =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
pub const STREAM_GROUP_ONLY_XREADGROUP: &str =
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
pub const STREAM_NOACK_ONLY_XREADGROUP: &str =
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
pub const STREAM_MISSING_GROUP: &str = "ERR Missing GROUP option for XREADGROUP";
pub const STREAM_DOLLAR_IN_XREADGROUP: &str = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.";
pub const STREAM_GT_ONLY_XREADGROUP: &str =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.";
pub const STREAM_XGROUP_NO_KEY: &str = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";
pub const STREAM_ENTRIES_READ: &str = "ERR value for ENTRIESREAD must be positive or -1";
pub const STREAM_BUSYGROUP: &str = "BUSYGROUP Consumer Group name already exists";
pub const STREAM_XCLAIM_MIN_IDLE: &str = "ERR Invalid min-idle-time argument for XCLAIM";
pub const STREAM_XCLAIM_IDLE: &str = "ERR Invalid IDLE option argument for XCLAIM";
pub const STREAM_XCLAIM_TIME: &str = "ERR Invalid TIME option argument for XCLAIM";
pub const STREAM_XCLAIM_RETRYCOUNT: &str = "ERR Invalid RETRYCOUNT option argument for XCLAIM";
pub const STREAM_XAUTOCLAIM_MIN_IDLE: &str = "ERR Invalid min-idle-time argument for XAUTOCLAIM";
pub const STREAM_XAUTOCLAIM_COUNT: &str = "ERR COUNT must be > 0";
pub const STREAM_XAUTOCLAIM_COUNT_TOO_HIGH: &str =
    "ERR Insufficient memory, failed allocating transient memory, COUNT too high.";

pub fn stream_unbalanced(cmd: &str, symbol: char) -> String {
    format!("ERR Unbalanced {cmd} list of streams: for each stream key an ID or '{symbol}' must be specified.")
}

pub fn stream_nogroup_read(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
        String::from_utf8_lossy(key),
        String::from_utf8_lossy(group)
    )
}

pub fn stream_nogroup_read_plain(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        String::from_utf8_lossy(key),
        String::from_utf8_lossy(group)
    )
}

pub fn stream_nogroup(group: &[u8], key: &[u8]) -> String {
    format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        String::from_utf8_lossy(group),
        String::from_utf8_lossy(key)
    )
}

pub fn stream_block_in_script(cmd: &str) -> String {
    format!("ERR {cmd} command is not allowed with BLOCK option from scripts")
}

pub fn stream_xclaim_option(opt: &[u8]) -> String {
    format!("ERR Unrecognized XCLAIM option '{}'", String::from_utf8_lossy(opt))
}

// --- scripting (cmd/scripting.rs, dispatch::script_call) ---

pub const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";
pub const NOTBUSY: &str = "NOTBUSY No scripts in execution right now.";
pub const SCRIPT_NUMKEYS_TOO_MANY: &str = "ERR Number of keys can't be greater than number of args";
pub const SCRIPT_NUMKEYS_NEGATIVE: &str = "ERR Number of keys can't be negative";
pub const SCRIPT_RO_WITH_WRITE_FLAG: &str = "ERR Can not execute a script with write flag using *_ro command.";
pub const SCRIPT_FLUSH_OPTION: &str = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
/// Refusals of a command a script calls; the scripting crate adds the `ERR` code.
pub const SCRIPT_UNKNOWN_COMMAND: &str = "Unknown Redis command called from script";
pub const SCRIPT_WRONG_ARITY: &str = "Wrong number of args calling Redis command from script";
pub const SCRIPT_NOSCRIPT_COMMAND: &str = "This Redis command is not allowed from script";
pub const SCRIPT_WRITE_IN_RO: &str = "Write commands are not allowed from read-only scripts.";
pub const FUNCTION_NOT_FOUND: &str = "ERR Function not found";
pub const LIBRARY_NOT_FOUND: &str = "ERR Library not found";
pub const FUNCTION_FLUSH_OPTION: &str = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option";
pub const FUNCTION_LIBRARYNAME_MISSING: &str = "ERR library name argument was not given";
pub const FUNCTION_RESTORE_POLICY: &str =
    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.";
pub const FUNCTION_BAD_PAYLOAD: &str = "ERR DUMP payload version or checksum are wrong";

/// `ERR Unknown argument X` (FUNCTION LIST).
pub fn function_unknown_argument(arg: &[u8]) -> String {
    format!("ERR Unknown argument {}", String::from_utf8_lossy(arg))
}

/// `ERR Unknown option given: X` (FUNCTION LOAD).
pub fn function_unknown_option(arg: &[u8]) -> String {
    format!("ERR Unknown option given: {}", String::from_utf8_lossy(arg))
}
pub const FCALL_BAD_NUMKEYS: &str = "ERR Bad number of keys provided";

/// `ERR Library x already exists` (FUNCTION RESTORE, unquoted unlike LOAD's).
pub fn function_restore_exists(name: &str) -> String {
    format!("ERR Library {name} already exists")
}
// --- maxmemory and MEMORY (issue 7) ---
/// A deny-oom command while over maxmemory with nothing left to evict.
pub const OOM: &str = "OOM command not allowed when used memory > 'maxmemory'.";
// --- RDB persistence, DUMP/RESTORE (cmd/persist.rs, snapshot.rs) ---

/// SAVE failed (Redis replies its bare shared.err).
pub const SAVE_FAILED: &str = "ERR";
pub const BGSAVE_IN_PROGRESS: &str = "ERR Background save already in progress";
pub const BUSYKEY: &str = "BUSYKEY Target key name already exists.";
pub const RESTORE_BAD_TTL: &str = "ERR Invalid TTL value, must be >= 0";
pub const RESTORE_BAD_IDLETIME: &str = "ERR Invalid IDLETIME value, must be >= 0";
pub const RESTORE_BAD_FREQ: &str = "ERR Invalid FREQ value, must be >= 0 and <= 255";
pub const DUMP_PAYLOAD_WRONG: &str = "ERR DUMP payload version or checksum are wrong";
pub const BAD_DATA_FORMAT: &str = "ERR Bad data format";

/// RESTORE of a payload whose type this server cannot hold yet (stream, module value):
/// Redis's text, then why.
pub fn bad_data_unsupported(what: &str) -> String {
    format!("ERR Bad data format: the payload holds {what}, which this server does not support yet")
}
pub const SHUTDOWN_ERRORS: &str = "ERR Errors trying to SHUTDOWN. Check logs.";
pub const RELOAD_FAILED: &str = "ERR Error trying to load the RDB dump, check server logs.";
/// Writes (and PING) after a failed background save, with stop-writes-on-bgsave-error.
pub const MISCONF: &str = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

// --- append-only file (aof.rs, cmd/aof.rs) ---

pub const AOF_REWRITE_IN_PROGRESS: &str = "ERR Background append only file rewriting already in progress";
pub const AOF_REWRITE_STARTED: &str = "Background append only file rewriting started";
pub const AOF_REWRITE_SCHEDULED: &str = "Background append only file rewriting scheduled";
pub const AOF_TURN_ON_FAILED: &str =
    "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.";
/// BGSAVE while an AOF rewrite runs (Redis's "another child is active").
pub const BGSAVE_AOF_ACTIVE: &str = "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
/// Writes (and PING) while the AOF cannot be written (`appendfsync everysec` or `no`).
pub fn aof_misconf(reason: &str) -> String {
    format!("MISCONF Errors writing to the AOF file: {reason}")
}

// --- functions in RDB/AOF, FUNCTION DUMP/RESTORE payloads (persistfn) ---

/// `ERR Function x already exists` (FUNCTION RESTORE: a restored function
/// whose name a kept library already uses).
pub fn function_restore_function_exists(name: &str) -> String {
    format!("ERR Function {name} already exists")
}
// --- long-running scripts (busy.rs) ---

/// Other clients' commands while an EVAL script is past busy-reply-threshold.
pub const BUSY_EVAL: &str = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
/// The same while a function (FCALL) runs.
pub const BUSY_FUNCTION: &str =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
pub const UNKILLABLE: &str = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
