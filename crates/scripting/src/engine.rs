//! The Lua VM as Redis 7.0 sets it up for EVAL: the sandbox, the `redis`
//! table, the script cache (compiled functions kept in the registry) and
//! the two conversions (command replies to Lua values, the script's result
//! to a reply). It is not the command layer: EVAL's argument parsing and
//! every policy check on commands scripts run live in the server.
//!
//! The hot paths (`redis.call`, KEYS/ARGV, reply conversion) talk to Lua
//! through its C API directly: Redis's semantics are written in terms of the
//! Lua stack (the "reached lua stack limit" depth, error tables raised with
//! `lua_error`, the error handler's view of C frames), and matching them is
//! simplest at that level. mlua creates the state (with its allocator and
//! memory cap) and hosts the library bindings.
//!
//! Lua errors unwind with longjmp, so every function here that may raise one
//! keeps no value with a destructor alive across the raising call.

use crate::{sha1::sha1_hex, Host};
use bytes::Bytes;
use mlua::ffi::{self, lua_State};
use resp::Out;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void, CStr};

extern "C-unwind" {
    // Added to the vendored Lua 5.1 (vendor/lua-src/PATCH.md).
    fn lua_enablereadonlytable(l: *mut lua_State, idx: c_int, enabled: c_int);
    fn lua_isreadonlytable(l: *mut lua_State, idx: c_int) -> c_int;
}

/// Script flags of the `#!lua flags=` shebang (and of FUNCTION's flags).
pub mod flags {
    pub const NO_WRITES: u32 = 1 << 0;
    pub const ALLOW_OOM: u32 = 1 << 1;
    pub const ALLOW_STALE: u32 = 1 << 2;
    pub const NO_CLUSTER: u32 = 1 << 3;
    pub const ALLOW_CROSS_SLOT_KEYS: u32 = 1 << 4;
    /// No shebang: a pre-7.0 script, run with the old rules.
    pub const EVAL_COMPAT_MODE: u32 = 1 << 5;

    /// Names as scripts spell them.
    pub const NAMES: &[(u32, &str)] = &[
        (NO_WRITES, "no-writes"),
        (ALLOW_OOM, "allow-oom"),
        (ALLOW_STALE, "allow-stale"),
        (NO_CLUSTER, "no-cluster"),
        (ALLOW_CROSS_SLOT_KEYS, "allow-cross-slot-keys"),
    ];
}

/// Memory the Lua heap may use. Redis sets no cap; one script must still
/// not be able to take the machine (`string.rep("x", 2^40)`, tables grown
/// in a loop), so allocations past this fail with Lua's "not enough
/// memory" error and the script ends with an error reply.
pub const MEMORY_LIMIT: usize = 1 << 30;

/// Instructions between two calls of the interrupt hook (Redis uses the same).
const HOOK_EVERY: c_int = 100_000;

/// Run the garbage collector one step every this many scripts, as Redis does.
const GC_PERIOD: u32 = 50;

/// Lua's C-stack limit, which Redis's "reached lua stack limit" depth follows.
const LUAI_MAXCSTACK: c_int = 8000;

/// Parses the `#!` line of a script body. Returns the flags and the length
/// of the shebang line (its newline excluded, so line numbers stay right).
///
/// # Errors
/// Redis's texts: `Invalid script shebang`, `Unexpected engine in script
/// shebang: x`, `Unexpected flag in script shebang: x`, `Unknown lua
/// shebang option: x` (with `ERR `).
pub fn parse_shebang(body: &[u8]) -> Result<(u32, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((flags::EVAL_COMPAT_MODE, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err("ERR Invalid script shebang".into());
    };
    let parts = match resp::split_args(&body[..end]) {
        Some(p) if !p.is_empty() => p,
        _ => return Err("ERR Invalid engine in script shebang".into()),
    };
    if parts[0] != b"#!lua" {
        return Err(format!("ERR Unexpected engine in script shebang: {}", String::from_utf8_lossy(&parts[0])));
    }
    let mut f = 0;
    for p in &parts[1..] {
        let Some(list) = p.strip_prefix(b"flags=") else {
            return Err(format!("ERR Unknown lua shebang option: {}", String::from_utf8_lossy(p)));
        };
        if list.is_empty() {
            continue;
        }
        for name in list.split(|&b| b == b',') {
            match flags::NAMES.iter().find(|(_, n)| n.as_bytes() == name) {
                Some((bit, _)) => f |= bit,
                None => {
                    return Err(format!("ERR Unexpected flag in script shebang: {}", String::from_utf8_lossy(name)))
                }
            }
        }
    }
    Ok((f, end))
}

/// A cached script.
pub struct Script {
    pub body: Bytes,
    /// Bit set of [`flags`].
    pub flags: u32,
    func_ref: c_int,
}

/// Why a script run ended without a normal reply.
#[derive(Debug)]
pub struct ScriptError {
    /// The full error text (`ERR user_script:1: ... script: <sha>, on @user_script:1.`).
    pub msg: String,
    /// The error came from a command the script called, whose own error
    /// was already counted: INFO errorstats must not count it again.
    pub already_counted: bool,
}

/// What the C functions the script calls need while it runs.
struct Slot {
    host: Option<*mut (dyn Host + 'static)>,
    /// `redis.setresp(3)` was called.
    resp3: bool,
    keys: *const [Bytes],
    args: *const [Bytes],
    /// SCRIPT KILL was seen: keep raising the kill error on every line.
    killed: bool,
    /// FUNCTION LOAD in progress: what `redis.register_function` collects.
    loading: Option<*mut Vec<Registered>>,
    /// Next free id in the functions table.
    next_id: c_int,
    /// FUNCTION LOAD's deadline: library code must finish loading in time.
    load_deadline: Option<std::time::Instant>,
}

/// A function a library registered while it loaded.
struct Registered {
    name: String,
    id: c_int,
    flags: u32,
    description: Option<Vec<u8>>,
}

/// The Lua interpreter and the scripts compiled into it.
pub struct Engine {
    lua: mlua::Lua,
    l: *mut lua_State,
    slot: Box<Slot>,
    scripts: HashMap<String, Script>,
    scripts_bytes: usize,
    errh_ref: c_int,
    gc_count: u32,
    /// Codes of the error replies the last script's result held that
    /// INFO errorstats must count (not those a failed command already counted).
    pub reply_errors: Vec<Vec<u8>>,
    /// The last script's result was an error reply (a failed call for INFO commandstats).
    pub reply_is_error: bool,
}

// The engine lives in the server's store, behind its mutex: one thread
// at a time uses it, which is all Lua asks.
unsafe impl Send for Engine {}

impl Engine {
    /// A fresh interpreter with Redis's sandbox and API.
    ///
    /// # Panics
    /// When Lua cannot even be set up (out of memory at start-up).
    pub fn new() -> Engine {
        use mlua::StdLib;
        // SAFETY: the debug library is loaded only to build the error
        // handler, then removed from the globals before any script runs.
        let lua = unsafe {
            mlua::Lua::unsafe_new_with(
                StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG,
                mlua::LuaOptions::new(),
            )
        };
        crate::libs::register_all(&lua).expect("lua libraries");
        let l = lua.state();
        let mut slot = Box::new(Slot {
            host: None,
            resp3: false,
            keys: &[] as *const [Bytes],
            args: &[] as *const [Bytes],
            killed: false,
            loading: None,
            next_id: 1,
            load_deadline: None,
        });
        let slot_ptr = &mut *slot as *mut Slot as *mut c_void;
        let errh_ref;
        unsafe {
            // The error handler sees the erroring frame: a C function
            // (redis.call, error) reports its Lua caller's line instead.
            let src = b"local dbg = debug\n\
                __redis__err__handler = function(err)\n\
                  local info = dbg.getinfo(2, 'nSl')\n\
                  if info and info.what == 'C' then info = dbg.getinfo(3, 'nSl') end\n\
                  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n\
                  if info then err['source'] = info.source; err['line'] = info.currentline end\n\
                  return err\n\
                end\n";
            assert_eq!(ffi::luaL_loadbuffer(l, src.as_ptr() as _, src.len(), c"@errh".as_ptr()), 0);
            assert_eq!(ffi::lua_pcall(l, 0, 0, 0), 0);
            // Compiled scripts and the handler live in a table of our own
            // in the registry (mlua manages the registry's integer keys).
            ffi::lua_createtable(l, 64, 0);
            ffi::lua_getfield(l, ffi::LUA_GLOBALSINDEX, c"__redis__err__handler".as_ptr());
            errh_ref = 1;
            slot.next_id = 1;
            ffi::lua_rawseti(l, -2, errh_ref as _);
            ffi::lua_setfield(l, ffi::LUA_REGISTRYINDEX, FUNCS_KEY.as_ptr());

            // The redis table.
            ffi::lua_createtable(l, 0, 32);
            let funcs: &[(&CStr, ffi::lua_CFunction)] = &[
                (c"call", redis_call),
                (c"pcall", redis_pcall),
                (c"error_reply", redis_error_reply),
                (c"status_reply", redis_status_reply),
                (c"sha1hex", redis_sha1hex),
                (c"log", redis_log),
                (c"setresp", redis_setresp),
                (c"set_repl", redis_set_repl),
                (c"replicate_commands", redis_replicate_commands),
                (c"breakpoint", redis_breakpoint),
                (c"debug", redis_debug),
                (c"acl_check_cmd", redis_acl_check_cmd),
            ];
            for (name, f) in funcs {
                ffi::lua_pushlightuserdata(l, slot_ptr);
                ffi::lua_pushcclosure(l, *f, 1);
                ffi::lua_setfield(l, -2, name.as_ptr());
            }
            let ints: &[(&CStr, i64)] = &[
                (c"LOG_DEBUG", 0),
                (c"LOG_VERBOSE", 1),
                (c"LOG_NOTICE", 2),
                (c"LOG_WARNING", 3),
                (c"REPL_NONE", 0),
                (c"REPL_AOF", 1),
                (c"REPL_SLAVE", 2),
                (c"REPL_REPLICA", 2),
                (c"REPL_ALL", 3),
                (c"REDIS_VERSION_NUM", crate::REDIS_VERSION_NUM),
            ];
            for (name, v) in ints {
                ffi::lua_pushnumber(l, *v as f64);
                ffi::lua_setfield(l, -2, name.as_ptr());
            }
            push_bytes(l, crate::REDIS_VERSION.as_bytes());
            ffi::lua_setfield(l, -2, c"REDIS_VERSION".as_ptr());
            ffi::lua_setfield(l, ffi::LUA_GLOBALSINDEX, c"redis".as_ptr());
            ffi::lua_pushcclosure(l, lua_pcall_wrapper, 0);
            ffi::lua_setfield(l, ffi::LUA_GLOBALSINDEX, c"pcall".as_ptr());
            // `os` holds only `clock` (the sandbox; Redis 7.0 has
            // no `os` at all, later Redis versions have this one function).
            ffi::lua_createtable(l, 0, 1);
            ffi::lua_pushcclosure(l, os_clock, 0);
            ffi::lua_setfield(l, -2, c"clock".as_ptr());
            ffi::lua_setfield(l, ffi::LUA_GLOBALSINDEX, c"os".as_ptr());

            // Only Redis's globals stay (what 7.0's _G holds before KEYS/ARGV).
            const ALLOWED: &[&[u8]] = &[
                b"_G",
                b"_VERSION",
                b"__redis__err__handler",
                b"assert",
                b"bit",
                b"cjson",
                b"cmsgpack",
                b"collectgarbage",
                b"coroutine",
                b"error",
                b"gcinfo",
                b"getmetatable",
                b"ipairs",
                b"load",
                b"loadstring",
                b"math",
                b"next",
                b"os",
                b"pairs",
                b"pcall",
                b"rawequal",
                b"rawget",
                b"rawset",
                b"redis",
                b"select",
                b"setmetatable",
                b"string",
                b"struct",
                b"table",
                b"tonumber",
                b"tostring",
                b"type",
                b"unpack",
                b"xpcall",
            ];
            let mut doomed = Vec::new();
            ffi::lua_pushnil(l);
            while ffi::lua_next(l, ffi::LUA_GLOBALSINDEX) != 0 {
                ffi::lua_pop(l, 1);
                if ffi::lua_type(l, -1) == ffi::LUA_TSTRING {
                    let k = to_bytes(l, -1);
                    if !ALLOWED.contains(&k) {
                        doomed.push(k.to_vec());
                    }
                }
            }
            for k in doomed {
                push_bytes(l, &k);
                ffi::lua_pushnil(l);
                ffi::lua_rawset(l, ffi::LUA_GLOBALSINDEX);
            }

            // Reading an undeclared global raises; the globals, every table
            // reachable from them, their metatables and the string
            // metatable become read-only.
            ffi::lua_createtable(l, 0, 1);
            ffi::lua_pushcclosure(l, global_index, 0);
            ffi::lua_setfield(l, -2, c"__index".as_ptr());
            ffi::lua_setmetatable(l, ffi::LUA_GLOBALSINDEX);
            ffi::lua_pushvalue(l, ffi::LUA_GLOBALSINDEX);
            protect_recursively(l);
            ffi::lua_pop(l, 1);
            push_bytes(l, b"");
            if ffi::lua_getmetatable(l, -1) != 0 {
                protect_recursively(l);
                ffi::lua_pop(l, 1);
            }
            ffi::lua_pop(l, 1);
            ffi::lua_sethook(l, Some(count_hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
            // The hook finds the slot through the registry.
            ffi::lua_pushlightuserdata(l, slot_ptr);
            ffi::lua_setfield(l, ffi::LUA_REGISTRYINDEX, SLOT_KEY.as_ptr());
            debug_assert_eq!(ffi::lua_gettop(l), 0);
        }
        let _ = lua.set_memory_limit(MEMORY_LIMIT);
        Engine {
            lua,
            l,
            slot,
            scripts: HashMap::new(),
            scripts_bytes: 0,
            errh_ref,
            gc_count: 0,
            reply_errors: Vec::new(),
            reply_is_error: false,
        }
    }

    /// Changes the Lua heap cap (tests use a small one).
    pub fn set_memory_limit(&self, bytes: usize) {
        let _ = self.lua.set_memory_limit(bytes);
    }

    /// The cached script named `sha` (40 lower-case hex digits).
    pub fn get(&self, sha: &str) -> Option<&Script> {
        self.scripts.get(sha)
    }

    /// True when `sha` (any case) names a cached script.
    pub fn exists(&self, sha: &[u8]) -> bool {
        sha.len() == 40 && std::str::from_utf8(sha).is_ok_and(|s| self.scripts.contains_key(&s.to_ascii_lowercase()))
    }

    /// Number of cached scripts.
    pub fn len(&self) -> usize {
        self.scripts.len()
    }

    /// True when no script is cached.
    pub fn is_empty(&self) -> bool {
        self.scripts.is_empty()
    }

    /// Bytes of Lua heap in use (INFO used_memory_lua).
    pub fn used_memory(&self) -> usize {
        self.lua.used_memory()
    }

    /// Approximate bytes the cache holds (INFO used_memory_scripts).
    pub fn scripts_memory(&self) -> usize {
        self.scripts_bytes
    }

    /// Compiles `body` into the cache (EVAL's first run, SCRIPT LOAD) and
    /// returns its SHA-1. A body already cached is not compiled again.
    ///
    /// # Errors
    /// Shebang errors, and `ERR Error compiling script (new function): ...`.
    pub fn load(&mut self, body: &Bytes) -> Result<String, String> {
        let sha = sha1_hex(body);
        if self.scripts.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, skip) = parse_shebang(body)?;
        let l = self.l;
        let func_ref = unsafe {
            let code = &body[skip..];
            let rc = ffi::luaL_loadbuffer(l, code.as_ptr() as _, code.len(), c"@user_script".as_ptr());
            if rc != 0 {
                let msg = String::from_utf8_lossy(to_bytes(l, -1)).into_owned();
                ffi::lua_pop(l, 1);
                return Err(format!("ERR Error compiling script (new function): {msg}"));
            }
            store_func(l, &mut self.slot)
        };
        self.scripts_bytes += body.len() + sha.len() + 64;
        self.scripts.insert(sha.clone(), Script { body: body.clone(), flags, func_ref });
        Ok(sha)
    }

    /// Runs cached script `sha` with KEYS and ARGV, writing its result to
    /// `out` (encoded for the caller). `host` runs the commands it calls.
    ///
    /// # Errors
    /// The script raised an error (the reply was not written).
    ///
    /// # Panics
    /// When `sha` is not cached (callers look it up first).
    pub fn run(
        &mut self,
        sha: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn Host,
        out: &mut Out,
    ) -> Result<(), ScriptError> {
        let func_ref = self.scripts[sha].func_ref;
        self.invoke(func_ref, false, sha, keys, args, host, out)
    }

    /// Runs function `func_ref`: an EVAL body (KEYS and ARGV as globals) or,
    /// when `fcall`, a registered function called as `f(keys, args)`.
    /// `label` names it in error texts.
    #[allow(clippy::too_many_arguments)]
    fn invoke(
        &mut self,
        func_ref: c_int,
        fcall: bool,
        label: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn Host,
        out: &mut Out,
    ) -> Result<(), ScriptError> {
        let sha = label;
        let l = self.l;
        // SAFETY: the pointers live in the slot only for this call; every
        // C function that reads them runs inside the lua_pcall below.
        let host: *mut (dyn Host + '_) = host;
        self.slot.host = Some(unsafe { std::mem::transmute::<*mut (dyn Host + '_), *mut (dyn Host + 'static)>(host) });
        self.slot.resp3 = false;
        self.slot.killed = false;
        self.slot.keys = keys;
        self.slot.args = args;
        let result = unsafe {
            ffi::lua_sethook(l, Some(count_hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
            push_func(l, self.errh_ref);
            // KEYS and ARGV are built in protected mode: a memory error there
            // must become an error reply, not a panic.
            ffi::lua_pushlightuserdata(l, &mut *self.slot as *mut Slot as *mut c_void);
            ffi::lua_pushcclosure(l, set_keys_argv, 1);
            let rc = if fcall {
                ffi::lua_pop(l, 1);
                0
            } else {
                ffi::lua_pcall(l, 0, 0, 0)
            };
            if rc != 0 {
                let msg = String::from_utf8_lossy(to_bytes(l, -1)).into_owned();
                ffi::lua_pop(l, 2);
                Err(ScriptError { msg: format!("ERR Error running script {sha}, {msg}"), already_counted: false })
            } else {
                if fcall {
                    // A trampoline builds the keys and args tables inside the
                    // protected call, then calls the function with them.
                    ffi::lua_pushlightuserdata(l, &mut *self.slot as *mut Slot as *mut c_void);
                    ffi::lua_pushinteger(l, func_ref as _);
                    ffi::lua_pushcclosure(l, fcall_trampoline, 2);
                } else {
                    push_func(l, func_ref);
                }
                let rc = ffi::lua_pcall(l, 0, 1, -2);
                if rc == 0 {
                    let resp3 = self.slot.resp3;
                    let mark = out.len();
                    self.reply_errors.clear();
                    let mut errs = std::mem::take(&mut self.reply_errors);
                    reply_from_lua(l, out, resp3, &mut errs);
                    self.reply_errors = errs;
                    self.reply_is_error = out.as_bytes().get(mark) == Some(&b'-');
                    ffi::lua_pop(l, 1);
                    Ok(())
                } else {
                    let e = error_from_lua(l, sha);
                    ffi::lua_pop(l, 2);
                    if rc == ffi::LUA_ERRMEM {
                        // What the failed script built is garbage now:
                        // free it before the next script needs the room.
                        ffi::lua_gc(l, ffi::LUA_GCCOLLECT, 0);
                    }
                    Err(e)
                }
            }
        };
        self.slot.host = None;
        self.slot.keys = &[];
        self.slot.args = &[];
        self.gc_count += 1;
        if self.gc_count == GC_PERIOD {
            self.gc_count = 0;
            unsafe { ffi::lua_gc(l, ffi::LUA_GCSTEP, GC_PERIOD as c_int) };
        }
        result
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // The registry references die with the state (mlua closes it).
        self.scripts.clear();
    }
}

static SLOT_KEY: &CStr = c"vermilion.slot";
static FUNCS_KEY: &CStr = c"vermilion.funcs";

/// Pops the value on top into a new entry of the functions table; returns its id.
unsafe fn store_func(l: *mut lua_State, slot: &mut Slot) -> c_int {
    slot.next_id += 1;
    ffi::lua_getfield(l, ffi::LUA_REGISTRYINDEX, FUNCS_KEY.as_ptr());
    ffi::lua_insert(l, -2);
    ffi::lua_rawseti(l, -2, slot.next_id as _);
    ffi::lua_pop(l, 1);
    slot.next_id
}

/// Pushes entry `id` of the functions table.
unsafe fn push_func(l: *mut lua_State, id: c_int) {
    ffi::lua_getfield(l, ffi::LUA_REGISTRYINDEX, FUNCS_KEY.as_ptr());
    ffi::lua_rawgeti(l, -1, id as _);
    ffi::lua_remove(l, -2);
}

unsafe fn slot_of(l: *mut lua_State) -> *mut Slot {
    ffi::lua_touserdata(l, ffi::lua_upvalueindex(1)) as *mut Slot
}

unsafe fn push_bytes(l: *mut lua_State, b: &[u8]) {
    ffi::lua_pushlstring(l, b.as_ptr() as *const c_char, b.len());
}

/// The string at `idx` (numbers are converted in place, as lua_tolstring does).
unsafe fn to_bytes<'a>(l: *mut lua_State, idx: c_int) -> &'a [u8] {
    let mut len = 0usize;
    let p = ffi::lua_tolstring(l, idx, &mut len);
    if p.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(p as *const u8, len)
    }
}

/// Marks the table on top of the stack, the tables it holds and their
/// metatables read-only (the readonly flag doubles as "visited").
unsafe fn protect_recursively(l: *mut lua_State) {
    if lua_isreadonlytable(l, -1) != 0 {
        return;
    }
    ffi::lua_checkstack(l, 4);
    lua_enablereadonlytable(l, -1, 1);
    if ffi::lua_getmetatable(l, -1) != 0 {
        protect_recursively(l);
        ffi::lua_pop(l, 1);
    }
    ffi::lua_pushnil(l);
    while ffi::lua_next(l, -2) != 0 {
        if ffi::lua_type(l, -1) == ffi::LUA_TTABLE {
            protect_recursively(l);
        }
        ffi::lua_pop(l, 1);
    }
}

/// `_G`'s `__index`: reading an undeclared global is an error.
unsafe extern "C-unwind" fn global_index(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 2 {
        return ffi::luaL_error(l, c"Wrong number of arguments to luaProtectedTableError".as_ptr());
    }
    let t = ffi::lua_type(l, 2);
    if t != ffi::LUA_TSTRING && t != ffi::LUA_TNUMBER {
        return ffi::luaL_error(l, c"Second argument to luaProtectedTableError must be a string or number".as_ptr());
    }
    let name = ffi::lua_tolstring(l, 2, std::ptr::null_mut());
    ffi::luaL_error(l, c"Script attempted to access nonexistent global variable '%s'".as_ptr(), name)
}

/// Sets the KEYS and ARGV globals from the slot (run under lua_pcall).
unsafe extern "C-unwind" fn set_keys_argv(l: *mut lua_State) -> c_int {
    let slot = &*slot_of(l);
    for (name, list) in [(c"KEYS", &*slot.keys), (c"ARGV", &*slot.args)] {
        ffi::lua_createtable(l, list.len().min(i32::MAX as usize) as c_int, 0);
        for (i, v) in list.iter().enumerate() {
            push_bytes(l, v);
            ffi::lua_rawseti(l, -2, (i + 1) as _);
        }
        lua_enablereadonlytable(l, ffi::LUA_GLOBALSINDEX, 0);
        ffi::lua_setfield(l, ffi::LUA_GLOBALSINDEX, name.as_ptr());
        lua_enablereadonlytable(l, ffi::LUA_GLOBALSINDEX, 1);
    }
    0
}

/// Calls registered function (upvalue 2) with the keys and args tables.
unsafe extern "C-unwind" fn fcall_trampoline(l: *mut lua_State) -> c_int {
    let slot = &*slot_of(l);
    let id = ffi::lua_tointeger(l, ffi::lua_upvalueindex(2));
    push_func(l, id as c_int);
    for list in [&*slot.keys, &*slot.args] {
        ffi::lua_createtable(l, list.len().min(i32::MAX as usize) as c_int, 0);
        for (i, v) in list.iter().enumerate() {
            push_bytes(l, v);
            ffi::lua_rawseti(l, -2, (i + 1) as _);
        }
    }
    ffi::lua_call(l, 2, 1);
    1
}

/// Checks for SCRIPT KILL (and lets the server answer BUSY) every
/// [`HOOK_EVERY`] instructions; once killed, on every line, so a script
/// that catches the error with pcall still ends.
unsafe extern "C-unwind" fn count_hook(l: *mut lua_State, _ar: *mut ffi::lua_Debug) {
    ffi::lua_getfield(l, ffi::LUA_REGISTRYINDEX, SLOT_KEY.as_ptr());
    let slot = ffi::lua_touserdata(l, -1) as *mut Slot;
    ffi::lua_pop(l, 1);
    if slot.is_null() {
        return;
    }
    let slot = &mut *slot;
    if let Some(deadline) = slot.load_deadline {
        if std::time::Instant::now() >= deadline {
            ffi::lua_sethook(l, Some(count_hook), ffi::LUA_MASKLINE, 0);
            push_error_buff(l, b"FUNCTION LOAD timeout");
            ffi::lua_error(l);
        }
        return;
    }
    let kill = if slot.killed {
        true
    } else if let Some(h) = slot.host {
        (*h).interrupt()
    } else {
        false
    };
    if kill {
        if !slot.killed {
            slot.killed = true;
            ffi::lua_sethook(l, Some(count_hook), ffi::LUA_MASKLINE, 0);
        }
        push_error_buff(l, b"Script killed by user with SCRIPT KILL...");
        ffi::lua_error(l);
    }
}

/// Pushes Redis's error table `{err="CODE msg"}` for `e`, which is either
/// `-CODE msg` or a bare message (code ERR); CR/LF at the ends are trimmed.
unsafe fn push_error_buff(l: *mut lua_State, e: &[u8]) {
    let (code, msg): (&[u8], &[u8]) = match e.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(sp) => (&rest[..sp], &rest[sp + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", e),
    };
    let is_crlf = |b: &u8| *b == b'\r' || *b == b'\n';
    let start = msg.iter().position(|b| !is_crlf(b)).unwrap_or(msg.len());
    let end = msg.iter().rposition(|b| !is_crlf(b)).map_or(start, |p| p + 1);
    let msg = &msg[start..end];
    ffi::lua_createtable(l, 0, 2);
    push_bytes(l, b"err");
    push_bytes(l, code);
    push_bytes(l, b" ");
    push_bytes(l, msg);
    ffi::lua_concat(l, 3);
    ffi::lua_rawset(l, -3);
}

/// `redis.call` and `redis.pcall`.
unsafe fn generic_call(l: *mut lua_State, raise: bool) -> c_int {
    let slot = &mut *slot_of(l);
    let Some(host) = slot.host else {
        push_error_buff(l, b"redis.call/pcall can only be called inside a script invocation");
        ffi::lua_error(l);
    };
    let argc = ffi::lua_gettop(l);
    if argc == 0 {
        push_error_buff(l, b"Please specify at least one argument for this redis lib call");
        return if raise { ffi::lua_error(l) } else { 1 };
    }
    // The command runs in a block that owns the argument vector, so
    // nothing with a destructor is alive when Lua may raise below.
    let outcome: Result<(*const u8, usize), String> = {
        let mut argv: Vec<Bytes> = Vec::with_capacity(argc as usize);
        let mut ok = true;
        for i in 1..=argc {
            match ffi::lua_type(l, i) {
                ffi::LUA_TNUMBER => {
                    // Not lua_tolstring: its %.14g loses precision; Redis 7.0 uses %.17g.
                    let n = ffi::lua_tonumber(l, i);
                    argv.push(Bytes::from(resp::encode::format_double_17g(n).into_bytes()));
                }
                ffi::LUA_TSTRING => argv.push(Bytes::copy_from_slice(to_bytes(l, i))),
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        ffi::lua_settop(l, 0);
        if !ok {
            Err("Lua redis lib command arguments must be strings or integers".into())
        } else {
            (*host).call(&argv, slot.resp3).map(|b| (b.as_ptr(), b.len()))
        }
    };
    match outcome {
        Err(e) => {
            let is_arg_error = e.starts_with("Lua redis lib");
            push_error_buff(l, e.as_bytes());
            drop(e);
            if !is_arg_error {
                push_bytes(l, b"ignore_error_stats_update");
                ffi::lua_pushboolean(l, 1);
                ffi::lua_rawset(l, -3);
            }
            if raise {
                ffi::lua_error(l);
            }
            1
        }
        Ok((p, n)) => {
            let reply = std::slice::from_raw_parts(p, n);
            let mut pos = 0;
            push_reply(l, reply, &mut pos, slot.resp3);
            if raise && reply.first() == Some(&b'-') {
                ffi::lua_error(l);
            }
            1
        }
    }
}

unsafe extern "C-unwind" fn redis_call(l: *mut lua_State) -> c_int {
    generic_call(l, true)
}

unsafe extern "C-unwind" fn redis_pcall(l: *mut lua_State) -> c_int {
    generic_call(l, false)
}

/// Reads a CRLF-terminated line at `pos`.
fn line<'a>(b: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let start = *pos;
    let end = b[start..].windows(2).position(|w| w == b"\r\n").map_or(b.len(), |p| start + p);
    *pos = (end + 2).min(b.len());
    &b[start..end]
}

fn num(b: &[u8]) -> i64 {
    std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Pushes one reply (the server's own encoding of it, RESP2 or RESP3) as
/// the Lua value Redis 7.0 gives scripts.
unsafe fn push_reply(l: *mut lua_State, b: &[u8], pos: &mut usize, resp3: bool) {
    if *pos >= b.len() {
        ffi::lua_pushnil(l);
        return;
    }
    ffi::lua_checkstack(l, 5);
    let t = b[*pos];
    *pos += 1;
    match t {
        b'+' => {
            let s = line(b, pos);
            ffi::lua_createtable(l, 0, 1);
            push_bytes(l, b"ok");
            push_bytes(l, s);
            ffi::lua_rawset(l, -3);
        }
        b'-' => {
            let start = *pos - 1;
            let _ = line(b, pos);
            let end = (*pos).saturating_sub(2).max(start);
            push_error_buff(l, &b[start..end]);
            push_bytes(l, b"ignore_error_stats_update");
            ffi::lua_pushboolean(l, 1);
            ffi::lua_rawset(l, -3);
        }
        b':' => ffi::lua_pushnumber(l, num(line(b, pos)) as f64),
        b'$' | b'=' => {
            let n = num(line(b, pos));
            if n < 0 {
                ffi::lua_pushboolean(l, 0);
                return;
            }
            let n = n as usize;
            let s = &b[*pos..(*pos + n).min(b.len())];
            *pos = (*pos + n + 2).min(b.len());
            if t == b'$' {
                push_bytes(l, s);
            } else {
                ffi::lua_createtable(l, 0, 1);
                push_bytes(l, b"verbatim_string");
                ffi::lua_createtable(l, 0, 2);
                push_bytes(l, b"format");
                push_bytes(l, &s[..3.min(s.len())]);
                ffi::lua_rawset(l, -3);
                push_bytes(l, b"string");
                push_bytes(l, s.get(4..).unwrap_or(&[]));
                ffi::lua_rawset(l, -3);
                ffi::lua_rawset(l, -3);
            }
        }
        b'*' | b'>' => {
            let n = num(line(b, pos));
            if n < 0 {
                ffi::lua_pushboolean(l, 0);
                return;
            }
            ffi::lua_createtable(l, n.min(1 << 20) as c_int, 0);
            for i in 1..=n {
                push_reply(l, b, pos, resp3);
                ffi::lua_rawseti(l, -2, i as _);
            }
        }
        b'%' | b'~' => {
            let n = num(line(b, pos));
            ffi::lua_createtable(l, 0, 1);
            push_bytes(l, if t == b'%' { b"map" } else { b"set" });
            ffi::lua_createtable(l, 0, n.clamp(0, 1 << 20) as c_int);
            for _ in 0..n {
                push_reply(l, b, pos, resp3);
                if t == b'%' {
                    push_reply(l, b, pos, resp3);
                } else {
                    ffi::lua_pushboolean(l, 1);
                }
                if ffi::lua_type(l, -2) == ffi::LUA_TNIL {
                    ffi::lua_pop(l, 2);
                } else {
                    ffi::lua_rawset(l, -3);
                }
            }
            ffi::lua_rawset(l, -3);
        }
        b'_' => {
            let _ = line(b, pos);
            ffi::lua_pushnil(l);
        }
        b',' => {
            let s = line(b, pos);
            let d = match s {
                b"inf" => f64::INFINITY,
                b"-inf" => f64::NEG_INFINITY,
                _ => std::str::from_utf8(s).ok().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN),
            };
            ffi::lua_createtable(l, 0, 1);
            push_bytes(l, b"double");
            ffi::lua_pushnumber(l, d);
            ffi::lua_rawset(l, -3);
        }
        b'#' => {
            let s = line(b, pos);
            ffi::lua_pushboolean(l, (s == b"t") as c_int);
        }
        b'(' => {
            let s = line(b, pos);
            ffi::lua_createtable(l, 0, 1);
            push_bytes(l, b"big_number");
            push_bytes(l, s);
            ffi::lua_rawset(l, -3);
        }
        _ => {
            let _ = line(b, pos);
            ffi::lua_pushnil(l);
        }
    }
}

/// Lua number to reply integer: C's (long long) cast on x86, where NaN and
/// out-of-range values become i64::MIN.
fn truncate(n: f64) -> i64 {
    if n.is_nan() || n >= 9.223_372_036_854_775_807e18 || n < -9.223_372_036_854_775_808e18 {
        i64::MIN
    } else {
        n as i64
    }
}

/// Raw `t[key]` of the table at `idx` pushed on the stack; returns its type.
unsafe fn raw_field(l: *mut lua_State, idx: c_int, key: &[u8]) -> c_int {
    push_bytes(l, key);
    ffi::lua_rawget(l, if idx < 0 { idx - 1 } else { idx });
    ffi::lua_type(l, -1)
}

/// Writes the value on top of the stack as a reply and pops it (Redis's
/// luaReplyToRedisReply, including where it gives up for stack depth).
/// `resp3` is what the script chose with `redis.setresp`.
unsafe fn reply_from_lua(l: *mut lua_State, out: &mut Out, resp3: bool, errs: &mut Vec<Vec<u8>>) {
    if ffi::lua_checkstack(l, 4) == 0 || ffi::lua_gettop(l) + 4 > LUAI_MAXCSTACK {
        out.error("ERR reached lua stack limit");
        errs.push(b"ERR".to_vec());
        ffi::lua_pop(l, 1);
        return;
    }
    match ffi::lua_type(l, -1) {
        ffi::LUA_TSTRING => out.bulk(to_bytes(l, -1)),
        ffi::LUA_TBOOLEAN => {
            let b = ffi::lua_toboolean(l, -1) != 0;
            if !resp3 {
                if b {
                    out.int(1);
                } else {
                    out.null();
                }
            } else if out.resp3() {
                out.boolean(b);
            } else {
                out.int(b as i64);
            }
        }
        ffi::LUA_TNUMBER => out.int(truncate(ffi::lua_tonumber(l, -1))),
        ffi::LUA_TTABLE => {
            table_reply(l, out, resp3, errs);
            return;
        }
        _ => out.null(),
    }
    ffi::lua_pop(l, 1);
}

/// The table case of [`reply_from_lua`]; pops the table.
unsafe fn table_reply(l: *mut lua_State, out: &mut Out, resp3: bool, errs: &mut Vec<Vec<u8>>) {
    if raw_field(l, -1, b"err") == ffi::LUA_TSTRING {
        ffi::lua_pop(l, 1);
        let (m, _, ignore) = error_fields(l);
        let msg = String::from_utf8_lossy(&m[1..]).into_owned();
        out.error(&msg);
        if !ignore {
            // Counted in INFO errorstats by its code (the first word).
            errs.push(msg.split(' ').next().unwrap_or("ERR").as_bytes().to_vec());
        }
        ffi::lua_pop(l, 1);
        return;
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"ok") == ffi::LUA_TSTRING {
        out.simple(to_bytes(l, -1));
        ffi::lua_pop(l, 2);
        return;
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"double") == ffi::LUA_TNUMBER {
        let d = ffi::lua_tonumber(l, -1);
        double_reply(out, d);
        ffi::lua_pop(l, 2);
        return;
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"big_number") == ffi::LUA_TSTRING {
        let s: Vec<u8> = to_bytes(l, -1).iter().map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c }).collect();
        if out.resp3() {
            out.big_number(&String::from_utf8_lossy(&s));
        } else {
            out.bulk(&s);
        }
        ffi::lua_pop(l, 2);
        return;
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"verbatim_string") == ffi::LUA_TTABLE {
        if raw_field(l, -1, b"format") == ffi::LUA_TSTRING {
            if raw_field(l, -2, b"string") == ffi::LUA_TSTRING {
                let fmt = String::from_utf8_lossy(to_bytes(l, -2)).into_owned();
                let s = to_bytes(l, -1);
                if out.resp3() {
                    out.verbatim(&fmt, s);
                } else {
                    out.bulk(s);
                }
                ffi::lua_pop(l, 4);
                return;
            }
            ffi::lua_pop(l, 1);
        }
        ffi::lua_pop(l, 1);
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"map") == ffi::LUA_TTABLE {
        let mut n = 0;
        ffi::lua_pushnil(l);
        while ffi::lua_next(l, -2) != 0 {
            ffi::lua_pop(l, 1);
            n += 1;
        }
        out.map(n);
        ffi::lua_pushnil(l);
        while ffi::lua_next(l, -2) != 0 {
            ffi::lua_pushvalue(l, -2);
            reply_from_lua(l, out, resp3, errs);
            reply_from_lua(l, out, resp3, errs);
        }
        ffi::lua_pop(l, 2);
        return;
    }
    ffi::lua_pop(l, 1);
    if raw_field(l, -1, b"set") == ffi::LUA_TTABLE {
        let mut n = 0;
        ffi::lua_pushnil(l);
        while ffi::lua_next(l, -2) != 0 {
            ffi::lua_pop(l, 1);
            n += 1;
        }
        out.set(n);
        ffi::lua_pushnil(l);
        while ffi::lua_next(l, -2) != 0 {
            ffi::lua_pop(l, 1);
            ffi::lua_pushvalue(l, -1);
            reply_from_lua(l, out, resp3, errs);
        }
        ffi::lua_pop(l, 2);
        return;
    }
    ffi::lua_pop(l, 1);
    let mut n: i64 = 0;
    loop {
        ffi::lua_rawgeti(l, -1, (n + 1) as _);
        let nil = ffi::lua_type(l, -1) == ffi::LUA_TNIL;
        ffi::lua_pop(l, 1);
        if nil {
            break;
        }
        n += 1;
    }
    out.array(n as usize);
    for j in 1..=n {
        ffi::lua_rawgeti(l, -1, j as _);
        reply_from_lua(l, out, resp3, errs);
    }
    ffi::lua_pop(l, 1);
}

/// Redis 7.0's addReplyDouble: `%.17g`, as a bulk string in RESP2.
fn double_reply(out: &mut Out, d: f64) {
    let s = if d.is_infinite() {
        if d > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        }
    } else if d.is_nan() {
        // glibc prints the sign of a NaN.
        if d.is_sign_negative() {
            "-nan".to_string()
        } else {
            "nan".to_string()
        }
    } else {
        resp::encode::format_double_17g(d)
    };
    if out.resp3() {
        out.raw(format!(",{s}\r\n").as_bytes());
    } else {
        out.bulk(s.as_bytes());
    }
}

/// Reads `err`, `source`, `line` and `ignore_error_stats_update` of the
/// error table on top of the stack (left in place).
unsafe fn error_fields(l: *mut lua_State) -> (Vec<u8>, Option<(Vec<u8>, Vec<u8>)>, bool) {
    let mut msg = Vec::with_capacity(64);
    msg.push(b'-');
    if raw_field(l, -1, b"err") == ffi::LUA_TSTRING {
        msg.extend_from_slice(to_bytes(l, -1));
    }
    ffi::lua_pop(l, 1);
    let src = if raw_field(l, -1, b"source") == ffi::LUA_TSTRING { Some(to_bytes(l, -1).to_vec()) } else { None };
    ffi::lua_pop(l, 1);
    let t = raw_field(l, -1, b"line");
    let line = if t == ffi::LUA_TSTRING || t == ffi::LUA_TNUMBER {
        ffi::lua_pushvalue(l, -1);
        let v = to_bytes(l, -1).to_vec();
        ffi::lua_pop(l, 1);
        Some(v)
    } else {
        None
    };
    ffi::lua_pop(l, 1);
    let ignore = raw_field(l, -1, b"ignore_error_stats_update") == ffi::LUA_TBOOLEAN && ffi::lua_toboolean(l, -1) != 0;
    ffi::lua_pop(l, 1);
    (msg, src.zip(line), ignore)
}

/// The error a failed lua_pcall left on top of the stack, as Redis words it.
unsafe fn error_from_lua(l: *mut lua_State, sha: &str) -> ScriptError {
    if ffi::lua_type(l, -1) != ffi::LUA_TTABLE {
        let msg = if ffi::lua_type(l, -1) == ffi::LUA_TSTRING || ffi::lua_type(l, -1) == ffi::LUA_TNUMBER {
            let b = to_bytes(l, -1);
            String::from_utf8_lossy(&b[..b.len().min(100)]).into_owned()
        } else {
            "execution failure".to_string()
        };
        return ScriptError { msg: format!("ERR Error running script {sha}, {msg}\n"), already_counted: false };
    }
    let (msg, at, ignore) = error_fields(l);
    let mut msg = String::from_utf8_lossy(&msg[1..]).into_owned();
    if let Some((src, line)) = at {
        msg.push_str(&format!(
            " script: {sha}, on {}:{}.",
            String::from_utf8_lossy(&src),
            String::from_utf8_lossy(&line)
        ));
    }
    ScriptError { msg, already_counted: ignore }
}

/// The global `pcall`, as Redis 7.0 replaces it: an error table raised
/// inside (a failed `redis.call`) is caught as its `err` string.
unsafe extern "C-unwind" fn lua_pcall_wrapper(l: *mut lua_State) -> c_int {
    let argc = ffi::lua_gettop(l);
    ffi::lua_pushboolean(l, 1);
    ffi::lua_insert(l, 1);
    if ffi::lua_pcall(l, argc - 1, ffi::LUA_MULTRET, 0) != 0 {
        ffi::lua_remove(l, 1);
        if ffi::lua_type(l, -1) == ffi::LUA_TTABLE {
            ffi::lua_getfield(l, -1, c"err".as_ptr());
            if ffi::lua_isstring(l, -1) != 0 {
                ffi::lua_replace(l, -2);
            } else {
                ffi::lua_pop(l, 1);
            }
        }
        ffi::lua_pushboolean(l, 0);
        ffi::lua_insert(l, 1);
    }
    ffi::lua_gettop(l)
}

// ---- the rest of the redis table ----

unsafe extern "C-unwind" fn redis_error_reply(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 1 || ffi::lua_type(l, -1) != ffi::LUA_TSTRING {
        push_error_buff(l, b"wrong number or type of arguments");
        return 1;
    }
    let e = to_bytes(l, -1);
    if e.first() == Some(&b'-') {
        push_error_buff(l, e);
    } else {
        // "-" + e without allocating on the Rust side.
        let mut buf = [0u8; 256];
        if e.len() < buf.len() {
            buf[0] = b'-';
            buf[1..=e.len()].copy_from_slice(e);
            push_error_buff(l, &buf[..=e.len()]);
        } else {
            let v: Vec<u8> = [b"-".as_slice(), e].concat();
            let r: &[u8] = &v;
            push_error_buff(l, r);
        }
    }
    1
}

unsafe extern "C-unwind" fn redis_status_reply(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 1 || ffi::lua_type(l, -1) != ffi::LUA_TSTRING {
        push_error_buff(l, b"wrong number or type of arguments");
        return 1;
    }
    ffi::lua_createtable(l, 0, 1);
    push_bytes(l, b"ok");
    ffi::lua_pushvalue(l, -3);
    ffi::lua_rawset(l, -3);
    1
}

unsafe extern "C-unwind" fn redis_sha1hex(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 1 {
        push_bytes(l, b"wrong number of arguments");
        ffi::lua_error(l);
    }
    let hex = crate::sha1::sha1(to_bytes(l, 1));
    let mut buf = [0u8; 40];
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in hex.iter().enumerate() {
        buf[2 * i] = HEX[(b >> 4) as usize];
        buf[2 * i + 1] = HEX[(b & 15) as usize];
    }
    push_bytes(l, &buf);
    1
}

unsafe extern "C-unwind" fn redis_log(l: *mut lua_State) -> c_int {
    let argc = ffi::lua_gettop(l);
    if argc < 2 {
        push_error_buff(l, b"redis.log() requires two arguments or more.");
        ffi::lua_error(l);
    }
    if ffi::lua_type(l, 1) != ffi::LUA_TNUMBER {
        push_error_buff(l, b"First argument must be a number (log level).");
        ffi::lua_error(l);
    }
    let level = ffi::lua_tonumber(l, 1) as i64;
    if !(0..=3).contains(&level) {
        push_error_buff(l, b"Invalid debug level.");
        ffi::lua_error(l);
    }
    let slot = &mut *slot_of(l);
    {
        let mut msg = Vec::new();
        for i in 2..=argc {
            let t = ffi::lua_type(l, i);
            if t == ffi::LUA_TSTRING || t == ffi::LUA_TNUMBER {
                if !msg.is_empty() {
                    msg.push(b' ');
                }
                msg.extend_from_slice(to_bytes(l, i));
            }
        }
        if let Some(h) = slot.host {
            (*h).log(level as u8, &msg);
        }
    }
    0
}

unsafe extern "C-unwind" fn redis_setresp(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 1 {
        push_error_buff(l, b"redis.setresp() requires one argument.");
        ffi::lua_error(l);
    }
    let v = ffi::lua_tonumber(l, -1) as i64;
    if v != 2 && v != 3 {
        push_error_buff(l, b"RESP version must be 2 or 3.");
        ffi::lua_error(l);
    }
    (*slot_of(l)).resp3 = v == 3;
    0
}

unsafe extern "C-unwind" fn redis_set_repl(l: *mut lua_State) -> c_int {
    if ffi::lua_gettop(l) != 1 {
        push_error_buff(l, b"redis.set_repl() requires two arguments.");
        ffi::lua_error(l);
    }
    let v = ffi::lua_tonumber(l, -1) as i64;
    if !(0..=3).contains(&v) {
        push_error_buff(l, b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        ffi::lua_error(l);
    }
    if let Some(h) = (*slot_of(l)).host {
        (*h).set_repl(v as u8);
    }
    0
}

/// `os.clock()`: CPU seconds used by the process, as Lua's own.
unsafe extern "C-unwind" fn os_clock(l: *mut lua_State) -> c_int {
    let mut ts: libc::timespec = std::mem::zeroed();
    libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts);
    ffi::lua_pushnumber(l, ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9);
    1
}

unsafe extern "C-unwind" fn redis_replicate_commands(l: *mut lua_State) -> c_int {
    // Always on since Redis 7.0 (effects replication is the only mode).
    ffi::lua_pushboolean(l, 1);
    1
}

unsafe extern "C-unwind" fn redis_breakpoint(l: *mut lua_State) -> c_int {
    // No debugger session can be active (SCRIPT DEBUG is not supported).
    ffi::lua_pushboolean(l, 0);
    1
}

unsafe extern "C-unwind" fn redis_debug(_l: *mut lua_State) -> c_int {
    0
}

unsafe extern "C-unwind" fn redis_acl_check_cmd(l: *mut lua_State) -> c_int {
    let slot = &mut *slot_of(l);
    let Some(host) = slot.host else {
        push_error_buff(l, b"redis.acl_check_cmd can only be called inside a script invocation");
        ffi::lua_error(l);
    };
    let argc = ffi::lua_gettop(l);
    if argc == 0 {
        push_error_buff(l, b"Please specify at least one argument for this redis lib call");
        ffi::lua_error(l);
    }
    let known = {
        let mut argv: Vec<Bytes> = Vec::with_capacity(argc as usize);
        let mut ok = true;
        for i in 1..=argc {
            match ffi::lua_type(l, i) {
                ffi::LUA_TNUMBER | ffi::LUA_TSTRING => argv.push(Bytes::copy_from_slice(to_bytes(l, i))),
                _ => ok = false,
            }
        }
        if ok {
            Some((*host).command_exists(&argv))
        } else {
            None
        }
    };
    match known {
        None => {
            push_error_buff(l, b"Lua redis lib command arguments must be strings or integers");
            ffi::lua_error(l);
        }
        Some(false) => {
            push_error_buff(l, b"Invalid command passed to redis.acl_check_cmd()");
            ffi::lua_error(l);
        }
        // Only the default user exists, and it may run everything.
        Some(true) => ffi::lua_pushboolean(l, 1),
    }
    1
}

// ---- FUNCTION: libraries of named functions in a Lua state of their own ----

/// A loaded library (FUNCTION LOAD), with its source kept for FUNCTION
/// LIST WITHCODE, DUMP and persistence.
pub struct Library {
    pub name: String,
    /// The full source, shebang line included.
    pub code: Bytes,
    /// Its functions' names, in registration order.
    pub functions: Vec<String>,
}

/// A registered function.
pub struct FunctionInfo {
    pub library: String,
    pub flags: u32,
    pub description: Option<Vec<u8>>,
    id: c_int,
}

/// The FUNCTION engine: Redis 7.0 runs libraries in a second Lua state
/// whose code, while it loads, sees only a reduced `redis` table
/// (register_function, log, the LOG_ levels and version constants).
pub struct Functions {
    eng: Engine,
    pub libraries: std::collections::BTreeMap<String, Library>,
    pub functions: std::collections::BTreeMap<String, FunctionInfo>,
    env_meta_id: c_int,
    load_api_id: c_int,
}

/// How long library code may run while FUNCTION LOAD loads it (Redis's 500 ms).
const LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// Ids of the library environment and its parts in the functions table.
const ENV_ID: c_int = 2;

impl Functions {
    /// An empty function engine.
    pub fn new() -> Functions {
        let mut eng = Engine::new();
        let l = eng.l;
        let slot_ptr = &mut *eng.slot as *mut Slot as *mut c_void;
        let (env_meta_id, load_api_id);
        unsafe {
            // env: what library code and its functions see as globals. Empty
            // and read-only; its metatable's __index is the load API while a
            // library loads and the real globals while a function runs.
            ffi::lua_createtable(l, 0, 0);
            let env = store_func(l, &mut eng.slot);
            debug_assert_eq!(env, ENV_ID);
            ffi::lua_createtable(l, 0, 1);
            env_meta_id = store_func(l, &mut eng.slot);
            // The load API: { redis = { register_function, log, LOG_*, REDIS_VERSION* } },
            // both with the "nonexistent global" __index.
            ffi::lua_createtable(l, 0, 1);
            ffi::lua_createtable(l, 0, 8);
            ffi::lua_pushlightuserdata(l, slot_ptr);
            ffi::lua_pushcclosure(l, register_function, 1);
            ffi::lua_setfield(l, -2, c"register_function".as_ptr());
            ffi::lua_pushlightuserdata(l, slot_ptr);
            ffi::lua_pushcclosure(l, redis_log, 1);
            ffi::lua_setfield(l, -2, c"log".as_ptr());
            for (name, v) in [(c"LOG_DEBUG", 0), (c"LOG_VERBOSE", 1), (c"LOG_NOTICE", 2), (c"LOG_WARNING", 3)] {
                ffi::lua_pushnumber(l, v as f64);
                ffi::lua_setfield(l, -2, name.as_ptr());
            }
            ffi::lua_pushnumber(l, crate::REDIS_VERSION_NUM as f64);
            ffi::lua_setfield(l, -2, c"REDIS_VERSION_NUM".as_ptr());
            push_bytes(l, crate::REDIS_VERSION.as_bytes());
            ffi::lua_setfield(l, -2, c"REDIS_VERSION".as_ptr());
            push_error_meta(l);
            lua_enablereadonlytable(l, -1, 1);
            ffi::lua_setfield(l, -2, c"redis".as_ptr());
            push_error_meta(l);
            lua_enablereadonlytable(l, -1, 1);
            load_api_id = store_func(l, &mut eng.slot);
            // env's metatable starts pointing at the real globals.
            push_func(l, env);
            push_func(l, env_meta_id);
            ffi::lua_pushvalue(l, ffi::LUA_GLOBALSINDEX);
            ffi::lua_setfield(l, -2, c"__index".as_ptr());
            ffi::lua_setmetatable(l, -2);
            lua_enablereadonlytable(l, -1, 1);
            ffi::lua_pop(l, 1);
        }
        Functions { eng, libraries: Default::default(), functions: Default::default(), env_meta_id, load_api_id }
    }

    /// Bytes of Lua heap in use (INFO used_memory_vm_functions).
    pub fn used_memory(&self) -> usize {
        self.eng.used_memory()
    }

    /// Points the library environment at the load API (`loading`) or at the globals.
    unsafe fn set_env_index(&mut self, loading: bool) {
        let l = self.eng.l;
        push_func(l, self.env_meta_id);
        lua_enablereadonlytable(l, -1, 0);
        if loading {
            push_func(l, self.load_api_id);
        } else {
            ffi::lua_pushvalue(l, ffi::LUA_GLOBALSINDEX);
        }
        ffi::lua_setfield(l, -2, c"__index".as_ptr());
        lua_enablereadonlytable(l, -1, 1);
        ffi::lua_pop(l, 1);
    }

    /// FUNCTION LOAD [REPLACE] code: returns the library name.
    ///
    /// # Errors
    /// Redis 7.0's texts for bad metadata, an existing library or function,
    /// compile errors and errors while registering.
    pub fn load(&mut self, code: &Bytes, replace: bool) -> Result<String, String> {
        let (name, skip) = parse_library_shebang(code)?;
        if self.libraries.contains_key(&name) && !replace {
            return Err(format!("ERR Library '{name}' already exists"));
        }
        let l = self.eng.l;
        let mut registered: Vec<Registered> = Vec::new();
        let result = unsafe {
            let body = &code[skip..];
            if ffi::luaL_loadbuffer(l, body.as_ptr() as _, body.len(), c"@user_function".as_ptr()) != 0 {
                let msg = String::from_utf8_lossy(to_bytes(l, -1)).into_owned();
                ffi::lua_pop(l, 1);
                return Err(format!("ERR Error compiling function: {msg}"));
            }
            push_func(l, ENV_ID);
            ffi::lua_setfenv(l, -2);
            self.set_env_index(true);
            self.eng.slot.loading = Some(&mut registered);
            self.eng.slot.load_deadline = Some(std::time::Instant::now() + LOAD_TIMEOUT);
            ffi::lua_sethook(l, Some(count_hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
            // No error handler while loading, as in Redis: a string error
            // gets the ERR code without a script/line suffix, and the
            // timeout error (raised on every line once due) is not raised
            // again inside a handler.
            let rc = ffi::lua_pcall(l, 0, 0, 0);
            self.eng.slot.load_deadline = None;
            self.eng.slot.loading = None;
            self.set_env_index(false);
            let r = if rc != 0 {
                let msg = if ffi::lua_type(l, -1) == ffi::LUA_TTABLE {
                    let (m, _, _) = error_fields(l);
                    String::from_utf8_lossy(&m[1..]).into_owned()
                } else {
                    format!("ERR {}", String::from_utf8_lossy(to_bytes(l, -1)))
                };
                ffi::lua_pop(l, 1);
                Err(format!("ERR Error registering functions: {msg}"))
            } else {
                Ok(())
            };
            r
        };
        let drop_registered = |eng: &mut Engine, regs: &[Registered]| unsafe {
            for r in regs {
                ffi::lua_pushnil(eng.l);
                set_func(eng.l, r.id);
            }
        };
        if let Err(e) = result {
            drop_registered(&mut self.eng, &registered);
            return Err(e);
        }
        if registered.is_empty() {
            return Err("ERR No functions registered".into());
        }
        for r in &registered {
            if let Some(f) = self.functions.get(&r.name) {
                if f.library != name {
                    let msg = format!("ERR Function {} already exists", r.name);
                    drop_registered(&mut self.eng, &registered);
                    return Err(msg);
                }
            }
        }
        self.delete(&name);
        let mut names = Vec::new();
        for r in registered {
            names.push(r.name.clone());
            self.functions.insert(
                r.name,
                FunctionInfo { library: name.clone(), flags: r.flags, description: r.description, id: r.id },
            );
        }
        self.libraries.insert(name.clone(), Library { name: name.clone(), code: code.clone(), functions: names });
        Ok(name)
    }

    /// Removes a library and its functions; false when there is none.
    pub fn delete(&mut self, name: &str) -> bool {
        let Some(lib) = self.libraries.remove(name) else { return false };
        for f in lib.functions {
            if let Some(info) = self.functions.remove(&f) {
                unsafe {
                    ffi::lua_pushnil(self.eng.l);
                    set_func(self.eng.l, info.id);
                }
            }
        }
        true
    }

    /// Runs function `name` with `keys` and `args` (FCALL, FCALL_RO).
    ///
    /// # Errors
    /// The function raised an error.
    ///
    /// # Panics
    /// When `name` is not registered (callers look it up first).
    pub fn call(
        &mut self,
        name: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn Host,
        out: &mut Out,
    ) -> Result<(), ScriptError> {
        let id = self.functions[name].id;
        self.eng.invoke(id, true, name, keys, args, host, out)
    }

    /// The interpreter functions run in ([`Engine::reply_errors`] and
    /// [`Engine::reply_is_error`] describe the last call's result).
    pub fn engine(&self) -> &Engine {
        &self.eng
    }
}

impl Default for Functions {
    fn default() -> Self {
        Functions::new()
    }
}

/// Stores the value on top of the stack (popped) as entry `id` of the functions table.
unsafe fn set_func(l: *mut lua_State, id: c_int) {
    ffi::lua_getfield(l, ffi::LUA_REGISTRYINDEX, FUNCS_KEY.as_ptr());
    ffi::lua_insert(l, -2);
    ffi::lua_rawseti(l, -2, id as _);
    ffi::lua_pop(l, 1);
}

/// Sets a metatable whose `__index` raises "nonexistent global variable"
/// on the table on top of the stack.
unsafe fn push_error_meta(l: *mut lua_State) {
    ffi::lua_createtable(l, 0, 1);
    ffi::lua_pushcclosure(l, global_index, 0);
    ffi::lua_setfield(l, -2, c"__index".as_ptr());
    lua_enablereadonlytable(l, -1, 1);
    ffi::lua_setmetatable(l, -2);
}

/// Names of libraries and functions: letters, digits and underscores.
fn valid_name(n: &[u8]) -> bool {
    !n.is_empty() && n.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

const NAME_RULE: &str =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// `#!lua name=<lib>`: the library name and the shebang's length.
pub fn parse_library_shebang(code: &[u8]) -> Result<(String, usize), String> {
    if !code.starts_with(b"#!") {
        return Err("ERR Missing library metadata".into());
    }
    // Redis needs the newline that ends the metadata line.
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err("ERR Invalid library metadata".into());
    };
    let parts = resp::split_args(&code[..end]).unwrap_or_default();
    let engine = parts.first().map(|p| p[2..].to_vec()).unwrap_or_default();
    if !engine.eq_ignore_ascii_case(b"lua") {
        return Err(format!("ERR Engine '{}' not found", String::from_utf8_lossy(&engine)));
    }
    let mut name = None;
    for p in parts.iter().skip(1) {
        // The key is matched without regard to case, as Redis does.
        match p.get(..5).filter(|k| k.eq_ignore_ascii_case(b"name=")) {
            Some(_) => name = Some(p[5..].to_vec()),
            None => return Err(format!("ERR Invalid metadata value given: {}", String::from_utf8_lossy(p))),
        }
    }
    let Some(name) = name else {
        return Err("ERR Library name was not given".into());
    };
    if !valid_name(&name) {
        return Err(format!("ERR {NAME_RULE}"));
    }
    Ok((String::from_utf8_lossy(&name).into_owned(), end))
}

/// `redis.register_function(name, callback)` or
/// `redis.register_function{function_name=, callback=, flags=, description=}`.
unsafe extern "C-unwind" fn register_function(l: *mut lua_State) -> c_int {
    let slot = &mut *slot_of(l);
    let Some(collector) = slot.loading else {
        push_error_buff(l, b"redis.register_function can only be called on FUNCTION LOAD command");
        ffi::lua_error(l);
    };
    match register_inner(l, slot, &mut *collector) {
        Ok(()) => 0,
        Err(msg) => {
            push_error_buff(l, msg.as_bytes());
            ffi::lua_error(l);
        }
    }
}

/// The work of [`register_function`]; returns the error to raise.
unsafe fn register_inner(l: *mut lua_State, slot: &mut Slot, into: &mut Vec<Registered>) -> Result<(), &'static str> {
    let argc = ffi::lua_gettop(l);
    let mut flags = 0u32;
    let mut description = None;
    let name: Vec<u8>;
    if argc == 1 {
        if ffi::lua_type(l, 1) != ffi::LUA_TTABLE {
            return Err("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
        }
        let mut found_name = None;
        let mut has_callback = false;
        ffi::lua_pushnil(l);
        while ffi::lua_next(l, 1) != 0 {
            if ffi::lua_type(l, -2) != ffi::LUA_TSTRING {
                ffi::lua_pop(l, 2);
                return Err("named argument key given to redis.register_function is not a string");
            }
            let key = to_bytes(l, -2).to_vec();
            match &key[..] {
                b"function_name" => {
                    if ffi::lua_type(l, -1) != ffi::LUA_TSTRING {
                        ffi::lua_pop(l, 2);
                        return Err("function_name argument given to redis.register_function must be a string");
                    }
                    found_name = Some(to_bytes(l, -1).to_vec());
                }
                b"description" => {
                    if ffi::lua_type(l, -1) != ffi::LUA_TSTRING {
                        ffi::lua_pop(l, 2);
                        return Err("description argument given to redis.register_function must be a string");
                    }
                    description = Some(to_bytes(l, -1).to_vec());
                }
                b"callback" => {
                    if ffi::lua_type(l, -1) != ffi::LUA_TFUNCTION {
                        ffi::lua_pop(l, 2);
                        return Err("callback argument given to redis.register_function must be a function");
                    }
                    has_callback = true;
                }
                b"flags" => {
                    if ffi::lua_type(l, -1) != ffi::LUA_TTABLE {
                        ffi::lua_pop(l, 2);
                        return Err(
                            "flags argument to redis.register_function must be a table representing function flags",
                        );
                    }
                    let mut j = 1;
                    loop {
                        ffi::lua_rawgeti(l, -1, j);
                        if ffi::lua_type(l, -1) == ffi::LUA_TNIL {
                            ffi::lua_pop(l, 1);
                            break;
                        }
                        let f = if ffi::lua_type(l, -1) == ffi::LUA_TSTRING {
                            to_bytes(l, -1).to_vec()
                        } else {
                            Vec::new()
                        };
                        ffi::lua_pop(l, 1);
                        // Function flags ignore case in Redis (shebang flags do not).
                        match flags::NAMES.iter().find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(&f)) {
                            Some((bit, _)) => flags |= bit,
                            None => {
                                ffi::lua_pop(l, 2);
                                return Err("unknown flag given");
                            }
                        }
                        j += 1;
                    }
                }
                _ => {
                    ffi::lua_pop(l, 2);
                    return Err("unknown argument given to redis.register_function");
                }
            }
            ffi::lua_pop(l, 1);
        }
        let Some(n) = found_name else {
            return Err("redis.register_function must get a function name argument");
        };
        if !has_callback {
            return Err("redis.register_function must get a callback argument");
        }
        name = n;
        ffi::lua_getfield(l, 1, c"callback".as_ptr());
    } else if argc == 2 {
        if ffi::lua_type(l, 1) != ffi::LUA_TSTRING {
            return Err("first argument to redis.register_function must be a string");
        }
        if ffi::lua_type(l, 2) != ffi::LUA_TFUNCTION {
            return Err("second argument to redis.register_function must be a function");
        }
        name = to_bytes(l, 1).to_vec();
        ffi::lua_pushvalue(l, 2);
    } else {
        return Err("wrong number of arguments to redis.register_function");
    }
    if !valid_name(&name) {
        ffi::lua_pop(l, 1);
        return Err(NAME_RULE);
    }
    let name = String::from_utf8_lossy(&name).into_owned();
    if into.iter().any(|r| r.name == name) {
        ffi::lua_pop(l, 1);
        return Err("Function already exists in the library");
    }
    let id = store_func(l, slot);
    into.push(Registered { name, id, flags, description });
    Ok(())
}
